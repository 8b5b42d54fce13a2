// The release assets (scripts/release/assemble.mjs) for the native target,
// assembled once into dist/release and reused while nothing they come from has
// changed. Tests needing them skip, with the reason, when the binary is not
// built or the MCPB CLI cannot be fetched (offline), and unless
// KITARU_MCP_RELEASE_CHECKS=1: assembling, unpacking and installing archives
// costs minutes, so the release workflow runs them (and `npm test` keeps the
// cheap checks that still fail when packaging breaks: manifests, mcpb validate,
// the npm file list, server.json, the base URL).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { binary, bundle, root } from './dist-files.ts';

export const releaseDir = path.join(root, 'dist', 'release');
/** Set by the release workflow: run the checks that assemble and install the release. */
export const releaseChecks = process.env.KITARU_MCP_RELEASE_CHECKS === '1';
export const RELEASE_ONLY = 'a release check (assembles or installs archives): KITARU_MCP_RELEASE_CHECKS=1, as the release workflow sets';
export const MCPB_VERSION = '2.1.2'; // as scripts/release/mcpb.mjs pins it (checked in mcpb.test.ts)
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Runs the pinned MCPB CLI; throws with its output on failure. */
export function mcpb(args: string[], cwd = root): string {
  return execFileSync(npx, ['--yes', `@anthropic-ai/mcpb@${MCPB_VERSION}`, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000, maxBuffer: 16 << 20 });
}

let mcpbState: string | false | undefined;
/** false when the MCPB CLI runs (from npx's cache or the registry), else why not. */
export function mcpbUnavailable(): string | false {
  if (mcpbState === undefined) {
    try {
      mcpb(['--version']);
      mcpbState = false;
    } catch (e) {
      mcpbState = `npx cannot run @anthropic-ai/mcpb@${MCPB_VERSION} here (offline?): ${String((e as Error).message).split('\n')[0]}`;
    }
  }
  return mcpbState;
}

const sources = () => [
  binary('linux-x64'),
  bundle,
  path.join(root, 'install.sh'),
  path.join(root, 'install.ps1'),
  path.join(root, 'server.json'),
  path.join(root, 'package.json'),
  ...readdirSync(path.join(root, 'scripts', 'release')).map((f) => path.join(root, 'scripts', 'release', f)),
];

/** dist/release for linux-x64 (built now if stale), or why it cannot be. */
export function ensureRelease(): { dir: string; skip: false } | { dir: null; skip: string } {
  if (!releaseChecks) return { dir: null, skip: RELEASE_ONLY };
  if (process.platform !== 'linux' || process.arch !== 'x64') return { dir: null, skip: `the release tests run the linux-x64 assets, not ${process.platform}-${process.arch}` };
  if (!existsSync(binary('linux-x64'))) return { dir: null, skip: 'dist/bin/kitaru-mcp-linux-x64 not built; run: node build.mjs --binaries' };
  const why = mcpbUnavailable();
  if (why) return { dir: null, skip: why };
  const sums = path.join(releaseDir, 'SHA256SUMS');
  const fresh = existsSync(sums) && sources().every((f) => !existsSync(f) || statSync(f).mtimeMs <= statSync(sums).mtimeMs);
  if (!fresh) execFileSync(process.execPath, [path.join(root, 'scripts', 'release', 'assemble.mjs'), '--only', 'linux-x64'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  return { dir: releaseDir, skip: false };
}
