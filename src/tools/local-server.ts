// Tools of this domain; filled in by the issue that owns it.
import type { ToolDefinition } from './define.ts';

export const TOOLS: ToolDefinition[] = [];
