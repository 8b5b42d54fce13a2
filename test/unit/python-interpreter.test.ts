// The interpreter search order: explicit, active virtualenv, project
// virtualenv upwards from the working directory, `kitaru` on PATH, python3/python.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { NO_PYTHON_MESSAGE } from '../../src/kitaru/python.ts';
import { findInterpreter } from '../../src/python/interpreter.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaru-interp-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function file(p: string, text = '', mode = 0o755): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text, { mode });
  return p;
}

const activeVenv = path.join(root, 'active');
const activePython = file(path.join(activeVenv, 'bin', 'python'));
const project = path.join(root, 'project');
const projectPython = file(path.join(project, '.venv', 'bin', 'python'));
const deep = path.join(project, 'src', 'pkg');
fs.mkdirSync(deep, { recursive: true });
const elsewhere = path.join(root, 'elsewhere');
fs.mkdirSync(elsewhere, { recursive: true });
const toolPython = file(path.join(root, 'tool', 'bin', 'python3.11'));
const kitaruBin = path.join(root, 'kitaru-bin');
file(path.join(kitaruBin, 'kitaru'), `#!${toolPython}\nimport sys\n`);
const plainBin = path.join(root, 'plain-bin');
const plainPython3 = file(path.join(plainBin, 'python3'));

test('an explicit choice wins, named by where it came from', () => {
  const env = { KITARU_PYTHON: '/opt/py/bin/python', VIRTUAL_ENV: activeVenv, PATH: kitaruBin };
  assert.deepEqual(findInterpreter(env, deep, '/opt/py/bin/python'), { path: '/opt/py/bin/python', source: 'KITARU_PYTHON' });
  assert.deepEqual(findInterpreter(env, deep, '/usr/bin/python3'), { path: '/usr/bin/python3', source: '--python' });
});

test('then the active virtualenv', () => {
  const found = findInterpreter({ VIRTUAL_ENV: activeVenv, PATH: kitaruBin }, deep);
  assert.equal(found?.path, activePython);
});

test('then a project virtualenv found upwards from the working directory', () => {
  const found = findInterpreter({ PATH: `${kitaruBin}${path.delimiter}${plainBin}` }, deep);
  assert.equal(found?.path, projectPython);
  assert.match(found?.source ?? '', /project virtualenv/);
});

test('then the interpreter behind `kitaru` on PATH', () => {
  const found = findInterpreter({ PATH: `${kitaruBin}${path.delimiter}${plainBin}` }, elsewhere);
  assert.equal(found?.path, toolPython);
});

test('then python3 on PATH, and null (with a message saying how to fix it) when nothing is there', () => {
  assert.equal(findInterpreter({ PATH: plainBin }, elsewhere)?.path, plainPython3);
  assert.equal(findInterpreter({ PATH: path.join(root, 'empty') }, elsewhere), null);
  assert.match(NO_PYTHON_MESSAGE, /KITARU_PYTHON/);
  assert.match(NO_PYTHON_MESSAGE, /--python/);
});
