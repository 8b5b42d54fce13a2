// The layering of src/, checked rather than promised: every import of every
// source file must run along an arrow of the table below. A new top-level
// folder under src/ fails until it is given a row, so the table stays the map.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const SRC = path.resolve('src');

/**
 * Which layer may import which (its own layer is always allowed). A layer is a
 * top-level folder of src/, or one of the root files named in ROOT_FILES.
 * `compat` (Python compatibility) and `util` are leaves anyone may use.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  entry: ['*'], // main.ts and server.ts wire everything together
  cli: ['config', 'version', 'compat', 'util'],
  tools: ['mcp', 'kitaru', 'version', 'compat', 'util'],
  mcp: ['version', 'compat', 'util'], // the MCP framework: no Kitaru knowledge
  kitaru: ['http', 'config', 'python', 'supervisor', 'version', 'compat', 'util'],
  http: ['config', 'compat', 'util'],
  python: ['config', 'compat', 'util'], // the bridge runs programs; it knows nothing of Kitaru
  supervisor: ['compat', 'util'],
  config: ['compat', 'util'],
  version: [],
  compat: [],
  util: ['compat'],
};

const ROOT_FILES: Record<string, string> = { 'main.ts': 'entry', 'server.ts': 'entry', 'version.ts': 'version' };

/** Packages only some layers may import: src/kitaru knows nothing of MCP. */
const PACKAGE_LAYERS: Record<string, readonly string[]> = {
  '@modelcontextprotocol/sdk': ['entry', 'mcp', 'tools'],
};

/**
 * Arrows that run the wrong way today, each with its reason. An entry that no
 * longer matches an import fails the test, so fixing an arrow forces its
 * exception out of this list.
 */
const KNOWN_EXCEPTIONS: ReadonlyArray<{ from: string; to: string; why: string }> = [];

interface Arrow {
  from: string; // repo-relative file
  to: string; // repo-relative file, or a package name
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|cts)$/.test(entry.name) ? [full] : [];
  });
}

/** Every module specifier a file names: static, re-export, side-effect and dynamic imports (types included). */
export function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

function layerOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  if (rel.length === 1) {
    const layer = ROOT_FILES[rel[0] as string];
    assert.ok(layer, `src/${rel[0]} is a root file with no layer: add it to ROOT_FILES in test/unit/architecture.test.ts`);
    return layer;
  }
  const layer = rel[0] as string;
  assert.ok(layer in MAY_IMPORT, `src/${layer}/ has no row in MAY_IMPORT (test/unit/architecture.test.ts): say what it may import`);
  return layer;
}

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));

function allowed(fromLayer: string, arrow: Arrow): boolean {
  if (!arrow.to.startsWith('src/')) {
    const only = PACKAGE_LAYERS[packageName(arrow.to)];
    return only === undefined || only.includes(fromLayer);
  }
  const toLayer = layerOf(path.resolve(arrow.to));
  const may = MAY_IMPORT[fromLayer] ?? [];
  return toLayer === fromLayer || may.includes('*') || may.includes(toLayer);
}

/** The arrows of src/ that break the table, known exceptions included. */
export function wrongArrows(files: ReadonlyArray<{ file: string; text: string }>): Arrow[] {
  const wrong: Arrow[] = [];
  for (const { file, text } of files) {
    const from = path.relative(process.cwd(), file).split(path.sep).join('/');
    for (const spec of specifiers(text)) {
      if (spec.startsWith('node:')) continue;
      const to = spec.startsWith('.')
        ? path
            .relative(process.cwd(), path.resolve(path.dirname(file), spec))
            .split(path.sep)
            .join('/')
        : spec;
      const arrow = { from, to };
      if (!allowed(layerOf(file), arrow)) wrong.push(arrow);
    }
  }
  return wrong;
}

const describeArrow = (a: Arrow) => `${a.from} -> ${a.to}`;
const isKnown = (a: Arrow) => KNOWN_EXCEPTIONS.some((k) => k.from === a.from && k.to === a.to);

test('every import in src/ runs along an arrow of the layer table', () => {
  const files = sourceFiles(SRC).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  assert.ok(files.length > 20, 'src/ was read');
  const wrong = wrongArrows(files);
  const unexpected = wrong.filter((a) => !isKnown(a)).map(describeArrow);
  assert.deepEqual(unexpected, [], 'imports against the layering (fix them, or change MAY_IMPORT with a reason)');
  const stale = KNOWN_EXCEPTIONS.filter((k) => !wrong.some((a) => a.from === k.from && a.to === k.to)).map(describeArrow);
  assert.deepEqual(stale, [], 'these exceptions are fixed: remove them from KNOWN_EXCEPTIONS');
});

test('the checker sees every kind of import and rejects a wrong arrow', () => {
  const text = [
    "import { a } from '../kitaru/runtime.ts';",
    "import type { B } from '../tools/define.ts';",
    "export { c } from '../config/paths.ts';",
    "import '../supervisor/daemon.ts';",
    "const d = await import('../python/run.ts');",
    "import { Server } from '@modelcontextprotocol/sdk/server/index.js';",
    '// from "not/an/import.ts" inside a comment line is ignored',
  ].join('\n');
  const fake = [{ file: path.join(SRC, 'http', 'fake.ts'), text }];
  assert.deepEqual(wrongArrows(fake).map(describeArrow).sort(), [
    'src/http/fake.ts -> @modelcontextprotocol/sdk/server/index.js',
    'src/http/fake.ts -> src/kitaru/runtime.ts',
    'src/http/fake.ts -> src/python/run.ts',
    'src/http/fake.ts -> src/supervisor/daemon.ts',
    'src/http/fake.ts -> src/tools/define.ts',
  ]);
  // The same file inside the entry layer may import all of it.
  assert.deepEqual(wrongArrows([{ file: path.join(SRC, 'server.ts'), text }]), []);
});

test('the unit lane needs no Python and no server: no unit file reaches for the reference venv, a Kitaru server or the bridge', () => {
  const unitDir = path.resolve('test', 'unit');
  const reaching =
    /\b(venvPython|venvBin|startKitaruServer|seedExecutions|useSharedServer|openSideBySide|connectPython|runHelper|startHelper)\b|\.venv-ref/;
  const offenders = fs
    .readdirSync(unitDir)
    .filter((name) => name.endsWith('.ts') && name !== 'architecture.test.ts')
    .filter((name) => reaching.test(fs.readFileSync(path.join(unitDir, name), 'utf8')))
    .map((name) => `test/unit/${name}`);
  assert.deepEqual(offenders, [], 'these need Python or a server: move them to test/integration/');
});
