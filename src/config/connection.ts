// Who we are and which server we talk to, resolved the way Python Kitaru does:
// environment variables first (Kitaru names over ZenML names), then the global
// config.yaml / credentials.yaml, with the repo-local .kitaru/config.yaml for
// the active project and stack. Re-read on every tool call, like Python's
// KitaruClient(), so a login or a local server start is seen at once.
import fs from 'node:fs';
import path from 'node:path';
import { type Env, defaultSqliteUrl, resolveConfigDir } from './paths.ts';
import { type YamlMap, readYamlMap } from './yaml-files.ts';

export type StoreConfig =
  | { type: 'rest'; url: string; verifySsl: boolean | string; httpTimeoutSeconds: number }
  | { type: 'sql'; url: string };

export interface ApiToken {
  accessToken: string;
  /** Milliseconds since the epoch, or null when the token never expires. */
  expiresAt: number | null;
  leewaySeconds: number;
}

export interface Credentials {
  apiKey?: string;
  apiToken?: ApiToken;
  username?: string;
  password?: string;
}

export type SourceLabel = string;

export interface Connection {
  configDir: string;
  configFile: string;
  credentialsFile: string;
  store: StoreConfig;
  /** True when the store URL came from KITARU_SERVER_URL or ZENML_STORE_URL. */
  storeFromEnv: boolean;
  credentials: Credentials;
  /** Project name or id, or null for the server's default project. */
  project: string | null;
  stackId: string | null;
  repositoryRoot: string | null;
  repositoryConfigPath: string | null;
  sources: { server_url: SourceLabel; auth_token: SourceLabel; project: SourceLabel };
  /** Python's first-use guardrail (URL without key, key without URL, no project). */
  usageProblem: string | null;
}

