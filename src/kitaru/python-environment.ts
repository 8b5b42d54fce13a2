// Facts about the user's Python for kitaru_status and kitaru_info: installed
// kitaru and zenml versions, its own version and platform, package
// inventories. These tools are read-only, so they execute nothing the user did
// not choose: an interpreter named with --python or KITARU_PYTHON is asked
// (a metadata probe, no kitaru import); one merely found (a .venv in the
// working directory, say) is only read: pyvenv.cfg and the *.dist-info
// folders of its site-packages. A failed probe is an error, never nulls.
import fs from 'node:fs';
import path from 'node:path';
import { findInterpreter } from '../python/interpreter.ts';
import { ValueError } from './errors.ts';
import { kitaruVersionProblem, runProbe } from './python.ts';
import type { KitaruRuntime } from './runtime.ts';

export { requireInterpreter } from './python.ts';

export interface PythonEnvironment {
  kitaru_version: string | null;
  zenml_version: string | null;
  python_version: string | null;
  system_info: { os: string; architecture: string } | null;
  packages: Record<string, string> | null;
  /** Set when the interpreter has no kitaru, or one we cannot drive. */
  version_warning: string | null;
}

export interface PackageRequest {
  all_packages?: boolean;
  package_names?: string[] | null;
}

const EMPTY: PythonEnvironment = {
  kitaru_version: null,
  zenml_version: null,
  python_version: null,
  system_info: null,
  packages: null,
  version_warning: null,
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

const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** The environment folder of an interpreter (a venv's root, or the installation prefix). */
function prefixOf(python: string): string {
  return path.dirname(path.dirname(python));
}

function sitePackages(prefix: string): string[] {
  const found: string[] = [];
  const windows = path.join(prefix, 'Lib', 'site-packages');
  if (fs.existsSync(windows)) found.push(windows);
  for (const lib of ['lib', 'lib64']) {
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(path.join(prefix, lib));
    } catch {
      continue;
    }
    for (const entry of entries.filter((e) => /^python3\.\d+$/.test(e)).sort()) {
      for (const leaf of ['site-packages', 'dist-packages']) {
        const dir = path.join(prefix, lib, entry, leaf);
        if (fs.existsSync(dir) && !found.includes(dir)) found.push(dir);
      }
    }
  }
  return found;
}

/** name -> version from the dist-info/egg-info folders (bounded: names only, no file bodies). */
export function installedPackages(python: string): Record<string, string> {
  const packages: Record<string, string> = {};
  for (const dir of sitePackages(prefixOf(python))) {
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const match = /^(.+?)-([^-]+?)\.(dist-info|egg-info)$/.exec(entry);
      if (match === null) continue;
      const name = normalise(match[1]!);
      packages[name] ??= match[2]!;
    }
  }
  return Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function pythonVersionFromFiles(python: string): string | null {
  try {
    const cfg = fs.readFileSync(path.join(prefixOf(python), 'pyvenv.cfg'), 'utf8').slice(0, 64 * 1024);
    const match = /^\s*(?:version_info|version)\s*=\s*(\d+\.\d+\.\d+)/m.exec(cfg);
    if (match) return match[1]!;
  } catch {
    // not a virtualenv
  }
  return null;
}

function fromFiles(python: string, request: PackageRequest): PythonEnvironment {
  const all = installedPackages(python);
  let packages: Record<string, string> | null = null;
  if (request.all_packages) packages = all;
  else if (request.package_names && request.package_names.length > 0) {
    packages = {};
    for (const name of request.package_names) {
      if (name === '') throw new ValueError('A distribution name is required.');
      packages[name.toLowerCase().replace(/_/g, '-')] = all[normalise(name)] ?? 'not installed';
    }
    packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return {
    kitaru_version: all.kitaru ?? null,
    zenml_version: all.zenml ?? null,
    python_version: pythonVersionFromFiles(python),
    system_info: null,
    packages,
    version_warning: null,
  };
}

/** What status and info show about the user's Python; nulls only when none is found. */
export function pythonEnvironment(runtime: KitaruRuntime, request: PackageRequest = {}): Promise<PythonEnvironment> {
  const choice = findInterpreter(runtime.env, runtime.cwd, runtime.pythonOverride);
  if (choice === null) return Promise.resolve(EMPTY);
  const named = runtime.pythonOverride !== undefined;
  const key = JSON.stringify([choice.path, named, request]);
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = (async () => {
      const facts = named
        ? await runProbe<PythonEnvironment>(runtime, choice.path, 'environment.probe', request, 15_000)
        : fromFiles(choice.path, request);
      const looksInstalled = fs.existsSync(choice.path);
      return {
        ...facts,
        version_warning: looksInstalled ? kitaruVersionProblem(facts.kitaru_version, choice.path) : null,
      };
    })();
    // Failures are not remembered: the next call asks again.
    pending.catch(() => cache.delete(key));
    remember(key, pending);
  }
  return pending;
}
