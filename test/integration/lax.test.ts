// pydantic's lax-mode tables for int, float, bool and str, checked case by case
// against pydantic-core itself (the pinned reference in .venv-ref), in one
// batched Python call: same inputs (as JSON text, read by json.loads there and
// by our lossless reader here), same outcome, same value, same error type.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { parseJson, stringifyJson } from '../../src/compat/json.ts';
import { type Lax, laxBool, laxFloat, laxInt, laxStr } from '../../src/mcp/lax.ts';
import { venvPython } from '../helpers/kitaru-server.ts';

const STRINGS = [
  '5',
  ' 5 ',
  '\t7\n',
  '3.0',
  '3.00',
  '-3.0',
  '3.0 ',
  '3.5',
  '1_0',
  '1__0',
  '_1',
  '1_',
  '+5',
  '-0',
  '0x10',
  '1e3',
  '1E3',
  '00012',
  '5.',
  '.5',
  '2.',
  '1_0.5',
  '1e400',
  '-1e400',
  'nan',
  'NaN',
  '-nan',
  'inf',
  '-inf',
  '+inf',
  'Infinity',
  '-Infinity',
  'infinit',
  '12345678901234567890',
  '-98765432109876543210',
  '١',
  '',
  ' ',
  'true',
  ' true ',
  'True',
  'TRUE',
  'yes',
  'YES',
  'y',
  'on',
  't',
  '1',
  '0',
  'off',
  'f',
  'n',
  'no',
  'false',
  'False',
  '2',
  '-1',
  '1.0',
  '0.0',
  'none',
  'null',
  '1 0',
  '5e-1',
  '1_0e1_0',
  '.',
  '-',
];
const NUMBERS = [
  '5',
  '5.0',
  '5.5',
  '-5.5',
  '0',
  '-0',
  '0.0',
  '-0.0',
  '1.0',
  '2',
  '-1',
  '1e20',
  '1e18',
  '9.2e18',
  '9.3e18',
  '-9.3e18',
  '1e400',
  '-1e400',
  'NaN',
  'Infinity',
  '-Infinity',
  '18446744073709551616',
  '-18446744073709551616',
  '9007199254740993',
  '1.8446744073709552e19',
  '4.5e15',
  '1e-7',
  '0.1',
];
const OTHERS = ['true', 'false', 'null', '[]', '[1]', '{}', '{"a":1}'];

/** Seeded, so a failure can be replayed. */
function* generated(seed = 13): Generator<string> {
  let state = seed;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  for (let i = 0; i < 60; i += 1) {
    const digits = String(Math.floor(rand() * 1e15)) + String(Math.floor(rand() * 1e15));
    const int = (rand() < 0.5 ? '-' : '') + digits.slice(0, 1 + Math.floor(rand() * digits.length));
    yield int;
    yield JSON.stringify(int);
    const frac = `${int}.${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
    yield frac;
    yield JSON.stringify(` ${frac} `);
    yield `${int.slice(0, 4)}e${Math.floor(rand() * 40) - 20}`;
  }
}

const INPUTS = [...STRINGS.map((s) => JSON.stringify(s)), ...NUMBERS, ...OTHERS, ...generated()];

const SCRIPT = `
import json, sys
from pydantic import TypeAdapter, ValidationError
inputs = json.loads(sys.stdin.read())
out = []
for t, ta in [('int', TypeAdapter(int)), ('float', TypeAdapter(float)), ('bool', TypeAdapter(bool)), ('str', TypeAdapter(str))]:
    for text in inputs:
        try:
            out.append([t, text, 'ok', json.dumps(ta.validate_python(json.loads(text)), ensure_ascii=False)])
        except ValidationError as e:
            out.append([t, text, 'err', e.errors()[0]['type']])
print(json.dumps(out))
`;

const OURS: Record<string, (value: unknown) => Lax> = { int: laxInt, float: laxFloat, bool: laxBool, str: laxStr };

test('int, float, bool and str arguments convert exactly as pydantic lax mode does', () => {
  const run = spawnSync(venvPython, ['-c', SCRIPT], { input: JSON.stringify(INPUTS), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const expected = JSON.parse(run.stdout) as [string, string, 'ok' | 'err', string][];
  assert.equal(expected.length, INPUTS.length * 4);
  const mismatches: string[] = [];
  for (const [type, text, outcome, detail] of expected) {
    const ours = OURS[type]!(parseJson(text));
    const got = ours.ok ? ['ok', stringifyJson(ours.value, { floats: 'python' })] : ['err', ours.type];
    if (got[0] !== outcome || got[1] !== detail) mismatches.push(`${type} ${text}: pydantic ${outcome} ${detail}, ours ${got.join(' ')}`);
  }
  assert.deepEqual(mismatches, []);
});
