// kitaru_status and kitaru_info: Python's RuntimeSnapshot, same keys in the
// same order, built from the config files and the REST API. Values only the
// user's Python knows (installed versions, platform string) come from its
// package metadata (see python-environment.ts; nothing is executed unless the
// user named the interpreter), else null. A kitaru we cannot drive is warned about.
import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from '../config/connection.ts';
import { collectProvenance, fallbackWarning } from './provenance.ts';
import { activeStack } from './stacks.ts';
import { pythonEnvironment } from './python-environment.ts';
import { isRunning, readRegistration, sameLocalServer } from './local-server-state.ts';
import type { KitaruRuntime } from './runtime.ts';
import { NamedEntity, ServerInfoResponse } from './zenml/models.ts';

export interface RuntimeSnapshot {
  sdk_version: string | null;
  connection: string;
  connection_target: string;
  config_directory: string;
  server_url: string | null;
  active_user: string | null;
  project_override: string | null;
  active_stack: string | null;
  repository_root: string | null;
  server_version: string | null;
  server_database: string | null;
  server_deployment_type: string | null;
  local_server_status: string | null;
  warning: string | null;
  log_store_status: string | null;
  log_store_warning: string | null;
  environment: { name: string; value: string }[];
  kitaru_global_config_path: string | null;
  zenml_global_config_path: string | null;
  local_stores_path: string | null;
  repository_config_path: string | null;
  uses_repo_local_config: boolean;
  connection_sources: Record<string, string> | null;
  active_project: string | null;
  active_stack_provenance: Record<string, unknown> | null;
  active_project_provenance: Record<string, unknown> | null;
  python_version: string | null;
  system_info: { os: string; architecture: string } | null;
  environment_type: string | null;
  zenml_version: string | null;
  packages: Record<string, string> | null;
}

/** Python's public env vars, in its order. */
const PUBLIC_ENV_VARS = [
  'KITARU_SERVER_URL',
  'KITARU_AUTH_TOKEN',
  'KITARU_PROJECT',
  'KITARU_RUNNER',
  'KITARU_STACK',
  'KITARU_CACHE',
  'KITARU_RETRIES',
  'KITARU_IMAGE',
  'KITARU_LOG_STORE_BACKEND',
  'KITARU_LOG_STORE_ENDPOINT',
  'KITARU_LOG_STORE_API_KEY',
  'KITARU_DEFAULT_MODEL',
  'KITARU_CONFIG_PATH',
  'KITARU_DEBUG',
  'KITARU_ANALYTICS_OPT_IN',
] as const;

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|AUTH)/i;

/**
 * Python shows the first 8 characters of secret-like values; we show none, so
 * no part of a key ever reaches a tool result (a documented divergence).
 */
export function activeEnvironment(env: KitaruRuntime['env']): { name: string; value: string }[] {
  const active: { name: string; value: string }[] = [];
  for (const name of PUBLIC_ENV_VARS) {
    const value = env[name];
    if (value === undefined) continue;
    active.push({ name, value: SECRET_NAME.test(name) ? '***' : value });
  }
  return active;
}

function existing(file: string): string | null {
  return fs.existsSync(file) ? file : null;
}

function combine(...warnings: (string | null | undefined)[]): string | null {
  const kept = warnings.filter((w): w is string => Boolean(w));
  return kept.length > 0 ? kept.join('\n') : null;
}

function legacyRunnerWarning(env: KitaruRuntime['env']): string | null {
  return env.KITARU_RUNNER === undefined ? null : '`KITARU_RUNNER` was renamed to `KITARU_STACK`; update your environment.';
}

export function detectEnvironmentType(env: KitaruRuntime['env']): string {
  if (env.KUBERNETES_SERVICE_HOST) return 'kubernetes';
  if (env.GITHUB_ACTIONS) return 'github_actions';
  if (env.GITLAB_CI) return 'gitlab_ci';
  if (env.CIRCLECI) return 'circleci';
  if (fs.existsSync('/.dockerenv') || env.CONTAINER) return 'docker';
  return 'native';
}

export interface SnapshotOptions {
  includePackages?: boolean;
  packageNames?: string[] | null;
  includeEnvironmentType?: boolean;
  /** kitaru_info(all=True): show where the active stack and project came from. */
  includeProvenanceDetails?: boolean;
}

async function describeLocalServer(connection: Connection): Promise<{ text: string; url: string | null; running: boolean }> {
  const registration = readRegistration(connection.configDir);
  if (registration === null) return { text: 'not started', url: null, running: false };
  if (await isRunning(registration)) {
    return { text: `running at ${registration.url} (${registration.provider})`, url: registration.url, running: true };
  }
  return { text: `registered but unavailable (${registration.provider})`, url: registration.url, running: false };
}

