// Deployment tools, ours against Python's, on one real local server.
// Read-only calls see the same state and must answer identically. Mutating
// calls run on twin flows (dep_flow_py for Python, dep_flow_ts for ours) with
// the same history, and the payloads are compared with the flow name, the
// snapshot id and the creation time normalised (the only values that differ
// between twins).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startKitaruServer, type KitaruServer } from '../helpers/kitaru-server.ts';
import { type McpConnection, callToolRaw } from '../helpers/mcp-clients.ts';
import { assertSameAnswer, connectBoth, deployWithPython } from './compare-helpers.ts';

async function rest(method: string, route: string, body?: unknown): Promise<any> {
  const res = await fetch(`${server.url}/api/v1${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await res.json();
  if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status} ${JSON.stringify(payload)}`);
  return payload;
}

const component = async (name: string, type: string, flavor: string, configuration: Record<string, unknown> = {}) =>
  (await rest('POST', '/components', { name, type, flavor, configuration })).id as string;

let server: KitaruServer;
let both: { py: McpConnection; ts: McpConnection };
let swapStackId: string;

before(async () => {
  server = await startKitaruServer();
  // Each twin gets v1 (default), v2 (prod exclusive, beta shared), v3 (beta shared).
  // dep_flow_shared is deployed on its own local stack, whose components the
  // remote-stack tests later swap for ones the server would run remotely.
  const swapStack = await rest('POST', '/stacks', {
    name: 'swap-stack',
    components: {
      orchestrator: [await component('swap-orch', 'orchestrator', 'local')],
      artifact_store: [await component('swap-art', 'artifact_store', 'local')],
    },
  });
  swapStackId = swapStack.id;
  await deployWithPython(server, 'dep_flow_shared', null, 'swap-stack');
  for (const flow of ['dep_flow_py', 'dep_flow_ts']) {
    await deployWithPython(server, flow);
    await deployWithPython(server, flow, { prod: true, beta: false });
    await deployWithPython(server, flow, { beta: false });
  }
  both = await connectBoth(server);
});

after(async () => {
  await Promise.all([both?.py.close(), both?.ts.close()]);
  await server?.stop();
});

/** Twin payloads differ only in these values. */
function twin(value: any, flow: string): any {
  const text = JSON.stringify(value ?? null)
    .replaceAll(flow, '<flow>')
    .replace(/"deployment_id":"[^"]+"/g, '"deployment_id":"<id>"')
    .replace(/"created_at":"[^"]+"/g, '"created_at":"<created>"');
  return JSON.parse(text);
}

async function sameOnTwins(name: string, args: Record<string, unknown>) {
  const py = await callToolRaw(both.py, name, { ...args, flow: 'dep_flow_py' });
  const ts = await callToolRaw(both.ts, name, { ...args, flow: 'dep_flow_ts' });
  assert.equal(ts.isError, py.isError, `${name}: isError differs\npy: ${py.text}\nts: ${ts.text}`);
  if (py.isError) assert.equal(twin(ts.text, 'dep_flow_ts'), twin(py.text, 'dep_flow_py'));
  else assert.deepEqual(twin(ts.structured, 'dep_flow_ts'), twin(py.structured, 'dep_flow_py'));
  return ts;
}

