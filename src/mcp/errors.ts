// The generic half of the error policy: every failure of a tool becomes a
// message; the application says what its own errors read as, and anything
// else is our bug (its stack goes to stderr, never to the client).
// No branch formats argument values, so secrets cannot leak through here.

/** The application's part: the message for an error it knows, or undefined. */
export type DescribeError = (error: unknown) => string | undefined;

export function toolErrorText(error: unknown, toolName: string, describe: DescribeError): string {
  const known = describe(error);
  if (known !== undefined) return known;
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
