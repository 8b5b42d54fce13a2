// Small helpers shared by the comparison tests: both answers in one shape.
import { type McpConnection, type ToolAnswer, callToolRaw } from '../helpers/mcp-clients.ts';

/** What each server answered, in one comparable shape. */
export type Answer = { error: string } | { result: unknown };

/** Calls the Python server, then ours (sequential: both read the same state). */
export async function bothAnswers(
  py: McpConnection,
  ts: McpConnection,
  name: string,
  args: Record<string, unknown>,
): Promise<{ python: Answer; ours: Answer }> {
  const asAnswer = ({ isError, text, structured }: ToolAnswer): Answer => (isError ? { error: text } : { result: structured });
  const python = asAnswer(await callToolRaw(py, name, args));
  const ours = asAnswer(await callToolRaw(ts, name, args));
  return { python, ours };
}
