// Deployment cases on the `deployments` fixture (fixtures.ts): a local server with
// deployments made by the reference Python. Reads see the same state on both
// sides and compare raw. Changes run on twin flows, dep_flow_py for Python and
// dep_flow_ts for ours, with the same history (`twin`: the flow name, ids and
// creation times normalised, the only values that differ between twins). Invoke
// is refused on the local stack; later cases swap the components of
// dep_flow_shared's stack for ones the server would run remotely.
import assert from 'node:assert/strict';
import { type CaseContext, type ConformanceCase, c, errorOf, okPayload } from './case-kit.ts';
import type { CallOutcome, Side } from './compare.ts';
import { component, rest } from './fixtures.ts';

const twinFlow = (side: Side) => (side === 'py' ? 'dep_flow_py' : 'dep_flow_ts');

type Expect = ConformanceCase['expect'];
const dep = (tool: string, name: string, args: Record<string, unknown>, extra: Partial<ConformanceCase> = {}) =>
  c(tool, name, 'read', () => args, { context: 'deployments', ...extra });
const onTwins = (tool: string, name: string, args: Record<string, unknown>, expect?: Expect) =>
  c(tool, name, 'mutating', (_x, side) => ({ ...args, flow: twinFlow(side) }), { context: 'deployments', twin: true, expect });

const fails: Expect = (outcome) => void errorOf(outcome);
const failsWith =
  (pattern: RegExp): Expect =>
  (outcome) =>
    assert.match(errorOf(outcome), pattern);
const says =
  (text: string): Expect =>
  (outcome) =>
    assert.equal(errorOf(outcome), text);
const field =
  (key: string, value: unknown): Expect =>
  (outcome) =>
    assert.deepEqual(okPayload(outcome)[key], value);
const versionsAndTags =
  (expected: [number, Record<string, boolean>][]): Expect =>
  (outcome) =>
    assert.deepEqual(
      okPayload(outcome).map((d: { version: number; tags: Record<string, boolean> }) => [d.version, d.tags]),
      expected,
    );

/** Puts these components on dep_flow_shared's stack (found by name), through REST. */
const swapTo = (make: (url: string) => Promise<Record<string, string[]>>) => async (ctx: CaseContext) => {
  const url = ctx.server?.url;
  if (!url) throw new Error('the deployments fixture has no server');
  const stacks = await rest(url, 'GET', '/stacks?name=swap-stack');
  await rest(url, 'PUT', `/stacks/${stacks.items[0].id}`, { components: await make(url) });
};
const s3 = (url: string, name: string) => component(url, name, 'artifact_store', 's3', { path: 's3://bucket' });
const cannotRunRemotely = failsWith(/was created from stack 'swap-stack', which the Kitaru server cannot execute remotely/);

