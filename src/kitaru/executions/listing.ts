// kitaru_executions_list and kitaru_executions_latest: Python's paged scan of
// every run with client-side filters (KitaruClient.executions.list/latest and
// _interface_executions.*_filtered), answered by filtered server queries that
// read only the rows the answer shows. Same executions, same order, same payloads.
import { KitaruUsageError, LookupError, ValueError } from '../errors.ts';
import {
  type RunModel,
  type WaitConditionModel,
  activeWaitCondition,
  coerceStatusFilter,
  pyStrRepr,
  serializeExecution,
  serializeExecutionSummary,
} from '../execution-mapping.ts';
import type { KitaruRuntime } from '../runtime.ts';
import {
  RunCursor,
  type RunFilters,
  flowPipelineIds,
  matchesFilters,
  mergeRuns,
  runQuery,
  summaryStatus,
  zenmlStatusesFor,
} from './run-query.ts';
import { type CallOptions, type ExecutionScope, executionScope } from './scope.ts';
import { hydrateWait, pendingWaitsByRun } from './waits.ts';

import type { Execution, ExecutionSummary as ExecutionSummaryPayload } from '../payloads/executions.ts';
export type { ExecutionSummaryPayload };

interface ListedExecution {
  /** Only for a limit of 1 (latest keeps its run whole); a list keeps its summaries. */
  run: RunModel | null;
  summary: ExecutionSummaryPayload;
  pendingWait: WaitConditionModel | null;
}

/** Run ids per request when asking for the running runs that hold a pending wait. */
const IDS_PER_QUERY = 80;

/** The listing of pending waits, fetched at most once per call and only when a row needs it. */
class PendingWaits {
  private loaded: Promise<Map<string, WaitConditionModel[]> | null> | null = null;
  constructor(private readonly scope: ExecutionScope) {}

  all(): Promise<Map<string, WaitConditionModel[]> | null> {
    this.loaded ??= pendingWaitsByRun(this.scope).catch((error: unknown) => {
      // Python maps a failed wait listing to "no pending wait" for list rows.
      if (this.scope.signal?.aborted) throw error;
      return null;
    });
    return this.loaded;
  }

  /** serializeExecutionSummary's pending wait of a listed run (Python's _map_execution, summary mode). */
  async forRun(run: RunModel): Promise<WaitConditionModel | null> {
    if (summaryStatus(run) !== 'waiting') return null;
    const pending = (await this.all())?.get(run.id) ?? [];
    const active = activeWaitCondition(run);
    if (active === null) return pending[0] ?? null;
    return pending.find((c) => String(c.id) === String(active.id)) ?? (await hydrateWait(this.scope, active));
  }
}

/** The cursors whose merge is exactly the filtered list, newest first. */
async function openCursors(scope: ExecutionScope, filters: RunFilters, pageSize: number, waits: PendingWaits): Promise<RunCursor[]> {
  const pipelineIds = filters.flow === null ? null : await flowPipelineIds(scope, filters.flow);
  if (pipelineIds !== null && pipelineIds.length === 0) return [];
  const base = { pipelineIds, stack: filters.stack };
  const cursor = (extra: Record<string, string>) => new RunCursor(scope, runQuery(scope, base, extra), pageSize);
  const oneof = (values: string[]) => `oneof:${JSON.stringify(values)}`;
  if (filters.status === null) return [cursor({})];
  if (filters.status !== 'waiting') return [cursor({ status: oneof(zenmlStatusesFor(filters.status)) })];
  // Waiting: the paused runs, plus the running runs that hold a pending wait,
  // found by id from the (short) list of pending waits.
  const paused = cursor({ status: oneof(zenmlStatusesFor('waiting')) });
  const [byRun] = await Promise.all([waits.all(), paused.peek()]);
  const ids = [...(byRun?.keys() ?? [])];
  const cursors = [paused];
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
    const chunk = ids.slice(start, start + IDS_PER_QUERY);
    cursors.push(cursor({ id: oneof(chunk), status: oneof(zenmlStatusesFor('running')) }));
  }
  return cursors;
}

/** KitaruClient.executions.list(flow, status, limit) with the stack filter of list_executions_filtered. */
async function listFiltered(
  scope: ExecutionScope,
  args: { flow: string | null; status: string | null; stack: string | null; limit: number | null },
): Promise<ListedExecution[]> {
  const status = coerceStatusFilter(args.status);
  if (args.limit !== null && args.limit < 1) throw new KitaruUsageError('`limit` must be >= 1 when provided.');
  const filters: RunFilters = { flow: args.flow, status, stack: args.stack };
  // A limit asks for that many rows; a full list reads the biggest pages the server gives.
  const pageSize = args.limit === null ? 1000 : Math.min(args.limit, 1000);
  const waits = new PendingWaits(scope);
  const results: ListedExecution[] = [];
  for await (const run of mergeRuns(await openCursors(scope, filters, pageSize, waits))) {
    if (!matchesFilters(run, filters)) continue;
    const pendingWait = await waits.forRun(run);
    const summary = serializeExecutionSummary(run, { pendingWait, checkpoints: [] });
    results.push({ run: args.limit === 1 ? run : null, summary, pendingWait });
    if (args.limit !== null && results.length >= args.limit) break;
  }
  return results;
}

export interface ListExecutionsArgs {
  status: string | null;
  flow: string | null;
  stack: string | null;
  limit: number | null;
}

/** _interface_executions.list_executions_filtered + serialize_execution_summary. */
export async function listExecutions(
  runtime: KitaruRuntime,
  args: ListExecutionsArgs,
  options: CallOptions = {},
): Promise<ExecutionSummaryPayload[]> {
  if (args.limit !== null && args.limit < 1) throw new ValueError('`limit` must be >= 1 when provided.');
  const scope = executionScope(runtime, options);
  return (await listFiltered(scope, args)).map((row) => row.summary);
}

/** _interface_executions.latest_execution_filtered + serialize_execution. */
export async function latestExecution(
  runtime: KitaruRuntime,
  args: { status: string | null; flow: string | null; stack: string | null },
  options: CallOptions = {},
): Promise<Execution> {
  const scope = executionScope(runtime, options);
  const [match] = await listFiltered(scope, { ...args, limit: 1 });
  if (match?.run === null || match?.run === undefined) {
    const filters: string[] = [];
    if (args.flow !== null) filters.push(`flow=${pyStrRepr(args.flow)}`);
    if (args.status !== null) filters.push(`status=${pyStrRepr(args.status)}`);
    if (args.stack !== null) filters.push(`stack=${pyStrRepr(args.stack)}`);
    const where = filters.length > 0 ? filters.join(' and ') : 'the current project';
    throw new LookupError(`No executions found for ${where}.`);
  }
  // Python's latest() returns the list's (summary-mode) execution: no checkpoints fetched.
  return serializeExecution(match.run, { pendingWait: match.pendingWait, checkpoints: [] });
}
