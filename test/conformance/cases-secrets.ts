// kitaru_secrets_create with a canary: a random marker used as a secret value
// through every success and failure path. Each side creates its own secrets
// (sideName). Ours must never show the canary again, in a result or an error;
// Python's argument-validation errors echo the value (pydantic's input_value),
// explained in explanations.ts. Run by test/integration/secrets.test.ts, which
// also checks our stderr and the values as stored.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type CaseContext, type ConformanceCase, c, errorOf, okPayload, sideName } from './case-kit.ts';
import type { CallOutcome, Side } from './compare.ts';

export const CANARY = `canary-${randomBytes(12).toString('hex')}`;
/** The names the canary cases give their secrets, per side. */
export const canaryName = (ctx: CaseContext, side: Side, what: string) => sideName(ctx, side, `canary-${what}`);

const neverShown = (outcome: CallOutcome) => {
  assert.ok(!outcome.blocks.join('\n').includes(CANARY), 'the canary is in the text');
  assert.ok(!JSON.stringify(outcome.structured ?? null).includes(CANARY), 'the canary is in structuredContent');
};
const canary = (name: string, what: string, args: Record<string, unknown>, check?: (outcome: CallOutcome) => void) =>
  c('kitaru_secrets_create', `canary: ${name}`, 'mutating', (x, s) => ({ ...args, name: canaryName(x, s, what) }), {
    creates: true,
    expect: (outcome, _x, side) => {
      if (side === 'ts') neverShown(outcome);
      check?.(outcome);
    },
  });

export const SECRET_CASES: ConformanceCase[] = [
  canary('public, values of three types', 'a', { values: { TOKEN: CANARY, b_key: 1, Flag: true } }, (outcome) => {
    const created = okPayload(outcome);
    assert.deepEqual([created.keys, created.visibility, created.has_missing_values], [['Flag', 'TOKEN', 'b_key'], 'public', false]);
  }),
  canary('private, a list value', 'b', { values: { A: [CANARY, 2] }, private: true }, (outcome) =>
    assert.equal(okPayload(outcome).visibility, 'private'),
  ),
  canary('already exists', 'a', { values: { TOKEN: CANARY } }, (outcome) => assert.match(errorOf(outcome), /already exists\.$/)),
  canary('bad key', 'c', { values: { '1BAD': CANARY } }, errorOf),
  canary('empty value', 'c', { values: { OK: CANARY, EMPTY: '' } }, errorOf),
  canary('None value', 'c', { values: { OK: CANARY, NONE: null } }, errorOf),
  canary('duplicate keys after strip', 'c', { values: { ' DUP': CANARY, DUP: CANARY } }, errorOf),
  canary('no values', 'c', { values: {} }, errorOf),
  c('kitaru_secrets_create', 'canary: blank name', 'mutating', () => ({ name: '   ', values: { OK: CANARY } }), {
    expect: (outcome, _x, side) => {
      errorOf(outcome);
      if (side === 'ts') neverShown(outcome);
    },
  }),
  // Argument validation: for a `values` that is not an object Python's text echoes it
  // (explained), ours names the field only; a bad `private` reads the same on both.
  canary('values a string', 'd', { values: CANARY }, errorOf),
  canary('values a list', 'd', { values: [CANARY] }, errorOf),
  canary('values a number', 'd', { values: 42 }, errorOf),
  canary('private not a boolean', 'd', { values: { A: CANARY }, private: 'maybe' }, (outcome) => assert.match(errorOf(outcome), /private/)),
];
