// Small helpers shared by the deployment, secret and stack comparison tests:
// our server from sources, raw tool calls (isError kept), and deployments made
// with the reference Python.
import assert from 'node:assert/strict';
import path from 'node:path';
import { flowsDir, run, venvPython, type KitaruServer } from '../helpers/kitaru-server.ts';
import type { McpConnection } from '../helpers/mcp-clients.ts';

export interface RawResult {
  isError: boolean;
  text: string;
  structured: any;
}

export { connectBoth, connectOurs } from '../helpers/mcp-clients.ts';

export async function rawCall(conn: McpConnection, name: string, args: Record<string, unknown>): Promise<RawResult> {
  const res: any = await conn.client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
  const text = (res.content ?? [])
    .filter((c: any) => c.type === 'text')
    .map((c: any) => c.text)
    .join('\n');
  return { isError: res.isError === true, text, structured: res.structuredContent };
}

/** Calls both servers with the same arguments and asserts the same outcome. */
export async function assertSameAnswer(
  both: { py: McpConnection; ts: McpConnection },
  name: string,
  args: Record<string, unknown>,
  normalize: (value: any) => any = (value) => value,
): Promise<RawResult> {
  const [py, ts] = [await rawCall(both.py, name, args), await rawCall(both.ts, name, args)];
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