function nonBlank(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** ZenML's repository lookup, with Kitaru's `.kitaru` marker folder. */
export function findRepositoryRoot(env: Env, cwd: string): string | null {
  const marker = nonBlank(env.ZENML_REPOSITORY_DIRECTORY_NAME) ?? '.kitaru';
  const explicit = nonBlank(env.ZENML_REPOSITORY_PATH);
  if (explicit !== undefined) {
    const root = path.resolve(cwd, explicit);
    return fs.existsSync(path.join(root, marker)) ? root : null;
  }
  let dir = path.resolve(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, marker))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function parseToken(raw: unknown): ApiToken | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const record = raw as YamlMap;
  const accessToken = str(record.access_token);
  if (accessToken === undefined) return undefined;
  const expiresAtRaw = record.expires_at;
  let expiresAt: number | null = null;
  if (typeof expiresAtRaw === 'string' || expiresAtRaw instanceof Date) {
    // ZenML writes naive UTC ISO timestamps; read them as UTC.
    const text = expiresAtRaw instanceof Date ? expiresAtRaw.toISOString() : expiresAtRaw;
    const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`;
    const parsed = Date.parse(withZone);
    expiresAt = Number.isNaN(parsed) ? null : parsed;
  }
  const leeway = typeof record.leeway === 'number' ? record.leeway : 0;
  return { accessToken, expiresAt, leewaySeconds: leeway };
}

export function tokenIsFresh(token: ApiToken, now = Date.now()): boolean {
  return token.expiresAt === null || token.expiresAt - token.leewaySeconds * 1000 > now;
}

function credentialsFor(file: string, url: string, env: Env): Credentials {
  const disabled = ['1', 'y', 'yes', 'true', 'True'].includes(env.DISABLE_CREDENTIALS_DISK_CACHING ?? '');
  const all = disabled ? {} : readYamlMap(file);
  const entry = (all[url] ?? all[`${url}/`] ?? {}) as YamlMap;
  const result: Credentials = {};
  const apiKey = str(entry.api_key);
  if (apiKey !== undefined) result.apiKey = apiKey;
  const token = parseToken(entry.api_token);
  if (token !== undefined) result.apiToken = token;
  const username = str(entry.username);
  if (username !== undefined) result.username = username;
  if (typeof entry.password === 'string') result.password = entry.password;
  return result;
}

/** Resolves the connection for a process environment and working directory. */
export function resolveConnection(env: Env, cwd: string): Connection {
  const configDir = resolveConfigDir(env, cwd);
  const configFile = path.join(configDir, 'config.yaml');
  const credentialsFile = path.join(configDir, 'credentials.yaml');
  const globalConfig = readYamlMap(configFile);
  const fileStore = (globalConfig.store ?? {}) as YamlMap;

  const kitaruUrl = nonBlank(env.KITARU_SERVER_URL);
  const zenmlUrl = env.ZENML_STORE_URL;
  const envUrl = kitaruUrl ?? zenmlUrl;
  const kitaruKey = nonBlank(env.KITARU_AUTH_TOKEN);
  const zenmlKey = env.ZENML_STORE_API_KEY;
  const envKey = kitaruKey ?? zenmlKey;

  let store: StoreConfig;
  const rawUrl = envUrl ?? str(fileStore.url);
  if (rawUrl !== undefined && /^https?:\/\//i.test(rawUrl)) {
    const timeout = Number(env.ZENML_STORE_HTTP_TIMEOUT ?? fileStore.http_timeout ?? 30);
    const verify = env.ZENML_STORE_VERIFY_SSL ?? fileStore.verify_ssl ?? true;
    store = {
      type: 'rest',
      url: stripSlash(rawUrl),
      verifySsl: typeof verify === 'string' ? !['false', '0', 'no'].includes(verify.toLowerCase()) || verify : Boolean(verify),
      httpTimeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 30,
    };
  } else {
    store = { type: 'sql', url: rawUrl ?? defaultSqliteUrl(configDir) };
  }

  const credentials: Credentials = store.type === 'rest' ? credentialsFor(credentialsFile, store.url, env) : {};
  if (envKey !== undefined && envKey !== '') credentials.apiKey = envKey;
  const envToken = nonBlank(env.ZENML_STORE_API_TOKEN);
  if (envToken !== undefined) credentials.apiToken = { accessToken: envToken, expiresAt: null, leewaySeconds: 0 };
  if (env.ZENML_STORE_USERNAME !== undefined) credentials.username = env.ZENML_STORE_USERNAME;
  if (env.ZENML_STORE_PASSWORD !== undefined) credentials.password = env.ZENML_STORE_PASSWORD;

  const repositoryRoot = findRepositoryRoot(env, cwd);
  const repoConfigFile = repositoryRoot === null ? null : path.join(repositoryRoot, '.kitaru', 'config.yaml');
  const repoConfig = repoConfigFile !== null && fs.existsSync(repoConfigFile) ? readYamlMap(repoConfigFile) : {};

  const kitaruProject = nonBlank(env.KITARU_PROJECT);
  const zenmlProject = env.ZENML_ACTIVE_PROJECT_ID;
  const project =
    kitaruProject ?? zenmlProject ?? str(repoConfig.active_project_id) ?? str(globalConfig.active_project_id) ?? null;
  const stackId =
    nonBlank(env.ZENML_ACTIVE_STACK_ID) ?? str(repoConfig.active_stack_id) ?? str(globalConfig.active_stack_id) ?? null;

  const sources = {
    server_url:
      kitaruUrl !== undefined
        ? 'environment (KITARU_SERVER_URL)'
        : zenmlUrl !== undefined
          ? 'environment (ZENML_STORE_URL)'
          : 'global config',
    auth_token:
      kitaruKey !== undefined
        ? 'environment (KITARU_AUTH_TOKEN)'
        : zenmlKey !== undefined
          ? 'environment (ZENML_STORE_API_KEY)'
          : 'global config',
    project:
      kitaruProject !== undefined
        ? 'environment (KITARU_PROJECT)'
        : zenmlProject !== undefined
          ? 'environment (ZENML_ACTIVE_PROJECT_ID)'
          : str(repoConfig.active_project_id) !== undefined
            ? 'repo-local config (.kitaru/)'
            : 'global config',
  };

  // Python's _validate_connection_config_for_use, same order and words.
  const hasEnvUrl = kitaruUrl !== undefined || nonBlank(zenmlUrl) !== undefined;
  const hasEnvKey = kitaruKey !== undefined || nonBlank(zenmlKey) !== undefined;
  let usageProblem: string | null = null;
  if (hasEnvKey && store.type !== 'rest' && rawUrl === undefined) {
    usageProblem =
      'KITARU_AUTH_TOKEN is set but no Kitaru server URL is available; set KITARU_SERVER_URL or run `kitaru login`.';
  } else if (hasEnvUrl && credentials.apiKey === undefined && !hasEnvKey) {
    usageProblem =
      'KITARU_SERVER_URL is set but no Kitaru auth token is available; set KITARU_AUTH_TOKEN or run `kitaru login`.';
  } else if (hasEnvUrl && project === null) {
    usageProblem =
      'A remote Kitaru server is configured via environment variables, but no project is active. ' +
      'Set KITARU_PROJECT (preferred) or ZENML_ACTIVE_PROJECT_ID before using the SDK.';
  }

  return {
    configDir,
    configFile,
    credentialsFile,
    store,
    storeFromEnv: envUrl !== undefined,
    credentials,
    project,
    stackId,
    repositoryRoot,
    repositoryConfigPath: repoConfigFile,
    sources,
    usageProblem,
  };
}
