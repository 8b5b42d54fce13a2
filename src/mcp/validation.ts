// Argument checking with the words Python's kitaru-mcp uses. FastMCP validates
// with pydantic in lax mode: "5" is accepted for an integer and "true" for a
// boolean, and a failure reads "1 validation error for <tool>Arguments ...".
// We coerce the same way (from the tool's JSON Schema) and then let zod decide.
import type { z } from 'zod';
import { PyFloat, PyInt } from '../compat/json.ts';
import { pyReprValue, pyTypeName } from '../compat/python.ts';
import { type Lax, laxBool, laxFloat, laxInt, laxStr } from './lax.ts';

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

/**
 * What an integer argument becomes. Python takes ints of any size; ours are
 * JavaScript numbers, so one beyond 2^53 acts as the largest safe integer
 * (a limit or timeout that large means "no limit" either way).
 */
function toSafeInt(value: unknown): unknown {
  if (!(value instanceof PyInt)) return value;
  return value.big > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

function coerceValue(value: unknown, types: Set<string>): unknown {
  if (types.size === 0 || value === null) return value;
  // A field that takes strings takes any string as it is (pydantic tries str first in a union).
  if (types.has('string') && typeof value === 'string') return value;
  if (types.has('boolean') && typeof value === 'boolean') return value;
  if (types.has('integer')) {
    const result = laxInt(value);
    if (result.ok && !(types.has('boolean') && typeof value === 'boolean')) return toSafeInt(result.value);
  }
  if (types.has('number')) {
    const result = laxFloat(value);
    if (result.ok) return result.value instanceof PyFloat ? result.value.value : result.value;
  }
  if (types.has('boolean')) {
    const result = laxBool(value);
    if (result.ok) return result.value;
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

/** pydantic-core shows long inputs as their first 25 and last 24 characters. */
function shownInput(value: unknown): string {
  const text = pyReprValue(value);
  return text.length > 50 ? `${text.slice(0, 25)}...${text.slice(-24)}` : text;
}

const DOCS = 'https://errors.pydantic.dev/2.12/v';

/** pydantic's words and error type for "expected X, got this input". */
function typeError(expected: string, input: unknown, fieldTypes: Set<string>): [string, string] {
  const words = (result: Lax): [string, string] =>
    result.ok ? ['Input should be a valid ' + expected, `${expected}_type`] : [result.msg, result.type];
  if (expected === 'string') return words(laxStr(input));
  if (expected === 'boolean') return words(laxBool(input));
  if (expected === 'int' || (expected === 'number' && fieldTypes.has('integer'))) return words(laxInt(input));
  if (expected === 'number') return words(laxFloat(input));
  if (expected === 'object' || expected === 'record') return ['Input should be a valid dictionary', 'dict_type'];
  if (expected === 'array') return ['Input should be a valid list', 'list_type'];
  return [`Input should be a valid ${expected}`, `${expected}_type`];
}

interface IssueContext {
  input: unknown;
  /** The whole arguments object, which pydantic shows for a missing field. */
  args: unknown;
  hideValue: boolean;
  fieldTypes: Set<string>;
}

function describeIssue(issue: z.core.$ZodIssue, c: IssueContext): string {
  const shown = (value: unknown, hide: boolean) => (hide ? '' : `, input_value=${shownInput(value)}, input_type=${pyTypeName(value)}`);
  let words: string;
  let type: string;
  let suffix = shown(c.input, c.hideValue);
  if (issue.code === 'invalid_type' && c.input === undefined) {
    [words, type] = ['Field required', 'missing'];
    suffix = shown(c.args, c.hideValue);
  } else if (issue.code === 'invalid_type') {
    [words, type] = typeError(issue.expected, c.input, c.fieldTypes);
  } else if (issue.code === 'invalid_value') {
    const options = issue.values.map((v) => pyReprValue(v));
    const list = options.length > 1 ? `${options.slice(0, -1).join(', ')} or ${options.at(-1)}` : (options[0] ?? '');
    [words, type] = [`Input should be ${list}`, 'literal_error'];
  } else if (issue.code === 'invalid_union') {
    [words, type] = ['Input should be one of the accepted types', 'union_error'];
  } else {
    [words, type] = [issue.message, issue.code];
  }
  return `${words} [type=${type}${suffix}]\n    For further information visit ${DOCS}/${type}`;
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
/** pydantic's name for a union branch, as it appears in the error location. */
const BRANCH_TAG: Record<string, string> = {
  string: 'str',
  int: 'int',
  number: 'float',
  boolean: 'bool',
  object: 'dict[str,any]',
  record: 'dict[str,any]',
  array: 'list[any]',
};

/**
 * pydantic reports a value that fits no branch of a union once per branch,
 * located at `<field>.<branch>` ("image.str", "image.dict[str,any]").
 */
function expandUnion(issue: z.core.$ZodIssue): { issue: z.core.$ZodIssue; suffix: string }[] {
  if (issue.code !== 'invalid_union') return [{ issue, suffix: '' }];
  const branches = issue.errors.map((branch) => branch[0]).filter((b): b is z.core.$ZodIssue => b !== undefined);
  if (branches.length === 0 || !branches.every((b) => b.code === 'invalid_type' && b.path.length === 0)) {
    return [{ issue, suffix: '' }];
  }
  return branches.map((b) => {
    const expected = b.code === 'invalid_type' ? b.expected : '';
    return { issue: { ...b, path: issue.path } as z.core.$ZodIssue, suffix: `.${BRANCH_TAG[expected] ?? expected}` };
  });
}

export function formatValidationError(
  toolName: string,
  error: z.ZodError,
  input: unknown,
  options: { secretInputs?: readonly string[]; schema?: JsonSchema } = {},
): string {
  const secretInputs = options.secretInputs ?? [];
  const anySecretGiven = secretInputs.some((name) => input !== null && typeof input === 'object' && name in input);
  const entries: string[] = [];
  for (const { issue, suffix } of error.issues.flatMap(expandUnion)) {
    const loc = (issue.path.length > 0 ? issue.path.map(String).join('.') : '(arguments)') + suffix;
    const field = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
    const secret = field !== undefined && secretInputs.includes(field);
    const types = issue.path.length === 1 && field !== undefined ? allowedTypes(options.schema?.properties?.[field]) : new Set<string>();
    const value = valueAt(input, issue.path);
    // A missing field shows the whole arguments object: never when it holds a secret.
    const hide = secret || (value === undefined && anySecretGiven);
    entries.push(loc, `  ${describeIssue(issue, { input: value, args: input, hideValue: hide, fieldTypes: types })}`);
  }
  const count = entries.length / 2;
  return [`${count} validation error${count === 1 ? '' : 's'} for ${toolName}Arguments`, ...entries].join('\n');
}
