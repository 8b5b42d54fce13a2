// Deployments over REST, as Python's KitaruClient().deployments does them:
// list named snapshots, map the Kitaru-owned ones to deployment records, and
// edit their native tags. Messages are Python's, word for word.
import { isPyNumber } from '../compat/json.ts';
import { ZenmlApiError } from '../http/errors.ts';
import type { ZenmlHttpClient } from '../http/client.ts';
import {
  DEFAULT_DEPLOYMENT_TAG,
  DEPLOYMENT_TAG_MARKER,
  deploymentPublicTag,
  parseDeploymentPublicTag,
  parseDeploymentSnapshotName,
  resolveDeploymentExclusive,
  validateDeploymentFlow,
  validateDeploymentTag,
  validateDeploymentVersion,
  validateRemoveDeploymentTag,
} from './deployment-names.ts';
import { KitaruBackendError, KitaruStateError, KitaruUsageError, LookupError, pyRepr } from './errors.ts';
import { getExecution } from './executions.ts';
import type { KitaruRuntime } from './runtime.ts';
import { assertStackRunnableFromServer } from './server-runnable.ts';
import { type SnapshotModel, SnapshotResponse, type StackModel, StackResponse } from './zenml/models.ts';

export { DEFAULT_DEPLOYMENT_TAG } from './deployment-names.ts';

type Json = Record<string, unknown>;

export interface DeploymentRecord {
  deployment_id: string;
  flow: string;
  version: number;
  tags: Record<string, boolean>;
  commit_sha: string | null;
  commit_dirty: boolean | null;
  image_digest: string | null;
  created_at: string | null;
  schema: Record<string, unknown> | null;
  stack: string | null;
}

export type DeploymentPayload = DeploymentRecord;

export type SelectorSource = 'version' | 'tag' | 'implicit_default';

export interface DeploymentSelector {
  version: number | null;
  tag: string | null;
  source: SelectorSource | null;
}

