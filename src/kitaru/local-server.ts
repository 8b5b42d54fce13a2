// Start, connect to and stop the local Kitaru server, with Python's rules
// and payloads (kitaru._local_server). Python does what only it can do
// (dependency check, database, registration, client config); the supervisor
// owns the daemon process: spawn, readiness, timeout, SIGTERM then SIGKILL.
import fs from 'node:fs';
import path from 'node:path';
import { DaemonStartError, isAlive, isDaemonProcess, launchDaemon, readPid, terminate } from '../supervisor/daemon.ts';
import { KitaruBackendError, KitaruUsageError } from './errors.ts';
import { daemonDir, isRunning, readRegistration, type LocalServerRegistration } from './local-server-state.ts';
import { runKitaruHelper } from './python.ts';
import type { KitaruRuntime } from './runtime.ts';

export const DEFAULT_LOCAL_SERVER_PORT = 8383;

export type StartAction = 'started' | 'connected' | 'restarted';

export interface StartResult {
  mode: 'local';
  url: string;
  action: StartAction;
}

export interface StopResult {
  stopped: boolean;
  url: string | null;
}

// The Python helpers import kitaru and zenml (seconds); the database step can
// be slow on a first start. Generous, but a hung interpreter still ends.
const HELPER_TIMEOUT_MS = 120_000;

function logPath(configDir: string): string {
  return path.join(daemonDir(configDir), 'service.log');
}

/** Python's _local_server_start_error text, with our reason in the middle. */
function startError(action: StartAction, reason: string, configDir: string): KitaruBackendError {
  const verb = action === 'restarted' ? 'restart' : 'start';
  return new KitaruBackendError([`Local server failed to ${verb}.`, reason, 'Check server logs:', `  ${logPath(configDir)}`].join('\n'));
}

/** The Python messages (CLI-flavoured labels even over MCP). */
export function validateLocalServerInputs(port: number | null, timeout: number): void {
  if (timeout < 1) throw new KitaruUsageError('`--timeout` must be >= 1.');
  if (port !== null && !(port >= 1 && port <= 65535)) throw new KitaruUsageError('`--port` must be between 1 and 65535.');
}

function configFileOf(registration: LocalServerRegistration): string {
  return path.join(registration.daemonDir, 'service.json');
}

/**
 * Stops the registered daemon if (and only if) the pid file names it. A pid
 * that is dead or belongs to another process is stale: the file is removed
 * and nothing is signalled.
 */
async function stopDaemonOf(registration: LocalServerRegistration): Promise<void> {
  const pidFile = path.join(registration.daemonDir, 'service.pid');
  const pid = readPid(pidFile);
  if (pid === null) return;
  if (await isDaemonProcess(pid, configFileOf(registration))) {
    const outcome = await terminate(pid);
    if (outcome === 'killed') {
      process.stderr.write(`kitaru-mcp: local server (pid ${pid}) ignored SIGTERM and was killed.\n`);
    }
  } else if (isAlive(pid)) {
    process.stderr.write(`kitaru-mcp: stale local server pid file names pid ${pid}, another process; not signalling it.\n`);
  }
  fs.rmSync(pidFile, { force: true });
}

interface PreparedDaemon {
  action: 'started' | 'restarted';
  command: string[];
  env: Record<string, string>;
  config_file: string;
  pid_file: string;
  log_file: string;
  url: string;
}

/** Python's start_or_connect_local_server, with the daemon supervised here. */
export async function startOrConnectLocalServer(
  runtime: KitaruRuntime,
  options: { port: number | null; timeout: number; signal?: AbortSignal },
): Promise<StartResult> {
  const { port, timeout, signal } = options;
  validateLocalServerInputs(port, timeout);
  const configDir = runtime.connection().configDir;
  const helperOptions = { signal, timeoutMs: HELPER_TIMEOUT_MS };

  const registration = readRegistration(configDir);
  if (registration !== null && (port === null || port === registration.port) && (await isRunning(registration))) {
    const { url } = await runKitaruHelper<{ url: string }>(
      runtime,
      'local_server.connect_local_server',
      { existing: true, url: registration.url },
      helperOptions,
    );
    return { mode: 'local', url, action: 'connected' };
  }

  if (registration !== null) {
    try {
      await stopDaemonOf(registration);
    } catch (error) {
      throw new KitaruBackendError(`Failed to stop existing local server: ${(error as Error).message}`);
    }
  }

  const prepared = await runKitaruHelper<PreparedDaemon>(
    runtime,
    'local_server.prepare_local_server',
    { port: port ?? DEFAULT_LOCAL_SERVER_PORT, port_given: port !== null },
    helperOptions,
  );
  try {
    await launchDaemon({
      command: prepared.command,
      env: prepared.env,
      cwd: runtime.cwd,
      pidFile: prepared.pid_file,
      logFile: prepared.log_file,
      url: prepared.url,
      timeoutMs: timeout * 1000,
      signal,
    });
  } catch (error) {
    if (error instanceof DaemonStartError) {
      // A dead daemon's pid file only misleads the next status or start.
      const pid = readPid(prepared.pid_file);
      if (pid !== null && !isAlive(pid)) fs.rmSync(prepared.pid_file, { force: true });
      throw startError(prepared.action, error.message, configDir);
    }
    throw error;
  }
  const { url } = await runKitaruHelper<{ url: string }>(
    runtime,
    'local_server.connect_local_server',
    { existing: false, action: prepared.action, url: prepared.url },
    helperOptions,
  );
  return { mode: 'local', url, action: prepared.action };
}

/** Python's stop_registered_local_server; the daemon gets SIGTERM, then SIGKILL after a grace period. */
export async function stopRegisteredLocalServer(runtime: KitaruRuntime, options: { signal?: AbortSignal } = {}): Promise<StopResult> {
  const configDir = runtime.connection().configDir;
  const registration = readRegistration(configDir);
  if (registration === null) return { stopped: false, url: null };
  const prepared = await runKitaruHelper<{ registered: boolean; url: string | null }>(
    runtime,
    'local_server.prepare_stop_local_server',
    {},
    {
      signal: options.signal,
      timeoutMs: HELPER_TIMEOUT_MS,
    },
  );
  if (!prepared.registered) return { stopped: false, url: null };
  try {
    await stopDaemonOf(registration);
    fs.rmSync(registration.daemonDir, { recursive: true, force: true });
  } catch (error) {
    throw new KitaruBackendError(`Failed to stop local server: ${(error as Error).message}`);
  }
  return { stopped: true, url: prepared.url };
}

/** Python's kitaru_clean_preview body: a read-only dry run of Kitaru's own cleanup plan. */
export function cleanPreview<T>(runtime: KitaruRuntime, scope: string, options: { signal?: AbortSignal } = {}): Promise<T> {
  return runKitaruHelper(runtime, 'local_server.clean_preview', { scope }, { signal: options.signal, timeoutMs: 60_000 });
}
