// Watching an execution: wait, bounded, until it finishes (or reaches a wait,
// which only a person can answer) or, with until="change", until its status or
// pending wait changes. One cheap REST read per poll, a progress report per
// poll, and the full execution payload (as kitaru_executions_get) at the end.
//
// The bound stays under the 60 s clients give a request, so "watch it until it
// finishes" costs one call per minute instead of a polling loop in the model.
import { ValueError } from './errors.ts';
import { type PublicStatus, type RunModel, activeWaitCondition, runStatus } from './execution-mapping.ts';
import { type ExecutionPayload, executionScope, getExecutionFromRun, loadRun } from './executions.ts';
import type { CallContext } from './runtime.ts';
import { RunModelSchema } from './zenml/runs.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_WATCH_SECONDS = 45;
export const MAX_WATCH_SECONDS = 55;
const DEFAULT_POLL_MS = 1000;

export type WatchUntil = 'finish' | 'change';
/** Why the watch returned: the execution ended, reached a wait, changed (until="change"), or time ran out. */
export type WatchReason = 'finished' | 'waiting' | 'status_changed' | 'timeout';

export interface WatchResult {
  reason: WatchReason;
  initial_status: PublicStatus;
  execution: ExecutionPayload;
}

const TERMINAL: ReadonlySet<PublicStatus> = new Set(['completed', 'failed', 'cancelled']);

/** The status a client sees: a running run with an active wait reads "waiting", as in the payloads. */
function observed(run: RunModel): { status: PublicStatus; waitId: string | null } {
  const wait = activeWaitCondition(run);
  const status = runStatus(run);
  return { status: wait !== null && status === 'running' ? 'waiting' : status, waitId: wait === null ? null : String(wait.id) };
}

function reasonFor(
  until: WatchUntil,
  initial: { status: PublicStatus; waitId: string | null },
  now: { status: PublicStatus; waitId: string | null },
): WatchReason | null {
  if (TERMINAL.has(now.status)) return 'finished';
  if (until === 'finish') return now.status === 'waiting' ? 'waiting' : null;
  if (now.status !== initial.status || now.waitId !== initial.waitId) return now.status === 'waiting' ? 'waiting' : 'status_changed';
  return null;
}

export function validateWatchSeconds(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_WATCH_SECONDS) {
    throw new ValueError(`\`timeout_seconds\` must be an integer from 1 to ${MAX_WATCH_SECONDS} (clients give up on a request at 60 s).`);
  }
  return seconds;
}

export async function watchExecution(
  context: CallContext,
  args: { execId: string; until: WatchUntil; timeoutSeconds: number },
  options: { pollMs?: number } = {},
): Promise<WatchResult> {
  const timeoutSeconds = validateWatchSeconds(args.timeoutSeconds);
  const { signal } = context;
  const scope = executionScope(context.runtime, { signal });
  let run = await loadRun(scope, args.execId);
  const initial = observed(run);
  const started = Date.now();
  const deadline = started + timeoutSeconds * 1000;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;

  const finish = async (reason: WatchReason): Promise<WatchResult> => ({
    reason,
    initial_status: initial.status,
    execution: await getExecutionFromRun(scope, run),
  });

  // Already finished or waiting: nothing to wait for (until="change" waits for a change even then, unless finished).
  const immediate = TERMINAL.has(initial.status) ? 'finished' : args.until === 'finish' && initial.status === 'waiting' ? 'waiting' : null;
  if (immediate !== null) return finish(immediate);

  let lastProgress = 0;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return finish('timeout');
    await sleep(Math.min(pollMs, remaining), undefined, { signal });
    run = await scope.api.get(`/api/v1/runs/${encodeURIComponent(run.id)}`, { query: { hydrate: true }, signal, model: RunModelSchema });
    const now = observed(run);
    // Progress must strictly increase: seconds waited, at least a tenth more each time.
    lastProgress = Math.max(lastProgress + 0.1, Math.round((Date.now() - started) / 100) / 10);
    await context.progress({ progress: lastProgress, total: timeoutSeconds, message: `execution ${run.id} is ${now.status}` });
    const reason = reasonFor(args.until, initial, now);
    if (reason !== null) return finish(reason);
  }
}
