// The case loop the test files run (the fast subset in server mode on the shared
// server and in local-database mode on a seeded store; each fixture context's
// cases on its own server): each case a subtest, ours against the Python
// kitaru-mcp, only differences explanations.ts justifies path by path tolerated,
// and every expectation of the case met. A tool ours lacks is a skipped subtest,
// by name. An ours-only case runs on ours alone, its expectations checked.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { McpConnection } from '../helpers/mcp-clients.ts';
import type { CaseContext, ConformanceCase, Context } from './case-kit.ts';
import { brief } from './compare.ts';
import { explainDifferences } from './explanations.ts';
import { listToolNames, runCase } from './runner.ts';

type Pair = { python: McpConnection; ours: McpConnection };

/**
 * How many pairs of connections a file shares its read-only cases out among:
 * `alone` when the file runs by itself (each call mostly waits, so pairs save
 * time), or KITARU_TEST_PAIRS. The test command sets it to 1: there the
 * machine's cores are busy with the other lanes, and each further pair costs
 * two Python start-ups (about 10 s of CPU, twice that on the local database).
 */
export function connectionPairs(alone: number): number {
  const set = Number(process.env.KITARU_TEST_PAIRS);
  return Number.isInteger(set) && set >= 1 ? set : alone;
}

/**
 * Each case a subtest of `t`. With several pairs of connections (all on the
 * same state) the cases are shared out among them, one case per pair at a
 * time: they change nothing, so their order does not matter, and each call
 * mostly waits on the server or the store. Give `t` a concurrency of at least
 * the number of pairs, or node:test runs the subtests one by one anyway.
 */
export async function assertCasesMatchPython(
  t: TestContext,
  cases: ConformanceCase[],
  connections: Pair | Pair[],
  ctx: CaseContext,
  options: { context?: Context; knownIds?: Set<string> } = {},
): Promise<void> {
  const pairs = Array.isArray(connections) ? connections : [connections];
  const shareable = (kase: ConformanceCase) => kase.phase !== 'mutating' && !kase.creates && !kase.capture && !kase.prepare && !kase.twin;
  if (pairs.length > 1 && !cases.every(shareable)) {
    throw new Error('only cases that change nothing can be shared out among connections');
  }
  const ourTools = await listToolNames(pairs[0]!.ours);
  const run = (knownIds: Set<string>) => ({ ourTools, ctx, knownIds, context: options.context ?? 'server' });
  // Step logs are read one at a time, before the rest is shared out: the local
  // log store fails reads made side by side (ours asks again alone, Python's
  // kitaru-mcp reports "the server log endpoint is incompatible").
  // With one pair the cases keep their order (a case may read what an earlier one made).
  const alone = pairs.length > 1 ? cases.filter((kase) => kase.tool === 'get_execution_logs') : [];
  const firstIds = pairs.length === 1 && options.knownIds ? options.knownIds : new Set<string>();
  for (const kase of alone) await assertCase(t, kase, pairs[0]!, run(firstIds));
  const queue = cases.filter((kase) => !alone.includes(kase));
  await Promise.all(
    pairs.map(async (pair, i) => {
      const knownIds = i === 0 ? firstIds : new Set<string>();
      for (let kase = queue.shift(); kase; kase = queue.shift()) await assertCase(t, kase, pair, run(knownIds));
    }),
  );
}

async function assertCase(
  t: TestContext,
  kase: ConformanceCase,
  connections: Pair,
  run: { ourTools: Set<string>; ctx: CaseContext; knownIds: Set<string>; context: Context },
): Promise<void> {
  const label = `${kase.tool} / ${kase.name}`;
  if (!run.ourTools.has(kase.tool)) {
    await t.test(label, { skip: `${kase.tool} not implemented yet (MISSING)` }, () => {});
    return;
  }
  await t.test(label, async () => {
    const r = await runCase(kase, {
      connections: { [run.context]: connections },
      ourTools: run.ourTools,
      ctx: run.ctx,
      knownIds: run.knownIds,
    });
    assert.notEqual(r.verdict, 'blocked', r.note);
    assert.ok(kase.oursOnly || r.python, 'Python was called');
    // Errors are outcomes too (compared by their text).
    const { unexplained } = explainDifferences(kase.tool, kase.name, r.differences);
    const report = unexplained.map((d) => `${d.path}: python ${brief(d.python)} vs ours ${brief(d.ours)}`).join('\n');
    assert.deepEqual(unexplained, [], `${label} differs:\n${report}`);
  });
}
