#!/usr/bin/env node
// Turns what `node build.mjs --binaries` made (dist/bin, dist/kitaru-mcp.cjs)
// into the release assets in dist/release/:
//   kitaru-mcp-<target>.tar.gz (.zip for Windows)  the binary, compressed
//   kitaru-mcp-<target>.mcpb                          Claude Desktop bundle
//   kitaru-mcp-<version>.tgz                          the npm package
//   install.sh, install.ps1, server.json (with the bundles' hashes), SHA256SUMS
// The release workflow runs exactly this; the tests run it for linux-x64.
//
//   node scripts/release/assemble.mjs [--only linux-x64,...] [--no-npm] [--out DIR]
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { root, tagUrl } from './base-url.mjs';
import { MCPB_VERSION, manifestFor } from './mcpb.mjs';

const run = promisify(execFile);
const log = (msg) => process.stderr.write(`[release] ${msg}\n`);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win-x64'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

export const archiveName = (target) => `kitaru-mcp-${target}${target.startsWith('win') ? '.zip' : '.tar.gz'}`;
export const bundleName = (target) => `kitaru-mcp-${target}.mcpb`;
const binaryName = (target) => `kitaru-mcp-${target}${target.startsWith('win') ? '.exe' : ''}`;

export const sha256File = (file) =>
  new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')));
  });

export const mcpb = (args, opts = {}) =>
  run(npx, ['--yes', `@anthropic-ai/mcpb@${MCPB_VERSION}`, ...args], { maxBuffer: 16 << 20, ...opts });

/** A folder holding just the installed name, so archives unpack to `kitaru-mcp[.exe]`. */
function stage(work, target) {
  const exe = target.startsWith('win') ? '.exe' : '';
  const dir = path.join(work, target);
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(root, 'dist', 'bin', binaryName(target)), path.join(dir, `kitaru-mcp${exe}`));
  return { dir, file: `kitaru-mcp${exe}` };
}

async function archive(work, target, out) {
  const { dir, file } = stage(work, target);
  const dest = path.join(out, archiveName(target));
  if (target.startsWith('win')) await run('zip', ['-q', '-X', '-9', dest, file], { cwd: dir });
  // Plain tar + gzip: every macOS and Linux can unpack it with no extra tool.
  else await run('tar', ['-czf', dest, '--owner=0', '--group=0', '--numeric-owner', '-C', dir, file]);
  return dest;
}

async function bundle(work, target, out) {
  const dir = path.join(work, `mcpb-${target}`);
  mkdirSync(path.join(dir, 'server'), { recursive: true });
  const { dir: staged, file } = stage(work, target);
  copyFileSync(path.join(staged, file), path.join(dir, 'server', file));
  copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifestFor(target), null, 2)}\n`);
  await mcpb(['validate', path.join(dir, 'manifest.json')]);
  const dest = path.join(out, bundleName(target));
  await mcpb(['pack', dir, dest]);
  return dest;
}

/** server.json for this release: the committed one plus one mcpb package per bundle. */
export function releaseServerJson(bundles) {
  const base = JSON.parse(readFileSync(path.join(root, 'server.json'), 'utf8'));
  return {
    ...base,
    packages: [
      ...base.packages,
      ...bundles.map(({ target, sha256 }) => ({
        registryType: 'mcpb',
        identifier: `${tagUrl(pkg.version)}/${bundleName(target)}`,
        version: pkg.version,
        fileSha256: sha256,
        transport: { type: 'stdio' },
      })),
    ],
  };
}

export async function assemble({ targets = TARGETS, npmPackage = true, out = path.join(root, 'dist', 'release') } = {}) {
  const started = Date.now();
  const missing = targets.filter((t) => !existsSync(path.join(root, 'dist', 'bin', binaryName(t))));
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}; run: node build.mjs --binaries`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const work = `${out}.work`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const bundles = [];
    for (const target of targets) {
      const t0 = Date.now();
      await archive(work, target, out);
      const b = await bundle(work, target, out);
      bundles.push({ target, sha256: await sha256File(b) });
      log(`${target}: archive and bundle in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    if (npmPackage) await run(npm, ['pack', '--silent', '--ignore-scripts', '--pack-destination', out], { cwd: root });
    for (const f of ['install.sh', 'install.ps1']) copyFileSync(path.join(root, f), path.join(out, f));
    writeFileSync(path.join(out, 'server.json'), `${JSON.stringify(releaseServerJson(bundles), null, 2)}\n`);
    const names = readdirSync(out).sort();
    const sums = await Promise.all(names.map(async (n) => `${await sha256File(path.join(out, n))}  ${n}\n`));
    writeFileSync(path.join(out, 'SHA256SUMS'), sums.join(''));
    log(`${names.length} assets + SHA256SUMS in ${path.relative(root, out)} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const argv = process.argv.slice(2);
  const opt = (name) => {
    const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
    return i < 0 ? undefined : argv[i].includes('=') ? argv[i].slice(name.length + 1) : argv[i + 1];
  };
  const only = opt('--only');
  const targets = only ? only.split(',').filter(Boolean) : TARGETS;
  const unknown = targets.filter((t) => !TARGETS.includes(t));
  if (unknown.length) throw new Error(`--only takes ${TARGETS.join(', ')}`);
  await assemble({ targets, npmPackage: !argv.includes('--no-npm'), out: opt('--out') ? path.resolve(opt('--out')) : undefined });
}
