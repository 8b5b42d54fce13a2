// ZenML REST models -> Kitaru's public execution payloads, as Python's
// kitaru/_client/_mappers.py + kitaru/_inspection_serialization.py build them.
// Every function here is pure: fetching (and bulk-fetching) lives in executions.ts.
import { pyIsoformat, pyRepr as pyStrRepr, pyStrip } from '../compat/python.ts';
import { KitaruUsageError } from './errors.ts';
import { mapFailure } from './executions/failures.ts';
import { parseFrozenExecutionSpec } from './executions/frozen-spec.ts';
import type { ArtifactRef, Attempt, Checkpoint, Execution, ExecutionSummary, PendingWait } from './payloads/executions.ts';
import type { ArtifactModel, RunModel, StepModel, WaitConditionModel } from './zenml/runs.ts';

// Re-exported for the files that import them from here (moved to compat/python.ts).
export { pyIsoformat, pyStrRepr, pyStrip };

export type Json = unknown;
export type { ArtifactModel, RunModel, StepModel, WaitConditionModel } from './zenml/runs.ts';

export type PublicStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
export const PUBLIC_STATUSES: readonly PublicStatus[] = ['running', 'waiting', 'completed', 'failed', 'cancelled'];

const PIPELINE_PREFIX = '__kitaru_pipeline_source_';
const CHECKPOINT_PREFIX = '__kitaru_checkpoint_source_';

/**
 * ZenML execution states -> Kitaru's five public states.
 *
 * Python knows the first five groups and raises "Unsupported execution status
 * mapping" on anything else. Newer servers add states; a read tool must not
 * crash on them, so:
 *   queued, resuming         -> running   (accepted, not finished yet)
 *   cancelling, cancelled    -> cancelled (the same meaning as stopping/stopped)
 *   anything else unknown    -> running   (never claim a run finished when we cannot tell)
 */
export function toPublicStatus(status: unknown): PublicStatus {
  const value = String(status ?? '');
  switch (value) {
    case 'initializing':
    case 'provisioning':
    case 'running':
    case 'retrying':
      return 'running';
    case 'paused':
      return 'waiting';
    case 'completed':
    case 'cached':
    case 'skipped':
      return 'completed';
    case 'failed':
    case 'retried':
      return 'failed';
    case 'stopped':
    case 'stopping':
      return 'cancelled';
    // States Python's mapper never saw (see the comment above).
    case 'cancelling':
    case 'cancelled':
      return 'cancelled';
    case 'queued':
    case 'resuming':
      return 'running';
    default:
      return 'running';
  }
}

/** Python's _coerce_status_filter, message included. */
export function coerceStatusFilter(status: string | null): PublicStatus | null {
  if (status === null) return null;
  const normalized = pyStrip(status).toLowerCase();
  const known = PUBLIC_STATUSES.find((candidate) => candidate === normalized);
  if (known !== undefined) return known;
  throw new KitaruUsageError(`Unsupported status filter ${pyStrRepr(status)}. Expected one of: ${PUBLIC_STATUSES.join(', ')}.`);
}

export function normalizeFlowName(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  let name = pyStrip(String(value));
  if (name === '') return null;
  if (name.startsWith(PIPELINE_PREFIX)) name = name.slice(PIPELINE_PREFIX.length);
  return name === '' ? null : name;
}

export function normalizeCheckpointName(stepName: string): string {
  return stepName.startsWith(CHECKPOINT_PREFIX) ? stepName.slice(CHECKPOINT_PREFIX.length) : stepName;
}

/** Python's _to_plain_dict / dict(...) of a mapping ZenML gives (absent when unhydrated: {}). */
function plainDict(value: Record<string, unknown> | null | undefined): Record<string, unknown> {
  return { ...value };
}

export { type FailurePayload, mapFailure } from './executions/failures.ts';

// --- waits --------------------------------------------------------------------

/** A run wait condition as the server returns it hydrated (metadata present). */
export function mapPendingWait(condition: WaitConditionModel): NonNullable<PendingWait> {
  const metadata = condition.metadata;
  const schema = metadata?.data_schema;
  return {
    wait_id: String(condition.id),
    name: condition.name ?? null,
    question: metadata?.question ?? null,
    schema: schema === null || schema === undefined ? null : plainDict(schema),
    metadata: plainDict(metadata?.run_metadata),
    entered_waiting_at: pyIsoformat(condition.body?.created),
  };
}

// --- artifacts ----------------------------------------------------------------

export type ArtifactRefPayload = ArtifactRef;

