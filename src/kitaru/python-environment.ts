// Facts only the user's Python knows: installed kitaru and zenml versions, its
// own version and platform string, and package inventories. Asked once per
// interpreter and question, then cached: they do not change while we run.
import { NO_PYTHON_MESSAGE, findInterpreter } from '../python/interpreter.ts';
import { runPythonHelper } from '../python/run.ts';
import { ENVIRONMENT_PROBE } from '../python/scripts/environment.ts';
import type { KitaruRuntime } from './runtime.ts';
import { KitaruUsageError } from './errors.ts';

export interface PythonEnvironment {
  kitaru_version: string | null;
  zenml_version: string | null;
  python_version: string | null;
  system_info: { os: string; architecture: string } | null;
  packages: Record<string, string> | null;
}

const EMPTY: PythonEnvironment = {
  kitaru_version: null,
  zenml_version: null,
  python_version: null,
  system_info: null,
  packages: null,
};

/**
 * Answers by interpreter and question. Questions come from clients (a package
 * list can be megabytes and differ on every call), so the cache is bounded: at
 * most PROBE_CACHE_ENTRIES answers, questions above PROBE_CACHE_KEY_CHARS are
 * asked every time, and the oldest answer goes first.
 */
const cache = new Map<string, Promise<PythonEnvironment>>();
export const PROBE_CACHE_ENTRIES = 16;
export const PROBE_CACHE_KEY_CHARS = 4096;

function remember(key: string, pending: Promise<PythonEnvironment>): void {
  if (key.length > PROBE_CACHE_KEY_CHARS) return;
  cache.delete(key);
  cache.set(key, pending);
  while (cache.size > PROBE_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
}

/** For tests: how many answers are held, and the characters their questions take. */
export function probeCacheSize(): { entries: number; chars: number } {
  let chars = 0;
  for (const key of cache.keys()) chars += key.length;
  return { entries: cache.size, chars };
}

/** The user's interpreter path, or a clear usage error saying how to point us at one. */
export function requireInterpreter(runtime: KitaruRuntime): string {
  const choice = findInterpreter(runtime.env, runtime.cwd, runtime.pythonOverride);
  if (choice === null) throw new KitaruUsageError(NO_PYTHON_MESSAGE);
  return choice.path;
}

/** Never fails: without a usable Python every value is null. */
export function pythonEnvironment(
  runtime: KitaruRuntime,
  request: { all_packages?: boolean; package_names?: string[] | null } = {},
): Promise<PythonEnvironment> {
  const choice = findInterpreter(runtime.env, runtime.cwd, runtime.pythonOverride);
  if (choice === null) return Promise.resolve(EMPTY);
  const key = JSON.stringify([choice.path, request]);
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = runPythonHelper<PythonEnvironment>(choice.path, ENVIRONMENT_PROBE, request, {
      env: { ...runtime.env },
      cwd: runtime.cwd,
      timeoutMs: 15_000,
    }).catch(() => {
      cache.delete(key);
      return EMPTY;
    });
    remember(key, pending);
  }
  return pending;
}
