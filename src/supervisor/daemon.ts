// The local server daemon's process lifecycle, decided here rather than in
// ZenML: spawn the launcher, judge readiness by polling /health, enforce the
// timeout, and stop with SIGTERM then SIGKILL after a grace period (ZenML
// never escalates). The daemon is meant to outlive us, so it is spawned
// detached and never tracked as one of our helpers.
import fs from 'node:fs';
import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';

export const STOP_GRACE_MS = 10_000;
const POLL_MS = 250;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(pidFile: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function commandLine(pid: number): Promise<string | null> {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    // No /proc (macOS): ask ps.
  }
  try {
    const { stdout, exitCode } = await execa('ps', ['-o', 'command=', '-p', String(pid)], { reject: false, timeout: 5000 });
    return exitCode === 0 ? stdout.trim() : null;
  } catch {
    return null;
  }
}

/**
 * ZenML's own rule for trusting a pid file: the process must be the daemon
 * entrypoint for this very service.json. A reused pid is someone else's
 * process and must never be signalled.
 */
export async function isDaemonProcess(pid: number, configFile: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const cmd = await commandLine(pid);
  if (cmd === null) return false;
  return cmd.includes('zenml.services.local.local_daemon_entrypoint') && cmd.includes(configFile);
}

/** SIGTERM, wait up to the grace period, then SIGKILL. Resolves when the process is gone. */
export async function terminate(pid: number, graceMs = STOP_GRACE_MS): Promise<'terminated' | 'killed' | 'gone'> {
  if (!isAlive(pid)) return 'gone';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'gone';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'terminated';
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'terminated';
  }
  const killDeadline = Date.now() + 5000;
  while (isAlive(pid) && Date.now() < killDeadline) await sleep(50);
  if (isAlive(pid)) throw new Error(`process ${pid} did not exit after SIGKILL`);
  return 'killed';
}

export async function healthy(url: string, timeoutMs = 3000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

export function logTail(logFile: string, lines = 8): string {
  try {
    const text = fs.readFileSync(logFile, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface DaemonLaunch {
  command: string[];
  env: Record<string, string>;
  cwd: string;
  pidFile: string;
  logFile: string;
  url: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Why a start failed, in words for the user (the caller adds the log path). */
export class DaemonStartError extends Error {}

/**
 * Runs the daemon launcher (which double-forks and exits), then waits until
 * the daemon's pid is alive and /health answers 200. A daemon that dies, or
 * does not answer within the timeout (then it is stopped), is an error.
 */
export async function launchDaemon(launch: DaemonLaunch): Promise<number> {
  const [file, ...args] = launch.command;
  if (file === undefined) throw new DaemonStartError('The daemon command is empty.');
  const deadline = Date.now() + launch.timeoutMs;
  const logStart = fileSize(launch.logFile);
  const launcher = execa(file, args, {
    env: launch.env,
    extendEnv: false,
    cwd: launch.cwd,
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'ignore',
    detached: true,
    reject: false,
    timeout: launch.timeoutMs,
  });
  const outcome = await launcher;
  if (outcome.exitCode !== 0) {
    throw new DaemonStartError(
      `The daemon launcher exited with ${outcome.exitCode ?? outcome.signal ?? 'an error'}.` + withTail(launch.logFile),
    );
  }
  let pid: number | null = null;
  while (Date.now() < deadline) {
    if (launch.signal?.aborted) throw new DaemonStartError('The call was cancelled while the server was starting.');
    pid = readPid(launch.pidFile) ?? pid;
    if (pid !== null && !isAlive(pid)) {
      throw new DaemonStartError(`The server process (pid ${pid}) exited during start-up.` + withTail(launch.logFile));
    }
    if (pid !== null && (await healthy(launch.url, 2000))) return pid;
    // A daemon that dies fast removes its pid file before we ever read it;
    // its exit handler's words in the log are then the only trace.
    if (pid === null && logSince(launch.logFile, logStart).includes(DAEMON_EXIT_MARK)) {
      throw new DaemonStartError('The server process exited during start-up.' + withTail(launch.logFile));
    }
    await sleep(POLL_MS);
  }
  if (pid !== null) await terminate(pid).catch(() => undefined);
  throw new DaemonStartError(
    `The server did not answer ${launch.url}/health within ${Math.round(launch.timeoutMs / 1000)} s` +
      (pid === null ? ' and never wrote its pid file.' : `; it was stopped (pid ${pid}).`) +
      withTail(launch.logFile),
  );
}

/** What ZenML's daemon exit handler writes to the log (zenml/utils/daemon.py). */
const DAEMON_EXIT_MARK = 'Cleanup: removing PID file';

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function logSince(file: string, offset: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const length = Math.max(0, fs.fstatSync(fd).size - offset);
      const buffer = Buffer.alloc(Math.min(length, 1 << 20));
      fs.readSync(fd, buffer, 0, buffer.length, offset);
      return buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

function withTail(logFile: string): string {
  const tail = logTail(logFile);
  return tail ? `\nLast log lines:\n${tail}` : '';
}
