// Executions over REST, as Kitaru's Python client reads and changes them
// (KitaruClient.executions: get/list/latest/cancel/input), without N+1:
// wait conditions and artifact versions are fetched in bulk, once per call.
import { isPyInt, isPyNumber } from '../compat/json.ts';
import { pyCompare, pyReprValue } from '../compat/python.ts';
import type { ZenmlHttpClient } from '../http/client.ts';
import { ZenmlApiError } from '../http/errors.ts';
import { KitaruBackendError, KitaruStateError, KitaruUsageError, KitaruWaitValidationError, LookupError, ValueError } from './errors.ts';
import {
  type ArtifactModel,
  type RunDetails,
  type RunModel,
  type StepModel,
  type WaitConditionModel,
  activeWaitCondition,
  coerceStatusFilter,
  lineageKey,
  mapCheckpoint,
  pyStrRepr,
  pyStrip,
  runStackName,
  runStatus,
  serializeExecution,
  serializeExecutionSummary,
  stepArtifactIds,
} from './execution-mapping.ts';
import type { KitaruRuntime } from './runtime.ts';

/** Python's inspection.serialize_execution(...) dict, keys in Python's order. */
export type ExecutionPayload = Record<string, unknown>;
export type ExecutionSummaryPayload = Record<string, unknown>;

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** What every operation needs: the HTTP client and the project query value. */
export interface ExecutionScope {
  api: ZenmlHttpClient;
  /** The `project` query value (the active project). */
  project: string | undefined;
  /**
   * KitaruClient._project: only an explicitly chosen project (KITARU_PROJECT,
   * ZENML_ACTIVE_PROJECT_ID), not the active one from the config file. ZenML's
   * lookup messages name it ("... in project X ...") only when it is set.
   */
  explicitProject: string | undefined;
  signal: AbortSignal | undefined;
}

export function executionScope(runtime: KitaruRuntime, options: CallOptions = {}): ExecutionScope {
  const connection = runtime.connection();
  const api = runtime.api(connection);
  const explicitProject = runtime.env.KITARU_PROJECT?.trim() || runtime.env.ZENML_ACTIVE_PROJECT_ID || undefined;
  return { api, project: runtime.project(connection), explicitProject, signal: options.signal };
}

/** The exception text Python's ZenML client would show for the same failure. */
export function pythonErrorText(error: unknown): string {
  // str(KeyError(msg)) is repr(msg), with Python's quote choice and escaping.
  if (error instanceof ZenmlApiError && (error.exceptionClass === 'KeyError' || error.exceptionClass === 'ZenKeyError')) {
    return pyStrRepr(error.detail);
  }
  if (error instanceof ZenmlApiError) return error.pythonText();
  if (error instanceof Error) return error.message;
  return String(error);
}

const UUID_PATTERN = /^(?:urn:uuid:)?\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

/** ZenML's Client._get_entity_by_id_or_name_or_prefix for runs, without name-prefix matching. */
async function fetchRunModel(scope: ExecutionScope, execId: string): Promise<RunModel> {
  const { api, project, signal } = scope;
  const explicitProject = scope.explicitProject;
  if (UUID_PATTERN.test(execId)) {
    return api.get<RunModel>(`/api/v1/runs/${encodeURIComponent(execId)}`, { query: { hydrate: true }, signal });
  }
  const byName = await api.get<{ total: number; items: RunModel[] }>('/api/v1/runs', {
    query: { name: `equals:${execId}`, hydrate: true, project },
    signal,
  });
  if (byName.total === 1 && byName.items[0] !== undefined) return byName.items[0];
  const scopeText = explicitProject ? `in project ${explicitProject} ` : '';
  if (byName.total === 0) {
    const byPrefix = await api.get<{ total: number; items: RunModel[] }>('/api/v1/runs', {
      query: { logical_operator: 'or', id: `startswith:${execId}`, hydrate: true, project },
      signal,
    });
    if (byPrefix.total === 1 && byPrefix.items[0] !== undefined) return byPrefix.items[0];
    if (byPrefix.total === 0) {
      // str(KeyError(msg)) is repr(msg); ZenML's missing space after "found" is kept.
      throw new Error(
        pyStrRepr(`No runs have been found${scopeText} that have an ID prefix that matches the provided string '${execId}'.`),
      );
    }
    const ambiguous = byPrefix.items.map((item) => (item.name ? `${item.name}: ${item.id}` : item.id));
    throw new Error(
      `${byPrefix.total} runs have been found${scopeText} that have an ID prefix that matches the provided string '${execId}':\n` +
        `[${ambiguous.map(pyStrRepr).join(', ')}].\nPlease provide more characters to uniquely identify only one of the runss.`,
    );
  }
  const formatted = byName.items.map((item) => `- ${item.name}: (id: ${item.id})\n`);
  throw new Error(
    `${byName.total} runs have been found ${scopeText}that have a name that matches the provided string '${execId}':\n` +
      `[${formatted.map(pyStrRepr).join(', ')}].\nPlease use the id to uniquely identify only one of the runss.`,
  );
}

