import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseErrorBody } from '../../src/http/errors.ts';

test('{detail: [class, message]} keeps both parts', () => {
  const error = parseErrorBody(404, '{"detail": ["KeyError", "No run with id \'x\'"]}', 'GET', '/api/v1/runs/x');
  assert.equal(error.exceptionClass, 'KeyError');
  assert.equal(error.detail, "No run with id 'x'");
  // str(KeyError(msg)) in Python is repr(msg): double quotes when the text holds single ones.
  assert.equal(error.pythonText(), `"No run with id 'x'"`);
  assert.equal(error.isNotFound, true);
});

test('a plain string detail, FastAPI validation lists, and non-JSON bodies', () => {
  assert.equal(parseErrorBody(403, '{"detail": "Forbidden"}', 'GET', '/p').detail, 'Forbidden');
  const fastapi = parseErrorBody(422, '{"detail": [{"loc": ["query", "size"], "msg": "too big"}]}', 'GET', '/p');
  assert.equal(fastapi.detail, 'query.size: too big');
  assert.equal(parseErrorBody(502, '<html>bad gateway</html>', 'GET', '/p').detail, '<html>bad gateway</html>');
  assert.equal(parseErrorBody(500, '', 'GET', '/p').detail, 'HTTP 500');
});
