// One worker process in the user's Python (helpers/worker.py): it imports
// kitaru once and forks a child per call. Requests and results travel on fd 3,
// a socket pair private to us: the worker's stdout is /dev/null and its
// stderr only feeds error messages, so nothing a flow prints reaches our
// stdout. Its stdin stays open and unused: when we die, even by SIGKILL, the
// worker reads EOF and ends, taking its children with it.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { parseJson, stringifyJson } from '../compat/json.ts';
import { helperSources } from './helper-sources.ts';

export interface WorkerSpec {
  python: string;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Run one call in the worker process itself, then exit (no fork: Windows). */
  oneShot: boolean;
}

export interface WorkerHello {
  pid: number;
  can_fork: boolean;
  kitaru_version: string | null;
  zenml_version: string | null;
  python_version: string;
}

export interface PythonFailure {
  type: string;
  mro: string[];
  message: string;
}

/** main() raised: the Python exception, for the caller to map. */
export class PythonHelperError extends Error {
  override name = 'PythonHelperError';
  constructor(readonly failure: PythonFailure) {
    super(failure.message);
  }
}

/** The bridge failed: the interpreter would not start, a call's process died, was cancelled or timed out. */
export class PythonBridgeError extends Error {
  override name = 'PythonBridgeError';
  constructor(
    readonly kind: 'spawn' | 'crash' | 'worker-died' | 'cancelled' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

/** One line from the worker (see helpers/worker.py). */
interface WorkerMessage {
  type?: string;
  id?: number;
  ok?: boolean;
  value?: unknown;
  error?: PythonFailure;
  data?: Record<string, unknown>;
  import_error?: PythonFailure | null;
  code?: number | null;
  signal?: number | null;
  stderr?: string;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEvent(data: Record<string, unknown>): void;
}

const STDERR_LIMIT = 64 * 1024;
const SOURCE_VARIABLE = 'KITARU_MCP_WORKER_PROGRAM';
const BOOTSTRAP = `import os; exec(compile(os.environ.pop("${SOURCE_VARIABLE}"), "kitaru-mcp-worker", "exec"))`;
const LINE_LIMIT = 256 * 1024 * 1024;

function tail(text: string, lines = 15): string {
  const kept = text.trim().split('\n').slice(-lines).join('\n');
  return kept ? `\n${kept}` : '';
}

function describeExit(code: number | null, signal: number | string | null): string {
  if (signal !== null && signal !== undefined) return `was killed by signal ${signal}`;
  return `exited with ${code ?? 'an error'}`;
}

export class WorkerProcess {
  readonly hello: Promise<WorkerHello>;
  private readyPromise: Promise<void> | null = null;
  private readonly child: ChildProcess;
  private readonly channel: Duplex;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private inbox = '';
  private stderr = '';
  private exited = false;
  private exitWaiters: (() => void)[] = [];
  private helloResolve!: (hello: WorkerHello) => void;
  private helloReject!: (error: Error) => void;
  /** One per "warm" sent, in order: the worker answers each with "ready". */
  private readonly readyWaiters: ((error: PythonFailure | null) => void)[] = [];

  constructor(
    readonly spec: WorkerSpec,
    sources: { worker: string; modules: Record<string, string> },
  ) {
    this.hello = new Promise((resolve, reject) => {
      this.helloResolve = resolve;
      this.helloReject = reject;
    });
    this.hello.catch(() => undefined);
    // The program travels in the environment (the worker removes it at once),
    // so process listings show a short command line.
    this.child = spawn(spec.python, ['-c', BOOTSTRAP], {
      cwd: spec.cwd,
      env: { ...spec.env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8', [SOURCE_VARIABLE]: sources.worker } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.channel = this.child.stdio[3] as Duplex;
    this.channel.setEncoding('utf8');
    this.channel.on('data', (chunk: string) => this.onData(chunk));
    this.channel.on('error', () => undefined);
    this.child.stdin?.on('error', () => undefined);
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_LIMIT);
    });
    this.child.on('error', (error) => this.onExit(null, null, error));
    this.child.on('exit', (code, signal) => this.onExit(code, signal, null));
    this.send({ op: 'init', helpers: sources.modules, one_shot: spec.oneShot });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  get busy(): number {
    return this.pending.size;
  }

  /** Imports kitaru in the worker (once); resolves when done, with its import error if any. */
  warm(): Promise<PythonFailure | null> {
    if (this.readyPromise === null) {
      const ready = new Promise<PythonFailure | null>((resolve) => {
        this.readyWaiters.push(resolve);
      });
      this.readyPromise = ready.then(() => undefined);
      this.send({ op: 'warm' });
      return ready;
    }
    return this.readyPromise.then(() => null);
  }

  /**
   * The connection changed while no call ran: the worker drops its client
   * state and the next warm() connects afresh, in this interpreter, instead of
   * a new one importing kitaru again (helpers/worker.py, reconnect).
   */
  reconnect(): void {
    this.readyPromise = null;
    this.send({ op: 'reconnect' });
  }

  call<T>(helper: string, args: unknown, onEvent: (data: Record<string, unknown>) => void): { id: number; result: Promise<T> } {
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => {
      if (this.exited) {
        reject(new PythonBridgeError('worker-died', `The Python worker (${this.spec.python}) is not running.`));
        return;
      }
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onEvent });
      this.send({ op: 'call', id, helper, args });
    });
    return { id, result };
  }

