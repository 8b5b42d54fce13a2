// Builds Node SEA executables for every target from the one CJS bundle, on
// Linux, with nothing but the npm registry (see reference/packaging.md):
// one blob made by the pinned version's own node, postject into each target's
// official node binary, strip the ELFs, ad-hoc sign the Mach-Os.
// Output: dist/bin/kitaru-mcp-<target>[.exe] and dist/bin/SHA256SUMS.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { TARGETS, ensureNode, ensurePostject, hostTarget, versions } from './cache.mjs';
import { signFile, verifyMachO } from './macho-sign.mjs';
import { stripAuthenticode, updatePeChecksum } from './pe.mjs';

const run = promisify(execFile);
// Split so that this file never contains the fuse itself: postject refuses a
// binary in which the sentinel occurs twice.
const SEA_FUSE = 'NODE_SEA_FUSE_' + 'fce680ab2cc467b6e072b8b5df1996b2';
const log = (msg) => process.stderr.write(`[binaries] ${msg}\n`);

export const binaryName = (target) => `kitaru-mcp-${target.id}${target.format === 'pe' ? '.exe' : ''}`;

function findStrip() {
  for (const tool of ['llvm-strip', 'llvm-strip-16', 'llvm-strip-14']) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
      return { tool, anyArch: true };
    } catch {}
  }
  try {
    execFileSync('strip', ['--version'], { stdio: 'ignore' });
    return { tool: 'strip', anyArch: false };
  } catch {}
  return null;
}

const sha256File = (file) =>
  new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')));
  });

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool(items, limit, fn) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `--only linux-x64,win-x64` (or `--only=...`) on the command line picks targets. */
function targetsFromArgv(argv = process.argv) {
  const i = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (i < 0) return TARGETS;
  const ids = (argv[i].includes('=') ? argv[i].slice(7) : (argv[i + 1] ?? '')).split(',').filter(Boolean);
  const unknown = ids.filter((id) => !TARGETS.some((t) => t.id === id));
  if (!ids.length || unknown.length) throw new Error(`--only takes a comma-separated list of ${TARGETS.map((t) => t.id).join(', ')}`);
  return TARGETS.filter((t) => ids.includes(t.id));
}

/**
 * Replaces dist/bin with the binaries for `targets` (default: all five, or
 * those named by --only) plus their SHA256SUMS. Returns their paths.
 */
export async function buildBinaries({ root, bundle, version, targets = targetsFromArgv(), outDir = path.join(root, 'dist', 'bin') }) {
  const started = Date.now();
  const cacheDir = path.join(root, '.cache');
  const host = hostTarget();
  if (!host) throw new Error(`cannot build on ${process.platform}-${process.arch}: no pinned node for it to make the SEA blob`);

  // Fetch first (network), then build (CPU).
  const nodes = new Map(targets.map((t) => [t.id, ensureNode(cacheDir, t)]));
  const hostNode = ensureNode(cacheDir, host); // makes the blob even when host is not a target
  const postject = ensurePostject(cacheDir);
  log(`node ${versions.node} for ${targets.map((t) => t.id).join(', ')} ready after ${Date.now() - started} ms`);

  const work = `${outDir}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  // The blob format changes between node versions (a mismatch fails silently:
  // exit 0, no output), so it is made by the same version as the targets. Without
  // code cache or snapshot it is byte-identical whichever platform makes it.
  const blob = path.join(work, 'sea-prep.blob');
  writeFileSync(
    path.join(work, 'sea-config.json'),
    JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false }),
  );
  await run(hostNode, ['--experimental-sea-config', path.join(work, 'sea-config.json')], { cwd: work });

  const strip = findStrip();
  if (!strip) log('no llvm-strip or strip found: Linux binaries stay unstripped (about 17 MB larger)');

  await pool(targets, 2, async (t) => {
    const t0 = Date.now();
    const out = path.join(work, binaryName(t));
    copyFileSync(nodes.get(t.id), out);
    if (t.format === 'elf' && strip && (strip.anyArch || t.id === host.id)) await run(strip.tool, [out]);
    if (t.format === 'pe') stripAuthenticode(out); // the injected exe no longer matches node's signature
    const args = [postject, out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE];
    if (t.format === 'macho') args.push('--macho-segment-name', 'NODE_SEA');
    // postject's ELF/PE warnings ("Can't find string offset", "signature seems corrupted") are harmless noise.
    await run(process.execPath, args, { maxBuffer: 64 << 20 }).catch((e) => {
      throw new Error(`postject failed for ${t.id}: ${e.stderr || e.message}`);
    });
    if (t.format === 'pe') updatePeChecksum(out);
    if (t.format === 'macho') {
      signFile(out, { id: binaryName(t) });
      const r = verifyMachO(readFileSync(out));
      if (!r.ok) throw new Error(`signature check failed for ${t.id}: ${r.errors.join('; ')}`);
    }
    log(`${binaryName(t)}: ${(statSync(out).size / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
  rmSync(blob);
  rmSync(path.join(work, 'sea-config.json'));

  // Catch a broken blob here rather than in a user's hands.
  if (targets.includes(host)) {
    const { stdout } = await run(path.join(work, binaryName(host)), ['--version'], { timeout: 30_000 });
    if (!stdout.includes(version)) throw new Error(`${binaryName(host)} --version printed ${JSON.stringify(stdout)}, expected ${version}`);
  }

  const names = readdirSync(work).sort();
  const sums = await Promise.all(names.map(async (n) => `${await sha256File(path.join(work, n))}  ${n}\n`));
  writeFileSync(path.join(work, 'SHA256SUMS'), sums.join(''));

  rmSync(outDir, { recursive: true, force: true });
  renameSync(work, outDir);
  log(`${names.length} binaries + SHA256SUMS in ${path.relative(root, outDir)} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return names.map((n) => path.join(outDir, n));
}
