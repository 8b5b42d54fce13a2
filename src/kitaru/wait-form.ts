// A wait's JSON schema as a form a person can fill in: flat fields of string,
// number, integer, boolean, single- or multi-select enum (the subset MCP
// elicitation forms allow). Pure functions; asking and submitting live in
// waits-ask.ts.
//
// Three shapes:
//   value  - the schema is one primitive: one field "value", the answer is its value
//   object - an object of primitive properties: one field per property
//   json   - anything else (nested objects, lists of objects, unions, $ref, no
//            schema): one text field holding JSON, parsed and then validated
//            like any kitaru_executions_input value
import { ValueError } from './errors.ts';

type Schema = Record<string, unknown>;
export type FormField = Record<string, unknown>;

export interface WaitForm {
  mode: 'value' | 'object' | 'json';
  requestedSchema: { type: 'object'; properties: Record<string, FormField>; required?: string[] };
  /** The wait's own schema, for the JSON mode's parsing rule (none: any text is accepted as a string). */
  schema: Schema | null;
  /** A one-field form whose value may be left out (Optional[X]): left out means null. */
  nullable?: boolean;
}

const STRING_FORMATS = new Set(['email', 'uri', 'date', 'date-time']);
/** Long enough to show a real schema in a dialog, short enough not to flood it. */
const SCHEMA_TEXT_LIMIT = 2000;

const isObject = (value: unknown): value is Schema => value !== null && typeof value === 'object' && !Array.isArray(value);

function copyKnown(from: Schema, to: FormField, keys: string[], check: (value: unknown) => boolean): void {
  for (const key of keys) if (check(from[key])) to[key] = from[key];
}

function labels(schema: Schema, fallbackTitle: string, description: string | null): FormField {
  const field: FormField = { title: typeof schema.title === 'string' ? schema.title : fallbackTitle };
  const text = typeof schema.description === 'string' ? schema.description : description;
  if (text) field.description = text;
  return field;
}

/**
 * pydantic writes `Optional[X]` as anyOf [X, null]: that is X, which may be left out.
 * Returns X with the outer title, description and (non-null) default, or null.
 */
function nonNullBranch(schema: Schema): Schema | null {
  const branches = schema.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return null;
  const others = branches.filter((branch) => !(isObject(branch) && branch.type === 'null'));
  if (others.length !== 1 || !isObject(others[0])) return null;
  const { anyOf: _anyOf, default: outerDefault, ...outer } = schema;
  return { ...others[0], ...outer, ...(outerDefault === null || outerDefault === undefined ? {} : { default: outerDefault }) };
}

export function isNullable(schema: unknown): boolean {
  return isObject(schema) && nonNullBranch(schema) !== null;
}

/** One primitive form field for a property schema, or null when it is not one. */
export function primitiveField(schema: unknown, title: string, description: string | null = null): FormField | null {
  if (isObject(schema) && 'anyOf' in schema) {
    const inner = nonNullBranch(schema);
    return inner === null ? null : primitiveField(inner, title, description);
  }
  if (!isObject(schema) || '$ref' in schema || 'oneOf' in schema || 'allOf' in schema) return null;
  const field = labels(schema, title, description);
  const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const enumValues = schema.enum;
  if (Array.isArray(enumValues)) {
    if (enumValues.length === 0 || !enumValues.every((v) => typeof v === 'string')) return null;
    if (schema.type !== undefined && schema.type !== 'string') return null;
    field.type = 'string';
    field.enum = enumValues;
    if (typeof schema.default === 'string' && enumValues.includes(schema.default)) field.default = schema.default;
    return field;
  }
  switch (schema.type) {
    case 'string':
      field.type = 'string';
      copyKnown(schema, field, ['minLength', 'maxLength'], (v) => Number.isInteger(v));
      if (typeof schema.format === 'string' && STRING_FORMATS.has(schema.format)) field.format = schema.format;
      if (typeof schema.default === 'string') field.default = schema.default;
      return field;
    case 'number':
    case 'integer':
      field.type = schema.type;
      copyKnown(schema, field, ['minimum', 'maximum'], isNumber);
      if (isNumber(schema.default)) field.default = schema.default;
      return field;
    case 'boolean':
      field.type = 'boolean';
      if (typeof schema.default === 'boolean') field.default = schema.default;
      return field;
    case 'array': {
      const items = schema.items;
      if (!isObject(items) || !Array.isArray(items.enum) || !items.enum.every((v) => typeof v === 'string')) return null;
      if (items.type !== undefined && items.type !== 'string') return null;
      field.type = 'array';
      field.items = { type: 'string', enum: items.enum };
      copyKnown(schema, field, ['minItems', 'maxItems'], (v) => Number.isInteger(v));
      return field;
    }
    default:
      return null;
  }
}

function jsonForm(schema: Schema | null, question: string | null): WaitForm {
  const shown = schema === null ? null : JSON.stringify(schema);
  const description =
    shown === null
      ? 'Your answer. JSON (true, 3, "text", {"key": 1}) is sent as that value; anything else is sent as text.'
      : `Your answer as JSON matching this schema: ${shown.length > SCHEMA_TEXT_LIMIT ? `${shown.slice(0, SCHEMA_TEXT_LIMIT)}...` : shown}`;
  return {
    mode: 'json',
    requestedSchema: {
      type: 'object',
      properties: { value: { type: 'string', title: question ?? 'Answer (JSON)', description } },
      required: ['value'],
    },
    schema,
  };
}

/** The form for a wait: its schema mapped onto the form subset, or a JSON text field. */
export function formForWait(schema: unknown, question: string | null): WaitForm {
  if (!isObject(schema)) return jsonForm(null, question);
  const single = primitiveField(schema, 'Answer', question);
  if (single !== null) {
    const nullable = isNullable(schema);
    return {
      mode: 'value',
      requestedSchema: { type: 'object', properties: { value: single }, ...(nullable ? {} : { required: ['value'] }) },
      schema,
      nullable,
    };
  }
  const properties = schema.properties;
  if (
    (schema.type === 'object' || schema.type === undefined) &&
    isObject(properties) &&
    Object.keys(properties).length > 0 &&
    !('$ref' in schema)
  ) {
    const fields: Record<string, FormField> = {};
    for (const [name, property] of Object.entries(properties)) {
      const field = primitiveField(property, name);
      if (field === null) return jsonForm(schema, question);
      fields[name] = field;
    }
    const required = Array.isArray(schema.required)
      ? schema.required.filter((name): name is string => typeof name === 'string' && name in fields)
      : [];
    return {
      mode: 'object',
      requestedSchema: { type: 'object', properties: fields, ...(required.length > 0 ? { required } : {}) },
      schema,
    };
  }
  return jsonForm(schema, question);
}

/** The wait input a filled-in form stands for. Throws (nothing submitted) when it cannot be read. */
export function valueFromForm(form: WaitForm, content: Record<string, unknown> | undefined): unknown {
  const answers = content ?? {};
  if (form.mode === 'object') return { ...answers };
  if (!('value' in answers)) {
    if (form.nullable) return null;
    throw new ValueError('The answer has no value; nothing was submitted.');
  }
  if (form.mode === 'value') return answers.value;
  const text = answers.value;
  if (typeof text !== 'string') throw new ValueError('The answer should be JSON text; nothing was submitted.');
  try {
    return JSON.parse(text);
  } catch (error) {
    // Without a schema any value is allowed, so plain words are the string they spell.
    if (form.schema === null) return text;
    throw new ValueError(`The answer is not valid JSON (${(error as Error).message}); nothing was submitted.`);
  }
}
