// Local-database mode (no server anywhere; Kitaru on its SQLite store): the
// fast conformance cases, ours against the Python kitaru-mcp on one seeded
// store. Ours serves these tools through the installed kitaru's own tool
// functions in the warm worker (src/kitaru/local-database.ts). The full run is
// `npm run conformance -- --local-db`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertCasesMatchPython, connectionPairs } from '../conformance/fast-cases.ts';
import { LOCAL_DB_CASES, type LocalDatabase, seedLocalDatabase } from '../conformance/local-db.ts';
import { newCaseContext } from '../conformance/runner.ts';
import { connectOurs, connectPython, type McpConnection } from '../helpers/mcp-clients.ts';

// Pairs of connections the cases are shared out among (they change nothing,
// and each call mostly waits on the store).
const PAIRS = connectionPairs(3);

let store: LocalDatabase;
let pairs: { python: McpConnection; ours: McpConnection }[] = [];

before(async () => {
  store = await seedLocalDatabase();
  pairs = await Promise.all(
    Array.from({ length: PAIRS }, async () => {
      const [python, ours] = await Promise.all([connectPython({ env: store.env }), connectOurs({ env: store.env })]);
      return { python, ours };
    }),
  );
});

after(async () => {
  await Promise.allSettled(pairs.flatMap((pair) => [pair.python.close(), pair.ours.close()]));
  store?.remove();
});

const FAST = LOCAL_DB_CASES.filter((c) => c.fast && !c.oursOnly && (c.context ?? 'server') === 'server');

test('the local-database cases cover several tools', () => {
  assert.ok(new Set(FAST.map((c) => c.tool)).size >= 8);
});

test('on the local database, ours answers exactly like the Python kitaru-mcp', { concurrency: PAIRS }, async (t) => {
  for (const { ours } of pairs) {
    const status = await ours.client.callTool({ name: 'kitaru_status', arguments: {} });
    assert.match(JSON.stringify(status.structuredContent), /local database/, 'the store is the local database');
  }
  const ctx = await newCaseContext(pairs[0]!.python, store.ids);
  await assertCasesMatchPython(t, FAST, pairs, ctx);
});
