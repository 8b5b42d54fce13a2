// Runs a helper program in the user's Python and reads back one JSON result.
// The program text ships inside our bundle (no loose .py files). Arguments go
// in on stdin as JSON; the result comes back through a temp file, a channel
// that user code printing to stdout or stderr cannot pollute. The child's
// stdout is drained and dropped, never forwarded to ours (the MCP stream);
// its stderr is kept, bounded, for error messages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

const PRELUDE = `
import json as _json, sys as _sys
_request = _json.loads(_sys.stdin.read())
def _emit(_payload):
    with open(_request["result_file"], "w", encoding="utf-8") as _f:
        _json.dump(_payload, _f, default=repr)
`;

const EPILOGUE = `
try:
    _emit({"ok": True, "value": main(_request["args"])})
except BaseException as _exc:
    _emit({"ok": False, "error": {"type": type(_exc).__name__, "mro": [c.__name__ for c in type(_exc).__mro__], "message": str(_exc)}})
`;

const STDERR_LIMIT = 64 * 1024;

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
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

/** Active helper processes, killed when the server shuts down. */
const running = new Set<{ kill(signal?: NodeJS.Signals): boolean }>();

export function killAllHelpers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Runs `source` (which defines `main(args)`) under `python` and returns what
 * main returned. A Python exception is rethrown as a KitaruError with the same
 * message; a crash or timeout says so with the tail of stderr.
 */
export async function runPythonHelper<T>(python: string, source: string, args: unknown, options: RunOptions = {}): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaru-mcp-'));
  const resultFile = path.join(dir, 'result.json');
  const child = execa(python, ['-c', PRELUDE + source + EPILOGUE], {
    input: JSON.stringify({ args, result_file: resultFile }),
    stdout: 'ignore',
    stderr: 'pipe',
    buffer: { stderr: false },
    reject: false,
    env: { ...options.env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' },
    extendEnv: options.env === undefined,
    cwd: options.cwd,
    cancelSignal: options.signal,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 3000,
    windowsHide: true,
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_LIMIT);
  });
  try {
    const outcome = await child;
    let text: string | null = null;
    try {
      text = fs.readFileSync(resultFile, 'utf8');
    } catch {
      text = null;
    }
    if (text !== null) {
      const payload = JSON.parse(text) as { ok: true; value: T } | { ok: false; error: PythonFailure };
      if (payload.ok) return payload.value;
      throw toKitaruError(payload.error);
    }
    if (outcome.isCanceled) throw new KitaruRuntimeError('The call was cancelled; the Python helper was stopped.');
    if (outcome.timedOut) {
      throw new KitaruRuntimeError(`The Python helper did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s and was stopped.`);
    }
    const tail = stderr.trim().split('\n').slice(-15).join('\n');
    throw new KitaruRuntimeError(
      `The Python helper (${python}) exited with ${outcome.exitCode ?? outcome.signal ?? 'an error'} without a result.` +
        (tail ? `\n${tail}` : ''),
    );
  } finally {
    running.delete(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
