// ZenML answers are parsed by zod models that keep unknown fields: a newer
// server's additions pass through untouched, and a renamed field the mapper
// reads fails loudly at the one place the answer is parsed, naming endpoint and field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZenmlResponseShapeError } from '../../src/http/parse.ts';
import { RunModelSchema, parseOne } from '../../src/kitaru/zenml/runs.ts';

const run = { id: 'r1', name: 'run', body: { status: 'running', created: '2026-01-01T00:00:00' }, metadata: {}, resources: null };

test('unknown fields of a run are kept', () => {
  const parsed = parseOne<Record<string, unknown>>(RunModelSchema, { ...run, added_in_a_newer_server: 1 }, 'GET /api/v1/runs/{id}');
  assert.equal(parsed.added_in_a_newer_server, 1);
  assert.equal((parsed.body as { status: string }).status, 'running');
});

test('a renamed field the mapper reads fails at parse time, naming endpoint and field', () => {
  const renamed = { ...run, body: { state: 'running', created: run.body.created } };
  assert.throws(
    () => parseOne(RunModelSchema, renamed, 'GET /api/v1/runs/{id}'),
    (error: unknown) =>
      error instanceof ZenmlResponseShapeError &&
      error.endpoint === 'GET /api/v1/runs/{id}' &&
      error.field === 'body.status' &&
      error.message.includes("field 'body.status'"),
  );
});
