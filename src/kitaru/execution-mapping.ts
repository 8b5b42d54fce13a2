// ZenML REST models -> Kitaru's public execution payloads, as Python's
// kitaru/_client/_mappers.py + kitaru/_inspection_serialization.py build them.
// Every function here is pure: fetching (and bulk-fetching) lives in executions.ts.
import { isPyNumber } from '../compat/json.ts';
import { pyIsoformat, pySplitLines, pyRepr as pyStrRepr, pyStrip } from '../compat/python.ts';
import { KitaruUsageError } from './errors.ts';

// Re-exported for the files that import them from here (moved to compat/python.ts).
export { pyIsoformat, pyStrRepr, pyStrip };

export type Json = unknown;
type Obj = Record<string, unknown>;

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
  if ((PUBLIC_STATUSES as readonly string[]).includes(normalized)) return normalized as PublicStatus;
  throw new KitaruUsageError(
    `Unsupported status filter ${pyStrRepr(status)}. Expected one of: ${PUBLIC_STATUSES.join(', ')}.`,
  );
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

function obj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isPyNumber(value) ? (value as Obj) : {};
}

function plainDict(value: unknown): Obj {
  return { ...obj(value) };
}

// --- failures -----------------------------------------------------------------

const DIVERGENCE_HINTS = ['diverg', 'durable call sequence', 'replay mismatch'];
const RUNTIME_HINTS = [
  'serialize',
  'serialization',
  'deserialize',
  'materializ',
  'hydrate',
  'reconstruct',
  'materializer',
  'kitaruruntimeerror',
  'could not persist the flow return value',
  'artifact save failed',
];
const BACKEND_HINTS = ['backend communication', 'connection refused', 'transport error', 'failed to fetch', 'api unavailable'];

type FailureOrigin = 'user_code' | 'runtime' | 'backend' | 'divergence' | 'unknown';

function classifyFailureOrigin(statusReason: string | null, traceback: string | null, fallback: FailureOrigin): FailureOrigin {
  const text = [statusReason ?? '', traceback ?? ''].join('\n').toLowerCase();
  if (DIVERGENCE_HINTS.some((hint) => text.includes(hint))) return 'divergence';
  if (RUNTIME_HINTS.some((hint) => text.includes(hint))) return 'runtime';
  if (BACKEND_HINTS.some((hint) => text.includes(hint))) return 'backend';
  return fallback;
}

function tracebackLastLine(traceback: string | null): string | null {
  if (!traceback) return null;
  const lines = pySplitLines(traceback);
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const stripped = pyStrip(lines[i]!);
    if (stripped) return stripped;
  }
  return null;
}

function tracebackExceptionType(traceback: string | null): string | null {
  const tail = tracebackLastLine(traceback);
  if (tail === null) return null;
  const match = /^([A-Za-z_][A-Za-z0-9_.]*)\s*:/.exec(tail);
  return match ? match[1]! : null;
}

export interface FailurePayload {
  message: string;
  exception_type: string | null;
  traceback: string | null;
  origin: FailureOrigin;
}

function mapFailure(
  statusReason: string | null,
  exceptionInfo: unknown,
  defaultOrigin: FailureOrigin,
  fallbackMessage: string | null,
): FailurePayload | null {
  let traceback: string | null = null;
  if (exceptionInfo !== null && exceptionInfo !== undefined) {
    const raw = obj(exceptionInfo).traceback;
    traceback = typeof raw === 'string' ? raw : null;
  }
  const message = statusReason || tracebackLastLine(traceback) || fallbackMessage;
  if (message === null || message === undefined) return null;
  return {
    message,
    exception_type: tracebackExceptionType(traceback),
    traceback,
    origin: classifyFailureOrigin(statusReason, traceback, defaultOrigin),
  };
}

// --- waits --------------------------------------------------------------------

/** A run wait condition as the server returns it hydrated (metadata present). */
export type WaitConditionModel = Obj & { id: string; name?: string };

export function mapPendingWait(condition: WaitConditionModel): Obj {
  const metadata = obj(condition.metadata);
  const schema = metadata.data_schema;
  return {
    wait_id: String(condition.id),
    name: condition.name ?? null,
    question: metadata.question ?? null,
    schema: schema === null || schema === undefined ? null : plainDict(schema),
    metadata: plainDict(metadata.run_metadata),
    entered_waiting_at: pyIsoformat(obj(condition.body).created),
  };
}

