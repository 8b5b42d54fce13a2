// A tool is a declaration: name, title, description, zod input and output,
// the four annotations, and a handler. Nothing else: the server turns every
// declaration into tools/list entries and every failure into an isError result.
// The handler's context type is the application's: this folder knows no domain.
import type { z } from 'zod';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolDefinition<Context = unknown, Input extends z.ZodObject = z.ZodObject, Output extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  /** The text clients show for the tool (for a drop-in replacement: the original's docstring). */
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
  handler(args: z.output<Input>, context: Context): Promise<z.input<Output>>;
}

/**
 * Keeps each tool's own input and output types while it is declared, then
 * erases them so tools of different shapes sit in one list.
 */
export function toolDefiner<Context>() {
  return function defineTool<Input extends z.ZodObject, Output extends z.ZodType>(
    definition: ToolDefinition<Context, Input, Output>,
  ): ToolDefinition<Context> {
    return definition as unknown as ToolDefinition<Context>;
  };
}

export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