interface CallOptions {
  signal?: AbortSignal;
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

function isMapping(value: unknown): value is Json {
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

/** What Python shows for a ZenML failure: str(exc) of the re-raised server exception. */
function backendText(error: unknown): string {
  if (error instanceof ZenmlApiError) return error.pythonText();
  return error instanceof Error ? error.message : String(error);
}

const SNAPSHOTS = '/api/v1/pipeline_snapshots';

class DeploymentsApi {
  constructor(
    readonly api: ZenmlHttpClient,
    private readonly project: string | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /**
   * Kitaru's snapshots only (named `kitaru::<flow>::v<N>`), of one flow when
   * given: `startswith` (SQL LIKE) gives a superset that mapDeploymentSnapshot
   * and the flow check narrow exactly, as Python's scan of all named snapshots does.
   */
  async listSnapshots(flow: string | null = null): Promise<SnapshotModel[]> {
    const name = `startswith:kitaru::${flow === null ? '' : `${flow}::v`}`;
    try {
      return await this.api.list(SNAPSHOTS, {
        model: SnapshotResponse,
        query: { sort_by: 'asc:created', named_only: true, hydrate: true, project: this.project, name },
        pageSize: 100,
        signal: this.signal,
      });
    } catch (error) {
      throw new KitaruBackendError(`Failed to list deployment snapshots: ${backendText(error)}`);
    }
  }

  async listRecords(flow: string | null): Promise<DeploymentRecord[]> {
    const normalizedFlow = flow !== null ? validateDeploymentFlow(flow) : null;
    const records: DeploymentRecord[] = [];
    for (const snapshot of await this.listSnapshots(normalizedFlow)) {
      const record = mapDeploymentSnapshot(snapshot);
      if (record === null) continue;
      if (normalizedFlow !== null && record.flow !== normalizedFlow) continue;
      records.push(record);
    }
    return records.sort((a, b) => (a.flow < b.flow ? -1 : a.flow > b.flow ? 1 : a.version - b.version));
  }

  async resolveRecord(flow: string, selector: { version: number | null; tag: string | null }, source: SelectorSource | null = null): Promise<DeploymentRecord> {
    const { version, tag } = resolveDeploymentSelector({ ...selector, requireOne: true });
    const deployments = await this.listRecords(flow);
    if (version !== null) {
      const found = deployments.find((deployment) => deployment.version === version);
      if (found !== undefined) return found;
      throw new LookupError(`No deployment found for flow ${pyRepr(flow)} version ${version}.`);
    }
    const wanted = tag as string;
    const matches = deployments.filter((deployment) => wanted in deployment.tags);
    if (matches.length === 0) {
      if (source === 'implicit_default' && wanted === DEFAULT_DEPLOYMENT_TAG) {
        if (deployments.length === 0) {
          throw new LookupError(
            `No deployments found for flow ${pyRepr(flow)}. Deploy this flow first, then invoke it by version or tag.`,
          );
        }
        throw new KitaruStateError(
          `Flow ${pyRepr(flow)} has deployments, but none is currently routed as the default deployment. ` +
            "Invoke it with an explicit version or tag, or move the reserved 'default' tag to the version you want.",
        );
      }
      throw new LookupError(`No deployment found for flow ${pyRepr(flow)} with tag ${pyRepr(wanted)}.`);
    }
    if (matches.length === 1) return matches[0] as DeploymentRecord;
    throw new KitaruStateError(
      `Deployment tag ${pyRepr(wanted)} is ambiguous for flow ${pyRepr(flow)}; ` +
        `matched versions: ${matches.map((match) => String(match.version)).join(', ')}.`,
    );
  }

  async updateTags(deployment: DeploymentRecord, change: { add?: string[]; remove?: string[] }): Promise<void> {
    try {
      await this.api.put(`${SNAPSHOTS}/${encodeURIComponent(deployment.deployment_id)}`, {
        body: {
          add_tags: change.add && change.add.length > 0 ? change.add : null,
          remove_tags: change.remove && change.remove.length > 0 ? change.remove : null,
        },
        signal: this.signal,
      });
    } catch (error) {
      throw new KitaruBackendError(`Failed to update deployment '${deployment.deployment_id}': ${backendText(error)}`);
    }
  }

  async deleteSnapshot(deployment: DeploymentRecord): Promise<void> {
    try {
      await this.api.delete(`${SNAPSHOTS}/${encodeURIComponent(deployment.deployment_id)}`, { signal: this.signal });
    } catch (error) {
      throw new KitaruBackendError(`Failed to delete deployment '${deployment.deployment_id}': ${backendText(error)}`);
    }
  }

  /** The stack the deployment will run on, hydrated (components included), found where Python finds it. */
  async deploymentStack(deployment: DeploymentRecord): Promise<StackModel> {
    const snapshot = await this.api.get(`${SNAPSHOTS}/${encodeURIComponent(deployment.deployment_id)}`, {
      model: SnapshotResponse,
      query: { hydrate: true },
      signal: this.signal,
    });
    const resources = (snapshot.resources ?? {}) as Json;
    let stack = isMapping(resources.stack) ? (resources.stack as unknown as StackModel) : null;
    if (stack === null && isMapping(resources.build)) {
      const buildStack = (resources.build as Json).stack ?? ((resources.build as Json).metadata as Json | undefined)?.stack;
      if (isMapping(buildStack)) stack = buildStack as unknown as StackModel;
    }
    if (stack !== null) {
      // Python reads stack.components, which hydrates the stack on first access.
      return this.api.get(`/api/v1/stacks/${encodeURIComponent(stack.id)}`, {
        model: StackResponse,
        query: { hydrate: true },
        signal: this.signal,
      });
    }
    const label = `Deployment ${pyRepr(deployment.flow)} v${deployment.version}`;
    if (deployment.stack !== null) {
      try {
        return await this.getStackByNameOrId(deployment.stack);
      } catch {
        throw new KitaruStateError(
          `${label} references stack ${pyRepr(deployment.stack)}, but Kitaru could not load ` +
            'that stack to verify whether the server can execute it remotely. ' +
            'Rebuild the deployment using a stack the Kitaru server can execute remotely and try again.',
        );
      }
    }
    throw new KitaruStateError(
      `${label} is missing stack metadata, so Kitaru cannot verify whether the server can execute it remotely. ` +
        'Rebuild the deployment using a stack the Kitaru server can execute remotely and try again.',
    );
  }

  private async getStackByNameOrId(nameOrId: string): Promise<StackModel> {
    if (/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(nameOrId)) {
      return this.api.get(`/api/v1/stacks/${encodeURIComponent(nameOrId)}`, { query: { hydrate: true }, signal: this.signal, model: StackResponse });
    }
    const [found] = await this.api.list('/api/v1/stacks', { query: { name: nameOrId, hydrate: true }, limit: 1, signal: this.signal, model: StackResponse });
    if (found === undefined) throw new Error(`No stack with name '${nameOrId}' exists.`);
    return found;
  }

  async runSnapshot(deployment: DeploymentRecord, inputs: Json): Promise<Json> {
    const hasInputs = Object.keys(inputs).length > 0;
    try {
      return await this.api.post<Json>(`${SNAPSHOTS}/${encodeURIComponent(deployment.deployment_id)}/runs`, {
        body: { run_configuration: hasInputs ? { parameters: inputs } : null, step_run: null },
        signal: this.signal,
      });
    } catch (error) {
      // ZenML's RestZenStore turns 405 (no workload manager on this server) into this RuntimeError.
      const text = error instanceof ZenmlApiError && error.status === 405 ? 'Running a snapshot is not supported for this server.' : backendText(error);
      throw new KitaruBackendError(`Failed to invoke deployment ${pyRepr(deployment.flow)} v${deployment.version}: ${text}`);
    }
  }
}

function deploymentsApi(runtime: KitaruRuntime, options: CallOptions): DeploymentsApi {
  const connection = runtime.connection();
  const api = runtime.api(connection);
  return new DeploymentsApi(api, runtime.project(connection), options.signal);
}

export async function listDeployments(runtime: KitaruRuntime, flow: string | null, options: CallOptions = {}): Promise<DeploymentPayload[]> {
  const records = await deploymentsApi(runtime, options).listRecords(flow);
  return records.map(serializeDeployment);
}

export async function getDeployment(
  runtime: KitaruRuntime,
  request: { flow: string; version: number | null; tag: string | null },
  options: CallOptions = {},
): Promise<DeploymentPayload> {
  const selector = resolveDeploymentSelector({ version: request.version, tag: request.tag, defaultTag: DEFAULT_DEPLOYMENT_TAG });
  const record = await deploymentsApi(runtime, options).resolveRecord(request.flow, selector);
  return serializeDeployment(record);
}

export async function deleteDeployment(
  runtime: KitaruRuntime,
  request: { flow: string; version: number },
  options: CallOptions = {},
): Promise<{ flow: string; version: number; deleted: true }> {
  const deployments = deploymentsApi(runtime, options);
  const record = await deployments.resolveRecord(request.flow, { version: request.version, tag: null });
  const exclusive = Object.entries(record.tags)
    .filter(([, isExclusive]) => isExclusive)
    .map(([tag]) => tag)
    .sort();
  if (exclusive.length > 0) {
    throw new KitaruStateError(
      `Cannot delete deployment ${pyRepr(request.flow)} v${request.version} while it holds exclusive tag(s): ${exclusive.join(', ')}.`,
    );
  }
  await deployments.deleteSnapshot(record);
  return { flow: request.flow, version: request.version, deleted: true };
}

export async function tagDeployment(
  runtime: KitaruRuntime,
  request: { flow: string; version: number; tag: string; exclusive: boolean },
  options: CallOptions = {},
): Promise<DeploymentPayload> {
  validateDeploymentVersion(request.version);
  const tag = validateDeploymentTag(request.tag);
  const exclusive = resolveDeploymentExclusive(tag, request.exclusive);
  const deployments = deploymentsApi(runtime, options);
  const all = await deployments.listRecords(request.flow);
  const target = all.find((deployment) => deployment.version === request.version);
  if (target === undefined) {
    throw new LookupError(`No deployment found for flow ${pyRepr(request.flow)} version ${request.version}.`);
  }
  await deployments.updateTags(target, {
    add: [DEPLOYMENT_TAG_MARKER, deploymentPublicTag(tag, exclusive)],
    remove: [deploymentPublicTag(tag, !exclusive)],
  });
  if (exclusive) {
    try {
      for (const other of all) {
        if (other.version === target.version) continue;
        const existing = other.tags[tag];
        if (existing === undefined) continue;
        await deployments.updateTags(other, { remove: [deploymentPublicTag(tag, existing)] });
      }
    } catch (error) {
      // Python only warns here (the tag is on the target already); warnings go to stderr.
      process.stderr.write(
        `UserWarning: Applied exclusive deployment tag ${pyRepr(tag)} to ${pyRepr(target.flow)} v${target.version}, ` +
          'but failed to remove that tag from older versions. The tag now exists on the target deployment, ' +
          `but older versions might still hold it. Cleanup error: ${(error as Error).message}\n`,
      );
    }
  }
  return serializeDeployment(await deployments.resolveRecord(request.flow, { version: request.version, tag: null }));
}

export async function untagDeployment(
  runtime: KitaruRuntime,
  request: { flow: string; version: number; tag: string },
  options: CallOptions = {},
): Promise<DeploymentPayload> {
  const tag = validateRemoveDeploymentTag(request.tag);
  const deployments = deploymentsApi(runtime, options);
  const record = await deployments.resolveRecord(request.flow, { version: request.version, tag: null });
  const existing = record.tags[tag];
  if (existing === undefined) return serializeDeployment(record);
  await deployments.updateTags(record, { remove: [deploymentPublicTag(tag, existing)] });
  return serializeDeployment(await deployments.resolveRecord(request.flow, { version: request.version, tag: null }));
}

export interface InvokePayload {
  exec_id: string;
  flow: string;
  selector: { version: number | null; tag: string | null };
  execution: Record<string, unknown> | null;
  warning: string | null;
}

/** Python's kitaru_deployments_invoke: resolve, check the stack can run on the server, trigger, describe the run. */
export async function invokeDeployment(
  runtime: KitaruRuntime,
  request: { flow: string; version: number | null; tag: string | null; inputs: Json | null },
  options: CallOptions = {},
): Promise<InvokePayload> {
  const inputs = request.inputs ?? {};
  const selector = resolveDeploymentSelector({ version: request.version, tag: request.tag, defaultTag: DEFAULT_DEPLOYMENT_TAG });
  const deployments = deploymentsApi(runtime, options);
  const record = await deployments.resolveRecord(request.flow, selector, selector.source);
  const stack = await deployments.deploymentStack(record);
  await assertStackRunnableFromServer(deployments.api, stack, {
    operation: 'invoke',
    flow: record.flow,
    version: record.version,
    signal: options.signal,
  });
  const run = await deployments.runSnapshot(record, inputs);
  if (run === null || run === undefined) {
    throw new KitaruBackendError('Deployment invocation did not produce a pipeline run.');
  }
  const execId = String(run.id);
  let execution: Record<string, unknown> | null = null;
  let warning: string | null = null;
  try {
    execution = await getExecution(runtime, execId, options);
  } catch (error) {
    warning = `Execution started successfully, but details are not available yet: ${(error as Error).message}`;
  }
  return {
    exec_id: execId,
    flow: request.flow,
    selector: { version: selector.version, tag: selector.tag },
    execution,
    warning,
  };
}
