// Kitaru's tools are MCP tool declarations whose handlers get the kitaru
// layer's per-call context.
import type { CallContext } from '../kitaru/runtime.ts';
import { type ToolDefinition, toolDefiner } from '../mcp/define.ts';

export type KitaruTool = ToolDefinition<CallContext>;

export const defineTool = toolDefiner<CallContext>();

export { READ_ONLY } from '../mcp/define.ts';