describe('read-only deployment tools', () => {
  test('list, all flows and one flow', async () => {
    const all = await assertSameAnswer(both, 'kitaru_deployments_list', {});
    assert.equal(all.structured.result.length, 7);
    const one = await assertSameAnswer(both, 'kitaru_deployments_list', { flow: 'dep_flow_py' });
    assert.deepEqual(
      one.structured.result.map((d: any) => [d.version, d.tags]),
      [
        [1, { default: true }],
        [2, { prod: true, beta: false }],
        [3, { beta: false }],
      ],
    );
    await assertSameAnswer(both, 'kitaru_deployments_list', { flow: 'nothing_here' });
    await assertSameAnswer(both, 'kitaru_deployments_list', { flow: 'a::b' });
  });

  test('get by version, by tag, by the implicit default, and the failures', async () => {
    const byVersion = await assertSameAnswer(both, 'kitaru_deployments_get', { flow: 'dep_flow_py', version: 2 });
    assert.equal(byVersion.structured.version, 2);
    assert.equal(byVersion.structured.stack, 'default');
    const byTag = await assertSameAnswer(both, 'kitaru_deployments_get', { flow: 'dep_flow_py', tag: 'prod' });
    assert.equal(byTag.structured.version, 2);
    const byDefault = await assertSameAnswer(both, 'kitaru_deployments_get', { flow: 'dep_flow_py' });
    assert.equal(byDefault.structured.version, 1);
    const ambiguous = await assertSameAnswer(both, 'kitaru_deployments_get', { flow: 'dep_flow_py', tag: 'beta' });
    assert.match(ambiguous.text, /ambiguous .* matched versions: 2, 3\./);
    for (const args of [
      { flow: 'dep_flow_py', version: 9 },
      { flow: 'dep_flow_py', tag: 'nope' },
      { flow: 'dep_flow_py', version: 1, tag: 'prod' },
      { flow: 'dep_flow_py', version: 0 },
      { flow: 'dep_flow_py', tag: '  ' },
      { flow: 'dep_flow_py', tag: 'kitaru:deployment:x' },
      { flow: '  ' },
      { flow: 'a::b' },
      { flow: 'missing_flow' },
    ]) {
      const answer = await assertSameAnswer(both, 'kitaru_deployments_get', args);
      assert.equal(answer.isError, true, JSON.stringify(args));
    }
  });

  test('invoke is refused plainly on the local server (local stack), and selector errors match', async () => {
    const refused = await assertSameAnswer(both, 'kitaru_deployments_invoke', { flow: 'dep_flow_py' });
    assert.equal(
      refused.text,
      "Error executing tool kitaru_deployments_invoke: Deployment 'dep_flow_py' v1 was created from stack 'default', " +
        'which the Kitaru server cannot execute remotely. Rebuild the deployment using a stack the Kitaru server can ' +
        'execute remotely before invoking it.',
    );
    await assertSameAnswer(both, 'kitaru_deployments_invoke', { flow: 'dep_flow_py', version: 2, inputs: { x: 5 } });
    await assertSameAnswer(both, 'kitaru_deployments_invoke', { flow: 'dep_flow_py', tag: 'beta' });
    await assertSameAnswer(both, 'kitaru_deployments_invoke', { flow: 'missing_flow' });
    await assertSameAnswer(both, 'kitaru_deployments_invoke', { flow: 'dep_flow_py', version: 1, tag: 'x' });
  });
});

