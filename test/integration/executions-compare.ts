// Shared by the execution and artifact comparison tests: call one tool on the
// Python kitaru-mcp and on ours, and return what each answered.
import type { McpConnection } from '../helpers/mcp-clients.ts';

export type Answer = { error: string } | { result: unknown };

export async function answer(conn: McpConnection, name: string, args: Record<string, unknown>): Promise<Answer> {
  const res: any = await conn.client.callTool({ name, arguments: args }, undefined, { timeout: 180_000 });
  const text = (res.content ?? []).map((c: any) => c.text ?? '').join('');
  if (res.isError) return { error: text };
  return { result: res.structuredContent };
}

export async function bothAnswers(
  py: McpConnection,
  ts: McpConnection,
  name: string,
  args: Record<string, unknown>,
): Promise<{ python: Answer; ours: Answer }> {
  // Sequential on purpose: both read the same server state, one after the other.
  const python = await answer(py, name, args);
  const ours = await answer(ts, name, args);
  return { python, ours };
}
