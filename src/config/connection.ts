// Who we are and which server we talk to, resolved the way Python Kitaru does:
// environment variables first (Kitaru names over ZenML names), then the global
// config.yaml / credentials.yaml, with the repo-local .kitaru/config.yaml for
// the active project and stack. Re-read on every tool call, like Python's
// KitaruClient(), so a login or a local server start is seen at once.
import fs from 'node:fs';
import path from 'node:path';
import { type Env, defaultSqliteUrl, nonBlank, resolveConfigDir } from './paths.ts';
import { DEFAULT_MAX_RESPONSE_MIB, MAX_RESPONSE_SETTING } from './limits.ts';
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
  /** Bound on every response body (KITARU_MCP_MAX_RESPONSE_MIB). */
  maxResponseBytes: number;
  /** Python's first-use guardrail (URL without key, key without URL, no project). */
  usageProblem: string | null;
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

function storedCredentials(file: string, url: string, env: Env): Credentials {
  const disabled = ['1', 'y', 'yes', 'true', 'True'].includes(env.DISABLE_CREDENTIALS_DISK_CACHING ?? '');
  const all = disabled ? {} : readYamlMap(file);
  const entry = (all[url] ?? all[`${url}/`] ?? {}) as YamlMap;
  const result: Credentials = {};
  const apiKey = str(entry.api_key);
  if (apiKey !== undefined) result.apiKey = apiKey;
  const token = parseToken(entry.api_token);
  if (token !== undefined) result.apiToken = token;
  const username = str(entry.username);
  if (username !== undefined && typeof entry.password === 'string') {
    result.username = username;
    result.password = entry.password;
  }
  return result;
}

/**
 * Who we act as, exactly as ZenML's RestZenStoreConfiguration._move_credentials
 * and CredentialsStore decide it. The environment's credentials are applied in
 * Python's order (bare token, then username+password, then API key), each
 * replacing what was stored: set_password and set_api_key drop the stored token
 * (it "might have been issued for a different account") and the other kind of
 * credential. So an environment API key always logs in afresh and wins over
 * everything; a stored token is used only with no environment key or password.
 */
export function resolveCredentials(stored: Credentials, env: Env): Credentials {
  let credentials: Credentials = { ...stored };
  const envToken = nonBlank(env.ZENML_STORE_API_TOKEN);
  if (envToken !== undefined) credentials.apiToken = { accessToken: envToken, expiresAt: null, leewaySeconds: 0 };
  const username = env.ZENML_STORE_USERNAME;
  const password = env.ZENML_STORE_PASSWORD;
  if (username !== undefined && password !== undefined) credentials = { username, password };
  // kitaru_init_hook copies KITARU_AUTH_TOKEN (when not blank) over ZENML_STORE_API_KEY; an empty key is ignored.
  const apiKey = nonBlank(env.KITARU_AUTH_TOKEN) ?? env.ZENML_STORE_API_KEY;
  if (apiKey !== undefined && apiKey !== '') credentials = { apiKey };
  return credentials;
}

/** Python's verify_ssl (Union[bool, str], left to right): pydantic's lax booleans, else a CA bundle. */
export function parseVerifySsl(value: unknown): boolean | string {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') return true;
  const lowered = value.trim().toLowerCase();
  if (['1', 'on', 't', 'true', 'y', 'yes'].includes(lowered)) return true;
  if (['0', 'off', 'f', 'false', 'n', 'no'].includes(lowered)) return false;
  return value;
}

/** KITARU_MCP_MAX_RESPONSE_MIB: the bound on every response body, in MiB. */
function maxResponseBytes(env: Env): number | string {
  const raw = nonBlank(env[MAX_RESPONSE_SETTING]);
  if (raw === undefined) return DEFAULT_MAX_RESPONSE_MIB * 1024 * 1024;
  const mib = Number(raw);
  if (!Number.isFinite(mib) || mib <= 0) {
    return `${MAX_RESPONSE_SETTING} must be a positive number of MiB (default ${DEFAULT_MAX_RESPONSE_MIB}), not '${raw}'.`;
  }
  return Math.floor(mib * 1024 * 1024);
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

  let store: StoreConfig;
  const rawUrl = envUrl ?? str(fileStore.url);
  if (rawUrl !== undefined && /^https?:\/\//i.test(rawUrl)) {
    // ZenML's get_store_configuration: a URL from the environment replaces the
    // stored store config whole, so config.yaml's TLS and timeout do not apply to it.
    const stored = envUrl === undefined ? fileStore : {};
    const timeout = Number(env.ZENML_STORE_HTTP_TIMEOUT ?? stored.http_timeout ?? 30);
    store = {
      type: 'rest',
      url: stripSlash(rawUrl),
      verifySsl: parseVerifySsl(env.ZENML_STORE_VERIFY_SSL ?? stored.verify_ssl ?? true),
      httpTimeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 30,
    };
  } else {
    store = { type: 'sql', url: rawUrl ?? defaultSqliteUrl(configDir) };
  }

  const credentials = resolveCredentials(store.type === 'rest' ? storedCredentials(credentialsFile, store.url, env) : {}, env);
  const responseLimit = maxResponseBytes(env);

  const repositoryRoot = findRepositoryRoot(env, cwd);
  const repoConfigFile = repositoryRoot === null ? null : path.join(repositoryRoot, '.kitaru', 'config.yaml');
  const repoConfig = repoConfigFile !== null && fs.existsSync(repoConfigFile) ? readYamlMap(repoConfigFile) : {};

  const kitaruProject = nonBlank(env.KITARU_PROJECT);
  const zenmlProject = env.ZENML_ACTIVE_PROJECT_ID;
  const project = kitaruProject ?? zenmlProject ?? str(repoConfig.active_project_id) ?? str(globalConfig.active_project_id) ?? null;
  const stackId = nonBlank(env.ZENML_ACTIVE_STACK_ID) ?? str(repoConfig.active_stack_id) ?? str(globalConfig.active_stack_id) ?? null;

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
  let usageProblem: string | null = typeof responseLimit === 'string' ? responseLimit : null;
  if (usageProblem !== null) {
    // A broken limit setting is reported before anything else.
  } else if (hasEnvKey && store.type !== 'rest' && rawUrl === undefined) {
    usageProblem = 'KITARU_AUTH_TOKEN is set but no Kitaru server URL is available; set KITARU_SERVER_URL or run `kitaru login`.';
  } else if (hasEnvUrl && credentials.apiKey === undefined && !hasEnvKey) {
    usageProblem = 'KITARU_SERVER_URL is set but no Kitaru auth token is available; set KITARU_AUTH_TOKEN or run `kitaru login`.';
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
    maxResponseBytes: typeof responseLimit === 'number' ? responseLimit : DEFAULT_MAX_RESPONSE_MIB * 1024 * 1024,
  };
}
