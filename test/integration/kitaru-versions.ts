// What the Kitaru-version test files share: our server on a given Python, a
// tool call that keeps the text and the payload, and the smoke set (run,
// replay, retry, an artifact value) each supported version goes through.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { KitaruServer } from '../helpers/kitaru-server.ts';
import { connectOurs, repoRoot, type McpConnection } from '../helpers/mcp-clients.ts';

export const venv = (version: string) => path.join(repoRoot, `.venv-kitaru-${version}`, 'bin', 'python');
export const missing = (version: string) =>
  fs.existsSync(venv(version)) ? false : `.venv-kitaru-${version} is missing: run scripts/setup-kitaru-versions.sh ${version}`;

export const COMPLETED = 'test/flows/completed_flow.py:completed_flow';
const FAILING = 'test/flows/failing_flow.py:failing_flow';

/** Our server on `python`; every connection made is closed by closeAll(). */
export class VersionClients {
  private readonly open: McpConnection[] = [];

  async connect(server: Pick<KitaruServer, 'env'>, python: string): Promise<McpConnection> {
    const conn = await connectOurs(server, { KITARU_PYTHON: python, KITARU_MCP_CALL_BOUND_SECONDS: '600' });
    this.open.push(conn);
    return conn;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.open.map((c) => c.close()));
  }
}

export async function call(
  conn: McpConnection,
  name: string,
  args: Record<string, unknown>,
): Promise<{ isError: boolean; text: string; payload: any }> {
  const res: any = await conn.client.callTool({ name, arguments: args }, undefined, { timeout: 600_000 });
  const text = (res.content ?? []).map((c: any) => c.text ?? '').join('');
  return { isError: res.isError === true, text, payload: res.structuredContent };
}

export async function smoke(conn: McpConnection, version: string): Promise<void> {
  const run = await call(conn, 'kitaru_executions_run', { target: COMPLETED, args: { topic: `kitaru-${version}` } });
  assert.equal(run.isError, false, run.text);
  assert.equal(run.payload.execution.status, 'completed');

  const replay = await call(conn, 'kitaru_executions_replay', { exec_id: run.payload.exec_id, from_: 'summarize' });
  assert.equal(replay.isError, false, replay.text);
  assert.equal(replay.payload.operation, 'replay');

  const failed = await call(conn, 'kitaru_executions_run', { target: FAILING });
  assert.equal(failed.isError, true);
  const latest = await call(conn, 'kitaru_executions_latest', { flow: 'failing_flow', status: 'failed' });
  const retry = await call(conn, 'kitaru_executions_retry', { exec_id: latest.payload.exec_id });
  // The flow fails on purpose, so the retried run fails again: Kitaru's words, not a bridge error.
  assert.match(retry.text, /boom|failed/i);
  assert.doesNotMatch(retry.text, /Python worker|without a result|cannot import/);

  const artifacts = await call(conn, 'kitaru_artifacts_list', { exec_id: run.payload.exec_id, producing_call: 'raw_bytes' });
  const rows = artifacts.payload.result ?? artifacts.payload;
  const value = await call(conn, 'kitaru_artifacts_get', { artifact_id: rows[0].artifact_id });
  assert.equal(value.isError, false, value.text);
  assert.equal(value.payload.value_format, 'repr');
  assert.equal(value.payload.value, "b'kitaru-" + version + " has 3 items'");
}
