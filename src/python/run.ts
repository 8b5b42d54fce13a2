// Runs a helper program in the user's Python and reads back one JSON result.
// The program text ships inside our bundle (no loose .py files). Arguments go
// in on stdin as JSON; the result comes back through a temp file, a channel
// that user code printing to stdout or stderr cannot pollute. The child's
// stdout is dropped, never forwarded to ours (the MCP stream); its stderr is
// kept, bounded, for error messages.
//
// A helper may also announce an execution id early (through a second temp
// file) so a long flow can be followed, and handed off, before it finishes.
import { parseJson, stringifyJson } from '../compat/json.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { execa } from 'execa';
import {
  KitaruBackendError,
  KitaruError,
  KitaruRuntimeError,
  KitaruStateError,
  KitaruUsageError,
  LookupError,
  ValueError,
} from '../kitaru/errors.ts';

// Helpers run as if inside Python's `kitaru-mcp` console script: ZenML takes
// its source root from the main module's file (there, the script in the
// environment's bin directory; under \`python -c\` there is none, which ZenML
// refuses), and sys.path starts with that directory, not the working
// directory, so \`module:flow\` targets resolve the same way.
const PRELUDE = `
import json as _json, os as _os, sys as _sys
_request = _json.loads(_sys.stdin.read())
_kitaru_mcp_script = _os.path.join(_os.path.dirname(_sys.executable), "kitaru-mcp")
_sys.modules["__main__"].__file__ = _kitaru_mcp_script
if _sys.path and _sys.path[0] == "":
    _sys.path[0] = _os.path.dirname(_kitaru_mcp_script)
def _write_atomically(_path, _payload):
    _tmp = _path + ".tmp"
    with open(_tmp, "w", encoding="utf-8") as _f:
        _json.dump(_payload, _f, default=repr)
    _os.replace(_tmp, _path)
def _emit(_payload):
    _write_atomically(_request["result_file"], _payload)
_events = {}
def _publish(**_updates):
    """Side news for the caller while main() runs (the execution id, flow modules loaded)."""
    _events.update(_updates)
    _write_atomically(_request["event_file"], _events)
def _announce(_exec_id):
    """Tells the caller which execution this helper is driving (first call wins)."""
    if "exec_id" not in _events and _exec_id:
        _publish(exec_id=str(_exec_id))
`;

const EPILOGUE = `
try:
    _emit({"ok": True, "value": main(_request["args"])})
except BaseException as _exc:
    _emit({"ok": False, "error": {"type": type(_exc).__name__, "mro": [c.__name__ for c in type(_exc).__mro__], "message": str(_exc)}})
`;

const STDERR_LIMIT = 64 * 1024;

// Python's kitaru-mcp is one long-lived process, so hash() is stable across
// its calls, and Kitaru names a flow file's module `<prefix><abs(hash(path))>`.
// That name is part of each checkpoint's source, hence of its cache key and of
// what replay/retry/resume import later. One seed for all our helpers, chosen
// once per server, gives them the same stability (a user's own seed wins).
const SESSION_HASH_SEED = String(randomInt(1, 2 ** 32 - 1));

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Aborting it kills the helper (the call was abandoned). */
  signal?: AbortSignal;
  timeoutMs?: number;
}

interface PythonFailure {
  type: string;
  mro: string[];
  message: string;
}

/** Maps a Python exception to our class of the same meaning, keeping its message. */
export function toKitaruError(failure: PythonFailure): KitaruError {
  const has = (name: string) => failure.mro.includes(name);
  const message = failure.message;
  if (has('KitaruStateError')) return new KitaruStateError(message);
  if (has('KitaruBackendError')) return new KitaruBackendError(message);
  if (has('KitaruUsageError')) return new KitaruUsageError(message);
  if (has('KitaruRuntimeError')) return new KitaruRuntimeError(message);
  if (has('LookupError') && !has('KeyError')) return new LookupError(message);
  if (has('ValueError')) return new ValueError(message);
  const error = new KitaruError(message);
  error.name = failure.type;
  return error;
}

/** Helper processes alive right now; all are killed when the server shuts down. */
const running = new Set<{ kill(signal?: NodeJS.Signals): boolean }>();

