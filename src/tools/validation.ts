// Argument checking with the words Python's kitaru-mcp uses. FastMCP validates
// with pydantic in lax mode: "5" is accepted for an integer and "true" for a
// boolean, and a failure reads "1 validation error for <tool>Arguments ...".
// We coerce the same way (from the tool's JSON Schema) and then let zod decide.
import { z } from 'zod';

export type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
};

function allowedTypes(schema: JsonSchema | undefined): Set<string> {
  const types = new Set<string>();
  if (!schema) return types;
  if (typeof schema.type === 'string') types.add(schema.type);
  if (Array.isArray(schema.type)) for (const t of schema.type) types.add(t);
  for (const branch of schema.anyOf ?? []) for (const t of allowedTypes(branch)) types.add(t);
  return types;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', 'on', 't']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', 'off', 'f']);

function coerceValue(value: unknown, types: Set<string>): unknown {
  if (types.size === 0 || value === null) return value;
  if (types.has('integer') && !types.has('string')) {
    if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
    if (typeof value === 'number' && Number.isInteger(value)) return value;
  }
  if (types.has('boolean') && !types.has('string')) {
    if (typeof value === 'string') {
      const word = value.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
    }
    if (value === 1) return true;
    if (value === 0) return false;
  }
  return value;
}

/** Pydantic-style lax coercion of top-level arguments, driven by the input JSON Schema. */
export function coerceArguments(args: Record<string, unknown>, schema: JsonSchema): Record<string, unknown> {
  const result: Record<string, unknown> = { ...args };
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (key in result) result[key] = coerceValue(result[key], allowedTypes(prop));
  }
  return result;
}

function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'object':
      return 'dict';
    default:
      return typeof value;
  }
}

const EXPECTED_WORDS: Record<string, [string, string]> = {
  string: ['Input should be a valid string', 'string_type'],
  number: ['Input should be a valid number', 'float_type'],
  int: ['Input should be a valid integer', 'int_type'],
  boolean: ['Input should be a valid boolean', 'bool_type'],
  object: ['Input should be a valid dictionary', 'dict_type'],
  record: ['Input should be a valid dictionary', 'dict_type'],
  array: ['Input should be a valid list', 'list_type'],
};

function describeIssue(issue: z.core.$ZodIssue, input: unknown, hideValue: boolean, fieldTypes: Set<string>): string {
  const shown = input === undefined || hideValue ? '' : `, input_value=${JSON.stringify(input)}, input_type=${pyTypeName(input)}`;
  if (issue.code === 'invalid_type' && input === undefined) {
    return `Field required [type=missing]`;
  }
  if (issue.code === 'invalid_type') {
    // zod says "number" for integers too; the JSON Schema knows better.
    const expected = issue.expected === 'number' && fieldTypes.has('integer') ? 'int' : issue.expected;
    const [words, type] = EXPECTED_WORDS[expected] ?? [`Input should be a valid ${issue.expected}`, `${issue.expected}_type`];
    return `${words} [type=${type}${shown}]`;
  }
  if (issue.code === 'invalid_value') {
    const options = issue.values.map((v) => `'${String(v)}'`);
    const list = options.length > 1 ? `${options.slice(0, -1).join(', ')} or ${options.at(-1)}` : (options[0] ?? '');
    return `Input should be ${list} [type=literal_error${shown}]`;
  }
  if (issue.code === 'invalid_union') {
    return `Input should be one of the accepted types [type=union_error${shown}]`;
  }
  return `${issue.message} [type=${issue.code}${shown}]`;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** "1 validation error for <tool>Arguments\n<field>\n  <what was expected> [type=...]" */
export function formatValidationError(
  toolName: string,
  error: z.ZodError,
  input: unknown,
  options: { secretInputs?: readonly string[]; schema?: JsonSchema } = {},
): string {
  const secretInputs = options.secretInputs ?? [];
  const count = error.issues.length;
  const lines = [`${count} validation error${count === 1 ? '' : 's'} for ${toolName}Arguments`];
  for (const issue of error.issues) {
    const loc = issue.path.length > 0 ? issue.path.map(String).join('.') : '(arguments)';
    const field = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
    const secret = field !== undefined && secretInputs.includes(field);
    const types = issue.path.length === 1 && field !== undefined ? allowedTypes(options.schema?.properties?.[field]) : new Set<string>();
    lines.push(loc, `  ${describeIssue(issue, valueAt(input, issue.path), secret, types)}`);
  }
  return lines.join('\n');
}
