// Every tool, in the order Python's kitaru-mcp registers them (tools/list order).
import { kitaruInfo, kitaruStacksList, kitaruStatus } from './connection.ts';
import type { ToolDefinition } from './define.ts';

export const ALL_TOOLS: ToolDefinition[] = [kitaruStatus, kitaruStacksList, kitaruInfo];
