// Artifacts of an execution: metadata over REST, values from the server when
// they are plain JSON files, otherwise through the user's Python (ZenML's
// materializers only exist there).
import type { ArtifactWithValue } from './payloads/executions.ts';
import { isPyInt, isPyNumber, parseJson, stringifyJson } from '../compat/json.ts';
import { gunzipSync } from 'node:zlib';
import { KitaruBackendError, KitaruUsageError } from './errors.ts';
import { type ArtifactModel, type ArtifactRefPayload, mapArtifactRef, normalizeCheckpointName, pyStrRepr } from './execution-mapping.ts';
import { type CallOptions, type ExecutionScope, executionArtifacts, executionScope, loadRun, pythonErrorText } from './executions.ts';
import { runKitaruHelper } from './python.ts';
import type { KitaruRuntime } from './runtime.ts';
import { pageOf } from '../http/client.ts';
import { ArtifactVersionResponse, StringResponse } from './zenml/models.ts';
import { PY_UUID_PATTERN } from './ids.ts';

export interface ListArtifactsArgs {
  execId: string;
  name: string | null;
  kind: string | null;
  producingCall: string | null;
  limit: number | null;
}

/**
 * KitaruClient.artifacts.list: the execution's artifacts, filtered. Python
 * loads the whole execution; the filters here run before the artifact
 * versions are fetched, which gives the same list for less.
 */
export async function listArtifacts(
  runtime: KitaruRuntime,
  args: ListArtifactsArgs,
  options: CallOptions = {},
): Promise<ArtifactRefPayload[]> {
  if (args.limit !== null && args.limit < 1) throw new KitaruUsageError('`limit` must be >= 1 when provided.');
  const scope = executionScope(runtime, options);
  const run = await loadRun(scope, args.execId);
  return executionArtifacts(scope, run, (all, hydrated) => {
    let artifacts = all;
    if (args.name !== null) artifacts = artifacts.filter((a) => a.name === args.name);
    // The kind comes from the hydrated metadata; before that it is unknown.
    if (args.kind !== null && hydrated) artifacts = artifacts.filter((a) => a.kind === args.kind);
    if (args.producingCall !== null) artifacts = artifacts.filter((a) => a.producing_call === args.producingCall);
    const limited = args.kind === null || hydrated;
    return args.limit !== null && limited ? artifacts.slice(0, args.limit) : artifacts;
  });
}

/** ZenML parses artifact ids with UUID(text, version=4), which overwrites the version and variant bits. */
function asVersion4Uuid(text: string): string {
  const hex = text
    .replace(/^urn:uuid:/i, '')
    .replace(/[{}-]/g, '')
    .toLowerCase();
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const fixed = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
  return `${fixed.slice(0, 8)}-${fixed.slice(8, 12)}-${fixed.slice(12, 16)}-${fixed.slice(16, 20)}-${fixed.slice(20)}`;
}

const ArtifactVersionPage = pageOf(ArtifactVersionResponse);

/** ZenML's get_artifact_version(name_id_or_prefix): id, else latest of that name, else id prefix. */
async function fetchArtifactVersion(scope: ExecutionScope, artifactId: string): Promise<ArtifactModel> {
  const { api, project, signal } = scope;
  if (PY_UUID_PATTERN.test(artifactId)) {
    return api.get(`/api/v1/artifact_versions/${asVersion4Uuid(artifactId)}`, {
      query: { hydrate: true },
      signal,
      model: ArtifactVersionResponse,
    });
  }
  const byName = await api.get('/api/v1/artifact_versions', {
    model: ArtifactVersionPage,
    query: { size: 1, sort_by: 'desc:created', artifact: artifactId, hydrate: true, project },
    signal,
  });
  if (byName.items.length === 1) return byName.items[0]!;
  const byPrefix = await api.get('/api/v1/artifact_versions', {
    model: ArtifactVersionPage,
    query: { id: `startswith:${artifactId}`, hydrate: true },
    signal,
  });
  const scopeText = scope.explicitProject ? ` in project ${scope.explicitProject}` : '';
  if (byPrefix.total === 1) return byPrefix.items[0]!;
  if (byPrefix.total === 0) {
    const message = `No artifact_versions found for name, ID or prefix ${artifactId}${scopeText}.`;
    throw new Error(pyStrRepr(message));
  }
  throw new Error(
    `${byPrefix.total} artifact_versions have been found${scopeText} that have an id prefix that matches the provided string '${artifactId}'.`,
  );
}

/** The artifact version, hydrated, with KitaruClient's error for one it can't read. */
async function readArtifactModel(scope: ExecutionScope, artifactId: string): Promise<ArtifactModel> {
  try {
    return await fetchArtifactVersion(scope, artifactId);
  } catch (error) {
    if (scope.signal?.aborted) throw error;
    throw new KitaruBackendError(`Failed to load artifact '${artifactId}': ${pythonErrorText(error)}`);
  }
}

/** KitaruClient.artifacts.get's ref of a version read: producing_call comes from the producer step. */
async function refOf(scope: ExecutionScope, model: ArtifactModel): Promise<ArtifactRefPayload> {
  const producer = (model.resources as { producer_step_run_id?: string | null } | undefined)?.producer_step_run_id ?? null;
  let producingCall: string | null = null;
  if (producer !== null) {
    const step = await scope.api.get<{ name?: string }>(`/api/v1/steps/${encodeURIComponent(producer)}`, {
      query: { hydrate: true },
      signal: scope.signal,
    });
    producingCall = normalizeCheckpointName(String(step.name ?? ''));
  }
  return mapArtifactRef({ artifact: model, hydrated: model, producingCall });
}

