// What the Kitaru-version test files share: our server on a given Python, a
// tool call (the one helper, with a flow-long bound), and the smoke set (run,
// replay, retry, an artifact value) each supported version goes through.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { KitaruServer } from '../helpers/kitaru-server.ts';
import { callToolRaw, connectOurs, repoRoot, type McpConnection } from '../helpers/mcp-clients.ts';

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

/** The one tool-call helper, with a bound long enough for a flow on a loaded machine. */
export const call = (conn: McpConnection, name: string, args: Record<string, unknown>) =>
  callToolRaw(conn, name, args, { timeoutMs: 600_000 });

export async function smoke(conn: McpConnection, version: string): Promise<void> {
  const run = await call(conn, 'kitaru_executions_run', { target: COMPLETED, args: { topic: `kitaru-${version}` } });
  assert.equal(run.isError, false, run.text);
  assert.equal(run.structured.execution.status, 'completed');

  const replay = await call(conn, 'kitaru_executions_replay', { exec_id: run.structured.exec_id, from_: 'summarize' });
  assert.equal(replay.isError, false, replay.text);
  assert.equal(replay.structured.operation, 'replay');

  const failed = await call(conn, 'kitaru_executions_run', { target: FAILING });
  assert.equal(failed.isError, true);
  const latest = await call(conn, 'kitaru_executions_latest', { flow: 'failing_flow', status: 'failed' });
  const retry = await call(conn, 'kitaru_executions_retry', { exec_id: latest.structured.exec_id });
  // The flow fails on purpose, so the retried run fails again: Kitaru's words, not a bridge error.
  assert.match(retry.text, /boom|failed/i);
  assert.doesNotMatch(retry.text, /Python worker|without a result|cannot import/);

  const artifacts = await call(conn, 'kitaru_artifacts_list', { exec_id: run.structured.exec_id, producing_call: 'raw_bytes' });
  const rows = artifacts.structured.result ?? artifacts.structured;
  const value = await call(conn, 'kitaru_artifacts_get', { artifact_id: rows[0].artifact_id });
  assert.equal(value.isError, false, value.text);
  assert.equal(value.structured.value_format, 'repr');
  assert.equal(value.structured.value, "b'kitaru-" + version + " has 3 items'");
}
