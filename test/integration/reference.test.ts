// Proves the test infrastructure against the Python reference kitaru-mcp, and
// records real tool payloads under /tmp/reference-samples for whoever needs shapes.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startKitaruServer, type KitaruServer, type SeededExecutions } from '../helpers/kitaru-server.ts';
import { callTool, connectPython, type McpConnection } from '../helpers/mcp-clients.ts';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';

const samplesDir = '/tmp/reference-samples';
mkdirSync(samplesDir, { recursive: true });
const saveSample = (name: string, payload: unknown) =>
  writeFileSync(path.join(samplesDir, `${name}.json`), JSON.stringify(payload, null, 2) + '\n');

// The run-wide seeded server, and an auth server of our own; both take 5-15s
// to come up, so they start together up front.
let local: SharedServer;
let authed: KitaruServer;
before(async () => {
  const [a, b] = await Promise.allSettled([useSharedServer(), startKitaruServer({ auth: true })]);
  if (a.status === 'fulfilled') local = a.value;
  if (b.status === 'fulfilled') authed = b.value;
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
});
after(async () => {
  await Promise.all([local?.release(), authed?.stop()]);
});

describe('Python kitaru-mcp against a real local server', () => {
  let server: KitaruServer;
  let ids: SeededExecutions;
  let mcp: McpConnection;

  before(async () => {
    ({ server, seeded: ids } = local);
    mcp = await connectPython(server);
  });

  after(async () => {
    await mcp?.close();
  });

  test('kitaru_status reports the local server', async () => {
    const status = await callTool(mcp, 'kitaru_status');
    saveSample('kitaru_status', status);
    assert.equal(status.connection, 'local Kitaru server');
    assert.equal(status.server_url, server.url);
  });

  test('executions_get: completed', async () => {
    const completed = await callTool(mcp, 'kitaru_executions_get', { exec_id: ids.completed });
    saveSample('kitaru_executions_get.completed', completed);
    assert.equal(completed.exec_id, ids.completed);
    assert.equal(completed.status, 'completed');
    assert.equal(completed.flow_name, 'completed_flow');
    assert.equal(completed.pending_wait, null);
  });

  test('executions_get: failed', async () => {
    const failed = await callTool(mcp, 'kitaru_executions_get', { exec_id: ids.failed });
    saveSample('kitaru_executions_get.failed', failed);
    assert.equal(failed.status, 'failed');
    // failure.message is the traceback's last line, i.e. the raising source line.
    assert.match(failed.failure?.message ?? '', /boom: failing_flow exploded on purpose/);
    const explode = failed.checkpoints.find((c: any) => c.name === 'explode');
    assert.equal(explode?.status, 'failed');
  });

  test('executions_get: waiting', async () => {
    const waiting = await callTool(mcp, 'kitaru_executions_get', { exec_id: ids.waiting });
    saveSample('kitaru_executions_get.waiting', waiting);
    assert.equal(waiting.status, 'waiting');
    assert.equal(waiting.pending_wait?.name, 'approve_draft');
    assert.equal(waiting.pending_wait?.question, 'Publish the draft?');
    assert.deepEqual(waiting.pending_wait?.schema, { type: 'boolean' });
  });

  test('get_execution_logs returns checkpoint output', async () => {
    const logs = await callTool(mcp, 'get_execution_logs', { exec_id: ids.completed });
    saveSample('get_execution_logs.completed', logs);
    assert.equal(typeof logs, 'string');
    assert.match(logs, /completed_flow: fetched topic 'kitaru'/);
  });

  test('artifacts_list and artifacts_get (json and repr values)', async () => {
    const artifacts = await callTool(mcp, 'kitaru_artifacts_list', { exec_id: ids.completed });
    saveSample('kitaru_artifacts_list.completed', artifacts);
    assert.ok(Array.isArray(artifacts) && artifacts.length >= 4, `expected >=4 artifacts, got ${JSON.stringify(artifacts)}`);
    const byCall = (call: string) => artifacts.find((a: any) => a.producing_call === call && a.save_type === 'step_output');

    const fetched = await callTool(mcp, 'kitaru_artifacts_get', { artifact_id: byCall('fetch').artifact_id });
    saveSample('kitaru_artifacts_get.json_value', fetched);
    assert.equal(fetched.value_format, 'json');
    assert.deepEqual(fetched.value, { topic: 'kitaru', items: [1, 2, 3] });

    const raw = await callTool(mcp, 'kitaru_artifacts_get', { artifact_id: byCall('raw_bytes').artifact_id });
    saveSample('kitaru_artifacts_get.repr_value', raw);
    assert.equal(raw.value_format, 'repr');
    assert.equal(raw.value, "b'kitaru has 3 items'");
  });
});

describe('ZenML server with OAuth2 auth', () => {
  test('API key login yields a bearer token accepted by current-user', async () => {
    const server = authed;
    assert.ok(server.apiKey);
    const anon = await fetch(`${server.url}/api/v1/current-user`);
    assert.equal(anon.status, 401);

    const login = await fetch(`${server.url}/api/v1/login`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'zenml-api-key', password: server.apiKey }),
    });
    assert.equal(login.status, 200);
    const { access_token, token_type } = (await login.json()) as any;
    assert.equal(token_type, 'bearer');
    assert.ok(access_token);

    const me = await fetch(`${server.url}/api/v1/current-user`, { headers: { authorization: `Bearer ${access_token}` } });
    assert.equal(me.status, 200);
    const user = (await me.json()) as any;
    assert.equal(user.body?.is_service_account, true);

    const bad = await fetch(`${server.url}/api/v1/login`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'zenml-api-key', password: 'ZENKEY_not-a-key' }),
    });
    assert.equal(bad.status, 401);
  });
});