export function killAllHelpers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** How many helpers are alive (for tests and diagnostics). */
export function liveHelperCount(): number {
  return running.size;
}

export interface HelperHandle<T> {
  /** What main() returned, or its exception as a KitaruError. */
  result: Promise<T>;
  /** The execution id the helper announced, once it has. */
  announcedExecId(): string | null;
  /** Everything the helper published so far (see `_publish`). */
  events(): Record<string, unknown>;
  /**
   * Stops tying the helper to the call's signal: the call returns while the
   * helper goes on. It is still killed when the server exits.
   */
  detach(): void;
}

/**
 * Starts `source` (which defines `main(args)`) under `python`. The returned
 * handle resolves with what main returned; a Python exception is rethrown as a
 * KitaruError with the same message; a crash, cancel or timeout says so.
 */
export function startPythonHelper<T>(python: string, source: string, args: unknown, options: RunOptions = {}): HelperHandle<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaru-mcp-'));
  const resultFile = path.join(dir, 'result.json');
  const eventFile = path.join(dir, 'event.json');
  const child = execa(python, ['-c', PRELUDE + source + EPILOGUE], {
    // Python's json.loads reads what it wrote: exact ints, 2.0 as a float, NaN/Infinity.
    input: stringifyJson({ args, result_file: resultFile, event_file: eventFile }, { floats: 'python' }),
    stdout: 'ignore',
    stderr: 'pipe',
    buffer: { stderr: false },
    reject: false,
    env: {
      ...options.env,
      PYTHONUNBUFFERED: '1',
      PYTHONIOENCODING: 'utf-8',
      PYTHONHASHSEED: (options.env ?? process.env).PYTHONHASHSEED ?? SESSION_HASH_SEED,
    },
    extendEnv: options.env === undefined,
    cwd: options.cwd,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 3000,
    windowsHide: true,
  });
  running.add(child);

  let cancelled = false;
  const onAbort = () => {
    cancelled = true;
    child.kill('SIGKILL');
  };
  const signal = options.signal;
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_LIMIT);
  });

  let events: Record<string, unknown> = {};
  const readEvents = (): Record<string, unknown> => {
    try {
      events = JSON.parse(fs.readFileSync(eventFile, 'utf8')) as Record<string, unknown>;
    } catch {
      // nothing published yet (or the helper is gone and its files with it)
    }
    return events;
  };
  const announcedExecId = (): string | null => {
    const execId = (events.exec_id !== undefined ? events : readEvents()).exec_id;
    return typeof execId === 'string' && execId !== '' ? execId : null;
  };

  const result = (async (): Promise<T> => {
    try {
      const outcome = await child;
      readEvents();
      let text: string | null = null;
      try {
        text = fs.readFileSync(resultFile, 'utf8');
      } catch {
        text = null;
      }
      if (text !== null && !cancelled) {
        const payload = parseJson(text) as { ok: true; value: T } | { ok: false; error: PythonFailure };
        if (payload.ok) return payload.value;
        throw toKitaruError(payload.error);
      }
      if (cancelled) throw new KitaruRuntimeError('The call was cancelled; the Python helper was stopped.');
      if (outcome.timedOut) {
        throw new KitaruRuntimeError(
          `The Python helper did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s and was stopped.`,
        );
      }
      const tail = stderr.trim().split('\n').slice(-15).join('\n');
      throw new KitaruRuntimeError(
        `The Python helper (${python}) exited with ${outcome.exitCode ?? outcome.signal ?? 'an error'} without a result.` +
          (tail ? `\n${tail}` : ''),
      );
    } finally {
      signal?.removeEventListener('abort', onAbort);
      running.delete(child);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  })();

  return {
    result,
    announcedExecId,
    events: () => (fs.existsSync(dir) ? readEvents() : events),
    detach: () => signal?.removeEventListener('abort', onAbort),
  };
}

/** Runs a helper to completion and returns what its main() returned. */
export function runPythonHelper<T>(python: string, source: string, args: unknown, options: RunOptions = {}): Promise<T> {
  return startPythonHelper<T>(python, source, args, options).result;
}