/** KitaruClient._get_pipeline_run: any failure reads "Failed to load execution ...". */
export async function loadRun(scope: ExecutionScope, execId: string): Promise<RunModel> {
  try {
    return await fetchRunModel(scope, execId);
  } catch (error) {
    if (scope.signal?.aborted) throw error;
    throw new KitaruBackendError(`Failed to load execution '${execId}': ${pythonErrorText(error)}`);
  }
}

// --- bulk fetches ---------------------------------------------------------------

/** Pending wait conditions, hydrated, grouped by run id, oldest first. */
async function pendingWaitsByRun(scope: ExecutionScope, runId?: string): Promise<Map<string, WaitConditionModel[]>> {
  const items = await scope.api.list<WaitConditionModel>('/api/v1/run_wait_conditions', {
    query: { pipeline_run: runId, project: scope.project, status: 'pending', hydrate: true, sort_by: 'asc:created' },
    pageSize: 200,
    signal: scope.signal,
  });
  const byRun = new Map<string, WaitConditionModel[]>();
  for (const item of items) {
    const run = (item.resources as { run?: { id?: string } } | undefined)?.run?.id ?? runId;
    if (run === undefined) continue;
    const list = byRun.get(String(run)) ?? [];
    list.push(item);
    byRun.set(String(run), list);
  }
  return byRun;
}

async function hydrateWait(scope: ExecutionScope, wait: WaitConditionModel): Promise<WaitConditionModel> {
  if (wait.metadata !== null && wait.metadata !== undefined) return wait;
  return scope.api.get<WaitConditionModel>(`/api/v1/run_wait_conditions/${encodeURIComponent(wait.id)}`, {
    query: { hydrate: true },
    signal: scope.signal,
  });
}

/** Artifact versions with run_metadata, in chunks of ids (one request per chunk, not per artifact). */
async function hydrateArtifacts(scope: ExecutionScope, ids: string[]): Promise<Map<string, ArtifactModel>> {
  const unique = [...new Set(ids)];
  const result = new Map<string, ArtifactModel>();
  for (let start = 0; start < unique.length; start += 100) {
    const chunk = unique.slice(start, start + 100);
    const items = await scope.api.list<ArtifactModel>('/api/v1/artifact_versions', {
      query: { id: `oneof:${JSON.stringify(chunk)}`, hydrate: true },
      pageSize: 1000,
      signal: scope.signal,
    });
    for (const item of items) result.set(String(item.id), item);
  }
  return result;
}

