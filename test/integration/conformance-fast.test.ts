// Fast conformance subset: the read-only cases of test/conformance/cases.ts on the
// seeded executions, asserting ours answers exactly as the Python kitaru-mcp does.
// Tools ours does not implement yet are reported as skipped subtests (by name),
// never silently dropped. The full run is `npm run conformance`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CASES, type CaseContext } from '../conformance/cases.ts';
import { MANAGE_STACK_REFUSALS } from '../conformance/cases-manage-stack.ts';
import { assertCasesMatchPython, connectionPairs } from '../conformance/fast-cases.ts';
import { newCaseContext } from '../conformance/runner.ts';
import { connectOurs, connectPython, type McpConnection } from '../helpers/mcp-clients.ts';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';

// Pairs of connections the cases are shared out among (they change nothing,
// and each call mostly waits on the server).
const PAIRS = connectionPairs(2);

let fx: SharedServer;
let pairs: { python: McpConnection; ours: McpConnection }[] = [];
let ctx: CaseContext;

before(async () => {
  fx = await useSharedServer();
  pairs = await Promise.all(
    Array.from({ length: PAIRS }, async () => {
      const [python, ours] = await Promise.all([connectPython(fx.server), connectOurs(fx.server)]);
      return { python, ours };
    }),
  );
  ctx = await newCaseContext(pairs[0]!.python, fx.seeded, fx.server);
});

after(async () => {
  await Promise.allSettled(pairs.flatMap((pair) => [pair.python.close(), pair.ours.close()]));
  await fx?.release();
});

const FAST = CASES.filter((c) => c.fast && !c.oursOnly && (c.context ?? 'server') === 'server');

test('fast subset covers several tools', () => {
  assert.ok(new Set(FAST.map((c) => c.tool)).size >= 8);
});

test('every case has its own name within its tool (explanations and reports are keyed by it)', () => {
  const keys = CASES.map((c) => `${c.tool}/${c.name}`);
  assert.deepEqual(
    keys.filter((key, i) => keys.indexOf(key) !== i),
    [],
  );
});

test('the manage_stack refusals of the unit table are cases (more than 40 reach both servers)', () => {
  assert.ok(MANAGE_STACK_REFUSALS >= 40, `${MANAGE_STACK_REFUSALS} refusals`);
});

test('read-only tools answer exactly like the Python kitaru-mcp', { concurrency: PAIRS }, async (t) => {
  await assertCasesMatchPython(t, FAST, pairs, ctx);
});
