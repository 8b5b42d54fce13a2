// What status/info learn about the user's Python: from files for an
// interpreter merely found (a booby-trapped .venv/bin/python is never run),
// from a probe only in one the user named, and the Kitaru version verdict.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { servedFromLocalDatabase } from '../../src/kitaru/local-database.ts';
import { PROBE_CACHE_ENTRIES, installedPackages, probeCacheSize, pythonEnvironment } from '../../src/kitaru/python-environment.ts';
import { isSupportedKitaru, kitaruVersionProblem } from '../../src/kitaru/python.ts';
import { KitaruRuntime } from '../../src/kitaru/runtime.ts';
import { buildRuntimeSnapshot } from '../../src/kitaru/status.ts';
import { stopAllWorkers } from '../../src/python/run.ts';

const refPython = path.resolve('.venv-ref/bin/python');

after(() => stopAllWorkers());

/** A project folder whose .venv/bin/python leaves a mark when executed, with kitaru 0.27.2 "installed". */
function boobyTrappedProject(): { dir: string; mark: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'w10-trap-'));
  const mark = path.join(dir, 'EXECUTED');
  const bin = path.join(dir, '.venv', 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'python'), `#!/bin/sh\ntouch ${mark}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\nversion_info = 3.12.4\n');
  const site = path.join(dir, '.venv', 'lib', 'python3.12', 'site-packages');
  for (const dist of ['kitaru-0.27.2.dist-info', 'Requests-2.32.3.dist-info', 'typing_extensions-4.12.2.dist-info']) {
    fs.mkdirSync(path.join(site, dist), { recursive: true });
  }
  return { dir, mark };
}

test('the supported range and its message', () => {
  assert.equal(isSupportedKitaru('0.15.0'), true);
  assert.equal(isSupportedKitaru('0.11.0'), true);
  assert.equal(isSupportedKitaru('0.18.3'), true);
  assert.equal(isSupportedKitaru('0.10.9'), false);
  assert.equal(isSupportedKitaru('0.19.0'), false);
  assert.equal(isSupportedKitaru('0.27.2'), false);
  assert.equal(kitaruVersionProblem('0.15.0', '/p'), null);
  const newer = kitaruVersionProblem('0.27.2', '/p/python')!;
  assert.match(newer, /The Python at \/p\/python has kitaru 0\.27\.2; kitaru-mcp supports kitaru 0\.11\.0 to 0\.18\.x/);
  assert.match(newer, /no longer build on ZenML/);
  assert.match(newer, /--python/);
  assert.match(newer, /KITARU_PYTHON/);
  assert.match(kitaruVersionProblem(null, '/p/python')!, /has no kitaru installed.*pip install/);
});

test('a found interpreter is read, never executed: versions from dist-info, Python from pyvenv.cfg, the warning', async () => {
  const { dir, mark } = boobyTrappedProject();
  const env = { PATH: '/nonexistent' };
  const runtime = new KitaruRuntime({ env, cwd: dir });
  const facts = await pythonEnvironment(runtime, { package_names: ['requests', 'Typing_Extensions', 'absent'] });
  assert.equal(fs.existsSync(mark), false, 'the project .venv/bin/python was executed');
  assert.equal(facts.kitaru_version, '0.27.2');
  assert.equal(facts.python_version, '3.12.4');
  assert.deepEqual(facts.packages, { absent: 'not installed', requests: '2.32.3', 'typing-extensions': '4.12.2' });
  assert.match(String(facts.version_warning), /kitaru 0\.27\.2; kitaru-mcp supports/);
  await assert.rejects(pythonEnvironment(runtime, { package_names: [''] }), /A distribution name is required\./);
  assert.equal(fs.existsSync(mark), false);
});

test('local-database mode: a read-only tool never runs a found interpreter; a named one serves it', async () => {
  const { dir, mark } = boobyTrappedProject();
  const env = { PATH: '/nonexistent', KITARU_CONFIG_PATH: path.join(dir, 'config') };
  const found = new KitaruRuntime({ env, cwd: dir });
  assert.equal(found.connection().store.type, 'sql', 'no server configured: the local database');
  assert.equal(servedFromLocalDatabase(found, 'kitaru_status', true), false, 'read-only, nothing named: not served by Python');
  const snapshot = await buildRuntimeSnapshot(found);
  assert.equal(snapshot.connection, 'local database');
  assert.equal(fs.existsSync(mark), false, 'the project .venv/bin/python was executed');
  const named = new KitaruRuntime({ env, cwd: dir, python: refPython });
  assert.equal(servedFromLocalDatabase(named, 'kitaru_status', true), true, 'a named interpreter serves read-only tools');
});

test('a named interpreter is probed; a failed probe is an error, not nulls', async () => {
  const named = new KitaruRuntime({ env: { ...process.env }, cwd: process.cwd(), python: refPython });
  const facts = await pythonEnvironment(named, {});
  assert.equal(facts.kitaru_version, '0.15.0');
  assert.equal(facts.version_warning, null);
  assert.ok(facts.system_info !== null && facts.system_info.os.length > 0);

  const { dir } = boobyTrappedProject();
  const broken = path.join(dir, 'broken-python');
  fs.writeFileSync(broken, '#!/bin/sh\nexit 9\n', { mode: 0o755 });
  const failing = new KitaruRuntime({ env: { PATH: '/usr/bin:/bin' }, cwd: dir, python: broken });
  await assert.rejects(pythonEnvironment(failing, {}), /Python worker .* exited with 9/);
});

test('the reference venv inventory reads like importlib.metadata', () => {
  const packages = installedPackages(refPython);
  assert.equal(packages.kitaru, '0.15.0');
  assert.equal(packages.zenml, '0.94.6');
});

test('kitaru_info: distinct package lists never grow the probe cache past its bound', async () => {
  const runtime = new KitaruRuntime({ env: { PATH: process.env.PATH }, cwd: os.tmpdir(), python: refPython });
  for (let i = 0; i < PROBE_CACHE_ENTRIES + 4; i += 1) {
    const facts = await pythonEnvironment(runtime, { package_names: [`pkg-${i}`] });
    assert.notEqual(facts.python_version, null, 'the probe answered (so its answer is cacheable)');
    assert.ok(probeCacheSize().entries <= PROBE_CACHE_ENTRIES, `cache holds ${probeCacheSize().entries} answers`);
  }
  await pythonEnvironment(runtime, { package_names: ['x'.repeat(1024 * 1024)] });
  assert.ok(probeCacheSize().chars < PROBE_CACHE_ENTRIES * 4096, `a 1 MiB question is not kept (${probeCacheSize().chars} chars held)`);
});
