// src/compat/python.ts against CPython itself (the reference venv's 3.11, with
// pydantic for the timestamps): thousands of generated inputs, control
// characters, line and paragraph separators, non-BMP and lone surrogates
// included, all answered by ONE Python process. Zero differences allowed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import {
  pyCompare,
  pyIsoformat,
  pyQuote,
  pyRepr,
  pyReprValue,
  pySplitLines,
  pyStr,
  pyStrip,
  pyTypeName,
  pyUnquote,
  sequenceRatio,
} from '../../src/compat/python.ts';
import { venvPython } from '../helpers/kitaru-server.ts';

/** A small seeded PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261202);
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;

const SPECIAL = [
  ...'\'"\\ \t\n\r\v\f',
  '\x00',
  '\x01',
  '\x1b',
  '\x1c',
  '\x1d',
  '\x1e',
  '\x1f',
  '\x7f',
  '\x80',
  '\x85',
  '\x9f',
  '\xa0',
  '\xad',
  '\u1680',
  '\u180e',
  '\u2000',
  '\u200a',
  '\u200b',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  '\uffff',
  '\u088f',
  '\u1acf',
  '\u{11f00}',
  '\u{13460}',
  '\u{1cc00}',
  '\u{1f600}',
  '\u{e0001}',
  '\u{f0000}',
  '\u{10ffff}',
];

/** One code point from a mix of pools; lone surrogates only when allowed. */
function char(surrogates: boolean): string {
  switch (int(0, surrogates ? 6 : 5)) {
    case 0:
      return String.fromCharCode(int(0x20, 0x7e));
    case 1:
      return String.fromCharCode(int(0, 0x20) === 0x20 ? 0x7f : int(0, 0x9f) & 0x9f);
    case 2:
      return pick(SPECIAL);
    case 3: {
      const code = int(0xa0, 0xfffd);
      return code >= 0xd800 && code <= 0xdfff ? 'x' : String.fromCharCode(code);
    }
    case 4:
      return String.fromCodePoint(int(0x10000, 0x10ffff));
    case 5:
      return String.fromCodePoint(int(0x10000, 0x1ffff));
    default:
      return String.fromCharCode(int(0xd800, 0xdfff));
  }
}
const text = (max: number, surrogates = true) => Array.from({ length: int(0, max) }, () => char(surrogates)).join('');

function jsonValue(depth: number): unknown {
  switch (int(0, depth > 2 ? 4 : 6)) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return int(-1e6, 1e6);
    case 3: {
      const value = (random() - 0.5) * 10 ** int(-30, 30);
      return random() < 0.1 ? Math.round(value * 1000) / 1000 : value;
    }
    case 4:
      return text(6);
    case 5:
      return Array.from({ length: int(0, 4) }, () => jsonValue(depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: int(0, 4) }, () => [text(4), jsonValue(depth + 1)]));
  }
}

function timestamp(): string {
  const two = (n: number) => String(n).padStart(2, '0');
  let out = `${int(1970, 2100)}-${two(int(1, 12))}-${two(int(1, 28))}${pick(['T', ' '])}${two(int(0, 23))}:${two(int(0, 59))}`;
  if (random() < 0.8) out += `:${two(int(0, 59))}`;
  if (random() < 0.6) out += `.${pick(['0', '000000', '5', '123', '000001', '999999', '1234567', '100000'])}`;
  out += pick(['', 'Z', '+00:00', '-05:30', '+0200', '+14:00']);
  return out;
}

const percentText = () =>
  Array.from({ length: int(0, 8) }, () =>
    pick([
      '%',
      'A',
      'é',
      '%41',
      '%C3',
      '%A9',
      '%E2%80%A8',
      '%F0%9F%98%80',
      '%FF',
      '%zz',
      '%2',
      `%${int(0, 255).toString(16).padStart(2, '0')}`,
    ]),
  ).join('');