// --- values -----------------------------------------------------------------------

/**
 * The most characters of a value we put in one tool result (~50k tokens).
 * Larger values are cut, and the result says so: `value_truncated: true` and
 * `value_total_chars` (the full length of the JSON text or repr). Python has
 * no limit; below the budget our result is identical to Python's.
 */
export const ARTIFACT_VALUE_BUDGET_CHARS = 200_000;

export interface ArtifactValue {
  value: unknown;
  value_format: 'json' | 'repr';
  value_type: string;
  value_truncated?: true;
  value_total_chars?: number;
}

const JSON_TYPES = new Set(['str', 'int', 'float', 'bool', 'dict', 'list']);
const BUILT_IN_MATERIALIZERS = new Set(['BuiltInMaterializer', 'BuiltInContainerMaterializer']);

/** Entries of a tar archive (regular files only). */
function readTar(buffer: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= buffer.length) {
    const header = buffer.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    offset += 512;
    if (type === '0' || type === '') files.set(name.replace(/^\.\//, ''), buffer.subarray(offset, offset + size));
    offset += Math.ceil(size / 512) * 512;
  }
  return files;
}

function jsonTypeMatches(value: unknown, type: string): boolean {
  switch (type) {
    case 'str':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'int':
      return isPyInt(value);
    case 'float':
      return isPyNumber(value);
    case 'dict':
      return value !== null && typeof value === 'object' && !Array.isArray(value) && !isPyNumber(value);
    case 'list':
      return Array.isArray(value);
    default:
      return false;
  }
}

/**
 * The value straight from the server when ZenML's built-in materializer
 * stored it as one data.json of a plain JSON type; null when Python is needed.
 */
async function valueFromServer(scope: ExecutionScope, model: ArtifactModel): Promise<ArtifactValue | null> {
  const body = (model.body ?? {}) as {
    materializer?: { module?: string; attribute?: string };
    data_type?: { module?: string; attribute?: string };
  };
  const materializer = body.materializer;
  const dataType = body.data_type;
  if (materializer?.module !== 'zenml.materializers.built_in_materializer' || !BUILT_IN_MATERIALIZERS.has(String(materializer.attribute)))
    return null;
  if (dataType?.module !== 'builtins' || !JSON_TYPES.has(String(dataType.attribute))) return null;
  try {
    const id = encodeURIComponent(model.id);
    const token = await scope.api.get(`/api/v1/artifact_versions/${id}/download-token`, { signal: scope.signal, model: StringResponse });
    // Through the client: the archive is bounded and TLS-checked like every other answer.
    const archive = await scope.api.download(`/api/v1/artifact_versions/${id}/data`, {
      query: { token },
      signal: scope.signal,
      timeoutMs: 60_000,
    });
    if (archive === null) return null;
    const files = readTar(gunzipSync(archive, { maxOutputLength: scope.api.maxResponseBytes }));
    const names = [...files.keys()].filter((name) => name !== '');
    if (names.length !== 1 || names[0] !== 'data.json') return null;
    const text = files.get('data.json')!.toString('utf8');
    // Read as Python reads it: 2.0 stays a float, big ints keep every digit, NaN/Infinity are floats.
    const value: unknown = parseJson(text);
    if (!jsonTypeMatches(value, String(dataType.attribute))) return null;
    return { value, value_format: 'json', value_type: `builtins.${dataType.attribute}` };
  } catch (error) {
    if (scope.signal?.aborted) throw error;
    return null;
  }
}

/** The value loaded by ZenML's materializer in the user's Python, from the version record already read. */
async function valueFromPython(
  runtime: KitaruRuntime,
  artifactId: string,
  model: ArtifactModel,
  signal: AbortSignal | undefined,
): Promise<ArtifactValue> {
  return runKitaruHelper<ArtifactValue>(
    runtime,
    'artifacts.artifact_value',
    { artifact_id: artifactId, version: model },
    {
      ...(signal ? { signal } : {}),
      timeoutMs: 120_000,
    },
  );
}

export function applyValueBudget(value: ArtifactValue, budget = ARTIFACT_VALUE_BUDGET_CHARS): ArtifactValue {
  const text = value.value_format === 'repr' ? String(value.value) : stringifyJson(value.value);
  if (text === undefined || text.length <= budget) return value;
  const marker = `... [kitaru-mcp: value truncated, showing the first ${budget} of ${text.length} characters${
    value.value_format === 'json' ? ' of its JSON text' : ''
  }]`;
  return {
    value: text.slice(0, budget) + marker,
    value_format: value.value_format,
    value_type: value.value_type,
    value_truncated: true,
    value_total_chars: text.length,
  };
}

/** mcp kitaru_artifacts_get: the ref's fields followed by value, value_format, value_type. */
export async function getArtifactWithValue(
  runtime: KitaruRuntime,
  artifactId: string,
  options: CallOptions = {},
): Promise<ArtifactWithValue> {
  const scope = executionScope(runtime, options);
  const model = await readArtifactModel(scope, artifactId);
  // The producer step and the value are read side by side; Python reads the
  // step first, so when both fail, the step's failure is the one reported.
  const [ref, loaded] = await Promise.allSettled([
    refOf(scope, model),
    (async () => (await valueFromServer(scope, model)) ?? (await valueFromPython(runtime, artifactId, model, options.signal)))(),
  ]);
  if (ref.status === 'rejected') throw ref.reason;
  if (loaded.status === 'rejected') throw loaded.reason;
  return { ...ref.value, ...applyValueBudget(loaded.value) };
}
