// `npm pack` gives a package whose bin runs from the tarball alone: installed
// into an empty folder, offline, with no dependencies to fetch. The file list
// (npm pack --dry-run, no tarball) is checked in every `npm test`; packing and
// installing it is a release check (KITARU_MCP_RELEASE_CHECKS=1).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { bundle, pkgVersion, root } from './dist-files.ts';
import { RELEASE_ONLY, releaseChecks } from './release-files.ts';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kitaru-pack-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const skip = existsSync(bundle) ? false : 'dist/kitaru-mcp.cjs not built; run: node build.mjs';

/** The package's files as `npm pack` lists them, the tarball written only when asked. */
async function pack(dryRun: boolean): Promise<{ filename: string; files: string[] }> {
  const { stdout } = await run(npm, ['pack', '--json', '--ignore-scripts', ...(dryRun ? ['--dry-run'] : []), '--pack-destination', tmp], { cwd: root });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { filename: info!.filename, files: info!.files.map((f) => f.path).sort() };
}

function assertOnlyTheBundle(files: string[]): void {
  assert.ok(files.includes('dist/kitaru-mcp.cjs'), files.join());
  assert.deepEqual(files.filter((f) => f.startsWith('dist/') && f !== 'dist/kitaru-mcp.cjs'), [], 'no binaries in the package');
}

test('the package lists the bundle and no binaries (npm pack --dry-run)', { skip, timeout: 120_000 }, async () => {
  assertOnlyTheBundle((await pack(true)).files);
});

test('the packed tarball holds only the bundle and runs --version with no other dependency', { skip: skip || (releaseChecks ? false : RELEASE_ONLY), timeout: 120_000 }, async () => {
  const info = await pack(false);
  assertOnlyTheBundle(info.files);

  const consumer = path.join(tmp, 'consumer');
  await run(npm, ['install', '--prefix', consumer, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', path.join(tmp, info.filename)]);
  const installed = readFileSync(path.join(consumer, 'package-lock.json'), 'utf8');
  assert.deepEqual(Object.keys(JSON.parse(installed).packages).filter((p) => p.startsWith('node_modules/')), ['node_modules/kitaru-mcp']);

  // The bin link, as npx would run it: shebang + node from PATH, cwd elsewhere.
  const { stdout: version } = await run(path.join(consumer, 'node_modules', '.bin', 'kitaru-mcp'), ['--version'], { cwd: tmp });
  assert.ok(version.includes(`kitaru-mcp ${pkgVersion}`), version);
});