const strings = Array.from({ length: 4000 }, () => text(12));
const quotable = Array.from({ length: 500 }, () => text(8, false));
const encoded = Array.from({ length: 500 }, percentText);
const pairs = Array.from({ length: 400 }, () =>
  [0, 0].map(() => Array.from({ length: int(0, 10) }, () => pick(['a', 'b', 'c', ' ', '\u{1f600}'])).join('')),
);
const values = Array.from({ length: 1500 }, () => jsonValue(0));
const timestamps = Array.from({ length: 500 }, timestamp);

const PYTHON = `
import datetime, difflib, json, sys, urllib.parse
import pydantic
inp = json.load(sys.stdin)
ts = pydantic.TypeAdapter(datetime.datetime)
def iso(t):
    try:
        return ts.validate_python(t).isoformat()
    except Exception:
        return None
out = {
    "repr": [repr(s) for s in inp["strings"]],
    "strip": [s.strip() for s in inp["strings"]],
    "splitlines": [s.splitlines() for s in inp["strings"]],
    "sorted": sorted(inp["strings"]),
    "quote": [urllib.parse.quote(s, safe="") for s in inp["quotable"]],
    "unquote": [urllib.parse.unquote(s) for s in inp["encoded"]],
    "ratio": [difflib.SequenceMatcher(None, a, b).ratio() for a, b in inp["pairs"]],
    "values": [[repr(v), str(v), type(v).__name__] for v in (json.loads(t) for t in inp["values"])],
    "iso": [iso(t) for t in inp["timestamps"]],
}
json.dump(out, sys.stdout)
`;

const input = { strings, quotable, encoded, pairs, values: values.map((v) => JSON.stringify(v)), timestamps };
const python = JSON.parse(execFileSync(venvPython, ['-c', PYTHON], { input: JSON.stringify(input), maxBuffer: 64 << 20 }).toString('utf8'));

/** Every index where ours differs from Python's, with both answers (the first 5). */
function differences<T>(inputs: readonly T[], ours: (value: T) => unknown, theirs: readonly unknown[]) {
  const found = [];
  for (let i = 0; i < inputs.length; i += 1) {
    const mine = ours(inputs[i] as T);
    if (JSON.stringify(mine) !== JSON.stringify(theirs[i])) found.push({ input: inputs[i], ours: mine, python: theirs[i] });
  }
  return found.slice(0, 5);
}

test('repr() of str', () => assert.deepEqual(differences(strings, pyRepr, python.repr), []));
test('str.strip()', () => assert.deepEqual(differences(strings, pyStrip, python.strip), []));
test('str.splitlines()', () => assert.deepEqual(differences(strings, pySplitLines, python.splitlines), []));
test('sorted() of str', () => assert.deepEqual([...strings].sort(pyCompare), python.sorted));
test('urllib.parse.quote(safe="")', () => assert.deepEqual(differences(quotable, pyQuote, python.quote), []));
test('urllib.parse.unquote()', () => assert.deepEqual(differences(encoded, pyUnquote, python.unquote), []));
test('difflib ratio', () =>
  assert.deepEqual(
    differences(pairs, ([a, b]) => sequenceRatio(a as string, b as string), python.ratio),
    [],
  ));
test('repr(), str() and type name of JSON values', () =>
  assert.deepEqual(
    differences(values, (v) => [pyReprValue(v), pyStr(v), pyTypeName(v)], python.values),
    [],
  ));
test('isoformat() of what pydantic parses', () => {
  const parsed = timestamps.map((t, i) => [t, python.iso[i]] as const).filter(([, iso]) => iso !== null);
  assert.ok(parsed.length > 300, `pydantic parsed only ${parsed.length} timestamps`);
  assert.deepEqual(
    differences(
      parsed.map(([t]) => t),
      pyIsoformat,
      parsed.map(([, iso]) => iso),
    ),
    [],
  );
});
