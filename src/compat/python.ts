// Python's own renderings of values, for the texts Kitaru writes with them:
// repr() and str() of str and JSON values, str.strip/splitlines, code-point
// ordering, datetime.isoformat() after pydantic, difflib's ratio, type names,
// urllib quoting. One home, tested against CPython on generated inputs
// (test/integration/python-compat.test.ts); the reference is Python 3.11.
import { PyFloat, PyInt, isPyNumber, pyFloatRepr } from './json.ts';
import { PRINTABLE_RANGES } from './python-printable.ts';

export { pyFloatRepr };

/** Sorted [start, end] pairs of the printable code points >= U+0080, decoded once. */
const PRINTABLE: number[] = (() => {
  const bounds: number[] = [];
  let last = 0x7f;
  for (const part of PRINTABLE_RANGES.split(',')) {
    const [gap, length] = part.split(':').map((hex) => Number.parseInt(hex, 16)) as [number, number];
    const start = last + gap + 1;
    last = start + length - 1;
    bounds.push(start, last);
  }
  return bounds;
})();

/** str.isprintable() of one code point (Python 3.11's Unicode table). */
export function isPrintable(code: number): boolean {
  if (code < 0x80) return code >= 0x20 && code !== 0x7f;
  let lo = 0;
  let hi = PRINTABLE.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (code < (PRINTABLE[2 * mid] as number)) hi = mid - 1;
    else if (code > (PRINTABLE[2 * mid + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
}

const hex = (code: number, width: number) => code.toString(16).padStart(width, '0');

/** repr() of a str, exactly as CPython writes it (quote choice, escapes, non-printables). */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (isPrintable(code)) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
}

/**
 * repr() of a JSON value (None, True, 1, 1.5, 'text', [..], {..}). A JSON
 * number with no fraction is an int, as json.loads makes it.
 */
export function pyReprValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? pyIntRepr(value) : pyFloatRepr(value);
  if (value instanceof PyInt) return value.digits;
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === 'string') return pyRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyReprValue).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyRepr(k)}: ${pyReprValue(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/** An integral JSON number as json.loads reads it: digits are an int, an exponent a float. */
function pyIntRepr(value: number): string {
  const text = String(value);
  return /e/.test(text) ? pyFloatRepr(value) : text;
}

/** str() of a JSON value: a str is itself, anything else its repr(). */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyReprValue(value);
}

/** What the log mapping shows for a non-string message: Python's str() of scalars, JSON text of containers. */
export function pyScalarStr(value: unknown): string {
  if (value !== null && typeof value === 'object' && !isPyNumber(value)) return JSON.stringify(value);
  return pyStr(value); // str(2.0) is '2.0', str(1e-05) is '1e-05'
}

/** str.isspace() characters, the set str.strip() and str.split() use. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** str.strip() with no argument. */
export function pyStrip(text: string): string {
  return text.replace(STRIP, '');
}

/** str.splitlines() (without keepends): no trailing empty piece after a final line break. */
export function pySplitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Python's default str ordering: by code point (JS compares UTF-16 units). */
export function pyCompare(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

/**
 * datetime.isoformat() of the value pydantic parsed from the server's text:
 * microseconds shown only when non-zero (always 6 digits), "Z" as +00:00.
 * Text pydantic would not parse as a datetime comes back unchanged.
 */
export function pyIsoformat(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (match === null) return text;
  const [, date, timeRaw = '', fraction, zone] = match;
  const time = timeRaw.length === 5 ? `${timeRaw}:00` : timeRaw;
  const micros = fraction === undefined ? 0 : Number(fraction.slice(0, 6).padEnd(6, '0'));
  let out = `${date}T${time}`;
  if (micros !== 0) out += `.${String(micros).padStart(6, '0')}`;
  if (zone !== undefined) {
    if (zone === 'Z') out += '+00:00';
    else out += zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  }
  return out;
}

/** type(value).__name__ of a JSON value (json.loads reads 1e+22 as a float). */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) && !/e/.test(String(value)) ? 'int' : 'float';
    case 'object':
      return value instanceof PyInt ? 'int' : value instanceof PyFloat ? 'float' : 'dict';
    default:
      return typeof value;
  }
}

/** difflib.SequenceMatcher(None, a, b).ratio() over code points (no autojunk below 200 characters). */
export function sequenceRatio(left: string, right: string): number {
  const a = Array.from(left);
  const b = Array.from(right);
  const total = a.length + b.length;
  if (total === 0) return 1;
  // find_longest_match's tie-break: earliest in a, then earliest in b.
  const matches = (aLo: number, aHi: number, bLo: number, bHi: number): number => {
    let bestI = aLo;
    let bestJ = bLo;
    let bestSize = 0;
    for (let i = aLo; i < aHi; i += 1) {
      for (let j = bLo; j < bHi; j += 1) {
        let k = 0;
        while (i + k < aHi && j + k < bHi && a[i + k] === b[j + k]) k += 1;
        if (k > bestSize) {
          bestI = i;
          bestJ = j;
          bestSize = k;
        }
      }
    }
    if (bestSize === 0) return 0;
    return bestSize + matches(aLo, bestI, bLo, bestJ) + matches(bestI + bestSize, aHi, bestJ + bestSize, bHi);
  };
  return (2 * matches(0, a.length, 0, b.length)) / total;
}

/** urllib.parse.quote(text, safe=""): everything but A-Za-z0-9_.-~ is %-escaped (UTF-8). */
export function pyQuote(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** urllib.parse.unquote(text): each run of %XX escapes decoded as UTF-8, bad bytes as U+FFFD; the rest kept. */
export function pyUnquote(text: string): string {
  const decoder = new TextDecoder('utf-8');
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);
    return decoder.decode(bytes);
  });
}
