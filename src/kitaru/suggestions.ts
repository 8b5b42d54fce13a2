// Real values to suggest while someone types an argument: flow names,
// execution ids (newest first), stack names, deployment tags, artifact ids.
// Each is one bounded read (a page of at most SCAN items), never a full scan:
// suggestions must come back while the person is still typing.
import type { PublicStatus } from './execution-mapping.ts';
import { normalizeFlowName, runStatus } from './execution-mapping.ts';
import { executionScope } from './executions.ts';
import { listDeployments } from './deployments.ts';
import type { KitaruRuntime } from './runtime.ts';
import { listStacks } from './stacks.ts';
import { RunModelSchema } from './zenml/runs.ts';

/** How many recent items one suggestion read looks at. */
export const SCAN = 200;

interface Options {
  signal?: AbortSignal | undefined;
}

/** Newest first; `status` keeps only executions in that public state (a paused run is "waiting"). */
export async function recentExecutionIds(
  runtime: KitaruRuntime,
  filter: { status?: PublicStatus } = {},
  options: Options = {},
): Promise<string[]> {
  const scope = executionScope(runtime, options);
  const runs = await scope.api.list('/api/v1/runs', {
    model: RunModelSchema,
    query: { sort_by: 'desc:created', project: scope.project, hydrate: false },
    limit: SCAN,
    signal: scope.signal,
  });
  return runs.filter((run) => filter.status === undefined || runStatus(run) === filter.status).map((run) => String(run.id));
}

/** Flow names, most recently created flow first. */
export async function flowNames(runtime: KitaruRuntime, options: Options = {}): Promise<string[]> {
  const scope = executionScope(runtime, options);
  const pipelines = await scope.api.list<{ name?: unknown }>('/api/v1/pipelines', {
    query: { sort_by: 'desc:created', project: scope.project, hydrate: false },
    limit: SCAN,
    signal: scope.signal,
  });
  return unique(pipelines.map((pipeline) => normalizeFlowName(pipeline.name)));
}

export async function stackNames(runtime: KitaruRuntime): Promise<string[]> {
  const connection = runtime.connection();
  const stacks = await listStacks(runtime.api(connection), connection);
  return unique(stacks.map((stack) => stack.name));
}

/** Every tag in use on some deployment (of `flow` when given), sorted. */
export async function deploymentTags(runtime: KitaruRuntime, flow: string | null, options: Options = {}): Promise<string[]> {
  const deployments = await listDeployments(runtime, flow, options);
  return unique(deployments.flatMap((deployment) => Object.keys(deployment.tags))).sort();
}

/** Artifact version ids, newest first. */
export async function recentArtifactIds(runtime: KitaruRuntime, options: Options = {}): Promise<string[]> {
  const scope = executionScope(runtime, options);
  const artifacts = await scope.api.list<{ id: string }>('/api/v1/artifact_versions', {
    query: { sort_by: 'desc:created', project: scope.project, hydrate: false },
    limit: SCAN,
    signal: scope.signal,
  });
  return artifacts.map((artifact) => String(artifact.id));
}

function unique(values: Array<string | null>): string[] {
  return [...new Set(values.filter((value): value is string => value !== null && value !== ''))];
}