// --- artifacts ----------------------------------------------------------------

export type ArtifactModel = Obj & { id: string };

export interface ArtifactRefPayload extends Obj {
  artifact_id: string;
  name: string;
  kind: string | null;
  save_type: string;
  producing_call: string | null;
  metadata: Obj;
  direction?: 'input';
  input_type?: string;
}

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
  const metadata = plainDict(obj(source.metadata).run_metadata);
  const rawKind = metadata.kitaru_artifact_type;
  const kind = typeof rawKind === 'string' ? rawKind : (options.fallbackKind ?? null);
  const body = obj(source.body);
  const artifactName = options.name || String(obj(body.artifact).name ?? obj(obj(artifact.body).artifact).name ?? '');
  const payload: ArtifactRefPayload = {
    artifact_id: String(artifact.id),
    name: artifactName,
    kind,
    save_type: String(body.save_type ?? obj(artifact.body).save_type ?? ''),
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

export type StepModel = Obj & { id: string; name?: string };

export function lineageKey(step: StepModel): string {
  const original = obj(step.metadata).original_step_run_id;
  return original !== null && original !== undefined ? String(original) : String(step.id);
}

/** The artifact versions a step embeds (inputs only where Kitaru exposes them), for bulk hydration. */
export function stepArtifactIds(step: StepModel): string[] {
  const ids: string[] = [];
  const resources = obj(step.resources);
  const checkpointType = stepType(step);
  for (const [inputName, list] of Object.entries(obj(resources.inputs))) {
    if (adapterStructuralInputKind(checkpointType, inputName) === null) continue;
    for (const artifact of Array.isArray(list) ? list : []) ids.push(String(obj(artifact).id));
  }
  for (const list of Object.values(obj(resources.outputs))) {
    for (const artifact of Array.isArray(list) ? list : []) ids.push(String(obj(artifact).id));
  }
  return ids;
}

function stepType(step: StepModel): string | null {
  const type = obj(step.body).type;
  return type === null || type === undefined || type === '' ? null : String(type);
}

function mapAttempt(step: StepModel): Obj {
  const status = toPublicStatus(obj(step.body).status);
  const name = normalizeCheckpointName(String(step.name ?? ''));
  const metadata = obj(step.metadata);
  return {
    attempt_id: String(step.id),
    status,
    started_at: pyIsoformat(obj(step.body).start_time),
    ended_at: pyIsoformat(obj(step.body).end_time),
    metadata: plainDict(metadata.run_metadata),
    failure: mapFailure(null, metadata.exception_info ?? null, 'user_code', status === 'failed' ? `Checkpoint '${name}' failed.` : null),
  };
}

export function mapCheckpoint(
  step: StepModel,
  attemptsByLineage: Map<string, StepModel[]>,
  hydratedArtifacts: Map<string, ArtifactModel>,
): Obj & { artifacts: ArtifactRefPayload[] } {
  const producingCall = normalizeCheckpointName(String(step.name ?? ''));
  const checkpointType = stepType(step);
  const resources = obj(step.resources);
  const seen = new Set<string>();
  const artifacts: ArtifactRefPayload[] = [];

  for (const [inputName, list] of Object.entries(obj(resources.inputs))) {
    const inputKind = adapterStructuralInputKind(checkpointType, inputName);
    if (inputKind === null) continue;
    for (const raw of Array.isArray(list) ? list : []) {
      const artifact = raw as ArtifactModel;
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
  for (const [outputName, list] of Object.entries(obj(resources.outputs))) {
    for (const raw of Array.isArray(list) ? list : []) {
      const artifact = raw as ArtifactModel;
      const id = String(artifact.id);
      if (seen.has(id)) continue;
      seen.add(id);
      let outputKind: string | null = null;
      if (outputName === 'output') {
        if (checkpointType === 'llm_call') outputKind = 'response';
        else if (checkpointType === 'tool_call') outputKind = 'output';
      }
      artifacts.push(
        mapArtifactRef({ artifact, hydrated: hydratedArtifacts.get(id), producingCall, fallbackKind: outputKind }),
      );
    }
  }

  const attempts = (attemptsByLineage.get(lineageKey(step)) ?? [step]).map(mapAttempt);
  const metadata = obj(step.metadata);
  const original = metadata.original_step_run_id;
  const parents = Array.isArray(metadata.parent_step_ids) ? metadata.parent_step_ids : [];
  return {
    call_id: String(step.id),
    name: producingCall,
    checkpoint_type: checkpointType,
    status: toPublicStatus(obj(step.body).status),
    started_at: pyIsoformat(obj(step.body).start_time),
    ended_at: pyIsoformat(obj(step.body).end_time),
    metadata: plainDict(metadata.run_metadata),
    original_call_id: original === null || original === undefined ? null : String(original),
    parent_call_ids: parents.map(String),
    failure: attempts.length > 0 ? (attempts[attempts.length - 1]!.failure as FailurePayload | null) : null,
    attempts,
    artifacts,
  };
}

// --- frozen execution spec ----------------------------------------------------

/** A pydantic model's field list: name -> parser that throws on invalid input. */
type FieldParser = (value: unknown, present: boolean) => unknown;

class Invalid extends Error {}

const optStr: FieldParser = (v) => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Invalid();
  return v;
};
const optStrNonEmpty: FieldParser = (v) => {
  const s = optStr(v, true);
  if (s === null) return null;
  const stripped = pyStrip(s as string);
  if (!stripped) throw new Invalid();
  return stripped;
};
const optBool: FieldParser = (v) => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  throw new Invalid();
};
const int = (v: unknown): number => {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  throw new Invalid();
};
const optInt: FieldParser = (v) => (v === undefined || v === null ? null : int(v));
const optStrList: FieldParser = (v) => {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Invalid();
  return [...v];
};
const optStrDict: FieldParser = (v) => {
  if (v === undefined || v === null) return null;
  const o = obj(v);
  if (v !== o || Object.values(o).some((x) => typeof x !== 'string')) throw new Invalid();
  return { ...o };
};

function model(fields: Record<string, FieldParser>, extra: 'ignore' | 'forbid'): (v: unknown) => Obj {
  return (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Invalid();
    const input = v as Obj;
    if (extra === 'forbid' && Object.keys(input).some((k) => !(k in fields))) throw new Invalid();
    const out: Obj = {};
    for (const [name, parse] of Object.entries(fields)) out[name] = parse(input[name], name in input);
    return out;
  };
}

const imageSettings = model(
  {
    base_image: optStrNonEmpty,
    requirements: optStrList,
    dockerfile: optStrNonEmpty,
    build_context_root: optStrNonEmpty,
    environment: optStrDict,
    secret_environment_from: optStrList,
    apt_packages: optStrList,
    replicate_local_python_environment: optBool,
    image_tag: optStrNonEmpty,
    target_repository: optStrNonEmpty,
    user: optStrNonEmpty,
    platform: optStrNonEmpty,
  },
  'forbid',
);
const optImage: FieldParser = (v) => (v === undefined || v === null ? null : imageSettings(v));

const resolvedExecution = model(
  {
    stack: optStrNonEmpty,
    image: optImage,
    cache: optBool,
    retries: (v, present) => {
      if (!present) throw new Invalid();
      const n = int(v);
      if (n < 0) throw new Invalid();
      return n;
    },
  },
  'ignore',
);
const kitaruConfig = model(
  {
    stack: optStrNonEmpty,
    image: optImage,
    cache: optBool,
    retries: optInt,
    server_url: optStr,
    auth_token: optStrNonEmpty,
    project: optStrNonEmpty,
  },
  'ignore',
);
const connectionConfig = model({ server_url: optStr, auth_token: optStr, project: optStr }, 'ignore');
const modelAlias = model(
  {
    model: (v) => {
      if (typeof v !== 'string' || !pyStrip(v)) throw new Invalid();
      return pyStrip(v);
    },
    secret: optStrNonEmpty,
  },
  'ignore',
);
const modelRegistry = model(
  {
    aliases: (v) => {
      if (v === undefined || v === null) return {};
      if (v !== obj(v)) throw new Invalid();
      const out: Obj = {};
      for (const [alias, config] of Object.entries(obj(v))) out[pyStrip(alias).toLowerCase()] = modelAlias(config);
      return out;
    },
    default: optStr,
  },
  'ignore',
);

/**
 * Python's _parse_frozen_execution_spec + to_jsonable(model_dump()): the spec
 * with every default filled in, or null when it does not validate.
 */
export function parseFrozenExecutionSpec(raw: unknown): Obj | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const value: Obj = { ...(raw as Obj) };
  for (const field of ['resolved_execution', 'flow_defaults']) {
    const section = value[field];
    if (section === null || typeof section !== 'object' || Array.isArray(section)) continue;
    const s = section as Obj;
    if ('stack' in s || !('runner' in s)) continue;
    value[field] = { ...s, stack: s.runner };
  }
  try {
    return {
      version: 'version' in value ? int(value.version) : 1,
      resolved_execution: resolvedExecution(value.resolved_execution),
      flow_defaults: kitaruConfig(value.flow_defaults),
      connection: connectionConfig(value.connection),
      model_registry: value.model_registry === undefined || value.model_registry === null ? null : modelRegistry(value.model_registry),
    };
  } catch (error) {
    if (error instanceof Invalid) return null;
    throw error;
  }
}

