// A wait's JSON schema mapped onto the elicitation form subset, and the answer
// read back: one field, one field per property, or JSON text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formForWait, valueFromForm } from '../../src/kitaru/wait-form.ts';

test('a primitive schema becomes one "value" field carrying the question', () => {
  const form = formForWait({ type: 'boolean' }, 'Publish the draft?');
  assert.equal(form.mode, 'value');
  assert.deepEqual(form.requestedSchema, {
    type: 'object',
    properties: { value: { title: 'Answer', description: 'Publish the draft?', type: 'boolean' } },
    required: ['value'],
  });
  assert.equal(valueFromForm(form, { value: false }), false);
  const count = formForWait({ type: 'integer', minimum: 1, maximum: 9, default: 3, title: 'Count' }, null);
  assert.deepEqual(count.requestedSchema.properties.value, { title: 'Count', type: 'integer', minimum: 1, maximum: 9, default: 3 });
  const choice = formForWait({ enum: ['a', 'b'] }, null);
  assert.deepEqual(choice.requestedSchema.properties.value, { title: 'Answer', type: 'string', enum: ['a', 'b'] });
  // Formats outside the form subset are dropped, the field stays a string.
  const text = formForWait({ type: 'string', format: 'uuid', maxLength: 36 }, null);
  assert.deepEqual(text.requestedSchema.properties.value, { title: 'Answer', type: 'string', maxLength: 36 });
});

test('an object of primitive properties becomes one field per property, required kept', () => {
  const schema = {
    type: 'object',
    title: 'Review',
    properties: {
      approved: { type: 'boolean', title: 'Approved' },
      score: { type: 'number', minimum: 0 },
      tags: { type: 'array', items: { type: 'string', enum: ['x', 'y'] } },
    },
    required: ['approved', 'missing_one'],
  };
  const form = formForWait(schema, 'Review it');
  assert.equal(form.mode, 'object');
  assert.deepEqual(form.requestedSchema.required, ['approved']);
  assert.deepEqual(Object.keys(form.requestedSchema.properties), ['approved', 'score', 'tags']);
  assert.deepEqual(form.requestedSchema.properties.tags, { title: 'tags', type: 'array', items: { type: 'string', enum: ['x', 'y'] } });
  assert.deepEqual(valueFromForm(form, { approved: true, score: 2 }), { approved: true, score: 2 });
});

test("pydantic's Optional[X] is X, which may be left out; a model of such fields is a form", () => {
  // zenml's get_json_schema_for_type for a pydantic model, as Kitaru stores it.
  const review = {
    properties: {
      approved: { title: 'Approved', type: 'boolean' },
      score: { default: 3, title: 'Score', type: 'integer' },
      note: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Note' },
      choice: { default: 'a', enum: ['a', 'b'], title: 'Choice', type: 'string' },
    },
    required: ['approved'],
    title: 'Review',
    type: 'object',
  };
  const form = formForWait(review, 'Review the draft');
  assert.equal(form.mode, 'object');
  assert.deepEqual(form.requestedSchema.properties.note, { title: 'Note', type: 'string' });
  assert.deepEqual(form.requestedSchema.properties.score, { title: 'Score', type: 'integer', default: 3 });
  assert.deepEqual(form.requestedSchema.required, ['approved']);
  const optional = formForWait({ anyOf: [{ type: 'integer' }, { type: 'null' }], default: null }, 'How many?');
  assert.equal(optional.mode, 'value');
  assert.equal(optional.requestedSchema.required, undefined);
  assert.equal(valueFromForm(optional, {}), null);
  assert.equal(valueFromForm(optional, { value: 4 }), 4);
});

test('anything else is asked as JSON text, parsed strictly against a schema', () => {
  const nested = { type: 'object', properties: { inner: { type: 'object', properties: { a: { type: 'string' } } } } };
  const union = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  for (const schema of [
    nested,
    { type: 'array', items: { type: 'object' } },
    union,
    { $ref: '#/$defs/X' },
    { type: 'object', additionalProperties: true },
  ]) {
    const form = formForWait(schema, 'Q?');
    assert.equal(form.mode, 'json', JSON.stringify(schema));
    assert.match(String(form.requestedSchema.properties.value?.description), /as JSON matching this schema/);
  }
  const form = formForWait(nested, 'Q?');
  assert.deepEqual(valueFromForm(form, { value: '{"inner": {"a": "b"}}' }), { inner: { a: 'b' } });
  assert.throws(() => valueFromForm(form, { value: 'not json' }), /not valid JSON .*nothing was submitted/);
  assert.throws(() => valueFromForm(form, {}), /no value; nothing was submitted/);
});

test('without a schema any answer goes: JSON as its value, other text as a string', () => {
  const form = formForWait(null, 'Anything?');
  assert.equal(form.mode, 'json');
  assert.equal(valueFromForm(form, { value: '3' }), 3);
  assert.equal(valueFromForm(form, { value: 'go ahead' }), 'go ahead');
});
