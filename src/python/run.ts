// Calls into the user's Python: one warm worker per interpreter (worker.ts),
// reused by every call, started on first use (or at start-up with --prewarm);
// when the connection changes it forgets the old one and warms again. A call
// names a helper function (`module.function` in helpers/*.py) and gets back
// what it returned, or its exception as a PythonHelperError. Calls do not
// queue: the worker forks a child per call.
//
// On Windows (no fork) each call gets a fresh interpreter instead, speaking
// the same protocol; it pays the kitaru import per call, as before.
//
// A worker left without calls for a while exits (KITARU_MCP_WORKER_IDLE_SECONDS,
// default 300); stopAllWorkers() ends every one when we exit.
import { randomInt } from 'node:crypto';
import { helperSources } from './helper-sources.ts';
import { PythonBridgeError, WorkerProcess, type WorkerHello, type WorkerSpec } from './worker.ts';

export { PythonBridgeError, PythonHelperError, type PythonFailure, type WorkerHello } from './worker.ts';

export interface PythonTarget {
  python: string;
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * What the worker's warm state depends on (the connection: server, project,
   * credentials). A call with another key finds the worker reconnected, or,
   * while calls run, a fresh worker; the old one ends once its calls are done.
   */
  key: string;
  /** Extra helper modules, by name (tests). */
  extraModules?: Record<string, string>;
}

/** How one helper call runs: cancellation, a time bound, and which interpreter state it needs. */
export interface HelperCallOptions {
  /** Aborting it stops the call (its process group is killed). */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Start without importing kitaru first (a metadata probe needs none). */
  cold?: boolean;
  /** A fresh interpreter for this call alone, leaving the warm worker be (a probe). */
  oneShot?: boolean;
}

export interface HelperHandle<T> {
  /** What the helper returned; a PythonHelperError or PythonBridgeError otherwise. */
  result: Promise<T>;
  /** The execution id the helper announced, once it has. */
  announcedExecId(): string | null;
  /** Everything the helper published so far. */
  events(): Record<string, unknown>;
  /** Stops tying the call to its signal: it goes on (until we exit). */
  detach(): void;
}

// Python's kitaru-mcp is one process, so hash() is stable across its calls,
// and Kitaru names a flow file's module `<prefix><abs(hash(path))>`. Our
// calls share their worker's seed; one seed per server keeps module names the
// same across worker restarts too (a user's own PYTHONHASHSEED wins).
const SESSION_HASH_SEED = String(randomInt(1, 2 ** 32 - 1));

const isWindows = process.platform === 'win32';

function idleMs(env: Record<string, string | undefined>): number {
  const seconds = Number(env.KITARU_MCP_WORKER_IDLE_SECONDS ?? '');
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 300) * 1000;
}

interface Entry {
  worker: WorkerProcess;
  key: string;
  idle: NodeJS.Timeout | null;
}

const workers = new Map<string, Entry>(); // by interpreter + cwd
const oneShots = new Set<WorkerProcess>();
let liveCalls = 0;

function slot(target: PythonTarget): string {
  return JSON.stringify([target.python, target.cwd, Object.keys(target.extraModules ?? {})]);
}

function specOf(target: PythonTarget, oneShot: boolean): WorkerSpec {
  const env = target.env;
  return {
    python: target.python,
    cwd: target.cwd,
    oneShot,
    env: { ...env, PYTHONHASHSEED: env.PYTHONHASHSEED ?? SESSION_HASH_SEED },
  };
}

async function spawnWorker(target: PythonTarget, oneShot: boolean): Promise<WorkerProcess> {
  const sources = await helperSources();
  return new WorkerProcess(specOf(target, oneShot), {
    worker: sources.worker,
    modules: { ...sources.modules, ...target.extraModules },
  });
}

function retire(entry: Entry): void {
  if (entry.idle !== null) clearTimeout(entry.idle);
  entry.idle = null;
  if (entry.worker.busy === 0) entry.worker.stop();
  else void waitIdle(entry.worker).then(() => entry.worker.stop());
}

async function waitIdle(worker: WorkerProcess): Promise<void> {
  while (worker.alive && worker.busy > 0) await new Promise((resolve) => setTimeout(resolve, 500).unref());
}

/**
 * Another connection, same interpreter and environment, and no call running:
 * the worker can forget its connection instead of being replaced. With calls
 * running it is replaced, so that what they leave behind (an execution marked
 * stopped when its flow dies) still reaches their own server.
 */
function canReconnect(entry: Entry, target: PythonTarget): boolean {
  if (entry.worker.busy > 0) return false;
  const env = specOf(target, false).env;
  const spawned = entry.worker.spec.env;
  const keys = Object.keys(env);
  return keys.length === Object.keys(spawned).length && keys.every((k) => spawned[k] === env[k]);
}