/** `hydrated` is the same artifact version fetched with hydrate=true (for run_metadata); embedded copies lack it. */
export function mapArtifactRef(options: {
  artifact: ArtifactModel;
  hydrated: ArtifactModel | undefined;
  producingCall: string | null;
  name?: string | null;
  direction?: 'input' | 'output';
  inputType?: string | null;
  fallbackKind?: string | null;
}): ArtifactRefPayload {
  const { artifact } = options;
  const source = options.hydrated ?? artifact;
  const metadata = plainDict(source.metadata?.run_metadata);
  const rawKind = metadata.kitaru_artifact_type;
  const kind = typeof rawKind === 'string' ? rawKind : (options.fallbackKind ?? null);
  const body = source.body;
  const artifactName = options.name || String(body?.artifact.name ?? artifact.body?.artifact.name ?? '');
  const payload: ArtifactRefPayload = {
    artifact_id: String(artifact.id),
    name: artifactName,
    kind,
    save_type: String(body?.save_type ?? artifact.body?.save_type ?? ''),
    producing_call: options.producingCall,
    metadata,
  };
  if (options.direction === 'input') payload.direction = 'input';
  if (options.inputType !== null && options.inputType !== undefined) payload.input_type = options.inputType;
  return payload;
}

function adapterStructuralInputKind(checkpointType: string | null, inputName: string): string | null {
  if (checkpointType === 'llm_call' && inputName === 'input') return 'prompt';
  if (checkpointType === 'tool_call' && inputName === 'tool_args') return 'input';
  return null;
}

// --- checkpoints --------------------------------------------------------------

export function lineageKey(step: StepModel): string {
  const original = step.metadata?.original_step_run_id;
  return original !== null && original !== undefined ? String(original) : String(step.id);
}

/** The artifact versions a step embeds (inputs only where Kitaru exposes them), for bulk hydration. */
export function stepArtifactIds(step: StepModel): string[] {
  const ids: string[] = [];
  const checkpointType = stepType(step);
  for (const [inputName, list] of Object.entries(step.resources?.inputs ?? {})) {
    if (adapterStructuralInputKind(checkpointType, inputName) === null) continue;
    for (const artifact of list) ids.push(String(artifact.id));
  }
  for (const list of Object.values(step.resources?.outputs ?? {})) {
    for (const artifact of list) ids.push(String(artifact.id));
  }
  return ids;
}

function stepType(step: StepModel): string | null {
  const type = step.body?.type;
  return type === null || type === undefined || type === '' ? null : String(type);
}

function mapAttempt(step: StepModel): Attempt {
  const status = toPublicStatus(step.body?.status);
  const name = normalizeCheckpointName(String(step.name ?? ''));
  const metadata = step.metadata;
  return {
    attempt_id: String(step.id),
    status,
    started_at: pyIsoformat(step.body?.start_time),
    ended_at: pyIsoformat(step.body?.end_time),
    metadata: plainDict(metadata?.run_metadata),
    failure: mapFailure(null, metadata?.exception_info ?? null, 'user_code', status === 'failed' ? `Checkpoint '${name}' failed.` : null),
  };
}

export function mapCheckpoint(
  step: StepModel,
  attemptsByLineage: Map<string, StepModel[]>,
  hydratedArtifacts: Map<string, ArtifactModel>,
): Checkpoint & { artifacts: ArtifactRefPayload[] } {
  const producingCall = normalizeCheckpointName(String(step.name ?? ''));
  const checkpointType = stepType(step);
  const seen = new Set<string>();
  const artifacts: ArtifactRefPayload[] = [];

  for (const [inputName, list] of Object.entries(step.resources?.inputs ?? {})) {
    const inputKind = adapterStructuralInputKind(checkpointType, inputName);
    if (inputKind === null) continue;
    for (const artifact of list) {
      const id = String(artifact.id);
      if (seen.has(id)) continue;
      seen.add(id);
      const inputType = artifact.input_type;
      artifacts.push(
        mapArtifactRef({
          artifact,
          hydrated: hydratedArtifacts.get(id),
          producingCall: null,
          name: inputName,
          direction: 'input',
          inputType: inputType === null || inputType === undefined ? null : String(inputType),
          fallbackKind: inputKind,
        }),
      );
    }
  }
  for (const [outputName, list] of Object.entries(step.resources?.outputs ?? {})) {
    for (const artifact of list) {
      const id = String(artifact.id);
      if (seen.has(id)) continue;
      seen.add(id);
      let outputKind: string | null = null;
      if (outputName === 'output') {
        if (checkpointType === 'llm_call') outputKind = 'response';
        else if (checkpointType === 'tool_call') outputKind = 'output';
      }
      artifacts.push(mapArtifactRef({ artifact, hydrated: hydratedArtifacts.get(id), producingCall, fallbackKind: outputKind }));
    }
  }

  const attempts = (attemptsByLineage.get(lineageKey(step)) ?? [step]).map(mapAttempt);
  const metadata = step.metadata;
  const original = metadata?.original_step_run_id;
  const parents = metadata?.parent_step_ids ?? [];
  return {
    call_id: String(step.id),
    name: producingCall,
    checkpoint_type: checkpointType,
    status: toPublicStatus(step.body?.status),
    started_at: pyIsoformat(step.body?.start_time),
    ended_at: pyIsoformat(step.body?.end_time),
    metadata: plainDict(metadata?.run_metadata),
    original_call_id: original === null || original === undefined ? null : String(original),
    parent_call_ids: parents.map(String),
    failure: attempts.length > 0 ? (attempts[attempts.length - 1]!.failure ?? null) : null,
    attempts,
    artifacts,
  };
}

