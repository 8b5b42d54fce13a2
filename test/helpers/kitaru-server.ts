// Real Kitaru / ZenML servers from the pinned reference venv (.venv-ref), for
// integration tests. Each server gets its own temp config dir and loopback port,
// so tests never touch the developer's ~/.config/kitaru or a running server.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const venvBin = path.join(repoRoot, '.venv-ref', 'bin');
export const venvPython = path.join(venvBin, 'python');
export const flowsDir = path.join(repoRoot, 'test', 'flows');

export interface KitaruServer {
  url: string;
  port: number;
  /** Client config dir (KITARU_CONFIG_PATH) of the processes that talk to this server. */
  configDir: string;
  /** Complete environment for child processes (Python kitaru, our MCP server). */
  env: Record<string, string>;
  python: string;
  /** Set only for `{auth: true}`: a service-account API key. Secret: never print it. */
  apiKey?: string;
  /** Set only for `{auth: true}`: two service accounts (the first holds `apiKey`), to tell who a call acts as. */
  accounts?: { name: string; apiKey: string }[];
  /** Set only for `{workloadManager: true}`: JSON lines the test workload manager wrote (one per call). */
  workloadLog?: string;
  stop(): Promise<void>;
}

const log = (msg: string) => process.stderr.write(`[kitaru-server] ${msg}\n`);

// Last-resort cleanup: node:test may end the process without running after()
// hooks, and a leaked daemon keeps its port and sqlite file busy.
const livePids = new Set<number>();
function killAllSync() {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  livePids.clear();
}
process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAllSync();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

/**
 * uv alone, put on PATH by baseEnv, so on that of every Kitaru process the
 * tests start: ZenML records each run's packages with `uv pip freeze` where pip
 * is missing, as in the reference venv (scripts/setup-reference.sh).
 */
const uvOnly = path.join(repoRoot, '.venv-ref', 'uv-only');
const templateStore = path.join(repoRoot, '.venv-ref', 'template-store', 'zenml.db');

/** The parent env minus anything that could point Kitaru/ZenML at another server. */
export function baseEnv(configDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(KITARU|ZENML)_/.test(k)) env[k] = v;
  }
  // A user's Python writes bytecode beside what it imports. With this
  // machine's PYTHONDONTWRITEBYTECODE=1 every interpreter in the Kitaru
  // version venvs (made by uv, without bytecode) would compile ZenML from
  // source again (kitaru imports in 4.6 s instead of 2).
  delete env.PYTHONDONTWRITEBYTECODE;
  const pathDirs = (env.PATH ?? '').split(path.delimiter);
  if (existsSync(uvOnly) && !pathDirs.includes(uvOnly)) env.PATH = [uvOnly, ...pathDirs].join(path.delimiter);
  return {
    ...env,
    KITARU_CONFIG_PATH: configDir,
    KITARU_ANALYTICS_OPT_IN: 'false',
    PYTHONUNBUFFERED: '1',
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion with stdin closed (so kitaru.wait never prompts). */
export function run(
  cmd: string,
  args: string[],
  opts: { env: Record<string, string>; cwd?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env,
      cwd: opts.cwd ?? repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(cmd)} ${args.join(' ')} timed out after ${opts.timeoutMs}ms\n${tail(stderr || stdout)}`));
    }, opts.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const tail = (s: string, n = 25) => s.trimEnd().split('\n').slice(-n).join('\n');

async function waitForHealth(url: string, timeoutMs: number, alive: () => boolean = () => true) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`server at ${url} exited before becoming healthy`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server at ${url} not healthy after ${timeoutMs}ms`);
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function killAndWait(pid: number, graceMs = 5000) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* raced */
    }
  }
}

export interface StartOptions {
  auth?: boolean;
  /**
   * Lets the server run snapshots (deployment invoke): it loads the test-only
   * workload manager test/helpers/recording_workload_manager.py, which records
   * each workload in `workloadLog` and runs nothing. Local server only.
   */
  workloadManager?: boolean;
}

export async function startKitaruServer(opts: StartOptions = {}): Promise<KitaruServer> {
  if (opts.auth && opts.workloadManager) throw new Error('workloadManager is only supported on the local server');
  return opts.auth ? startAuthServer() : startLocalServer(opts);
}

