// Kitaru's list filters (flow, status, stack) as ZenML run queries, so the
// server returns only the runs a list shows, newest first. Each query returns a
// superset that is then checked exactly, row by row, with the same rules as
// Python's client-side filters; the order is ZenML's (created desc, then id
// asc), which is the order Python's paged scan sees.
import type { Query } from '../../http/client.ts';
import {
  type PublicStatus,
  type RunModel,
  activeWaitCondition,
  normalizeFlowName,
  pyStrip,
  runFlowName,
  runStackName,
  toPublicStatus,
} from '../execution-mapping.ts';
import { RunModelSchema, parseItems } from '../zenml/runs.ts';
import type { ExecutionScope } from './scope.ts';

const RUNS = '/api/v1/runs';

/** Every state a ZenML 0.94 server stores (zenml.enums.ExecutionStatus). */
export const ZENML_EXECUTION_STATUSES = [
  'initializing',
  'provisioning',
  'queued',
  'running',
  'failed',
  'completed',
  'cached',
  'skipped',
  'retrying',
  'retried',
  'cancelling',
  'cancelled',
  'paused',
  'resuming',
  'stopped',
  'stopping',
] as const;

/**
 * The ZenML states whose runs map to `status`, derived from the one mapping
 * (toPublicStatus), so the server-side filter and the row mapping cannot
 * disagree; states reached through its default branch (queued, resuming) are
 * included. The pinned server validates every run's status against its enum,
 * so no other state can reach us.
 */
export function zenmlStatusesFor(status: PublicStatus): string[] {
  return ZENML_EXECUTION_STATUSES.filter((state) => toPublicStatus(state) === status);
}

/**
 * A run's Kitaru status in a list (summary mode): running runs that hold a
 * pending wait, and paused runs, are waiting; this is what
 * serializeExecutionSummary reports, known before any wait is fetched.
 */
export function summaryStatus(run: RunModel): PublicStatus {
  const status = toPublicStatus(run.body?.status);
  if (status === 'running' && activeWaitCondition(run) !== null) return 'waiting';
  return status;
}

export interface RunFilters {
  flow: string | null;
  status: PublicStatus | null;
  stack: string | null;
}

/** True when a run passes Python's client-side filters. */
export function matchesFilters(run: RunModel, filters: RunFilters): boolean {
  if (filters.flow !== null && runFlowName(run) !== filters.flow) return false;
  if (filters.status !== null && summaryStatus(run) !== filters.status) return false;
  if (filters.stack !== null && runStackName(run) !== filters.stack) return false;
  return true;
}

/**
 * The ids of the pipelines whose Kitaru flow name is `flow` (a name, or the
 * name behind `__kitaru_pipeline_source_`, stripped): one small request over
 * pipelines, never over runs. `contains` (SQL LIKE) finds a superset of them.
 */
export async function flowPipelineIds(scope: ExecutionScope, flow: string): Promise<string[]> {
  // Python compares with normalized names, which are stripped and never empty.
  if (flow === '' || pyStrip(flow) !== flow) return [];
  const pipelines = await scope.api.list<{ id: string; name?: string | null }>('/api/v1/pipelines', {
    query: { name: `contains:${flow}`, project: scope.project },
    pageSize: 1000,
    signal: scope.signal,
  });
  return pipelines.filter((p) => normalizeFlowName(p.name) === flow).map((p) => String(p.id));
}

/** The query of one run stream: newest first, hydrated, with the server-side filters. */
export function runQuery(scope: ExecutionScope, base: { pipelineIds: string[] | null; stack: string | null }, extra: Query): Query {
  const query: Query = { sort_by: 'desc:created', hydrate: true, project: scope.project, ...extra };
  if (base.pipelineIds !== null) query.pipeline_id = `oneof:${JSON.stringify(base.pipelineIds)}`;
  // `equals:` so a stack name that looks like an operator ("contains:x") is taken literally;
  // the server also matches ids, which the exact check drops.
  if (base.stack !== null) query.stack = `equals:${base.stack}`;
  return query;
}

/** ZenML's list order: created descending, then id ascending (its tiebreaker). */
export function compareRuns(a: RunModel, b: RunModel): number {
  const ca = createdKey(a);
  const cb = createdKey(b);
  if (ca !== cb) return ca > cb ? -1 : 1;
  const ia = String(a.id).toLowerCase();
  const ib = String(b.id).toLowerCase();
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** `created` as a fixed-width sortable text (microseconds always six digits). */
function createdKey(run: RunModel): string {
  const created = run.body?.created ?? '';
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?/.exec(created);
  if (match === null) return created;
  return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(6, '0')}`;
}

/** One run query read page by page, lazily. */
export class RunCursor {
  private buffer: RunModel[] = [];
  private position = 0;
  private done = false;
  private readonly pages: AsyncGenerator<unknown[]>;

  constructor(scope: ExecutionScope, query: Query, pageSize: number) {
    this.pages = scope.api.pages<unknown>(RUNS, { query, pageSize, signal: scope.signal });
  }

  /** The next run without taking it; null at the end. */
  async peek(): Promise<RunModel | null> {
    while (this.position >= this.buffer.length) {
      if (this.done) return null;
      const next = await this.pages.next();
      if (next.done) {
        this.done = true;
        return null;
      }
      this.buffer = parseItems(RunModelSchema, next.value, `GET ${RUNS}`);
      this.position = 0;
    }
    return this.buffer[this.position] ?? null;
  }

  take(): void {
    this.position += 1;
  }
}

/**
 * Runs of several cursors merged in ZenML's order, each once: a run created
 * while a list is read shifts the server's pages by one, and the run seen at
 * the end of one page comes again at the start of the next.
 */
export async function* mergeRuns(cursors: RunCursor[]): AsyncGenerator<RunModel> {
  const seen = new Set<string>();
  for (;;) {
    const heads = await Promise.all(cursors.map((cursor) => cursor.peek()));
    let best = -1;
    for (let i = 0; i < heads.length; i += 1) {
      const head = heads[i];
      if (head === null || head === undefined) continue;
      if (best === -1 || compareRuns(head, heads[best]!) < 0) best = i;
    }
    if (best === -1) return;
    const run = heads[best]!;
    cursors[best]!.take();
    if (seen.has(run.id)) continue;
    seen.add(run.id);
    yield run;
  }
}
