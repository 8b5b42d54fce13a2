#!/usr/bin/env node
// Bundles src/main.ts into one dependency-free CommonJS file, dist/kitaru-mcp.cjs.
// CommonJS (not ESM) because Node SEA only runs CommonJS entry scripts, and one
// artifact should serve `node dist/kitaru-mcp.cjs`, `npx`, and the binaries alike.
// `node build.mjs --binaries` goes on to build the per-OS SEA executables.
import { build } from 'esbuild';
import { readFileSync, chmodSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outfile = path.join(root, 'dist', 'kitaru-mcp.cjs');

export async function buildBundle() {
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.join(root, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minifySyntax: true,
    legalComments: 'none',
    sourcemap: false,
    banner: { js: '#!/usr/bin/env node' },
    define: { __KITARU_MCP_VERSION__: JSON.stringify(pkg.version) },
    // Python helper programs ship inside the bundle as text.
    loader: { '.py': 'text' },
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  return outfile;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const started = Date.now();
  await buildBundle();
  process.stderr.write(`built ${path.relative(root, outfile)} in ${Date.now() - started} ms\n`);
  if (process.argv.includes('--binaries')) {
    const { buildBinaries } = await import('./scripts/binaries/build-binaries.mjs');
    await buildBinaries({ root, bundle: outfile, version: pkg.version });
  }
}