/** All step attempts of a run (retried ones included), as Python's _list_checkpoint_attempts_for_run. */
async function listStepAttempts(scope: ExecutionScope, runId: string): Promise<StepModel[]> {
  return scope.api.list<StepModel>('/api/v1/steps', {
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
}

/** run.steps: the latest attempt of each step (ZenML keys them by name). */
export async function listRunSteps(scope: ExecutionScope, run: RunModel): Promise<StepModel[]> {
  const projectId = (run.body as { project_id?: string } | undefined)?.project_id;
  const steps = await scope.api.list<StepModel>('/api/v1/steps', {
    query: { pipeline_run_id: run.id, project: projectId, exclude_retried: true, hydrate: true },
    pageSize: 1000,
    signal: scope.signal,
  });
  const byName = new Map<string, StepModel>();
  for (const step of steps) byName.set(String(step.name ?? ''), step);
  return [...byName.values()];
}

// --- pending waits ----------------------------------------------------------------

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
async function firstPendingWait(scope: ExecutionScope, run: RunModel): Promise<WaitConditionModel | null> {
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

// --- get ----------------------------------------------------------------------------

async function executionDetails(scope: ExecutionScope, run: RunModel): Promise<RunDetails> {
  const status = runStatus(run);
  let pendingWait: WaitConditionModel | null = null;
  if (status === 'waiting' || status === 'running') pendingWait = await firstPendingWait(scope, run);

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
  const latest = [...attemptsByLineage.keys()].map((key) => latestByLineage.get(key)!);
  const hydrated = await hydrateArtifacts(scope, latest.flatMap(stepArtifactIds));
  const checkpoints = latest.map((step) => mapCheckpoint(step, attemptsByLineage, hydrated));
  return { pendingWait, checkpoints };
}

export async function getExecutionFromRun(scope: ExecutionScope, run: RunModel): Promise<ExecutionPayload> {
  return serializeExecution(run, await executionDetails(scope, run));
}

export async function getExecution(runtime: KitaruRuntime, execId: string, options: CallOptions = {}): Promise<ExecutionPayload> {
  const scope = executionScope(runtime, options);
  return getExecutionFromRun(scope, await loadRun(scope, execId));
}

// --- list / latest --------------------------------------------------------------------

interface ListedExecution {
  run: RunModel;
  summary: ExecutionSummaryPayload;
  pendingWait: WaitConditionModel | null;
}

interface ListFilters {
  flow: string | null;
  status: string | null;
  limit: number | null;
}

/** KitaruClient.executions.list(flow, status, limit) -> summaries, with bulk wait lookups. */
async function listExecutionSummaries(scope: ExecutionScope, filters: ListFilters): Promise<ListedExecution[]> {
  const statusFilter = coerceStatusFilter(filters.status);
  if (filters.limit !== null && filters.limit < 1) throw new KitaruUsageError('`limit` must be >= 1 when provided.');
  // A scan with no limit (or a client-side filter) reads big pages: requests grow
  // with pages, so 2,000 runs cost 2 requests instead of 40.
  const pageSize = filters.limit !== null && statusFilter === null && filters.flow === null ? Math.min(Math.max(50, filters.limit), 1000) : 1000;
  const results: ListedExecution[] = [];
  // One listing of all pending waits serves every paused run of every page.
  let pendingByRun: Map<string, WaitConditionModel[]> | null | undefined;
  const pendingFor = async (run: RunModel): Promise<WaitConditionModel[]> => {
    if (pendingByRun === undefined) {
      try {
        pendingByRun = await pendingWaitsByRun(scope);
      } catch (error) {
        if (scope.signal?.aborted) throw error;
        pendingByRun = null;
      }
    }
    return pendingByRun?.get(run.id) ?? [];
  };

  const pages = scope.api.pages<RunModel>('/api/v1/runs', {
    query: { sort_by: 'desc:created', project: scope.project, hydrate: true },
    pageSize,
    signal: scope.signal,
  });
  for await (const runs of pages) {
    for (const run of runs) {
      const status = runStatus(run);
      let pendingWait: WaitConditionModel | null = null;
      const active = activeWaitCondition(run);
      if (status === 'waiting' || (status === 'running' && active !== null)) {
        const pending = await pendingFor(run);
        if (active !== null) {
          pendingWait = pending.find((c) => String(c.id) === String(active.id)) ?? (await hydrateWait(scope, active));
        } else {
          pendingWait = pending[0] ?? null;
        }
      }
      const summary = serializeExecutionSummary(run, { pendingWait, checkpoints: [] });
      if (filters.flow !== null && summary.flow_name !== filters.flow) continue;
      if (statusFilter !== null && summary.status !== statusFilter) continue;
      results.push({ run, summary, pendingWait });
      if (filters.limit !== null && results.length >= filters.limit) return results;
    }
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
export async function listExecutions(runtime: KitaruRuntime, args: ListExecutionsArgs, options: CallOptions = {}): Promise<ExecutionSummaryPayload[]> {
  if (args.limit !== null && args.limit < 1) throw new ValueError('`limit` must be >= 1 when provided.');
  const scope = executionScope(runtime, options);
  if (args.stack === null) {
    return (await listExecutionSummaries(scope, { flow: args.flow, status: args.status, limit: args.limit })).map((r) => r.summary);
  }
  const all = await listExecutionSummaries(scope, { flow: args.flow, status: args.status, limit: null });
  const filtered = all.filter((r) => r.summary.stack_name === args.stack).map((r) => r.summary);
  return args.limit !== null ? filtered.slice(0, args.limit) : filtered;
}

/** _interface_executions.latest_execution_filtered + serialize_execution. */
export async function latestExecution(
  runtime: KitaruRuntime,
  args: { status: string | null; flow: string | null; stack: string | null },
  options: CallOptions = {},
): Promise<ExecutionPayload> {
  const scope = executionScope(runtime, options);
  const found = await listExecutionSummaries(scope, { flow: args.flow, status: args.status, limit: args.stack === null ? 1 : null });
  const match = args.stack === null ? found[0] : found.find((r) => runStackName(r.run) === args.stack);
  if (match === undefined) {
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
export function validatePendingWaitInput(execution: ExecutionPayload, wait: string, value: unknown): void {
  const pending = execution.pending_wait as { name?: unknown; wait_id?: unknown; schema?: unknown } | null;
  if (pending === null || pending === undefined) return;
  if (wait !== pending.name && wait !== pending.wait_id) return;
  const schema = pending.schema as Record<string, unknown> | null | undefined;
  if (schema === null || schema === undefined) return;
  const type = schema.type;
  if (type === null || type === undefined) return;
  const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type : Object.keys(type as object);
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
      error instanceof ZenmlApiError && (error.exceptionClass === 'ValidationError' || error.exceptionClass === 'ValueError' || error.exceptionClass === 'TypeError');
    if (isValidation) {
      throw new KitaruWaitValidationError(`Wait input failed validation for '${condition.name}' on execution '${args.execId}': ${text}`);
    }
    throw new KitaruBackendError(`Failed to resolve wait condition '${condition.name}' for execution '${args.execId}': ${text}`);
  }
  return getExecution(runtime, args.execId, options);
}