describe('mutating deployment tools, on twin flows', () => {
  test('delete is refused under an exclusive tag', async () => {
    const refused = await sameOnTwins('kitaru_deployments_delete', { version: 2 });
    assert.match(refused.text, /while it holds exclusive tag\(s\): prod\.$/);
    await sameOnTwins('kitaru_deployments_delete', { version: 1 });
  });

  test('untag default is refused; untag an absent tag is a no-op', async () => {
    const refused = await sameOnTwins('kitaru_deployments_untag', { version: 1, tag: 'default' });
    assert.equal(refused.isError, true);
    const noop = await sameOnTwins('kitaru_deployments_untag', { version: 1, tag: 'never-there' });
    assert.deepEqual(noop.structured.tags, { default: true });
  });

  test('an exclusive tag moves to exactly one version; a shared tag stays on several', async () => {
    const moved = await sameOnTwins('kitaru_deployments_tag', { version: 3, tag: 'prod', exclusive: true });
    assert.deepEqual(moved.structured.tags, { beta: false, prod: true });
    const listed = await sameOnTwins('kitaru_deployments_list', {});
    const mine = listed.structured.result.filter((d: any) => d.flow === 'dep_flow_ts');
    assert.deepEqual(
      mine.map((d: any) => [d.version, d.tags]),
      [
        [1, { default: true }],
        [2, { beta: false }],
        [3, { beta: false, prod: true }],
      ],
    );
    const shared = await sameOnTwins('kitaru_deployments_tag', { version: 1, tag: 'beta' });
    assert.deepEqual(shared.structured.tags, { beta: false, default: true });
    // `default` is always exclusive, even when asked otherwise, and moves.
    const def = await sameOnTwins('kitaru_deployments_tag', { version: 2, tag: 'default', exclusive: false });
    assert.deepEqual(def.structured.tags, { beta: false, default: true });
    // A shared tag made exclusive takes the exclusive form (and leaves other versions).
    const upgraded = await sameOnTwins('kitaru_deployments_tag', { version: 1, tag: 'beta', exclusive: true });
    assert.deepEqual(upgraded.structured.tags, { beta: true });
    for (const args of [
      { version: 9, tag: 'x' },
      { version: 1, tag: 'kitaru:deployment:tag:x' },
      { version: 1, tag: ' ' },
      { version: 0, tag: 'x' },
    ]) {
      const answer = await sameOnTwins('kitaru_deployments_tag', args);
      assert.equal(answer.isError, true, JSON.stringify(args));
    }
  });

  test('delete is allowed once the exclusive tags are gone', async () => {
    // v1 holds the exclusive `beta` now; untag it, then delete.
    const untagged = await sameOnTwins('kitaru_deployments_untag', { version: 1, tag: 'beta' });
    assert.deepEqual(untagged.structured.tags, {});
    const deleted = await sameOnTwins('kitaru_deployments_delete', { version: 1 });
    assert.deepEqual(deleted.structured, { flow: 'dep_flow_ts', version: 1, deleted: true });
    await sameOnTwins('kitaru_deployments_get', { version: 1 });
    // With v1 gone and `default` on v2, the implicit default still resolves.
    const def = await sameOnTwins('kitaru_deployments_get', {});
    assert.equal(def.structured.version, 2);
  });

  test('invoke of a flow without deployments says so', async () => {
    const answer = await assertSameAnswer(both, 'kitaru_deployments_invoke', { flow: 'dep_flow_nothing' });
    assert.match(answer.text, /No deployments found for flow 'dep_flow_nothing'\. Deploy this flow first/);
  });
});

describe('invoke on a stack the server could run remotely', () => {
  const swap = (components: Record<string, string[]>) => rest('PUT', `/stacks/${swapStackId}`, { components });

  test('a local server without a workload manager says it cannot run snapshots', async () => {
    await swap({
      orchestrator: [await component('remote-orch', 'orchestrator', 'kubernetes')],
      artifact_store: [await component('remote-art', 'artifact_store', 's3', { path: 's3://bucket' })],
    });
    const answer = await assertSameAnswer(both, 'kitaru_deployments_invoke', { flow: 'dep_flow_shared', inputs: { x: 4 } });
    assert.equal(
      answer.text,
      "Error executing tool kitaru_deployments_invoke: Failed to invoke deployment 'dep_flow_shared' v1: " +
        'Running a snapshot is not supported for this server.',
    );
  });

  test('config-dependent local components are refused like Python refuses them', async () => {
    const remoteArt = await component('remote-art-2', 'artifact_store', 's3', { path: 's3://bucket' });
    await swap({
      orchestrator: [await component('k8s-local', 'orchestrator', 'kubernetes', { local: true })],
      artifact_store: [remoteArt],
    });
    const k8sLocal = await assertSameAnswer(both, 'kitaru_deployments_invoke', { flow: 'dep_flow_shared' });
    assert.match(k8sLocal.text, /was created from stack 'swap-stack', which the Kitaru server cannot execute remotely/);
    await swap({
      orchestrator: [await component('k8s-remote', 'orchestrator', 'kubernetes', { local: false })],
      artifact_store: [remoteArt],
      container_registry: [await component('localhost-registry', 'container_registry', 'default', { uri: 'localhost:5000' })],
    });
    const registry = await assertSameAnswer(both, 'kitaru_deployments_invoke', { flow: 'dep_flow_shared' });
    assert.match(registry.text, /cannot execute remotely/);
    // Airflow's `local` defaults to True: left unset, the orchestrator counts as local.
    await swap({ orchestrator: [await component('airflow-default', 'orchestrator', 'airflow')], artifact_store: [remoteArt] });
    const airflow = await assertSameAnswer(both, 'kitaru_deployments_invoke', { flow: 'dep_flow_shared' });
    assert.match(airflow.text, /was created from stack 'swap-stack', which the Kitaru server cannot execute remotely/);
  });
});
