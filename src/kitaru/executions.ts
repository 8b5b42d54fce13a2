// Executions over REST, as Kitaru's Python client reads and changes them
// (KitaruClient.executions: get/cancel/input; list and latest live in
// executions/listing.ts), without N+1: wait conditions and artifact versions
// are fetched in bulk, once per call.
import { isPyInt, isPyNumber } from '../compat/json.ts';
import { pyCompare, pyReprValue } from '../compat/python.ts';
import { ZenmlApiError } from '../http/errors.ts';
import { KitaruBackendError, KitaruStateError, KitaruUsageError, KitaruWaitValidationError, ValueError } from './errors.ts';
import {
  type ArtifactModel,
  type ArtifactRefPayload,
  type RunDetails,
  type RunModel,
  type StepModel,
  type WaitConditionModel,
  dedupeArtifacts,
  lineageKey,
  mapCheckpoint,
  pyStrip,
  runStatus,
  serializeExecution,
  stepArtifactIds,
} from './execution-mapping.ts';
import { type CallOptions, type ExecutionScope, executionScope, loadRun, pythonErrorText } from './executions/scope.ts';
import { firstPendingWait, listPendingWaitConditions } from './executions/waits.ts';
import type { KitaruRuntime } from './runtime.ts';
import { ArtifactModelSchema, StepModelSchema, parseItems } from './zenml/runs.ts';

export { type CallOptions, type ExecutionScope, executionScope, loadRun, pythonErrorText } from './executions/scope.ts';
export { listPendingWaitConditions } from './executions/waits.ts';
export { type ListExecutionsArgs, latestExecution, listExecutions } from './executions/listing.ts';

/** Python's inspection.serialize_execution(...) dict, keys in Python's order. */
export type { Execution as ExecutionPayload, ExecutionSummary as ExecutionSummaryPayload } from './payloads/executions.ts';
import type { Execution as ExecutionPayload } from './payloads/executions.ts';

// --- bulk fetches ---------------------------------------------------------------

/** Artifact versions with run_metadata, in chunks of ids (one request per chunk, not per artifact). */
async function hydrateArtifacts(scope: ExecutionScope, ids: string[]): Promise<Map<string, ArtifactModel>> {
  const unique = [...new Set(ids)];
  const result = new Map<string, ArtifactModel>();
  for (let start = 0; start < unique.length; start += 100) {
    const chunk = unique.slice(start, start + 100);
    const raw = await scope.api.list<unknown>('/api/v1/artifact_versions', {
      query: { id: `oneof:${JSON.stringify(chunk)}`, hydrate: true },
      pageSize: 1000,
      signal: scope.signal,
    });
    const items = parseItems(ArtifactModelSchema, raw, 'GET /api/v1/artifact_versions');
    for (const item of items) result.set(String(item.id), item);
  }
  return result;
}

/** All step attempts of a run (retried ones included), as Python's _list_checkpoint_attempts_for_run. */
async function listStepAttempts(scope: ExecutionScope, runId: string): Promise<StepModel[]> {
  const raw = await scope.api.list<unknown>('/api/v1/steps', {
    query: {
      sort_by: 'asc:created',
      pipeline_run_id: runId,
      project: scope.project,
      exclude_retried: false,
      hydrate: true,
    },
    pageSize: 200,
    signal: scope.signal,
  });
  return parseItems(StepModelSchema, raw, 'GET /api/v1/steps');
}

/** run.steps: the latest attempt of each step (ZenML keys them by name). */
export async function listRunSteps(scope: ExecutionScope, run: RunModel): Promise<StepModel[]> {
  const projectId = run.body?.project_id ?? undefined;
  const raw = await scope.api.list<unknown>('/api/v1/steps', {
    query: { pipeline_run_id: run.id, project: projectId, exclude_retried: true, hydrate: true },
    pageSize: 1000,
    signal: scope.signal,
  });
  const steps = parseItems(StepModelSchema, raw, 'GET /api/v1/steps');
  const byName = new Map<string, StepModel>();
  for (const step of steps) byName.set(String(step.name ?? ''), step);
  return [...byName.values()];
}

