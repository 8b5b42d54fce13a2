import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { coerceArguments, formatValidationError } from '../../src/mcp/validation.ts';

const schema = {
  properties: {
    limit: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
    flag: { type: 'boolean' },
    name: { type: 'string' },
  },
};

test('lax coercion like pydantic: numeric strings to integers, words to booleans', () => {
  assert.deepEqual(coerceArguments({ limit: '5', flag: 'true', name: '7' }, schema), { limit: 5, flag: true, name: '7' });
  assert.deepEqual(coerceArguments({ limit: 'abc', flag: 'maybe' }, schema), { limit: 'abc', flag: 'maybe' });
  assert.deepEqual(coerceArguments({ limit: null }, schema), { limit: null });
});

const input = z.object({ exec_id: z.string(), limit: z.number().int().nullable().default(null), action: z.enum(['create', 'delete']) });

test('messages name the field and what was expected, in pydantic words', () => {
  const args = { limit: 'abc', action: 'bad' };
  const result = input.safeParse(args);
  assert.equal(result.success, false);
  const text = formatValidationError('demo_tool', result.error!, args, { schema });
  assert.equal(
    text,
    [
      '3 validation errors for demo_toolArguments',
      'exec_id',
      "  Field required [type=missing, input_value={'limit': 'abc', 'action': 'bad'}, input_type=dict]",
      '    For further information visit https://errors.pydantic.dev/2.12/v/missing',
      'limit',
      "  Input should be a valid integer, unable to parse string as an integer [type=int_parsing, input_value='abc', input_type=str]",
      '    For further information visit https://errors.pydantic.dev/2.12/v/int_parsing',
      'action',
      "  Input should be 'create' or 'delete' [type=literal_error, input_value='bad', input_type=str]",
      '    For further information visit https://errors.pydantic.dev/2.12/v/literal_error',
    ].join('\n'),
  );
});

test('long inputs are cut the way pydantic-core cuts them', () => {
  const schema2 = z.object({ n: z.number().int() });
  const args = { n: 'a'.repeat(200) };
  const text = formatValidationError('t', schema2.safeParse(args).error!, args, { schema: { properties: { n: { type: 'integer' } } } });
  assert.match(text, /input_value='a{24}\.\.\.a{23}', input_type=str\]/);
});

test('secret inputs are never echoed, even when invalid', () => {
  const secretSchema = z.object({ values: z.record(z.string(), z.unknown()) });
  const args = { values: 'sk-very-secret-value' };
  const result = secretSchema.safeParse(args);
  const text = formatValidationError('kitaru_secrets_create', result.error!, args, { secretInputs: ['values'] });
  assert.doesNotMatch(text, /sk-very-secret-value/);
  // Nor through a missing field, where pydantic would show the whole arguments object.
  const missing = z.object({ name: z.string(), values: z.record(z.string(), z.unknown()) });
  const args2 = { values: { KEY: 'sk-very-secret-value' } };
  const text2 = formatValidationError('kitaru_secrets_create', missing.safeParse(args2).error!, args2, { secretInputs: ['values'] });
  assert.match(text2, /name\n {2}Field required \[type=missing\]/);
  assert.doesNotMatch(text2, /sk-very-secret-value/);
  assert.match(text, /^1 validation error for kitaru_secrets_createArguments\nvalues\n {2}Input should be a valid dictionary/);
});

test('a float for an integer, and a value that fits no branch of a union, read as pydantic reads them', () => {
  const shape = z.object({
    limit: z.number().int().nullable().default(null),
    image: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .nullable()
      .default(null),
  });
  const schema2 = { properties: { limit: { anyOf: [{ type: 'integer' }, { type: 'null' }] } } };
  const args = { limit: 1.5, image: 5 };
  assert.equal(
    formatValidationError('t', shape.safeParse(args).error!, args, { schema: schema2 }),
    [
      '3 validation errors for tArguments',
      'limit',
      '  Input should be a valid integer, got a number with a fractional part [type=int_from_float, input_value=1.5, input_type=float]',
      '    For further information visit https://errors.pydantic.dev/2.12/v/int_from_float',
      'image.str',
      '  Input should be a valid string [type=string_type, input_value=5, input_type=int]',
      '    For further information visit https://errors.pydantic.dev/2.12/v/string_type',
      'image.dict[str,any]',
      '  Input should be a valid dictionary [type=dict_type, input_value=5, input_type=int]',
      '    For further information visit https://errors.pydantic.dev/2.12/v/dict_type',
    ].join('\n'),
  );
});
