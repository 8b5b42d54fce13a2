// The case loop both fast conformance files run (server mode on the shared
// server, local-database mode on a seeded store): each case a subtest, ours
// against the Python kitaru-mcp, only differences explanations.ts justifies
// path by path tolerated. A tool ours lacks is a skipped subtest, by name.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { McpConnection } from '../helpers/mcp-clients.ts';
import type { CaseContext, ConformanceCase } from './cases.ts';
import { brief } from './compare.ts';
import { explainDifferences } from './explanations.ts';
import { listToolNames, runCase } from './runner.ts';

type Pair = { python: McpConnection; ours: McpConnection };

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
): Promise<void> {
  const pairs = Array.isArray(connections) ? connections : [connections];
  if (pairs.length > 1 && cases.some((kase) => kase.phase === 'mutating' || kase.creates || kase.capture)) {
    throw new Error('only cases that change nothing can be shared out among connections');
  }
  const ourTools = await listToolNames(pairs[0]!.ours);
  const queue = [...cases];
  await Promise.all(
    pairs.map(async (pair) => {
      const knownIds = new Set<string>();
      for (let kase = queue.shift(); kase; kase = queue.shift()) await assertCase(t, kase, pair, ourTools, ctx, knownIds);
    }),
  );
}

async function assertCase(
  t: TestContext,
  kase: ConformanceCase,
  connections: Pair,
  ourTools: Set<string>,
  ctx: CaseContext,
  knownIds: Set<string>,
): Promise<void> {
  const label = `${kase.tool} / ${kase.name}`;
  if (!ourTools.has(kase.tool)) {
    await t.test(label, { skip: `${kase.tool} not implemented yet (MISSING)` }, () => {});
    return;
  }
  await t.test(label, async () => {
    const r = await runCase(kase, {
      connections: { server: connections, noserver: undefined, remote: undefined },
      ourTools,
      ctx,
      knownIds,
    });
    assert.notEqual(r.verdict, 'blocked', r.note);
    assert.ok(r.python, 'Python was called');
    // Errors are outcomes too (compared by their text).
    const { unexplained } = explainDifferences(kase.tool, kase.name, r.differences);
    const report = unexplained.map((d) => `${d.path}: python ${brief(d.python)} vs ours ${brief(d.ours)}`).join('\n');
    assert.deepEqual(unexplained, [], `${label} differs:\n${report}`);
  });
}
