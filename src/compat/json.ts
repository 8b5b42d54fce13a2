// A lossless JSON reader and writer with Python's number semantics. JavaScript
// has one number type, so JSON.parse turns 12345678901234567890 into ...68000
// and 2.0 into 2 (an int, for Python). Python keeps both exactly, and the
// difference decides validation (5.0 is not an int wait input) and what a flow
// receives. So every boundary (the client's JSON-RPC, the server's answers,
// the Python helper's result) reads and writes through here:
// - an integer token within 2^53 is a plain number (Python int);
// - an integer token beyond it is a PyInt (exact digits);
// - a float token whose value is integral (2.0, 1e5, -0.0) is a PyFloat;
// - any other float token is a plain non-integer number (or NaN/±Infinity,
//   which Python's json reads and writes as NaN/Infinity).
// Plain JavaScript numbers keep their meaning: integral means int.

/** A Python int beyond JavaScript's safe-integer range, kept as its exact digits. */
export class PyInt {
  readonly digits: string;
  constructor(value: bigint | string) {
    this.digits = BigInt(value).toString();
  }
  get big(): bigint {
    return BigInt(this.digits);
  }
  /** Anything that still uses JSON.stringify sees the nearest number, not an object. */
  toJSON(): number {
    return Number(this.digits);
  }
  toString(): string {
    return this.digits;
  }
}

/** A Python float whose value is integral (2.0, 1e+16, -0.0): JavaScript would call it an int. */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
  toString(): string {
    return pyFloatRepr(this.value);
  }
}

export type PyNumber = number | PyInt | PyFloat;

export function isPyInt(value: unknown): boolean {
  return value instanceof PyInt || (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
}
export function isPyFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}
export function isPyNumber(value: unknown): value is PyNumber {
  return typeof value === 'number' || value instanceof PyInt || value instanceof PyFloat;
}

/** The number a JavaScript computation can use (a PyInt beyond 2^53 rounds). */
export function numericValue(value: PyNumber): number {
  return value instanceof PyInt ? Number(value.digits) : value instanceof PyFloat ? value.value : value;
}

/** The number for an int as Python would keep it: plain when safe, a PyInt beyond. */
export function pyInt(value: bigint): number | PyInt {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : new PyInt(value);
}

/** The number for a float as Python would keep it: a PyFloat when its value is integral. */
export function pyFloat(value: number): number | PyFloat {
  return Number.isInteger(value) || Object.is(value, -0) ? new PyFloat(value) : value;
}

/** Shortest round-trip digits and decimal exponent: 1234.5 -> ["12345", 3]. */
function shortestDigits(value: number): [string, number] {
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e') as [string, string];
  return [mantissa.replace('.', ''), Number(exponent)];
}

