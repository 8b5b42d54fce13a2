// The Kitaru versions we drive: a short smoke set (run, replay, retry, an
// artifact value) per supported version, each in its own cached venv
// (scripts/setup-kitaru-versions.sh), and the plain refusal of a 0.2x
// install by every Python-side tool, with status/info carrying the warning.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { useSharedServer, type SharedServer } from '../helpers/shared.ts';
import { connectOurs, repoRoot, venvPython, type McpConnection } from '../helpers/mcp-clients.ts';

const venv = (version: string) => path.join(repoRoot, `.venv-kitaru-${version}`, 'bin', 'python');
const missing = (version: string) =>
  fs.existsSync(venv(version)) ? false : `.venv-kitaru-${version} is missing: run scripts/setup-kitaru-versions.sh ${version}`;

const COMPLETED = 'test/flows/completed_flow.py:completed_flow';
const FAILING = 'test/flows/failing_flow.py:failing_flow';

let fx: SharedServer;
const open: McpConnection[] = [];

before(async () => {
  fx = await useSharedServer({ own: true });
});

after(async () => {
  await Promise.allSettled(open.map((c) => c.close()));
  await fx?.release();
});

async function connect(python: string): Promise<McpConnection> {
  const conn = await connectOurs(fx.server, { KITARU_PYTHON: python, KITARU_MCP_CALL_BOUND_SECONDS: '600' });
  open.push(conn);
  return conn;
}

async function call(
  conn: McpConnection,
  name: string,
  args: Record<string, unknown>,
): Promise<{ isError: boolean; text: string; payload: any }> {
  const res: any = await conn.client.callTool({ name, arguments: args }, undefined, { timeout: 600_000 });
  const text = (res.content ?? []).map((c: any) => c.text ?? '').join('');
  return { isError: res.isError === true, text, payload: res.structuredContent };
}

async function smoke(python: string, version: string): Promise<void> {
  const conn = await connect(python);
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

describe('supported Kitaru versions: run, replay, retry, artifact value', () => {
  test('kitaru 0.15.0 (the pinned reference)', () => smoke(venvPython, '0.15'));
  test('kitaru 0.11.0 (the oldest supported)', { skip: missing('0.11') }, () => smoke(venv('0.11'), '0.11'));
  test('kitaru 0.18.0 (the newest supported)', { skip: missing('0.18') }, () => smoke(venv('0.18'), '0.18'));
});

describe('an unsupported Kitaru (0.2x)', { skip: missing('0.27') }, () => {
  test('every Python-side tool says which version it found, what we support and what to do', async () => {
    const conn = await connect(venv('0.27'));
    const calls: [string, Record<string, unknown>][] = [
      ['kitaru_executions_run', { target: COMPLETED }],
      ['kitaru_executions_replay', { exec_id: fx.seeded.completed, from_: 'summarize' }],
      ['kitaru_executions_retry', { exec_id: fx.seeded.failed }],
      ['kitaru_clean_preview', {}],
    ];
    for (const [name, args] of calls) {
      const outcome = await call(conn, name, args);
      assert.equal(outcome.isError, true, name);
      assert.match(outcome.text, /has kitaru 0\.27\.\d+; kitaru-mcp supports kitaru 0\.11\.0 to 0\.18\.x/, name);
      assert.match(outcome.text, /KITARU_PYTHON/, name);
      assert.doesNotMatch(outcome.text, /_flow_loading|kitaru\._env/, name);
    }
  });

  test('kitaru_status and kitaru_info carry the warning, read from metadata', async () => {
    const conn = await connect(venv('0.27'));
    for (const name of ['kitaru_status', 'kitaru_info']) {
      const outcome = await call(conn, name, {});
      assert.equal(outcome.isError, false, outcome.text);
      assert.match(String(outcome.payload.warning), /kitaru 0\.27\.\d+; kitaru-mcp supports/);
      assert.match(String(outcome.payload.sdk_version), /^0\.27\./);
    }
  });
});