/** The warm worker for this target, started when missing, dead, or for another connection. */
async function workerFor(target: PythonTarget): Promise<Entry> {
  const name = slot(target);
  let entry = workers.get(name);
  if (entry?.worker.alive && entry.key !== target.key && canReconnect(entry, target)) {
    entry.worker.reconnect();
    entry.key = target.key;
  }
  if (entry !== undefined && (!entry.worker.alive || entry.key !== target.key)) {
    workers.delete(name);
    retire(entry);
    entry = undefined;
  }
  if (entry === undefined) {
    entry = { worker: await spawnWorker(target, false), key: target.key, idle: null };
    const created = entry;
    workers.set(name, created);
    void created.worker.exitedPromise().then(() => {
      if (workers.get(name) === created) workers.delete(name);
      if (created.idle !== null) clearTimeout(created.idle);
    });
  }
  return entry;
}

function armIdle(entry: Entry, env: Record<string, string | undefined>): void {
  if (entry.idle !== null) clearTimeout(entry.idle);
  entry.idle = null;
  if (entry.worker.busy > 0 || !entry.worker.alive) return;
  entry.idle = setTimeout(() => {
    for (const [name, current] of workers) if (current === entry) workers.delete(name);
    entry.worker.stop();
  }, idleMs(env));
  entry.idle.unref();
}

/** The interpreter's versions, as the (warm) worker reports them; starts the worker when needed. */
export async function workerHello(target: PythonTarget): Promise<WorkerHello> {
  if (isWindows) {
    const worker = await spawnWorker(target, true);
    try {
      return await worker.hello;
    } finally {
      worker.kill();
    }
  }
  const entry = await workerFor(target);
  const hello = await entry.worker.hello;
  armIdle(entry, target.env);
  return hello;
}

/** Starts the worker and imports kitaru in it ahead of the first call (--prewarm). */
export async function prewarm(target: PythonTarget): Promise<void> {
  if (isWindows) return;
  const entry = await workerFor(target);
  await entry.worker.hello;
  await entry.worker.warm();
  armIdle(entry, target.env);
}

/** Starts `helper` (`module.function`) with `args`; see HelperHandle. */
export function startHelper<T>(target: PythonTarget, helper: string, args: unknown, options: HelperCallOptions = {}): HelperHandle<T> {
  let events: Record<string, unknown> = {};
  let cancel: ((error: PythonBridgeError) => void) | null = null;
  let cancelled: PythonBridgeError | null = null;
  const signal = options.signal;
  const onAbort = () => {
    cancelled = new PythonBridgeError('cancelled', 'The call was cancelled; its Python process was stopped.');
    cancel?.(cancelled);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  const result = (async (): Promise<T> => {
    liveCalls += 1;
    let timer: NodeJS.Timeout | null = null;
    const oneShot = isWindows || options.oneShot === true;
    let entry: Entry | null = null;
    let worker: WorkerProcess;
    try {
      if (cancelled !== null) throw cancelled;
      if (oneShot) {
        worker = await spawnWorker(target, true);
        oneShots.add(worker);
      } else {
        entry = await workerFor(target);
        worker = entry.worker;
        if (entry.idle !== null) clearTimeout(entry.idle);
      }
      await worker.hello;
      if (!oneShot && !options.cold) await worker.warm();
      if (cancelled !== null) throw cancelled;
      const call = worker.call<T>(helper, args, (data) => {
        events = data;
      });
      cancel = (error) => worker.cancel(call.id, error);
      if (options.timeoutMs !== undefined) {
        const seconds = Math.round(options.timeoutMs / 1000);
        timer = setTimeout(
          () =>
            worker.cancel(
              call.id,
              new PythonBridgeError('timeout', `The Python helper did not finish within ${seconds} s and was stopped.`),
            ),
          options.timeoutMs,
        );
      }
      return await call.result;
    } finally {
      liveCalls -= 1;
      if (timer !== null) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (entry !== null) armIdle(entry, target.env);
      for (const w of oneShots) if (!w.alive) oneShots.delete(w);
    }
  })();

  return {
    result,
    announcedExecId: () => {
      const execId = events.exec_id;
      return typeof execId === 'string' && execId !== '' ? execId : null;
    },
    events: () => events,
    detach: () => signal?.removeEventListener('abort', onAbort),
  };
}

/** Runs a helper to completion and returns what it returned. */
export function runHelper<T>(target: PythonTarget, helper: string, args: unknown, options: HelperCallOptions = {}): Promise<T> {
  return startHelper<T>(target, helper, args, options).result;
}

/** Ends every worker (we are exiting): their calls' process groups die, running executions are marked stopped. */
export function stopAllWorkers(): void {
  for (const entry of workers.values()) {
    if (entry.idle !== null) clearTimeout(entry.idle);
    entry.worker.stop();
  }
  workers.clear();
  for (const worker of oneShots) worker.kill();
  oneShots.clear();
}

/** For tests and diagnostics. */
export function bridgeState(): { workers: { pid: number | undefined; busy: number }[]; liveCalls: number } {
  return { workers: [...workers.values()].map((e) => ({ pid: e.worker.pid, busy: e.worker.busy })), liveCalls };
}

/** Resolves when every worker has exited (tests). */
export async function workersExited(): Promise<void> {
  await Promise.all([...workers.values()].map((e) => e.worker.exitedPromise()));
}
