// kitaru_executions_list / _latest filter on the server: side by side with the
// Python kitaru-mcp on runs that stress the filters (ties in creation time,
// running runs that hold a pending wait, paused runs without one, combined
// filters, filters matching nothing), then the request counts, which must not
// grow with the number of executions.
//
// Extra runs are clones of the seeded ones written into the server's SQLite
// database (bench/bulk-runs.py), dated 2001 so that they never become anyone's
// "latest" when this file shares the run-wide server with others.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { latestExecution, listExecutions } from '../../src/kitaru/executions.ts';
import { KitaruRuntime } from '../../src/kitaru/runtime.ts';
import { cloneRuns } from '../helpers/clone-runs.ts';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';
import { type McpConnection, connectBoth, repoRoot, venvPython } from '../helpers/mcp-clients.ts';
import { bothAnswers } from './compare-helpers.ts';

let fx: SharedServer;
let py: McpConnection;
let ts: McpConnection;
let env: Record<string, string>;

const clone = (source: string, count: number, options: Record<string, string>) => cloneRuns(fx.server.configDir, source, count, options);

before(async () => {
  fx = await useSharedServer();
  env = { ...fx.server.env, KITARU_PYTHON: venvPython };
  ({ py, ts } = await connectBoth({ env }));
  const { completed, failed, waiting } = fx.seeded;
  // Ties: runs created in the same microsecond, which ZenML orders by id.
  clone(failed, 4, { created: '2001-01-01 00:00:00.000000' });
  clone(completed, 3, { created: '2001-01-01 00:00:00.000000' });
  // Running runs that hold a pending wait (Kitaru: waiting), tied with each other.
  clone(waiting, 2, { created: '2001-01-02 00:00:00.000000', status: 'running', waits: '1' });
  // A running run without a wait, and a paused run without one (still waiting, no pending_wait).
  clone(completed, 1, { created: '2001-01-03 00:00:00.000000', status: 'running' });
  clone(waiting, 1, { created: '2001-01-04 00:00:00.000000' });
});

after(async () => {
  await Promise.allSettled([py?.close(), ts?.close()]);
  await fx?.release();
});

async function assertSame(name: string, args: Record<string, unknown>): Promise<unknown> {
  const { python, ours } = await bothAnswers(py, ts, name, args);
  assert.deepStrictEqual(ours, python, `${name} ${JSON.stringify(args)}`);
  return python;
}

describe("filters on the server give Python's answers", () => {
  it('each status, ties and waits included', async () => {
    for (const status of ['running', 'waiting', 'completed', 'failed', 'cancelled']) {
      const rows = (await assertSame('kitaru_executions_list', { status })) as { result: { result: Array<{ status: string }> } };
      assert.equal(
        rows.result.result.every((row) => row.status === status),
        true,
      );
      await assertSame('kitaru_executions_latest', { status });
    }
    const waiting = (await assertSame('kitaru_executions_list', { status: 'waiting' })) as { result: { result: unknown[] } };
    assert.equal(waiting.result.result.length >= 4, true, 'paused, paused without wait, two running with a wait');
  });

  it('combined filters, limits inside ties, and filters matching nothing', async () => {
    const cases: Record<string, unknown>[] = [
      { flow: 'failing_flow', status: 'failed' },
      { flow: 'failing_flow', status: 'failed', stack: 'default', limit: 3 },
      { flow: 'completed_flow', stack: 'default', limit: 2 },
      { flow: 'waiting_flow', status: 'waiting', limit: 2 },
      { flow: 'completed_flow', status: 'running' },
      { status: 'failed', limit: 2 },
      { limit: 4 },
      { flow: 'failing_flow', status: 'completed' },
      { flow: 'no_such_flow' },
      { flow: ' completed_flow' },
      { flow: '' },
      { flow: '__kitaru_pipeline_source_completed_flow' },
      { stack: 'no-such-stack', status: 'failed' },
      { status: 'cancelled', flow: 'completed_flow' },
    ];
    for (const args of cases) {
      await assertSame('kitaru_executions_list', args);
      const { limit: _limit, ...latest } = args;
      await assertSame('kitaru_executions_latest', latest);
    }
  });
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
