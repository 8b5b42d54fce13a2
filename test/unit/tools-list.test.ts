// tools/list is our public contract: names, schemas and annotations change only
// on purpose. Regenerate the snapshot with UPDATE_SNAPSHOTS=1 and review the diff.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listedTools } from '../../src/server.ts';
import { ALL_TOOLS, PYTHON_ORDER } from '../../src/tools/index.ts';

const snapshotFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'snapshots', 'tools-list.json');

test('tools/list matches the committed snapshot', () => {
  const current = JSON.stringify(listedTools(ALL_TOOLS), null, 2) + '\n';
  if (process.env.UPDATE_SNAPSHOTS === '1') fs.writeFileSync(snapshotFile, current);
  assert.equal(current, fs.readFileSync(snapshotFile, 'utf8'), 'tools/list changed: run with UPDATE_SNAPSHOTS=1 and review');
});

test('every tool declares a title, an output schema and all four annotations, honestly', () => {
  for (const tool of listedTools(ALL_TOOLS)) {
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
