// Pending wait conditions, read in bulk: one listing serves every paused run of
// a list, and tells which running runs wait (Kitaru status "waiting").
import { KitaruBackendError } from '../errors.ts';
import { type RunModel, type WaitConditionModel, activeWaitCondition } from '../execution-mapping.ts';
import { WaitConditionModelSchema, parseItems, parseOne } from '../zenml/runs.ts';
import { type ExecutionScope, pythonErrorText } from './scope.ts';

const WAITS = '/api/v1/run_wait_conditions';

/** Pending wait conditions, hydrated, grouped by run id, oldest first. */
export async function pendingWaitsByRun(scope: ExecutionScope, runId?: string): Promise<Map<string, WaitConditionModel[]>> {
  const byRun = new Map<string, WaitConditionModel[]>();
  const pages = scope.api.pages<unknown>(WAITS, {
    query: { pipeline_run: runId, project: scope.project, status: 'pending', hydrate: true, sort_by: 'asc:created' },
    pageSize: 200,
    signal: scope.signal,
  });
  for await (const page of pages) {
    for (const item of parseItems(WaitConditionModelSchema, page, `GET ${WAITS}`)) {
      const run = item.resources?.run.id ?? runId;
      if (run === undefined) continue;
      const list = byRun.get(String(run)) ?? [];
      list.push(item);
      byRun.set(String(run), list);
    }
  }
  return byRun;
}

export async function hydrateWait(scope: ExecutionScope, wait: WaitConditionModel): Promise<WaitConditionModel> {
  if (wait.metadata !== null && wait.metadata !== undefined) return wait;
  const path = `${WAITS}/${encodeURIComponent(wait.id)}`;
  const body = await scope.api.get<unknown>(path, { query: { hydrate: true }, signal: scope.signal });
  return parseOne(WaitConditionModelSchema, body, `GET ${WAITS}/{id}`);
}

/** Python's _list_pending_wait_conditions: the active wait first, then the listed ones. */
export async function listPendingWaitConditions(scope: ExecutionScope, run: RunModel): Promise<WaitConditionModel[]> {
  const conditions: WaitConditionModel[] = [];
  const active = activeWaitCondition(run);
  if (active !== null) conditions.push(await hydrateWait(scope, active));
  let listed: WaitConditionModel[];
  try {
    listed = (await pendingWaitsByRun(scope, run.id)).get(run.id) ?? [];
  } catch (error) {
    if (scope.signal?.aborted) throw error;
    throw new KitaruBackendError(`Failed to list pending waits for execution ${run.id}: ${pythonErrorText(error)}`);
  }
  const seen = new Set(conditions.map((c) => String(c.id)));
  for (const condition of listed) {
    if (seen.has(String(condition.id))) continue;
    conditions.push(condition);
    seen.add(String(condition.id));
  }
  return conditions;
}

/** Python's _first_pending_wait (errors of the listing mean "no wait"). */
export async function firstPendingWait(scope: ExecutionScope, run: RunModel): Promise<WaitConditionModel | null> {
  const active = activeWaitCondition(run);
  if (active !== null) return hydrateWait(scope, active);
  try {
    const conditions = await listPendingWaitConditions(scope, run);
    return conditions[0] ?? null;
  } catch (error) {
    if (error instanceof KitaruBackendError) return null;
    throw error;
  }
}
