// The pieces that let list/latest filter on the server and still give Python's
// answer: ZenML states per Kitaru status (from the one mapping), ZenML's order
// with its id tiebreak, and a merge that drops rows seen twice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PUBLIC_STATUSES, type RunModel, toPublicStatus } from '../../src/kitaru/execution-mapping.ts';
import { RunModelSchema } from '../../src/kitaru/zenml/runs.ts';
import {
  type RunCursor,
  ZENML_EXECUTION_STATUSES,
  compareRuns,
  mergeRuns,
  summaryStatus,
  zenmlStatusesFor,
} from '../../src/kitaru/executions/run-query.ts';

const run = (id: string, created: string, status = 'completed', wait = false): RunModel =>
  RunModelSchema.parse({
    id,
    name: id,
    body: { created, status },
    resources: { active_wait_condition: wait ? { id: 'w', name: 'w' } : null },
  });

/** A cursor over fixed pages, as RunCursor reads the server's. */
function fakeCursor(rows: RunModel[]): RunCursor {
  let i = 0;
  return {
    peek: async () => rows[i] ?? null,
    take: () => {
      i += 1;
    },
  } as unknown as RunCursor;
}

describe('status sets', () => {
  it('partition every ZenML state, the default branch included', () => {
    const all = PUBLIC_STATUSES.flatMap((s) => zenmlStatusesFor(s));
    assert.deepStrictEqual([...all].sort(), [...ZENML_EXECUTION_STATUSES].sort());
    assert.deepStrictEqual(zenmlStatusesFor('waiting'), ['paused']);
    assert.deepStrictEqual(zenmlStatusesFor('running'), ['initializing', 'provisioning', 'queued', 'running', 'retrying', 'resuming']);
    for (const state of ZENML_EXECUTION_STATUSES) assert.equal(zenmlStatusesFor(toPublicStatus(state)).includes(state), true);
  });

  it('a running run holding a pending wait is waiting', () => {
    assert.equal(summaryStatus(run('a', 't', 'running', true)), 'waiting');
    assert.equal(summaryStatus(run('a', 't', 'running')), 'running');
    assert.equal(summaryStatus(run('a', 't', 'paused')), 'waiting');
  });
});

describe('order and merge', () => {
  it('newest first; ties by id ascending; missing microseconds sort as zero', () => {
    const rows = [
      run('b', '2026-01-01T00:00:00'),
      run('a', '2026-01-01T00:00:00.000000'),
      run('c', '2026-01-01T00:00:00.5'),
      run('d', '2025-12-31T23:59:59.999999'),
    ];
    assert.deepStrictEqual(
      [...rows].sort(compareRuns).map((r) => r.id),
      ['c', 'a', 'b', 'd'],
    );
  });

  it('merges sorted cursors and drops a row the next page repeats', async () => {
    const first = fakeCursor([run('a', '2026-01-03'), run('c', '2026-01-01'), run('c', '2026-01-01')]);
    const second = fakeCursor([run('b', '2026-01-02'), run('d', '2026-01-01')]);
    const merged: string[] = [];
    for await (const row of mergeRuns([first, second])) merged.push(row.id);
    assert.deepStrictEqual(merged, ['a', 'b', 'c', 'd']);
  });
});