// --- get ----------------------------------------------------------------------------

/** The latest attempt of each checkpoint lineage, in Python's order, with every attempt by lineage. */
async function checkpointSteps(
  scope: ExecutionScope,
  run: RunModel,
): Promise<{ latest: StepModel[]; attemptsByLineage: Map<string, StepModel[]> }> {
  let steps: StepModel[] = [];
  const attemptsByLineage = new Map<string, StepModel[]>();
  try {
    steps = await listStepAttempts(scope, run.id);
  } catch (error) {
    if (scope.signal?.aborted) throw error;
    // Python falls back to run.steps when the attempt listing fails.
    steps = await listRunSteps(scope, run);
  }
  const latestByLineage = new Map<string, StepModel>();
  for (const step of steps) {
    const key = lineageKey(step);
    const list = attemptsByLineage.get(key) ?? [];
    list.push(step);
    attemptsByLineage.set(key, list);
    latestByLineage.set(key, step);
  }
  return { latest: [...attemptsByLineage.keys()].map((key) => latestByLineage.get(key)!), attemptsByLineage };
}

async function executionDetails(scope: ExecutionScope, run: RunModel): Promise<RunDetails> {
  const status = runStatus(run);
  // The wait and the checkpoints are independent reads: ask for both at once.
  const [pendingWait, { latest, attemptsByLineage }] = await Promise.all([
    status === 'waiting' || status === 'running' ? firstPendingWait(scope, run) : Promise.resolve(null),
    checkpointSteps(scope, run),
  ]);
  const hydrated = await hydrateArtifacts(scope, latest.flatMap(stepArtifactIds));
  const checkpoints = latest.map((step) => mapCheckpoint(step, attemptsByLineage, hydrated));
  return { pendingWait, checkpoints };
}

/**
 * An execution's artifacts (Python's executions.get(...).artifacts), with the
 * list filters applied before the artifact versions are fetched: names and
 * producing checkpoints are known from the steps, so only the artifacts that
 * can be shown are hydrated (for their metadata and kind).
 */
export async function executionArtifacts(
  scope: ExecutionScope,
  run: RunModel,
  select: (artifacts: ArtifactRefPayload[], hydrated: boolean) => ArtifactRefPayload[],
): Promise<ArtifactRefPayload[]> {
  const { latest, attemptsByLineage } = await checkpointSteps(scope, run);
  const refs = (hydrated: Map<string, ArtifactModel>) =>
    dedupeArtifacts(latest.map((step) => mapCheckpoint(step, attemptsByLineage, hydrated)));
  const wanted = select(refs(new Map()), false).map((ref) => ref.artifact_id);
  if (wanted.length === 0) return [];
  return select(refs(await hydrateArtifacts(scope, wanted)), true);
}

export async function getExecutionFromRun(scope: ExecutionScope, run: RunModel): Promise<ExecutionPayload> {
  return serializeExecution(run, await executionDetails(scope, run));
}

export async function getExecution(runtime: KitaruRuntime, execId: string, options: CallOptions = {}): Promise<ExecutionPayload> {
  const scope = executionScope(runtime, options);
  return getExecutionFromRun(scope, await loadRun(scope, execId));
}

// --- cancel -------------------------------------------------------------------------

/**
 * KitaruClient.executions.cancel. Python runs ZenML's stop_run in its own
 * process; the server's POST /runs/{id}/stop runs the same function (same
 * checks, same messages), so no Python is needed here.
 */
