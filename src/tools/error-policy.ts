// The error policy, in one place. Every failure becomes an isError result whose
// text is "Error executing tool <name>: <message>", as in Python's kitaru-mcp:
// - Kitaru errors (usage, state, backend...) show their message unchanged.
// - Server answers (ZenmlApiError) show the server's own message.
// - An unreachable or slow server says which URL and what to do.
// - Anything else is our bug: the message is shown and the stack goes to stderr.
// No branch ever formats argument values, so secrets cannot leak through here.
import { ZenmlApiError, ZenmlConnectionError } from '../http/errors.ts';
import { ZenmlResponseShapeError } from '../http/parse.ts';
import { KitaruError } from '../kitaru/errors.ts';

export function errorText(error: unknown, toolName: string): string {
  // A server answering out of shape is the server's failure, reported as such, not our bug.
  if (error instanceof KitaruError || error instanceof ZenmlConnectionError || error instanceof ZenmlResponseShapeError) return error.message;
  if (error instanceof ZenmlApiError) return error.pythonText();
  if (error instanceof Error) {
    if (error.name === 'AbortError') return 'The call was cancelled.';
    process.stderr.write(`kitaru-mcp: unexpected error in ${toolName}: ${error.stack ?? error.message}\n`);
    return error.message;
  }
  return String(error);
}

/**
 * A JSON-RPC error for prompts and resources (they have no isError results).
 * Not McpError: its message carries an "MCP error <code>:" prefix, which the
 * client's McpError would then repeat.
 */
export function protocolError(code: number, message: string, data?: unknown): Error {
  return Object.assign(new Error(message), { code, ...(data === undefined ? {} : { data }) });
}
