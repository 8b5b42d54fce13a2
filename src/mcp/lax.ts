// pydantic's lax mode for int, float, bool and str, as Python's FastMCP applies
// it to tool arguments (validate_python on what json.loads gave). The tables
// are pydantic's conversion table (docs/concepts/conversion_table), checked
// case by case against pydantic-core in test/unit/lax.test.ts:
// - int: ints; floats with no fractional part within ±2^63; bools; strings of
//   digits with single underscores, an optional sign, surrounding whitespace and
//   an all-zero fraction ("3.00"); any size from strings and ints.
// - float: numbers, bools, and strings Python's float() reads (underscores,
//   "5.", ".5", "nan", "inf", "Infinity"), with surrounding whitespace.
// - bool: bools, the ints 0 and 1 (and floats 0.0, 1.0), and the words below,
//   any case, with no whitespace allowed.
// - str: strings only.
import { PyFloat, PyInt, pyFloat, pyInt } from '../compat/json.ts';

export type Lax = { ok: true; value: unknown } | { ok: false; type: string; msg: string };

const ok = (value: unknown): Lax => ({ ok: true, value });
const err = (type: string, msg: string): Lax => ({ ok: false, type, msg });

const INT_STRING = /^[+-]?\d+(?:_\d+)*(?:\.0+)?$/;
const FLOAT_STRING = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*|\d+(?:_\d+)*\.)(?:[eE][+-]?\d+(?:_\d+)*)?$/;
const FLOAT_WORDS = /^[+-]?(?:nan|inf|infinity)$/i;
const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);
const I64 = 2 ** 63;

/** Python's str.strip() whitespace (what pydantic-core trims from numeric strings). */
function strip(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Python's whitespace includes U+001C..U+001F.
  return text.replace(/^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/gu, '');
}

const INT_PARSING = err('int_parsing', 'Input should be a valid integer, unable to parse string as an integer');
const INT_TYPE = err('int_type', 'Input should be a valid integer');

export function laxInt(value: unknown): Lax {
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (value instanceof PyInt) return ok(value);
  if (typeof value === 'number' || value instanceof PyFloat) {
    const n = value instanceof PyFloat ? value.value : value;
    if (!Number.isFinite(n)) return err('finite_number', 'Input should be a finite number');
    if (!Number.isInteger(n)) return err('int_from_float', 'Input should be a valid integer, got a number with a fractional part');
    if (Math.abs(n) >= I64) return err('int_parsing_size', 'Unable to parse input string as an integer, exceeded maximum size');
    return ok(pyInt(BigInt(n)));
  }
  if (typeof value === 'string') {
    const text = strip(value);
    if (!INT_STRING.test(text)) return INT_PARSING;
    const digits = text.replace(/\.0+$/, '').replaceAll('_', '');
    return ok(pyInt(BigInt(digits)));
  }
  return INT_TYPE;
}

export function laxFloat(value: unknown): Lax {
  if (typeof value === 'boolean') return ok(pyFloat(value ? 1 : 0));
  if (value instanceof PyFloat) return ok(value);
  if (value instanceof PyInt) return ok(pyFloat(Number(value.digits)));
  if (typeof value === 'number') return ok(pyFloat(value));
  if (typeof value === 'string') {
    const text = strip(value);
    if (FLOAT_WORDS.test(text)) {
      const negative = text.startsWith('-');
      return ok(/nan/i.test(text) ? Number.NaN : negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
    }
    if (!FLOAT_STRING.test(text)) return err('float_parsing', 'Input should be a valid number, unable to parse string as a number');
    return ok(pyFloat(Number(text.replaceAll('_', ''))));
  }
  return err('float_type', 'Input should be a valid number');
}

const BOOL_PARSING = err('bool_parsing', 'Input should be a valid boolean, unable to interpret input');
const BOOL_TYPE = err('bool_type', 'Input should be a valid boolean');

export function laxBool(value: unknown): Lax {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'string') {
    const word = value.toLowerCase();
    if (TRUE_WORDS.has(word)) return ok(true);
    if (FALSE_WORDS.has(word)) return ok(false);
    return BOOL_PARSING;
  }
  if (value instanceof PyInt) return value.big >= -(2n ** 63n) && value.big < 2n ** 63n ? BOOL_PARSING : BOOL_TYPE;
  if (typeof value === 'number' || value instanceof PyFloat) {
    const n = value instanceof PyFloat ? value.value : value;
    if (n === 0) return ok(false);
    if (n === 1) return ok(true);
    // pydantic-core: an int (or integral float) that is not 0/1 "cannot be interpreted"; other floats are the wrong type.
    return Number.isInteger(n) && Math.abs(n) < I64 ? BOOL_PARSING : BOOL_TYPE;
  }
  return BOOL_TYPE;
}

export function laxStr(value: unknown): Lax {
  return typeof value === 'string' ? ok(value) : err('string_type', 'Input should be a valid string');
}
