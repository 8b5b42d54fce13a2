// Deploy and invoke succeed end to end, ours beside Python's, on a real local
// server with the remote test stack (test/helpers/remote-stack.ts) and the
// recording workload manager. The full deployment sequence (tags, delete, ...)
// is in the conformance cases; this is the small subset `npm test` runs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startKitaruServer, type KitaruServer } from '../helpers/kitaru-server.ts';
import { callToolRaw as rawCall, type McpConnection } from '../helpers/mcp-clients.ts';
import { deployDepsInstalled, startRemoteStack, type RemoteStack } from '../helpers/remote-stack.ts';
import { connectBoth } from './compare-helpers.ts';

const skip = deployDepsInstalled() ? false : '.venv-deploy/ missing: run scripts/setup-deploy-deps.sh';
let server: KitaruServer;
let remote: RemoteStack;
let both: { py: McpConnection; ts: McpConnection };

before(async () => {
  if (skip) return;
  server = await startKitaruServer({ workloadManager: true });
  remote = await startRemoteStack(server);
  both = await connectBoth({ env: remote.env });
});

after(async () => {
  await Promise.allSettled([both?.py.close(), both?.ts.close()]);
  await remote?.stop();
  await server?.stop();
});

// The manager writes its file on the first workload only.
const workloads = () =>
  (existsSync(server.workloadLog as string) ? readFileSync(server.workloadLog as string, 'utf8') : '')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; arguments?: string[] });

/** The twin flow of a side, and its payloads with the values that differ between twins replaced. */
const flowOf = (side: 'py' | 'ts') => `conf_deploy_${side}`;
const twin = (value: unknown, side: 'py' | 'ts') =>
  JSON.parse(
    JSON.stringify(value)
      .replaceAll(flowOf(side), '<flow>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
      .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?/g, '<time>'),
  );

async function onBoth(name: string, args: (side: 'py' | 'ts') => Record<string, unknown>) {
  const py = await rawCall(both.py, name, args('py'));
  const ts = await rawCall(both.ts, name, args('ts'));
  assert.equal(py.isError, false, `python ${name}: ${py.text}`);
  assert.equal(ts.isError, false, `ours ${name}: ${ts.text}`);
  assert.deepEqual(twin(ts.structured, 'ts'), twin(py.structured, 'py'), `${name}: payloads differ`);
  return { py: py.structured, ts: ts.structured };
}

test('deploy on the remote stack gives version 1 with the default tag, on both servers', { skip }, async () => {
  const deployed = await onBoth('kitaru_deployments_deploy', (side) => ({
    target: `${path.join(remote.projectDir, 'remote_deploy_flows.py')}:${flowOf(side)}`,
    inputs: { x: 3 },
    stack: remote.stack,
    image: remote.image,
  }));
  assert.equal(deployed.ts.version, 1);
  assert.deepEqual(deployed.ts.tags, { default: true });
  assert.equal(deployed.ts.stack, remote.stack);
});

test('invoke starts an execution through the server, visible with executions_get', { skip }, async () => {
  const before = workloads().filter((w) => w.event === 'run').length;
  const invoked = await onBoth('kitaru_deployments_invoke', (side) => ({ flow: flowOf(side), inputs: { x: 7 } }));
  for (const side of ['py', 'ts'] as const) {
    const execId = invoked[side].exec_id as string;
    assert.match(execId, /^[0-9a-f-]{36}$/);
    const got = await rawCall(both[side], 'kitaru_executions_get', { exec_id: execId });
    assert.equal(got.isError, false, got.text);
    assert.equal(got.structured.exec_id, execId);
    assert.equal(got.structured.flow_name, flowOf(side));
  }
  // One runner workload per invoke, each naming its run; the server does this after answering.
  const deadline = Date.now() + 30_000;
  let runs = workloads()
    .filter((w) => w.event === 'run')
    .slice(before);
  while (runs.length < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    runs = workloads()
      .filter((w) => w.event === 'run')
      .slice(before);
  }
  assert.equal(runs.length, 2);
  for (const side of ['py', 'ts'] as const) {
    assert.ok(
      runs.some((w) => (w.arguments ?? []).includes(invoked[side].exec_id)),
      `no runner workload for ${side}'s run ${invoked[side].exec_id}`,
    );
  }
});