  cancel(id: number, error: PythonBridgeError): void {
    const call = this.pending.get(id);
    if (call === undefined) return;
    this.pending.delete(id);
    call.reject(error);
    if (this.spec.oneShot) this.kill();
    else this.send({ op: 'cancel', id });
  }

  /** Ends the worker: it kills its calls' process groups and marks their executions stopped. */
  stop(): void {
    if (this.exited) return;
    try {
      this.child.stdin?.end();
      this.child.kill('SIGTERM');
    } catch {
      // already gone
    }
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  exitedPromise(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  private send(message: object): void {
    if (this.exited) return;
    // Python's json.loads reads what it wrote: exact ints, 2.0 as a float, NaN/Infinity.
    this.channel.write(`${stringifyJson(message, { floats: 'python' })}\n`);
  }

  private onData(chunk: string): void {
    this.inbox += chunk;
    if (this.inbox.length > LINE_LIMIT) {
      this.kill();
      return;
    }
    const lines = this.inbox.split('\n');
    this.inbox = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') this.onMessage(parseJson(line) as WorkerMessage);
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'hello':
        this.helloResolve(message as unknown as WorkerHello);
        return;
      case 'ready':
        this.readyWaiters.shift()?.((message.import_error as PythonFailure | null) ?? null);
        return;
    }
    const call = this.pending.get(Number(message.id));
    if (call === undefined) return;
    if (message.type === 'event') {
      call.onEvent((message.data ?? {}) as Record<string, unknown>);
    } else if (message.type === 'result') {
      this.pending.delete(Number(message.id));
      if (message.ok) call.resolve(message.value);
      else call.reject(new PythonHelperError(message.error as PythonFailure));
    } else if (message.type === 'exit') {
      this.pending.delete(Number(message.id));
      call.reject(
        new PythonBridgeError(
          'crash',
          `The Python process running this call (${this.spec.python}) ${describeExit(message.code ?? null, message.signal ?? null)} without a result.` +
            tail(String(message.stderr ?? '')),
        ),
      );
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, error: Error | null): void {
    if (this.exited) return;
    this.exited = true;
    const reason =
      error !== null
        ? `The Python interpreter ${this.spec.python} could not be started: ${error.message}`
        : `The Python worker (${this.spec.python}, pid ${this.child.pid}) ${describeExit(code, signal)}` +
          ' while this call was running; it is started again on the next call.' +
          tail(this.stderr);
    const failure = new PythonBridgeError(error !== null ? 'spawn' : 'worker-died', reason);
    this.helloReject(failure);
    for (const ready of this.readyWaiters.splice(0)) ready({ type: 'PythonBridgeError', mro: ['PythonBridgeError'], message: reason });
    for (const call of this.pending.values()) call.reject(failure);
    this.pending.clear();
    for (const waiter of this.exitWaiters.splice(0)) waiter();
  }
}

export async function startWorker(spec: WorkerSpec): Promise<WorkerProcess> {
  return new WorkerProcess(spec, await helperSources());
}
