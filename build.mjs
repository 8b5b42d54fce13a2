#!/usr/bin/env node
// Bundles src/main.ts into one dependency-free CommonJS file, dist/kitaru-mcp.cjs.
// CommonJS (not ESM) because Node SEA only runs CommonJS entry scripts, and one
// artifact should serve `node dist/kitaru-mcp.cjs`, `npx`, and the binaries alike.
// `node build.mjs --binaries` goes on to build the per-OS SEA executables.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outfile = path.join(root, 'dist', 'kitaru-mcp.cjs');

/**
 * tools/list as the server would compute it at start (zod -> JSON Schema for
 * 27 tools, ~20 ms): computed here once, from the same code, and baked into
 * the bundle. The sources (tests, tsx) still compute it at start.
 */
async function toolsListing() {
  const dir = mkdtempSync(path.join(tmpdir(), 'kitaru-mcp-build-'));
  const script = path.join(dir, 'listing.cjs');
  try {
    await build({
      stdin: {
        contents:
          "import { ALL_TOOLS } from './src/tools/index.ts';\n" +
          "import { listedTools } from './src/mcp/schemas.ts';\n" +
          'process.stdout.write(JSON.stringify(listedTools(ALL_TOOLS)));\n',
        resolveDir: root,
        loader: 'ts',
      },
      outfile: script,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      define: { __KITARU_MCP_VERSION__: JSON.stringify(pkg.version) },
      loader: { '.py': 'text' },
      logLevel: 'warning',
    });
    return execFileSync(process.execPath, [script], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function buildBundle() {
  mkdirSync(path.dirname(outfile), { recursive: true });
  const listing = await toolsListing();
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
    define: { __KITARU_MCP_VERSION__: JSON.stringify(pkg.version), __KITARU_MCP_TOOLS_LIST__: listing },
    // Non-ASCII source text would make V8 hold the whole bundle as a two-byte string.
    charset: 'ascii',
    // Python helper programs ship inside the bundle as text.
    loader: { '.py': 'text' },
    logLevel: 'warning',
  });
  // charset 'ascii' escapes strings and regexes; what is left is comment text
  // esbuild keeps (zod's), which would still make the whole source two-byte.
  const text = readFileSync(outfile, 'utf8');
  const ascii = text.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(outfile, ascii);
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
