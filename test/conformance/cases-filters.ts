// kitaru_executions_list / _latest filters on the server, on the `filters` fixture:
// the seeded executions plus runs that stress the filters (ties in creation time,
// running runs that hold a pending wait, paused runs without one; fixtures.ts).
// Combined filters and filters matching nothing. Every case reads the same state
// on both sides and compares raw.
import assert from 'node:assert/strict';
import { type ConformanceCase, c, okPayload } from './case-kit.ts';

const filter = (tool: string, args: Record<string, unknown>, extra: Partial<ConformanceCase> = {}) =>
  c(tool, `filters ${JSON.stringify(args)}`, 'read', () => args, { context: 'filters', ...extra });

const STATUSES = ['running', 'waiting', 'completed', 'failed', 'cancelled'];

const COMBINED: Record<string, unknown>[] = [
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

const ALL: ConformanceCase[] = [
  // Each status, ties and waits included: every row listed has that status.
  ...STATUSES.flatMap((status) => [
    filter(
      'kitaru_executions_list',
      { status },
      {
        expect: (outcome) => {
          const rows = okPayload(outcome) as { status: string }[];
          assert.ok(
            rows.every((row) => row.status === status),
            rows.map((row) => row.status).join(', '),
          );
          // Paused, paused without a wait, and the two running runs that hold one.
          if (status === 'waiting') assert.ok(rows.length >= 4, `${rows.length} waiting`);
        },
      },
    ),
    filter('kitaru_executions_latest', { status }),
  ]),
  // The same filters for latest, without the limit it does not take.
  ...COMBINED.flatMap((args) => {
    const { limit: _limit, ...latest } = args;
    return [filter('kitaru_executions_list', args), filter('kitaru_executions_latest', latest)];
  }),
];

/** Each call once: latest without a limit can repeat an earlier call (same state, same answer). */
export const FILTER_CASES: ConformanceCase[] = [...new Map(ALL.map((kase) => [`${kase.tool}/${kase.name}`, kase])).values()];