// --- executions ---------------------------------------------------------------

export type RunModel = Obj & { id: string };

/** Everything the mapper needs besides the run itself, already fetched. */
export interface RunDetails {
  pendingWait: WaitConditionModel | null;
  /** Only for full executions: checkpoint rows in Python's order, artifacts deduplicated. */
  checkpoints: Array<Obj & { artifacts: ArtifactRefPayload[] }>;
}

export function runStatus(run: RunModel): PublicStatus {
  return toPublicStatus(obj(run.body).status);
}

export function activeWaitCondition(run: RunModel): WaitConditionModel | null {
  const wait = obj(run.resources).active_wait_condition;
  return wait === null || wait === undefined ? null : (wait as WaitConditionModel);
}

export function runStackName(run: RunModel): string | null {
  const stack = obj(run.resources).stack;
  if (stack === null || stack === undefined) return null;
  const name = obj(stack).name;
  return name === null || name === undefined ? null : String(name);
}

export function runFlowName(run: RunModel): string | null {
  const pipeline = obj(run.resources).pipeline;
  if (pipeline === null || pipeline === undefined) return null;
  return normalizeFlowName(obj(pipeline).name);
}

/** Python's serialize_execution_summary(_map_execution(...)). */
export function serializeExecutionSummary(run: RunModel, details: RunDetails): Obj {
  let status = runStatus(run);
  const pendingWait = details.pendingWait === null ? null : mapPendingWait(details.pendingWait);
  if (pendingWait !== null) status = 'waiting';
  const body = obj(run.body);
  const metadata = obj(run.metadata);
  // Python reads getattr(run, "status_reason", None), and PipelineRunResponse
  // has no such attribute (only its body does): Kitaru always sees None.
  void body;
  const statusReason: string | null = null;
  const exceptionInfo = metadata.exception_info ?? null;
  const failure =
    status === 'failed'
      ? mapFailure(statusReason, exceptionInfo, exceptionInfo !== null ? 'user_code' : 'unknown', `Execution ${run.id} failed.`)
      : null;

  const pipeline = obj(run.resources).pipeline;
  let flowId: string | null = null;
  let flowName: string | null = null;
  if (pipeline !== null && pipeline !== undefined) {
    const rawId = obj(pipeline).id;
    flowId = rawId === null || rawId === undefined ? null : String(rawId);
    flowName = normalizeFlowName(obj(pipeline).name);
  }
  return {
    exec_id: String(run.id),
    flow_id: flowId,
    flow_name: flowName,
    status,
    started_at: pyIsoformat(metadata.start_time),
    ended_at: pyIsoformat(metadata.end_time),
    stack_name: runStackName(run),
    status_reason: statusReason,
    pending_wait: pendingWait,
    failure,
    metadata: plainDict(metadata.run_metadata),
    checkpoint_count: details.checkpoints.length,
    artifact_count: dedupeArtifacts(details.checkpoints).length,
  };
}

/** Python's serialize_execution(_map_execution(..., include_details=True)). */
export function serializeExecution(run: RunModel, details: RunDetails): Obj {
  const summary = serializeExecutionSummary(run, details);
  const original = obj(run.resources).original_run;
  return {
    ...summary,
    frozen_execution_spec: parseFrozenExecutionSpec(plainDict(obj(run.metadata).run_metadata).kitaru_execution_spec),
    original_exec_id: original === null || original === undefined ? null : String(obj(original).id),
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