export async function cancelExecution(runtime: KitaruRuntime, execId: string, options: CallOptions = {}): Promise<ExecutionPayload> {
  const scope = executionScope(runtime, options);
  const run = await loadRun(scope, execId);
  await scope.api.post(`/api/v1/runs/${encodeURIComponent(run.id)}/stop`, { query: { graceful: false }, signal: scope.signal });
  return getExecution(runtime, execId, options);
}

// --- input ----------------------------------------------------------------------------

function matchesSchemaType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      // The lossless reader keeps 1.0 a float (PyFloat) and big ints exact (PyInt), as Python sees them.
      return isPyInt(value);
    case 'number':
      return isPyNumber(value);
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value) && !isPyNumber(value);
    default:
      return true;
  }
}

/** _interface_executions.validate_pending_wait_input (shallow `type` check only, as Python). */
export function validatePendingWaitInput(
  execution: { pending_wait: Pick<NonNullable<ExecutionPayload['pending_wait']>, 'name' | 'wait_id' | 'schema'> | null },
  wait: string,
  value: unknown,
): void {
  const pending = execution.pending_wait;
  if (pending === null || pending === undefined) return;
  if (wait !== pending.name && wait !== pending.wait_id) return;
  const schema = pending.schema;
  if (schema === null || schema === undefined) return;
  const type = schema.type;
  if (type === null || type === undefined) return;
  const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type : typeof type === 'object' ? Object.keys(type) : [];
  if (types.some((item) => matchesSchemaType(value, item))) return;
  throw new ValueError(`Wait input does not match the pending wait schema type (${pyReprValue(types)}).`);
}

/** Python's _select_pending_wait_condition. */
export function selectPendingWait(run: RunModel, wait: string, conditions: WaitConditionModel[]): WaitConditionModel {
  const selector = pyStrip(wait);
  if (!selector) throw new KitaruUsageError('`wait` must be a non-empty string.');
  const byName = conditions.filter((c) => c.name === selector);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw new KitaruStateError(`Multiple pending waits match '${selector}' for execution '${run.id}'.`);
  const byId = conditions.filter((c) => String(c.id) === selector);
  if (byId.length === 1) return byId[0]!;
  const available = [...new Set(conditions.map((c) => String(c.name ?? '')))].sort(pyCompare).join(', ');
  throw new KitaruStateError(`Execution '${run.id}' has no pending wait '${selector}'. Available waits: ${available}.`);
}

/** mcp kitaru_executions_input: get, pre-validate, resolve the wait (continue), get again. */
export async function provideExecutionInput(
  runtime: KitaruRuntime,
  args: { execId: string; wait: string; value: unknown },
  options: CallOptions = {},
): Promise<ExecutionPayload> {
  const scope = executionScope(runtime, options);
  const current = await getExecutionFromRun(scope, await loadRun(scope, args.execId));
  validatePendingWaitInput(current, args.wait, args.value);

  const run = await loadRun(scope, args.execId);
  const conditions = await listPendingWaitConditions(scope, run);
  if (conditions.length === 0) throw new KitaruStateError(`Execution '${args.execId}' has no pending waits to resolve.`);
  const condition = selectPendingWait(run, args.wait, conditions);
  try {
    await scope.api.put(`/api/v1/run_wait_conditions/${encodeURIComponent(condition.id)}/resolve`, {
      body: { resolution: 'continue', result: args.value },
      signal: scope.signal,
    });
  } catch (error) {
    if (scope.signal?.aborted) throw error;
    const text = pythonErrorText(error);
    const isValidation =
      error instanceof ZenmlApiError &&
      (error.exceptionClass === 'ValidationError' || error.exceptionClass === 'ValueError' || error.exceptionClass === 'TypeError');
    if (isValidation) {
      throw new KitaruWaitValidationError(`Wait input failed validation for '${condition.name}' on execution '${args.execId}': ${text}`);
    }
    throw new KitaruBackendError(`Failed to resolve wait condition '${condition.name}' for execution '${args.execId}': ${text}`);
  }
  return getExecution(runtime, args.execId, options);
}
