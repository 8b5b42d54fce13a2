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

export async function assertCasesMatchPython(
  t: TestContext,
  cases: ConformanceCase[],
  connections: { python: McpConnection; ours: McpConnection },
  ctx: CaseContext,
  options: { context?: Context; knownIds?: Set<string> } = {},
): Promise<void> {
  const ourTools = await listToolNames(connections.ours);
  const knownIds = options.knownIds ?? new Set<string>();
  for (const kase of cases) {
    const label = `${kase.tool} / ${kase.name}`;
    if (!ourTools.has(kase.tool)) {
      await t.test(label, { skip: `${kase.tool} not implemented yet (MISSING)` }, () => {});
      continue;
    }
    await t.test(label, async () => {
      const r = await runCase(kase, {
        connections: { [options.context ?? 'server']: connections },
        ourTools,
        ctx,
        knownIds,
      });
      assert.notEqual(r.verdict, 'blocked', r.note);
      assert.ok(kase.oursOnly || r.python, 'Python was called');
      // Errors are outcomes too (compared by their text).
      const { unexplained } = explainDifferences(kase.tool, kase.name, r.differences);
      const report = unexplained.map((d) => `${d.path}: python ${brief(d.python)} vs ours ${brief(d.ours)}`).join('\n');
      assert.deepEqual(unexplained, [], `${label} differs:\n${report}`);
    });
  }
}