export async function buildRuntimeSnapshot(runtime: KitaruRuntime, options: SnapshotOptions = {}): Promise<RuntimeSnapshot> {
  const connection = runtime.connection();
  const pythonFacts = pythonEnvironment(runtime, {
    all_packages: options.includePackages ?? false,
    package_names: options.includePackages ? null : (options.packageNames ?? null),
  });
  // A failed probe fails the call (when nothing else awaits it yet, it must not go unhandled).
  pythonFacts.catch(() => undefined);
  const local = await describeLocalServer(connection);
  const store = connection.store;
  const connected = store.type === 'rest' && local.running && sameLocalServer(store.url, local.url);

  const snapshot: RuntimeSnapshot = {
    sdk_version: null,
    connection: store.type === 'sql' ? 'local database' : connected ? 'local Kitaru server' : 'remote Kitaru server',
    connection_target: store.url,
    config_directory: connection.configDir,
    server_url: store.type === 'rest' ? store.url : null,
    active_user: null,
    project_override: null,
    active_stack: null,
    repository_root: null,
    server_version: null,
    server_database: null,
    server_deployment_type: null,
    local_server_status: local.text,
    warning: null,
    log_store_status: null,
    log_store_warning: null,
    environment: activeEnvironment(runtime.env),
    kitaru_global_config_path: null,
    zenml_global_config_path: null,
    local_stores_path: null,
    repository_config_path: null,
    uses_repo_local_config: false,
    connection_sources: null,
    active_project: null,
    active_stack_provenance: null,
    active_project_provenance: null,
    python_version: null,
    system_info: null,
    environment_type: options.includeEnvironmentType ? detectEnvironmentType(runtime.env) : null,
    zenml_version: null,
    packages: null,
  };

  const provenance = collectProvenance(connection, runtime.env);
  const fillPythonFacts = async () => {
    if (options.includeProvenanceDetails) {
      snapshot.active_stack_provenance = { ...provenance.stack };
      snapshot.active_project_provenance = { ...provenance.project };
    }
    const facts = await pythonFacts;
    snapshot.warning = combine(snapshot.warning, facts.version_warning);
    snapshot.sdk_version = facts.kitaru_version;
    snapshot.zenml_version = facts.zenml_version;
    snapshot.python_version = facts.python_version;
    snapshot.system_info = facts.system_info;
    snapshot.packages = facts.packages;
    return snapshot;
  };

  if (store.type === 'rest' && !local.running && local.url !== null && sameLocalServer(store.url, local.url)) {
    snapshot.warning = combine(
      'The configured Kitaru server points to a stopped local server. Start it again or run `kitaru logout` to clear the stale connection.',
      legacyRunnerWarning(runtime.env),
    );
    return fillPythonFacts();
  }

  snapshot.connection_sources = { ...connection.sources };
  snapshot.project_override = runtime.env.KITARU_PROJECT || null;
  snapshot.repository_root = connection.repositoryRoot;

  if (store.type === 'sql') {
    // Python opens the SQLite store in-process; we have no server to ask.
    snapshot.warning = combine(
      'Kitaru is using the local database, which only Python can open. Start the local Kitaru server with ' +
        'the `kitaru_start_local_server` tool (or `kitaru login`) to use the server-backed tools.',
      legacyRunnerWarning(runtime.env),
    );
  } else {
    try {
      const api = runtime.api(connection, { guardrails: false });
      const project = connection.project ?? 'default';
      const [info, user, stack, projectModel] = await Promise.all([
        api.get('/api/v1/info', { model: ServerInfoResponse }),
        api.get('/api/v1/current-user', { model: NamedEntity }),
        activeStack(api, connection),
        api.get(`/api/v1/projects/${encodeURIComponent(project)}`, { model: NamedEntity }).catch(() => null),
      ]);
      snapshot.active_user = user.name ?? null;
      snapshot.active_stack = stack.name ?? null;
      snapshot.server_version = info.version ?? null;
      snapshot.server_database = info.database_type ?? null;
      snapshot.server_deployment_type = info.deployment_type ?? null;
      snapshot.active_project = projectModel?.name ?? null;
      provenance.stack.resolved_id = stack.id;
      provenance.stack.resolved_name = stack.name ?? null;
      if (projectModel !== null) {
        provenance.project.resolved_id = projectModel.id;
        provenance.project.resolved_name = projectModel.name ?? null;
      }
    } catch (error) {
      const kind = (error as Error).name || 'Error';
      snapshot.warning = combine(snapshot.warning, `Unable to query the configured store (${kind}): ${(error as Error).message}`);
    }
    snapshot.warning = combine(snapshot.warning, fallbackWarning(provenance.stack, provenance.project), legacyRunnerWarning(runtime.env));
  }

  snapshot.kitaru_global_config_path = existing(path.join(connection.configDir, 'kitaru.yaml'));
  snapshot.zenml_global_config_path = existing(connection.configFile);
  snapshot.local_stores_path = existing(path.join(connection.configDir, 'local_stores'));
  if (connection.repositoryConfigPath !== null && fs.existsSync(connection.repositoryConfigPath)) {
    snapshot.repository_config_path = connection.repositoryConfigPath;
    snapshot.uses_repo_local_config = true;
  }
  return fillPythonFacts();
}
