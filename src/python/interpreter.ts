// Finding the user's Python, the one that has kitaru installed. The order:
//   1. an explicit choice: --python or KITARU_PYTHON;
//   2. the active virtualenv (VIRTUAL_ENV);
//   3. a project virtualenv (.venv, venv) in the working directory or above;
//   4. the interpreter behind a `kitaru` script on PATH (its shebang);
//   5. python3, then python, on PATH.
// The first that exists wins; whether it can import kitaru is the caller's check.
import fs from 'node:fs';
import path from 'node:path';
import type { Env } from '../config/paths.ts';

export interface InterpreterChoice {
  path: string;
  /** How it was found, for messages ("KITARU_PYTHON", "project virtualenv ..."). */
  source: string;
}

const isWindows = process.platform === 'win32';

function venvPython(dir: string): string | null {
  const candidate = isWindows ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
  return fs.existsSync(candidate) ? candidate : null;
}

function onPath(env: Env, name: string): string | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = isWindows ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext.toLowerCase());
      try {
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** The interpreter named in a console script's shebang (pip writes absolute ones). */
function shebangInterpreter(script: string): string | null {
  try {
    const fd = fs.openSync(script, 'r');
    const buffer = Buffer.alloc(512);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    fs.closeSync(fd);
    const firstLine = buffer.subarray(0, read).toString('utf8').split('\n')[0] ?? '';
    const match = /^#!\s*(\S+)/.exec(firstLine);
    const interpreter = match?.[1];
    return interpreter !== undefined && path.isAbsolute(interpreter) && fs.existsSync(interpreter) ? interpreter : null;
  } catch {
    return null;
  }
}

export function findInterpreter(env: Env, cwd: string, explicit?: string): InterpreterChoice | null {
  if (explicit !== undefined && explicit !== '') {
    return { path: path.resolve(cwd, explicit), source: env.KITARU_PYTHON === explicit ? 'KITARU_PYTHON' : '--python' };
  }
  const active = env.VIRTUAL_ENV ? venvPython(env.VIRTUAL_ENV) : null;
  if (active !== null) return { path: active, source: `active virtualenv (${env.VIRTUAL_ENV})` };
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of ['.venv', 'venv']) {
      const found = venvPython(path.join(dir, name));
      if (found !== null) return { path: found, source: `project virtualenv (${path.join(dir, name)})` };
    }
    if (path.dirname(dir) === dir) break;
  }
  const kitaru = onPath(env, 'kitaru');
  const behindKitaru = kitaru === null ? null : shebangInterpreter(kitaru);
  if (behindKitaru !== null) return { path: behindKitaru, source: `the interpreter of ${kitaru}` };
  for (const name of ['python3', 'python']) {
    const found = onPath(env, name);
    if (found !== null) return { path: found, source: `${name} on PATH` };
  }
  return null;
}
