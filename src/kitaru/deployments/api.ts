// Deployments over REST: list, resolve, retag, delete and run the snapshots
// behind deployment records, as Python's KitaruClient().deployments does.
import type { ZenmlHttpClient } from '../../http/client.ts';
import { ZenmlApiError } from '../../http/errors.ts';
import { KitaruBackendError, KitaruStateError, LookupError, pyRepr, serverErrorText } from '../errors.ts';
import { PLAIN_UUID_PATTERN } from '../ids.ts';
import type { CallOptions, KitaruRuntime } from '../runtime.ts';
import { type SnapshotModel, SnapshotResponse, type StackModel, StackResponse } from '../zenml/models.ts';
import { DEFAULT_DEPLOYMENT_TAG, validateDeploymentFlow } from './names.ts';
import { type DeploymentRecord, type SelectorSource, isMapping, mapDeploymentSnapshot, resolveDeploymentSelector } from './records.ts';

type Json = Record<string, unknown>;

const SNAPSHOTS = '/api/v1/pipeline_snapshots';

/** The REST calls behind the deployment tools, for one server, project and call. */
export class DeploymentsApi {
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
      throw new KitaruBackendError(`Failed to list deployment snapshots: ${serverErrorText(error)}`);
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

  async resolveRecord(
    flow: string,
    selector: { version: number | null; tag: string | null },
    source: SelectorSource | null = null,
  ): Promise<DeploymentRecord> {
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
          throw new LookupError(`No deployments found for flow ${pyRepr(flow)}. Deploy this flow first, then invoke it by version or tag.`);
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
      throw new KitaruBackendError(`Failed to update deployment '${deployment.deployment_id}': ${serverErrorText(error)}`);
    }
  }

  async deleteSnapshot(deployment: DeploymentRecord): Promise<void> {
    try {
      await this.api.delete(`${SNAPSHOTS}/${encodeURIComponent(deployment.deployment_id)}`, { signal: this.signal });
    } catch (error) {
      throw new KitaruBackendError(`Failed to delete deployment '${deployment.deployment_id}': ${serverErrorText(error)}`);
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
    if (PLAIN_UUID_PATTERN.test(nameOrId)) {
      return this.api.get(`/api/v1/stacks/${encodeURIComponent(nameOrId)}`, {
        query: { hydrate: true },
        signal: this.signal,
        model: StackResponse,
      });
    }
    const [found] = await this.api.list('/api/v1/stacks', {
      query: { name: nameOrId, hydrate: true },
      limit: 1,
      signal: this.signal,
      model: StackResponse,
    });
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
      const text =
        error instanceof ZenmlApiError && error.status === 405
          ? 'Running a snapshot is not supported for this server.'
          : serverErrorText(error);
      throw new KitaruBackendError(`Failed to invoke deployment ${pyRepr(deployment.flow)} v${deployment.version}: ${text}`);
    }
  }
}

export function deploymentsApi(runtime: KitaruRuntime, options: CallOptions): DeploymentsApi {
  const connection = runtime.connection();
  const api = runtime.api(connection);
  return new DeploymentsApi(api, runtime.project(connection), options.signal);
}
