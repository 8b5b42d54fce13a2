// kitaru_secrets_create, ours against Python's, with a canary: a random marker
// used as a secret value through every success and failure path must never come
// back in a result, an error, or our server's stderr. The calls are the canary
// cases of the conformance table (test/conformance/cases-secrets.ts: each side
// creates its own secrets; ours' answers are checked for the canary there); this
// file runs them, then checks what is not a comparison of answers: the values as
// stored, our stderr, and that the canary would be seen where Python shows it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CaseContext } from '../conformance/case-kit.ts';
import { CANARY, canaryName, SECRET_CASES } from '../conformance/cases-secrets.ts';
import { assertCasesMatchPython } from '../conformance/fast-cases.ts';
import { serverContext } from '../conformance/fixtures.ts';
import { run, venvPython } from '../helpers/kitaru-server.ts';
import { callToolRaw } from '../helpers/mcp-clients.ts';
import { type SideBySide, openSideBySide } from '../helpers/side-by-side.ts';

let sides: SideBySide;
let ctx: CaseContext;

before(async () => {
  sides = await openSideBySide();
  ctx = serverContext(sides.server);
});

after(() => sides?.close());

test('create, its refusals and its validation answer like the Python kitaru-mcp, and ours never shows the canary', async (t) => {
  await assertCasesMatchPython(t, SECRET_CASES, { python: sides.py, ours: sides.ts }, ctx);
});

test('values are stored the way Python stores them (str() of non-strings)', async () => {
  const names = {
    a: { py: canaryName(ctx, 'py', 'a'), ts: canaryName(ctx, 'ts', 'a') },
    b: { py: canaryName(ctx, 'py', 'b'), ts: canaryName(ctx, 'ts', 'b') },
  };
  const res = await run(
    venvPython,
    [
      '-c',
      'import json, sys, kitaru.secrets as s\n' + 'print("VALUES " + json.dumps({n: s.get_secret(n).values for n in sys.argv[1:]}))',
      names.a.py,
      names.a.ts,
      names.b.py,
      names.b.ts,
    ],
    { env: sides.server.env },
  );
  const line = res.stdout.split('\n').find((l) => l.startsWith('VALUES '));
  assert.ok(line, res.stderr);
  const values = JSON.parse(line.slice('VALUES '.length));
  assert.deepEqual(values[names.a.ts], values[names.a.py]);
  assert.deepEqual(values[names.b.ts], values[names.b.py]);
  assert.deepEqual(values[names.a.ts], { TOKEN: CANARY, b_key: '1', Flag: 'True' });
});

test('the canary never appears in what our server wrote on stderr, and Python does show it', async () => {
  assert.ok(!sides.ts.stderr().includes(CANARY), 'canary in our stderr');
  // The test itself is able to see the canary where Python shows it.
  const py = await callToolRaw(sides.py, 'kitaru_secrets_create', { name: 'canary-e', values: CANARY });
  assert.ok(py.text.includes(CANARY), 'Python echoes the value in validation errors; ours must not');
});
