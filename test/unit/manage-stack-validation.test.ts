// manage_stack's validation against Python's answers (see manage-stack-cases.ts),
// pure TypeScript: no server, no Python.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError } from '../../src/kitaru/errors.ts';
import { type ManageStackArgs, buildManageStackRequest } from '../../src/kitaru/stack-validation.ts';
import { CASES, DEFAULTS } from './manage-stack-cases.ts';
import { sequenceRatio } from '../../src/compat/python.ts';

for (const [index, { args, python }] of CASES.entries()) {
  test(`manage_stack validation #${index}: ${JSON.stringify(args)}`, () => {
    const run = () => buildManageStackRequest({ ...DEFAULTS, ...args } as ManageStackArgs);
    if (!python.ok) {
      assert.throws(run, (error: unknown) => {
        assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
        assert.equal(error.message, python.message);
        return true;
      });
      return;
    }
    const request = run();
    if (python.kind === 'ManageStackDeleteRequest') {
      assert.equal(request.action, 'delete');
      return;
    }
    assert.equal(request.action, 'create');
    if (request.action !== 'create') return;
    assert.deepEqual(request.remoteSpec, python.spec);
    assert.deepEqual(request.componentOverrides, python.overrides);
    // Python's spec dumps list fields in declaration order; so must ours (it is what the helper receives).
    if (python.spec !== null) assert.deepEqual(Object.keys(request.remoteSpec ?? {}), Object.keys(python.spec));
  });
}

test('difflib ratio matches Python for the suggestion cases', () => {
  // difflib.SequenceMatcher(None, a, b).ratio() values computed by Python.
  assert.equal(sequenceRatio('path', 'pth'), 0.8571428571428571);
  assert.equal(sequenceRatio('path', 'synchronous'), 0.13333333333333333);
  assert.equal(sequenceRatio('path', 'xyz'), 0);
});
