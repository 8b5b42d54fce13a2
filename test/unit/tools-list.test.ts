// tools/list is our public contract: names, schemas and annotations change only
// on purpose. Each tool has its own snapshot, test/snapshots/tools/<name>.json,
// compared as data (key order aside), so a change shows as a diff in one small
// file. Rewrite them with UPDATE_SNAPSHOTS=1 and review the diff.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listedTools } from '../../src/mcp/schemas.ts';
import { ALL_TOOLS, PYTHON_ORDER } from '../../src/tools/index.ts';

const snapshots = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'snapshots');
const toolsDir = path.join(snapshots, 'tools');
const orderFile = path.join(snapshots, 'tools-order.json');
const update = process.env.UPDATE_SNAPSHOTS === '1';
const asJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const listed = listedTools(ALL_TOOLS);

if (update) {
  fs.rmSync(toolsDir, { recursive: true, force: true });
  fs.mkdirSync(toolsDir, { recursive: true });
  for (const tool of listed) fs.writeFileSync(path.join(toolsDir, `${tool.name}.json`), asJson(tool));
  fs.writeFileSync(orderFile, asJson(listed.map((tool) => tool.name)));
}

test('every listed tool has its snapshot, and every snapshot a tool', () => {
  const files = fs.readdirSync(toolsDir).sort();
  const expected = listed.map((tool) => `${tool.name}.json`).sort();
  assert.deepEqual(files, expected, 'missing or extra files in test/snapshots/tools/: run with UPDATE_SNAPSHOTS=1 and review');
});

for (const tool of listed) {
  test(`tools/list entry of ${tool.name} matches its snapshot`, () => {
    const file = path.join(toolsDir, `${tool.name}.json`);
    assert.ok(fs.existsSync(file), `no snapshot ${path.relative(process.cwd(), file)}: run with UPDATE_SNAPSHOTS=1`);
    // Through JSON, as a client sees it: undefined fields vanish.
    const current = JSON.parse(JSON.stringify(tool));
    assert.deepEqual(current, JSON.parse(fs.readFileSync(file, 'utf8')), `${tool.name} changed: run with UPDATE_SNAPSHOTS=1 and review`);
  });
}

test('tools/list keeps its order', () => {
  assert.deepEqual(
    listed.map((tool) => tool.name),
    JSON.parse(fs.readFileSync(orderFile, 'utf8')),
    'tools/list order changed: run with UPDATE_SNAPSHOTS=1 and review',
  );
});

test('every tool declares a title, an output schema and all four annotations, honestly', () => {
  for (const tool of listed) {
    const a = tool.annotations ?? {};
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
      assert.equal(typeof a[hint], 'boolean', `${tool.name} must declare ${hint}`);
    }
    assert.ok(tool.title, `${tool.name} needs a title`);
    assert.equal(tool.outputSchema?.type, 'object', `${tool.name} needs an object output schema`);
    assert.equal(tool.inputSchema.type, 'object');
    if (a.readOnlyHint) assert.equal(a.destructiveHint, false, `${tool.name}: a read-only tool cannot be destructive`);
  }
});

test('tool names are unique, valid MCP names, and Python names come in Python order', () => {
  const names = ALL_TOOLS.map((t) => t.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of names) assert.match(name, /^[A-Za-z0-9_.-]{1,128}$/);
  const pythonOnes = names.filter((n) => (PYTHON_ORDER as readonly string[]).includes(n));
  const expected = PYTHON_ORDER.filter((n) => pythonOnes.includes(n));
  assert.deepEqual(pythonOnes, expected);
});
