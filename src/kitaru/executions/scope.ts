// What every execution operation needs (the HTTP client, the project, the
// caller's abort signal) and loading one run by id, name or id prefix, as
// KitaruClient._get_pipeline_run does through ZenML's Client.
import type { ZenmlHttpClient } from '../../http/client.ts';
import { KitaruBackendError } from '../errors.ts';
import { type RunModel, pyStrRepr } from '../execution-mapping.ts';
import type { KitaruRuntime } from '../runtime.ts';
import { RunModelSchema, type RunPage, RunPageSchema, parseOne } from '../zenml/runs.ts';
import { PY_UUID_PATTERN } from '../ids.ts';

export type { CallOptions } from '../runtime.ts';
import type { CallOptions } from '../runtime.ts';

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

export { pythonErrorText } from '../errors.ts';
import { pythonErrorText } from '../errors.ts';

async function listRunsPage(scope: ExecutionScope, query: Record<string, string | boolean | undefined>): Promise<RunPage> {
  // ZenML's Client.list_pipeline_runs sorts newest first unless told otherwise;
  // the ambiguity messages list the matches in that order.
  const body = await scope.api.get<unknown>('/api/v1/runs', {
    query: { sort_by: 'desc:created', hydrate: true, project: scope.project, ...query },
    signal: scope.signal,
  });
  return parseOne(RunPageSchema, body, 'GET /api/v1/runs');
}

/** ZenML's Client._get_entity_by_id_or_name_or_prefix for runs, without name-prefix matching. */
async function fetchRunModel(scope: ExecutionScope, execId: string): Promise<RunModel> {
  const { api, signal } = scope;
  const explicitProject = scope.explicitProject;
  if (PY_UUID_PATTERN.test(execId)) {
    const path = `/api/v1/runs/${encodeURIComponent(execId)}`;
    return parseOne(RunModelSchema, await api.get<unknown>(path, { query: { hydrate: true }, signal }), 'GET /api/v1/runs/{id}');
  }
  const byName = await listRunsPage(scope, { name: `equals:${execId}` });
  if (byName.total === 1 && byName.items[0] !== undefined) return byName.items[0];
  const scopeText = explicitProject ? `in project ${explicitProject} ` : '';
  if (byName.total === 0) {
    const byPrefix = await listRunsPage(scope, { logical_operator: 'or', id: `startswith:${execId}` });
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