/** What the server process itself gets to load the recording workload manager (the daemon inherits `kitaru login`'s env). */
function workloadManagerEnv(url: string, workloadLog: string): Record<string, string> {
  return {
    ZENML_SERVER_WORKLOAD_MANAGER_IMPLEMENTATION_SOURCE: 'recording_workload_manager.RecordingWorkloadManager',
    // The server puts its own URL into the runner's environment; a local daemon has none set.
    ZENML_SERVER_SERVER_URL: url,
    PYTHONPATH: path.join(repoRoot, 'test', 'helpers'),
    KITARU_TEST_WORKLOAD_LOG: workloadLog,
  };
}

// The same local daemon a user gets from `kitaru login` (NO_AUTH, sqlite in the
// config dir), so Python's config.yaml in configDir points at it afterwards.
async function startLocalServer(opts: StartOptions = {}): Promise<KitaruServer> {
  const t0 = Date.now();
  const tmp = mkdtempSync(path.join(tmpdir(), 'kitaru-test-'));
  const configDir = path.join(tmp, 'config');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = baseEnv(configDir);
  const pidFile = path.join(configDir, 'zen_server', 'daemon', 'service.pid');
  const daemonPid = () => {
    try {
      return Number(readFileSync(pidFile, 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  };

  const stop = async () => {
    // SIGTERM to the uvicorn daemon is what `kitaru logout` does in the end; doing
    // it directly saves ~6s of Python startup, and the config dir is discarded anyway.
    const pid = daemonPid();
    if (pid) {
      await killAndWait(pid);
      livePids.delete(pid);
    }
    rmSync(tmp, { recursive: true, force: true });
  };

  // Generous bounds: on a loaded 2-core machine creating the database alone can take minutes.
  // A copy of the migrated store setup made (scripts/setup-reference.sh): login
  // then skips creating the tables. Every such server starts with the same
  // default user, project and stack ids, as copies of one database.
  if (existsSync(templateStore)) {
    const storeDir = path.join(configDir, 'local_stores', 'default_zen_store');
    mkdirSync(storeDir, { recursive: true });
    copyFileSync(templateStore, path.join(storeDir, 'zenml.db'));
  }
  const workloadLog = opts.workloadManager ? path.join(tmp, 'workloads.jsonl') : undefined;
  const loginEnv = workloadLog ? { ...env, ...workloadManagerEnv(url, workloadLog) } : env;
  const res = await run(path.join(venvBin, 'kitaru'), ['login', '--port', String(port), '--timeout', '240'], {
    env: loginEnv,
    timeoutMs: 300_000,
  }).catch(async (e) => {
    await stop(); // the daemon may already run: its pid file says so
    throw e;
  });
  const pid = daemonPid();
  if (pid) livePids.add(pid);
  if (res.code !== 0) {
    await stop();
    throw new Error(`kitaru login failed (exit ${res.code}):\n${tail(res.stderr + res.stdout)}`);
  }
  try {
    await waitForHealth(url, 30_000);
  } catch (e) {
    await stop();
    throw e;
  }
  log(`local server ${url} up in ${Date.now() - t0}ms (config ${configDir})`);
  return { url, port, configDir, env, python: venvPython, stop, ...(workloadLog ? { workloadLog } : {}) };
}

// `kitaru login` can only make a NO_AUTH server, so run ZenML's server app under
// uvicorn ourselves (as the daemon does) with OAuth2 password-bearer auth.
async function startAuthServer(): Promise<KitaruServer> {
  const t0 = Date.now();
  const tmp = mkdtempSync(path.join(tmpdir(), 'kitaru-test-auth-'));
  const configDir = path.join(tmp, 'config');
  const serverDir = path.join(tmp, 'server');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const adminPassword = randomBytes(18).toString('base64url');

  const serverEnv: Record<string, string> = {
    ...baseEnv(path.join(serverDir, 'config')),
    ZENML_SERVER: 'true',
    ZENML_CONFIG_PATH: path.join(serverDir, 'config'),
    ZENML_STORE_URL: `sqlite:///${path.join(serverDir, 'zenml.db')}`,
    ZENML_SERVER_AUTH_SCHEME: 'OAUTH2_PASSWORD_BEARER',
    ZENML_SERVER_AUTO_ACTIVATE: 'True',
    ZENML_DEFAULT_USER_PASSWORD: adminPassword,
    ZENML_SERVER_JWT_SECRET_KEY: randomBytes(32).toString('hex'),
    ZENML_SERVER_DEPLOYMENT_TYPE: 'other',
    ZENML_ANALYTICS_OPT_IN: 'false',
  };
  delete serverEnv.KITARU_CONFIG_PATH; // the init hook would override ZENML_CONFIG_PATH with it
  const logFd = openSync(path.join(tmp, 'server.log'), 'w');
  const child: ChildProcess = spawn(
    venvPython,
    [
      '-c',
      'import sys, uvicorn; uvicorn.run("zenml.zen_server.zen_server_api:app", host="127.0.0.1", ' +
        'port=int(sys.argv[1]), log_level="warning", server_header=False)',
      String(port),
    ],
    { env: serverEnv, cwd: tmp, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  let exited = false;
  child.on('exit', () => (exited = true));
  if (child.pid) livePids.add(child.pid);

  const stop = async () => {
    if (child.pid && !exited) await killAndWait(child.pid);
    if (child.pid) livePids.delete(child.pid);
    rmSync(tmp, { recursive: true, force: true });
  };

  try {
    await waitForHealth(url, 240_000, () => !exited);
    const accounts = await createServiceAccounts(url, adminPassword, 2);
    const apiKey = accounts[0]!.apiKey;
    const env = { ...baseEnv(configDir), KITARU_SERVER_URL: url, KITARU_AUTH_TOKEN: apiKey };
    log(`auth server ${url} up in ${Date.now() - t0}ms`);
    return { url, port, configDir, env, python: venvPython, apiKey, accounts, stop };
  } catch (e) {
    const serverLog = existsSync(path.join(tmp, 'server.log')) ? readFileSync(path.join(tmp, 'server.log'), 'utf8') : '';
    await stop();
    throw new Error(`${(e as Error).message}\n${tail(serverLog)}`);
  }
}

async function createServiceAccounts(url: string, password: string, count: number): Promise<{ name: string; apiKey: string }[]> {
  const login = await fetch(`${url}/api/v1/login`, {
    method: 'POST',
    body: new URLSearchParams({ username: 'default', password }),
  });
  if (!login.ok) throw new Error(`admin login failed: HTTP ${login.status}`);
  const { access_token } = (await login.json()) as { access_token: string };
  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${url}/api/v1${p}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${p} failed: HTTP ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const accounts: { name: string; apiKey: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = `kitaru-test-${randomBytes(3).toString('hex')}`;
    const sa = await post('/service_accounts', { name, description: 'tests', active: true });
    const key = await post(`/service_accounts/${sa.id}/api_keys`, { name: 'tests', description: '' });
    if (typeof key?.body?.key !== 'string') throw new Error('API key response has no body.key');
    accounts.push({ name, apiKey: key.body.key });
  }
  return accounts;
}

export interface SeededExecutions {
  completed: string;
  failed: string;
  waiting: string;
}

/**
 * One execution per terminal-ish state, via test/flows/seed.py in a single Python
 * process. The waiting run ends `paused` on the server (Kitaru status "waiting").
 */
export async function seedExecutions(server: KitaruServer): Promise<SeededExecutions> {
  const t0 = Date.now();
  // A bound on a hang, not on speed: with the lanes running side by side on a
  // loaded 2-core machine (load above 15) seeding took over 180 s.
  const res = await run(server.python, [path.join(flowsDir, 'seed.py')], { env: server.env, timeoutMs: 600_000 });
  const line = res.stdout.split('\n').find((l) => l.startsWith('SEED_RESULT '));
  if (res.code !== 0 || !line) {
    throw new Error(`seed.py failed (exit ${res.code}):\n${tail(res.stderr + '\n' + res.stdout)}`);
  }
  log(`seeded executions in ${Date.now() - t0}ms`);
  return JSON.parse(line.slice('SEED_RESULT '.length));
}