function formatFloat(value: number, fixedBelow: number, fixedFrom: number, exponent: (e: number) => string): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (value === 0) return `${sign}0.0`;
  const [digits, e] = shortestDigits(value);
  if (e >= fixedBelow && e < fixedFrom) {
    if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
    const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
    return `${sign}${whole}.${digits.slice(e + 1) || '0'}`;
  }
  return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent(e)}`;
}

/** Python's repr(float): 2.0, 1e+16, 1e-05, nan, inf (as in validation messages). */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return formatFloat(value, -4, 16, (e) => `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`);
}

/** pydantic-core's JSON float (what Python's MCP server writes): 2.0, 1e16, 0.00001, 1e-6. */
export function pydanticFloat(value: number): string {
  return formatFloat(value, -5, 16, (e) => String(e));
}

// ------------------------------------------------------------------ reader

export class JsonSyntaxError extends SyntaxError {
  override name = 'JsonSyntaxError';
  constructor(
    message: string,
    readonly position: number,
    /** True when the text is valid JSON nested deeper than allowed. */
    readonly tooDeep = false,
  ) {
    super(message);
  }
}

export interface ReadOptions {
  /** Containers nested deeper than this are refused (a bound on recursion). */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 1000;

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING_PLAIN = /[^"\\\u0000-\u001f]*/y;

class Reader {
  pos = 0;
  constructor(
    readonly text: string,
    readonly maxDepth: number,
  ) {}

  fail(what: string): never {
    throw new JsonSyntaxError(`${what} at position ${this.pos}`, this.pos);
  }

  skip(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.pos);
  }

  value(depth: number): unknown {
    this.skip();
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth + 1);
      case '[':
        return this.array(depth + 1);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case 'N':
        return this.literal('NaN', Number.NaN);
      case 'I':
        return this.literal('Infinity', Number.POSITIVE_INFINITY);
      default:
        if (c === '-' && this.text.startsWith('-Infinity', this.pos)) return this.literal('-Infinity', Number.NEGATIVE_INFINITY);
        return this.number();
    }
  }

  literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('Unexpected token');
    this.pos += word.length;
    return value;
  }

  number(): PyNumber {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null || match[0] === '' || match[0] === '-')
      this.fail(this.pos >= this.text.length ? 'Unexpected end of JSON input' : 'Unexpected token');
    this.pos += match[0].length;
    const token = match[0];
    if (match[1] === undefined && match[2] === undefined) {
      const value = Number(token);
      // -0 is the int 0 in Python.
      return Number.isSafeInteger(value) ? value + 0 : pyInt(BigInt(token));
    }
    return pyFloat(Number(token));
  }

  string(): string {
    const t = this.text;
    const start = this.pos;
    STRING_PLAIN.lastIndex = start + 1;
    STRING_PLAIN.exec(t);
    let end = STRING_PLAIN.lastIndex;
    if (t[end] === '"') {
      this.pos = end + 1;
      return t.slice(start + 1, end);
    }
    // Escapes (or a bad character): find the closing quote, then let JSON.parse decode the token.
    while (end < t.length && t[end] !== '"') end += t[end] === '\\' ? 2 : 1;
    if (end >= t.length) {
      this.pos = t.length;
      this.fail('Unterminated string in JSON');
    }
    this.pos = end + 1;
    try {
      return JSON.parse(t.slice(start, end + 1)) as string;
    } catch {
      this.pos = start;
      this.fail('Bad string in JSON');
    }
  }

  enter(depth: number): void {
    if (depth > this.maxDepth) {
      throw new JsonSyntaxError(`JSON nested deeper than ${this.maxDepth} levels at position ${this.pos}`, this.pos, true);
    }
    this.pos += 1;
  }

  object(depth: number): Record<string, unknown> {
    this.enter(depth);
    const result: Record<string, unknown> = {};
    this.skip();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return result;
    }
    for (;;) {
      this.skip();
      if (this.text[this.pos] !== '"') this.fail('Expected a property name');
      const key = this.string();
      this.skip();
      if (this.text[this.pos] !== ':') this.fail("Expected ':'");
      this.pos += 1;
      const value = this.value(depth);
      // A "__proto__" key is data, as with JSON.parse, never the prototype.
      if (key === '__proto__') Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      else result[key] = value;
      this.skip();
      const c = this.text[this.pos];
      this.pos += 1;
      if (c === '}') return result;
      if (c !== ',') {
        this.pos -= 1;
        this.fail("Expected ',' or '}'");
      }
    }
  }

  array(depth: number): unknown[] {
    this.enter(depth);
    const result: unknown[] = [];
    this.skip();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return result;
    }
    for (;;) {
      result.push(this.value(depth));
      this.skip();
      const c = this.text[this.pos];
      this.pos += 1;
      if (c === ']') return result;
      if (c !== ',') {
        this.pos -= 1;
        this.fail("Expected ',' or ']'");
      }
    }
  }
}

/** JSON.parse with Python's number semantics (see the top of this file). Throws JsonSyntaxError. */
export function parseJson(text: string, options: ReadOptions = {}): unknown {
  const reader = new Reader(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  const value = reader.value(0);
  reader.skip();
  if (reader.pos < text.length) reader.fail('Unexpected non-whitespace character after JSON');
  return value;
}

// ------------------------------------------------------------------ writer

export interface WriteOptions {
  indent?: number;
  /**
   * NaN and ±Infinity: 'constants' writes NaN/Infinity as Python's json and
   * pydantic's text do; 'null' writes null as pydantic does on the protocol.
   */
  nonFinite?: 'constants' | 'null';
  /** How floats read: pydantic's JSON (the MCP server's output, default) or Python's json.dumps. */
  floats?: 'pydantic' | 'python';
}

/** JSON.stringify that writes PyInt digits exactly and floats as Python writes them. */
export function stringifyJson(value: unknown, options: WriteOptions = {}): string | undefined {
  const indent = options.indent ?? 0;
  const nonFinite = options.nonFinite ?? 'constants';
  const float =
    options.floats === 'python' ? (v: number) => (Number.isFinite(v) ? pyFloatRepr(v) : formatFloat(v, 0, 0, String)) : pydanticFloat;
  const num = (v: number): string => {
    if (!Number.isFinite(v)) return nonFinite === 'null' ? 'null' : float(v);
    if (Number.isInteger(v)) return String(v); // -0 too: a plain integral number is an int
    return float(v);
  };
  const write = (v: unknown, pad: string, inArray: boolean): string | undefined => {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'number':
        return num(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return v.toString();
      case 'undefined':
      case 'function':
      case 'symbol':
        return inArray ? 'null' : undefined;
      default:
        break;
    }
    if (v instanceof PyInt) return v.digits;
    if (v instanceof PyFloat) return Number.isFinite(v.value) ? float(v.value) : num(v.value);
    const obj = v as { toJSON?: () => unknown };
    if (typeof obj.toJSON === 'function') return write(obj.toJSON(), pad, inArray);
    const inner = indent > 0 ? pad + ' '.repeat(indent) : '';
    const open = indent > 0 ? `\n${inner}` : '';
    const close = indent > 0 ? `\n${pad}` : '';
    const sep = indent > 0 ? `,\n${inner}` : ',';
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${open}${v.map((item) => write(item, inner, true) ?? 'null').join(sep)}${close}]`;
    }
    const parts: string[] = [];
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
      const text = write(item, inner, false);
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${indent > 0 ? ' ' : ''}${text}`);
    }
    return parts.length === 0 ? '{}' : `{${open}${parts.join(sep)}${close}}`;
  };
  return write(value, '', false);
}
