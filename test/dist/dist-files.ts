// Where the distribution tests find the built artifacts. They only test what
// `node build.mjs [--binaries]` has produced, and skip (with the reason) otherwise.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binDir = path.join(root, 'dist', 'bin');
export const bundle = path.join(root, 'dist', 'kitaru-mcp.cjs');
export const nodeVersion: string = JSON.parse(readFileSync(path.join(root, 'scripts/binaries/node-version.json'), 'utf8')).node;
export const pkgVersion: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;

export const binary = (target: string) => path.join(binDir, `kitaru-mcp-${target}${target.startsWith('win') ? '.exe' : ''}`);

/** The linux-x64 binary if it is built and can run here, else a skip reason. */
export function nativeLinuxBinary(): { file: string; skip: false } | { file: null; skip: string } {
  const file = binary('linux-x64');
  if (!existsSync(file)) return { file: null, skip: `${path.relative(root, file)} not built; run: node build.mjs --binaries` };
  if (process.platform !== 'linux' || process.arch !== 'x64') return { file: null, skip: `cannot run linux-x64 on ${process.platform}-${process.arch}` };
  return { file, skip: false };
}