export const DEPLOYMENT_CASES: ConformanceCase[] = [
  dep('kitaru_deployments_list', 'all flows', {}, { expect: (o) => assert.equal(okPayload(o).length, 7) }),
  dep(
    'kitaru_deployments_list',
    'one flow',
    { flow: 'dep_flow_py' },
    {
      expect: versionsAndTags([
        [1, { default: true }],
        [2, { prod: true, beta: false }],
        [3, { beta: false }],
      ]),
    },
  ),
  dep('kitaru_deployments_list', 'no such flow', { flow: 'nothing_here' }),
  dep('kitaru_deployments_list', 'flow with ::', { flow: 'a::b' }),
  dep(
    'kitaru_deployments_get',
    'v2 by version',
    { flow: 'dep_flow_py', version: 2 },
    { expect: (o) => assert.deepEqual([okPayload(o).version, okPayload(o).stack], [2, 'default']) },
  ),
  dep('kitaru_deployments_get', 'v2 by tag prod', { flow: 'dep_flow_py', tag: 'prod' }, { expect: field('version', 2) }),
  dep('kitaru_deployments_get', 'v1 as the implicit default', { flow: 'dep_flow_py' }, { expect: field('version', 1) }),
  dep(
    'kitaru_deployments_get',
    'ambiguous tag',
    { flow: 'dep_flow_py', tag: 'beta' },
    { expect: failsWith(/ambiguous .* matched versions: 2, 3\./) },
  ),
  ...[
    ['unknown version', { flow: 'dep_flow_py', version: 9 }],
    ['unknown tag', { flow: 'dep_flow_py', tag: 'nope' }],
    ['both version and tag', { flow: 'dep_flow_py', version: 1, tag: 'prod' }],
    ['version 0 of a deployed flow', { flow: 'dep_flow_py', version: 0 }],
    ['blank tag', { flow: 'dep_flow_py', tag: '  ' }],
    ['kitaru tag namespace', { flow: 'dep_flow_py', tag: 'kitaru:deployment:x' }],
    ['blank flow', { flow: '  ' }],
    ['a flow name with ::', { flow: 'a::b' }],
    ['flow without deployments', { flow: 'missing_flow' }],
  ].map(([name, args]) => dep('kitaru_deployments_get', name as string, args as Record<string, unknown>, { expect: fails })),
  dep(
    'kitaru_deployments_invoke',
    'local stack',
    { flow: 'dep_flow_py' },
    {
      expect: says(
        "Error executing tool kitaru_deployments_invoke: Deployment 'dep_flow_py' v1 was created from stack 'default', " +
          'which the Kitaru server cannot execute remotely. Rebuild the deployment using a stack the Kitaru server can ' +
          'execute remotely before invoking it.',
      ),
    },
  ),
  dep('kitaru_deployments_invoke', 'by version with inputs, local stack', { flow: 'dep_flow_py', version: 2, inputs: { x: 5 } }),
  dep('kitaru_deployments_invoke', 'ambiguous tag', { flow: 'dep_flow_py', tag: 'beta' }),
  dep('kitaru_deployments_invoke', 'flow without deployments', { flow: 'missing_flow' }),
  dep('kitaru_deployments_invoke', 'both version and tag', { flow: 'dep_flow_py', version: 1, tag: 'x' }),

  // ---- changes, each side on its twin
  onTwins('kitaru_deployments_delete', 'under an exclusive tag', { version: 2 }, failsWith(/while it holds exclusive tag\(s\): prod\.$/)),
  onTwins('kitaru_deployments_delete', 'holding the default tag', { version: 1 }),
  onTwins('kitaru_deployments_untag', 'default refused', { version: 1, tag: 'default' }, fails),
  onTwins('kitaru_deployments_untag', 'absent tag is a no-op', { version: 1, tag: 'never-there' }, field('tags', { default: true })),
  // An exclusive tag moves to exactly one version; a shared tag stays on several.
  onTwins(
    'kitaru_deployments_tag',
    'move exclusive prod',
    { version: 3, tag: 'prod', exclusive: true },
    field('tags', { beta: false, prod: true }),
  ),
  onTwins(
    'kitaru_deployments_list',
    'after the exclusive move',
    {},
    versionsAndTags([
      [1, { default: true }],
      [2, { beta: false }],
      [3, { beta: false, prod: true }],
    ]),
  ),
  onTwins('kitaru_deployments_tag', 'shared beta on v1', { version: 1, tag: 'beta' }, field('tags', { beta: false, default: true })),
  // `default` is always exclusive, even when asked otherwise, and moves.
  onTwins(
    'kitaru_deployments_tag',
    'default is always exclusive',
    { version: 2, tag: 'default', exclusive: false },
    field('tags', { beta: false, default: true }),
  ),
  // A shared tag made exclusive takes the exclusive form (and leaves other versions).
  onTwins(
    'kitaru_deployments_tag',
    'shared tag made exclusive',
    { version: 1, tag: 'beta', exclusive: true },
    field('tags', { beta: true }),
  ),
  onTwins('kitaru_deployments_tag', 'unknown version', { version: 9, tag: 'x' }, fails),
  onTwins('kitaru_deployments_tag', 'kitaru tag namespace on a twin', { version: 1, tag: 'kitaru:deployment:tag:x' }, fails),
  onTwins('kitaru_deployments_tag', 'blank tag', { version: 1, tag: ' ' }, fails),
  onTwins('kitaru_deployments_tag', 'version 0', { version: 0, tag: 'x' }, fails),
  // Delete is allowed once the exclusive tags are gone (v1 holds the exclusive `beta` now).
  onTwins('kitaru_deployments_untag', 'exclusive beta', { version: 1, tag: 'beta' }, field('tags', {})),
  onTwins('kitaru_deployments_delete', 'v1 after untag', { version: 1 }, (outcome: CallOutcome, _x, side) =>
    assert.deepEqual(okPayload(outcome), { flow: twinFlow(side), version: 1, deleted: true }),
  ),
  onTwins('kitaru_deployments_get', 'deleted version', { version: 1 }),
  // With v1 gone and `default` on v2, the implicit default still resolves.
  onTwins('kitaru_deployments_get', 'default after delete', {}, field('version', 2)),
  dep(
    'kitaru_deployments_invoke',
    'no deployments, deploy first',
    { flow: 'dep_flow_nothing' },
    { expect: failsWith(/No deployments found for flow 'dep_flow_nothing'\. Deploy this flow first/) },
  ),

  // ---- invoke on a stack the server could run remotely (dep_flow_shared's stack, swapped)
  dep(
    'kitaru_deployments_invoke',
    'remote stack, no workload manager',
    { flow: 'dep_flow_shared', inputs: { x: 4 } },
    {
      prepare: swapTo(async (url) => ({
        orchestrator: [await component(url, 'remote-orch', 'orchestrator', 'kubernetes')],
        artifact_store: [await s3(url, 'remote-art')],
      })),
      expect: says(
        "Error executing tool kitaru_deployments_invoke: Failed to invoke deployment 'dep_flow_shared' v1: " +
          'Running a snapshot is not supported for this server.',
      ),
    },
  ),
  // Config-dependent local components are refused as Python refuses them.
  dep(
    'kitaru_deployments_invoke',
    'kubernetes orchestrator with local: true',
    { flow: 'dep_flow_shared' },
    {
      prepare: swapTo(async (url) => ({
        orchestrator: [await component(url, 'k8s-local', 'orchestrator', 'kubernetes', { local: true })],
        artifact_store: [await s3(url, 'remote-art-2')],
      })),
      expect: cannotRunRemotely,
    },
  ),
  dep(
    'kitaru_deployments_invoke',
    'localhost container registry',
    { flow: 'dep_flow_shared' },
    {
      prepare: swapTo(async (url) => ({
        orchestrator: [await component(url, 'k8s-remote', 'orchestrator', 'kubernetes', { local: false })],
        artifact_store: [await s3(url, 'remote-art-3')],
        container_registry: [await component(url, 'localhost-registry', 'container_registry', 'default', { uri: 'localhost:5000' })],
      })),
      expect: failsWith(/cannot execute remotely/),
    },
  ),
  // Airflow's `local` defaults to True: left unset, the orchestrator counts as local.
  dep(
    'kitaru_deployments_invoke',
    'airflow orchestrator, local by default',
    { flow: 'dep_flow_shared' },
    {
      prepare: swapTo(async (url) => ({
        orchestrator: [await component(url, 'airflow-default', 'orchestrator', 'airflow')],
        artifact_store: [await s3(url, 'remote-art-4')],
      })),
      expect: cannotRunRemotely,
    },
  ),
];
