// A tool is a declaration: name, title, description, zod input and output,
// the four annotations, and a handler. Nothing else: the server turns every
// declaration into tools/list entries and every failure into an isError result.
import type { z } from 'zod';
import type { CallContext } from '../kitaru/runtime.ts';
import type { AskHuman } from '../kitaru/waits-ask.ts';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * A tool handler's context is the kitaru layer's call context: MCP stays in src/tools.
 * `askHuman` is set only when the client can show a form to its user (elicitation).
 */
export type ToolContext = CallContext & { askHuman?: AskHuman | undefined };

export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  /** Python's docstring for the same tool, so clients read the same text. */
  description: string;
  input: Input;
  /**
   * The shape of what the handler returns. An array or a string is wrapped as
   * `{result: ...}` in structuredContent, as Python's FastMCP does.
   */
  output: Output;
  annotations: ToolAnnotations;
  /** Listed as the tool's `_meta` (e.g. `anthropic/maxResultSizeChars` for large results). */
  meta?: Record<string, unknown>;
  /** Arguments whose values must never be echoed, not even in a validation error. */
  secretInputs?: readonly string[];
  handler(args: z.output<Input>, context: ToolContext): Promise<z.input<Output>>;
}

/** Keeps each tool's types while collecting them in one list. */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodType>(
  definition: ToolDefinition<Input, Output>,
): ToolDefinition {
  return definition as unknown as ToolDefinition;
}

export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
