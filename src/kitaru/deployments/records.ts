// Deployment records: Kitaru-owned snapshots (named `kitaru::<flow>::v<N>`)
// mapped to Python's deployment records, their serialized payload, and the
// version-or-tag selector rules. Pure: no requests.
import { isPyNumber } from '../../compat/json.ts';
import { KitaruUsageError } from '../errors.ts';
import type { Deployment } from '../payloads/deployments.ts';
import type { SnapshotModel } from '../zenml/models.ts';
import { parseDeploymentPublicTag, parseDeploymentSnapshotName, validateDeploymentTag, validateDeploymentVersion } from './names.ts';

type Json = Record<string, unknown>;

/** Python's deployment record; its serialized form is the deployment payload, key for key. */
export type DeploymentRecord = Deployment;

export type DeploymentPayload = DeploymentRecord;

export type SelectorSource = 'version' | 'tag' | 'implicit_default';

export interface DeploymentSelector {
  version: number | null;
  tag: string | null;
  source: SelectorSource | null;
}

/** Python's inspection.serialize_deployment, keys in Python's order. */
export function serializeDeployment(deployment: DeploymentRecord): DeploymentPayload {
  return {
    deployment_id: deployment.deployment_id,
    flow: deployment.flow,
    version: deployment.version,
    tags: { ...deployment.tags },
    commit_sha: deployment.commit_sha,
    commit_dirty: deployment.commit_dirty,
    image_digest: deployment.image_digest,
    created_at: deployment.created_at,
    schema: deployment.schema,
    stack: deployment.stack,
  };
}

/** Python's resolve_deployment_selector: validates and remembers how the selector was chosen. */
export function resolveDeploymentSelector(options: {
  version: number | null;
  tag: string | null;
  defaultTag?: string | null;
  requireOne?: boolean;
}): DeploymentSelector {
  const { version, tag } = options;
  if (version !== null && tag !== null) throw new KitaruUsageError('`version` and `tag` are mutually exclusive.');
  const normalizedVersion = version !== null ? validateDeploymentVersion(version) : null;
  let normalizedTag = tag !== null ? validateDeploymentTag(tag) : null;
  let source: SelectorSource | null = null;
  if (normalizedVersion !== null) source = 'version';
  else if (normalizedTag !== null) source = 'tag';
  else if (options.defaultTag != null) {
    normalizedTag = validateDeploymentTag(options.defaultTag);
    source = 'implicit_default';
  }
  if (options.requireOne && normalizedVersion === null && normalizedTag === null) {
    throw new KitaruUsageError('Exactly one of `version` or `tag` is required.');
  }
  return { version: normalizedVersion, tag: normalizedTag, source };
}

export function isMapping(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isPyNumber(value);
}

/** Python's kitaru._client._coercion.optional_string. */
function optionalString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text ? text : null;
}

function optionalBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(lowered)) return true;
    if (['false', '0', 'no'].includes(lowered)) return false;
  }
  return null;
}

/** Kitaru's own deployment metadata, looked up where Python looks for it. */
function deploymentExtra(snapshot: SnapshotModel): Json {
  const metadata = isMapping(snapshot.metadata) ? snapshot.metadata : {};
  for (const key of ['kitaru_deployment', 'kitaru_deployment_metadata']) {
    const raw = metadata[key];
    if (isMapping(raw)) return { ...raw };
  }
  const clientEnvironment = metadata.client_environment;
  if (isMapping(clientEnvironment)) {
    const raw = clientEnvironment.KITARU_DEPLOYMENT_METADATA;
    if (isMapping(raw)) return { ...raw };
  }
  return {};
}

function tagNames(snapshot: SnapshotModel): string[] {
  const raw = (snapshot.resources as Json | undefined)?.tags;
  const names = new Set<string>();
  for (const tag of Array.isArray(raw) ? raw : []) {
    const name = typeof tag === 'string' ? tag.trim() : String((tag as Json | null)?.name ?? '').trim();
    if (name) names.add(name);
  }
  return [...names];
}

/**
 * Public tags with their exclusivity. Python builds this from a set, so its
 * key order varies between processes; sorting makes ours stable.
 */
function deploymentTags(snapshot: SnapshotModel): Record<string, boolean> {
  const tags: Record<string, boolean> = {};
  for (const native of tagNames(snapshot).sort()) {
    const parsed = parseDeploymentPublicTag(native);
    if (parsed !== null) tags[parsed.tag] = parsed.exclusive;
  }
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function snapshotStackName(snapshot: SnapshotModel, extra: Json): string | null {
  const fromExtra = optionalString(extra.stack);
  if (fromExtra !== null) return fromExtra;
  const stack = (snapshot.resources as Json | undefined)?.stack as Json | null | undefined;
  if (!isMapping(stack)) return null;
  return optionalString(stack.name || stack.id);
}

export function mapDeploymentSnapshot(snapshot: SnapshotModel): DeploymentRecord | null {
  const parsed = parseDeploymentSnapshotName(snapshot.name);
  if (parsed === null) return null;
  const extra = deploymentExtra(snapshot);
  const created = (snapshot.body as Json | undefined)?.created;
  const metadata = isMapping(snapshot.metadata) ? snapshot.metadata : {};
  const schema = isMapping(extra.schema) ? extra.schema : isMapping(metadata.config_schema) ? metadata.config_schema : null;
  return {
    deployment_id: String(snapshot.id),
    flow: parsed.flow,
    version: parsed.version,
    tags: deploymentTags(snapshot),
    commit_sha: optionalString(extra.commit_sha),
    commit_dirty: optionalBool(extra.commit_dirty),
    image_digest: optionalString(extra.image_digest),
    created_at: typeof created === 'string' ? created : null,
    schema: schema === null ? null : { ...schema },
    stack: snapshotStackName(snapshot, extra),
  };
}
