// Local-database mode (no server anywhere; Kitaru on its SQLite store): the
// fast conformance cases, ours against the Python kitaru-mcp on one seeded
// store. Ours serves these tools through the installed kitaru's own tool
// functions in the warm worker (src/kitaru/local-database.ts). The full run is
// `npm run conformance -- --local-db`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { brief } from '../conformance/compare.ts';
import { explainDifferences } from '../conformance/explanations.ts';
import { LOCAL_DB_CASES, type LocalDatabase, seedLocalDatabase } from '../conformance/local-db.ts';
import { discoverArtifacts, listToolNames, runCase } from '../conformance/runner.ts';
import { flowsDir } from '../helpers/kitaru-server.ts';
import { connectOurs, connectPython, type McpConnection } from '../helpers/mcp-clients.ts';

let store: LocalDatabase;
let python: McpConnection;
let ours: McpConnection;

before(async () => {
  store = await seedLocalDatabase();
  [python, ours] = await Promise.all([connectPython({ env: store.env }), connectOurs({ env: store.env })]);
});

after(async () => {
  await Promise.allSettled([python?.close(), ours?.close()]);
  store?.remove();
});

const FAST = LOCAL_DB_CASES.filter((c) => c.fast && !c.oursOnly && (c.context ?? 'server') === 'server');

test('the local-database cases cover several tools', () => {
  assert.ok(new Set(FAST.map((c) => c.tool)).size >= 8);
});

test('on the local database, ours answers exactly like the Python kitaru-mcp', async (t) => {
  const status = await ours.client.callTool({ name: 'kitaru_status', arguments: {} });
  assert.match(JSON.stringify(status.structuredContent), /local database/, 'the store is the local database');
  const ctx = {
    ids: store.ids,
    artifacts: await discoverArtifacts(python, store.ids.completed),
    flowsDir,
    runTag: randomBytes(3).toString('hex'),
    created: { py: {}, ts: {} },
  };
  const ourTools = await listToolNames(ours);
  const knownIds = new Set<string>();
  for (const kase of FAST) {
    const label = `${kase.tool} / ${kase.name}`;
    await t.test(label, async () => {
      const r = await runCase(kase, {
        connections: { server: { python, ours }, noserver: undefined, remote: undefined },
        ourTools,
        ctx,
        knownIds,
      });
      assert.notEqual(r.verdict, 'blocked', r.note);
      const { unexplained } = explainDifferences(kase.tool, kase.name, r.differences);
      const report = unexplained.map((d) => `${d.path}: python ${brief(d.python)} vs ours ${brief(d.ours)}`).join('\n');
      assert.deepEqual(unexplained, [], `${label} differs:\n${report}`);
    });
  }
});
