// Kitaru's use of the Python bridge: which interpreter, which Kitaru versions
// we can drive, and how a Python failure reads (Kitaru's exception classes,
// Python's messages). Every Python-side tool goes through here.
import { createHash } from 'node:crypto';
import { findInterpreter } from '../python/interpreter.ts';
import {
  PythonBridgeError,
  PythonHelperError,
  prewarm,
  runHelper,
  startHelper,
  workerHello,
  type HelperCallOptions,
  type HelperHandle,
  type PythonFailure,
  type PythonTarget,
} from '../python/run.ts';
import {
  KitaruBackendError,
  KitaruError,
  KitaruRuntimeError,
  KitaruStateError,
  KitaruUsageError,
  LookupError,
  ValueError,
} from './errors.ts';
import type { KitaruRuntime } from './runtime.ts';

/**
 * The ZenML-based Kitaru releases whose private functions our helpers call
 * with the same meaning: 0.11.0 up to (not including) 0.19.0, where replay's
 * signature changed (`at=`, `flow_overrides=`). 0.22 and later are another
 * product without ZenML.
 */
export const SUPPORTED_KITARU = { min: '0.11.0', below: '0.19.0', text: '0.11.0 to 0.18.x' } as const;

export const INSTALL_HINT =
  `Install a supported Kitaru (${SUPPORTED_KITARU.text}) in a virtualenv, e.g. \`pip install "kitaru[local]>=0.11,<0.19"\`, ` +
  'then point kitaru-mcp at that Python: start it with `--python /path/to/venv/bin/python` or set KITARU_PYTHON.';

export const NO_PYTHON_MESSAGE = `No Python interpreter was found, and this tool runs in the Python where kitaru is installed. ${INSTALL_HINT}`;

function parts(version: string): number[] {
  return version
    .split(/[.+-]/)
    .slice(0, 3)
    .map((p) => Number.parseInt(p, 10) || 0);
}

function compare(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i += 1) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

export function isSupportedKitaru(version: string): boolean {
  return compare(version, SUPPORTED_KITARU.min) >= 0 && compare(version, SUPPORTED_KITARU.below) < 0;
}

/** The warning status/info carry, and the refusal of every Python-side tool; null when fine. */
export function kitaruVersionProblem(version: string | null, python: string): string | null {
  if (version === null) return `The Python at ${python} has no kitaru installed. ${INSTALL_HINT}`;
  if (isSupportedKitaru(version)) return null;
  const newer = compare(version, SUPPORTED_KITARU.below) >= 0;
  return (
    `The Python at ${python} has kitaru ${version}; kitaru-mcp supports kitaru ${SUPPORTED_KITARU.text}` +
    (newer && compare(version, '0.22.0') >= 0 ? ' (kitaru 0.22 and later no longer build on ZenML and ship their own MCP server)' : '') +
    `. ${INSTALL_HINT}`
  );
}

/** The user's interpreter path, or a clear usage error saying how to point us at one. */
export function requireInterpreter(runtime: KitaruRuntime): string {
  const choice = findInterpreter(runtime.env, runtime.cwd, runtime.pythonOverride);
  if (choice === null) throw new KitaruUsageError(NO_PYTHON_MESSAGE);
  return choice.path;
}

/** Where calls run: the key tells the worker when the connection it was warmed for changed. */
export function pythonTarget(runtime: KitaruRuntime): PythonTarget {
  const python = requireInterpreter(runtime);
  const connection = runtime.connection();
  const key = createHash('sha256')
    .update(JSON.stringify([connection.store, connection.credentials, connection.project, connection.stackId, connection.configDir]))
    .digest('hex');
  return { python, env: { ...runtime.env }, cwd: runtime.cwd, key };
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

function mapError(error: unknown): never {
  if (error instanceof PythonHelperError) throw toKitaruError(error.failure);
  if (error instanceof PythonBridgeError) {
    throw new KitaruRuntimeError(error.kind === 'spawn' ? `${error.message}. ${INSTALL_HINT}` : error.message);
  }
  throw error;
}

/** Refuses plainly when the user's Python has no kitaru, or one we cannot drive. */
async function checkedTarget(runtime: KitaruRuntime): Promise<PythonTarget> {
  const target = pythonTarget(runtime);
  const hello = await workerHello(target).catch(mapError);
  const problem = kitaruVersionProblem(hello.kitaru_version, target.python);
  if (problem !== null) throw new KitaruUsageError(problem);
  return target;
}

/** Starts a helper (`module.function` in src/python/helpers) for a Kitaru operation. */
export async function startKitaruHelper<T>(
  runtime: KitaruRuntime,
  helper: string,
  args: unknown,
  options: HelperCallOptions = {},
): Promise<HelperHandle<T>> {
  const target = await checkedTarget(runtime);
  const handle = startHelper<T>(target, helper, args, options);
  const result = handle.result.catch(mapError);
  result.catch(() => undefined);
  return { ...handle, result };
}

export async function runKitaruHelper<T>(
  runtime: KitaruRuntime,
  helper: string,
  args: unknown,
  options: HelperCallOptions = {},
): Promise<T> {
  return (await startKitaruHelper<T>(runtime, helper, args, options)).result;
}

/** A metadata probe in an interpreter the user named (no kitaru import, no version check). */
export function runProbe<T>(runtime: KitaruRuntime, python: string, helper: string, args: unknown, timeoutMs: number): Promise<T> {
  const target: PythonTarget = { python, env: { ...runtime.env }, cwd: runtime.cwd, key: 'probe' };
  return runHelper<T>(target, helper, args, { cold: true, oneShot: true, timeoutMs }).catch(mapError);
}

/** --prewarm: start the worker and import kitaru now, so the first call is warm. Failures wait for that call. */
export async function prewarmPython(runtime: KitaruRuntime): Promise<void> {
  try {
    const target = pythonTarget(runtime);
    const hello = await workerHello(target);
    if (kitaruVersionProblem(hello.kitaru_version, target.python) === null) await prewarm(target);
  } catch {
    // the first Python-side call reports it
  }
}
