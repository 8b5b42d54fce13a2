// `npm pack` gives a package whose bin runs from the tarball alone: installed
// into an empty folder, offline, with no dependencies to fetch.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { bundle, pkgVersion, root } from './dist-files.ts';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kitaru-pack-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const skip = existsSync(bundle) ? false : 'dist/kitaru-mcp.cjs not built; run: node build.mjs';

test('the packed tarball holds only the bundle and runs --version with no other dependency', { skip, timeout: 120_000 }, async () => {
  const { stdout } = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: root });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  const files = info!.files.map((f) => f.path).sort();
  assert.ok(files.includes('dist/kitaru-mcp.cjs'), files.join());
  assert.deepEqual(files.filter((f) => f.startsWith('dist/') && f !== 'dist/kitaru-mcp.cjs'), [], 'no binaries in the package');

  const consumer = path.join(tmp, 'consumer');
  await run(npm, ['install', '--prefix', consumer, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', path.join(tmp, info!.filename)]);
  const installed = readFileSync(path.join(consumer, 'package-lock.json'), 'utf8');
  assert.deepEqual(Object.keys(JSON.parse(installed).packages).filter((p) => p.startsWith('node_modules/')), ['node_modules/kitaru-mcp']);

  // The bin link, as npx would run it: shebang + node from PATH, cwd elsewhere.
  const { stdout: version } = await run(path.join(consumer, 'node_modules', '.bin', 'kitaru-mcp'), ['--version'], { cwd: tmp });
  assert.ok(version.includes(`kitaru-mcp ${pkgVersion}`), version);
});
