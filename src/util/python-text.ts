import { PyFloat, PyInt, pyFloatRepr } from '../compat/json.ts';

// Python's repr() of a str. Kitaru's messages quote ids and server texts the
// way Python formats them (`!r`, or str() of a KeyError), and ours must match.
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .split(quote)
    .join(`\\${quote}`);
  return `${quote}${body}${quote}`;
}

/** Python's repr() of a JSON value (None, True, 1.5, 'text', [..], {..}). */
export function pyReprValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
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
