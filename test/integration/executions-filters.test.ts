// kitaru_executions_list / _latest filter on the server. Side by side with the
// Python kitaru-mcp: the `filters` cases of the conformance table
// (test/conformance/cases-filters.ts), on runs that stress the filters (ties in
// creation time, running runs that hold a pending wait, paused runs without one),
// which the fixture clones into this server. Then what is not a comparison: the
// request counts, which must not grow with the number of executions.
//
// Extra runs are clones of the seeded ones written into the server's SQLite
// database (bench/bulk-runs.py), dated 2001 so that they never become anyone's
// "latest" when this file shares the run-wide server with others.
import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { latestExecution, listExecutions } from '../../src/kitaru/executions.ts';
import { KitaruRuntime } from '../../src/kitaru/runtime.ts';
import { casesIn } from '../conformance/cases.ts';
import { assertCasesMatchPython } from '../conformance/fast-cases.ts';
import { type Fixture, openFixture } from '../conformance/fixtures.ts';
import { cloneRuns } from '../helpers/clone-runs.ts';
import { repoRoot } from '../helpers/mcp-clients.ts';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';

let fx: SharedServer;
let fixture: Fixture;
let env: Record<string, string>;

const clone = (source: string, count: number, options: Record<string, string>) => cloneRuns(fx.server.configDir, source, count, options);

before(async () => {
  fx = await useSharedServer();
  fixture = await openFixture('filters', { seeded: fx });
  env = fixture.env;
});

after(async () => {
  await fixture?.close();
  await fx?.release();
});

test("filters on the server give Python's answers", async (t) => {
  await assertCasesMatchPython(t, casesIn('filters'), fixture.connections, fixture.ctx, { context: 'filters', knownIds: fixture.knownIds });
});

describe('requests do not grow with the number of executions', () => {
  // [label, call, requests]. A row that is waiting costs one more request (the
  // listing of pending waits, for its pending_wait); the unfiltered calls
  // below show whatever run is newest, so their count follows its status.
  type Row = Array<{ status?: string }> | { status?: string };
  const waitingRows = (answer: Row) => ((Array.isArray(answer) ? answer : [answer]).some((r) => r.status === 'waiting') ? 1 : 0);

  it('latest reads one row; filtered lists read only their pages', async () => {
    const runtime = new KitaruRuntime({ env, cwd: repoRoot });
    const none = { status: null, flow: null, stack: null };
    const calls: Array<[string, () => Promise<Row>, number]> = [
      ['latest', () => latestExecution(runtime, none) as Promise<Row>, 1],
      ['latest status=failed', () => latestExecution(runtime, { ...none, status: 'failed' }) as Promise<Row>, 1],
      // The flow's pipelines, then its runs.
      ['latest flow', () => latestExecution(runtime, { ...none, flow: 'failing_flow' }) as Promise<Row>, 2],
      [
        'latest flow+status+stack',
        () => latestExecution(runtime, { flow: 'failing_flow', status: 'failed', stack: 'default' }) as Promise<Row>,
        2,
      ],
      // The pending waits, the paused runs, the running runs holding one of those waits.
      ['latest status=waiting', () => latestExecution(runtime, { ...none, status: 'waiting' }) as Promise<Row>, 2],
      ['list limit=5', () => listExecutions(runtime, { ...none, limit: 5 }) as Promise<Row>, 1],
      ['list status=completed limit=3', () => listExecutions(runtime, { ...none, status: 'completed', limit: 3 }) as Promise<Row>, 1],
      ['list status=failed', () => listExecutions(runtime, { ...none, status: 'failed', limit: null }) as Promise<Row>, 1],
      [
        'list flow+status',
        () => listExecutions(runtime, { ...none, flow: 'failing_flow', status: 'failed', limit: null }) as Promise<Row>,
        2,
      ],
    ];
    const counts = async () => {
      const used: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const [label, fn, n] of calls) {
        const api = runtime.api();
        const before = api.stats.count;
        const answer = await fn();
        used[label] = api.stats.count - before;
        expected[label] = n + waitingRows(answer);
      }
      return { used, expected };
    };
    const first = await counts();
    assert.deepStrictEqual(first.used, first.expected);
    // 1,500 more completed runs: every count stays.
    clone(fx.seeded.completed, 1500, { created: '2001-02-01 00:00:00.000000' });
    const second = await counts();
    assert.deepStrictEqual(second.used, second.expected);
    assert.deepStrictEqual(second.used, first.used);
  });

  it('a latest that matches nothing costs the flow lookup alone', async () => {
    const runtime = new KitaruRuntime({ env, cwd: repoRoot });
    const api = runtime.api();
    const before = api.stats.count;
    await assert.rejects(
      latestExecution(runtime, { status: null, flow: 'no_such_flow', stack: null }),
      /No executions found for flow='no_such_flow'/,
    );
    assert.equal(api.stats.count - before, 1);
  });
});