export { parseFrozenExecutionSpec } from './executions/frozen-spec.ts';

// --- executions ---------------------------------------------------------------

/** Everything the mapper needs besides the run itself, already fetched. */
export interface RunDetails {
  pendingWait: WaitConditionModel | null;
  /** Only for full executions: checkpoint rows in Python's order, artifacts deduplicated. */
  checkpoints: Checkpoint[];
}

export function runStatus(run: RunModel): PublicStatus {
  return toPublicStatus(run.body?.status);
}

export function activeWaitCondition(run: RunModel): WaitConditionModel | null {
  return run.resources?.active_wait_condition ?? null;
}

export function runStackName(run: RunModel): string | null {
  const stack = run.resources?.stack;
  return stack === null || stack === undefined ? null : stack.name;
}

export function runFlowName(run: RunModel): string | null {
  const pipeline = run.resources?.pipeline;
  if (pipeline === null || pipeline === undefined) return null;
  return normalizeFlowName(pipeline.name);
}

/** Python's serialize_execution_summary(_map_execution(...)). */
export function serializeExecutionSummary(run: RunModel, details: RunDetails): ExecutionSummary {
  let status = runStatus(run);
  const pendingWait = details.pendingWait === null ? null : mapPendingWait(details.pendingWait);
  if (pendingWait !== null) status = 'waiting';
  const metadata = run.metadata;
  // Python reads getattr(run, "status_reason", None), and PipelineRunResponse
  // has no such attribute (only its body does): Kitaru always sees None.
  const statusReason: string | null = null;
  const exceptionInfo = metadata?.exception_info ?? null;
  const failure =
    status === 'failed'
      ? mapFailure(statusReason, exceptionInfo, exceptionInfo !== null ? 'user_code' : 'unknown', `Execution ${run.id} failed.`)
      : null;

  const pipeline = run.resources?.pipeline;
  let flowId: string | null = null;
  let flowName: string | null = null;
  if (pipeline !== null && pipeline !== undefined) {
    const rawId = pipeline.id;
    flowId = rawId === null || rawId === undefined ? null : String(rawId);
    flowName = normalizeFlowName(pipeline.name);
  }
  return {
    exec_id: String(run.id),
    flow_id: flowId,
    flow_name: flowName,
    status,
    started_at: pyIsoformat(metadata?.start_time),
    ended_at: pyIsoformat(metadata?.end_time),
    stack_name: runStackName(run),
    status_reason: statusReason,
    pending_wait: pendingWait,
    failure,
    metadata: plainDict(metadata?.run_metadata),
    checkpoint_count: details.checkpoints.length,
    artifact_count: dedupeArtifacts(details.checkpoints).length,
  };
}

/** Python's serialize_execution(_map_execution(..., include_details=True)). */
export function serializeExecution(run: RunModel, details: RunDetails): Execution {
  const summary = serializeExecutionSummary(run, details);
  const original = run.resources?.original_run;
  return {
    ...summary,
    frozen_execution_spec: parseFrozenExecutionSpec(run.metadata?.run_metadata.kitaru_execution_spec),
    original_exec_id: original === null || original === undefined ? null : String(original.id),
    checkpoints: details.checkpoints,
    artifacts: dedupeArtifacts(details.checkpoints),
  };
}

/** One entry per artifact id; an output replaces an input seen earlier. */
export function dedupeArtifacts(checkpoints: Array<{ artifacts: ArtifactRefPayload[] }>): ArtifactRefPayload[] {
  const artifacts: ArtifactRefPayload[] = [];
  const indexById = new Map<string, number>();
  for (const checkpoint of checkpoints) {
    for (const artifact of checkpoint.artifacts) {
      const index = indexById.get(artifact.artifact_id);
      if (index === undefined) {
        indexById.set(artifact.artifact_id, artifacts.length);
        artifacts.push(artifact);
        continue;
      }
      if (artifacts[index]!.direction === 'input' && artifact.direction !== 'input') artifacts[index] = artifact;
    }
  }
  return artifacts;
}
