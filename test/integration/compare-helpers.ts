// Small helpers shared by the comparison tests: both answers in one shape,
// the same-answer assertion, and deployments made with the reference Python.
import assert from 'node:assert/strict';
import path from 'node:path';
import { flowsDir, run, venvPython, type KitaruServer } from '../helpers/kitaru-server.ts';
import { type McpConnection, type ToolAnswer, callToolRaw } from '../helpers/mcp-clients.ts';

export { connectBoth, connectOurs } from '../helpers/mcp-clients.ts';

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

/** Calls both servers with the same arguments and asserts the same outcome. */
export async function assertSameAnswer(
  both: { py: McpConnection; ts: McpConnection },
  name: string,
  args: Record<string, unknown>,
  normalize: (value: any) => any = (value) => value,
): Promise<ToolAnswer> {
  const [py, ts] = [await callToolRaw(both.py, name, args), await callToolRaw(both.ts, name, args)];
  assert.equal(ts.isError, py.isError, `${name} ${JSON.stringify(args)}: isError differs\npy: ${py.text}\nts: ${ts.text}`);
  if (py.isError) assert.equal(ts.text, py.text, `${name} ${JSON.stringify(args)}: error text differs`);
  else assert.deepEqual(normalize(ts.structured), normalize(py.structured), `${name} ${JSON.stringify(args)}: payload differs`);
  return ts;
}

export async function deployWithPython(server: KitaruServer, flow: string, tags: Record<string, boolean> | null = null, stack?: string) {
  const args = [path.join(flowsDir, 'deployment_flow.py'), flow, JSON.stringify(tags), ...(stack ? [stack] : [])];
  const res = await run(venvPython, args, {
    env: server.env,
    timeoutMs: 180_000,
  });
  const line = res.stdout.split('\n').find((l) => l.startsWith('DEPLOYED '));
  if (res.code !== 0 || line === undefined) throw new Error(`deploy of ${flow} failed (exit ${res.code}):\n${res.stderr.slice(-3000)}`);
  return JSON.parse(line.slice('DEPLOYED '.length)) as { flow: string; version: number; tags: Record<string, boolean> };
}
