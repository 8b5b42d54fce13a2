// The output-schema check every test call to our server goes through
// (test/helpers/output-check.ts) accepts what the declarations say and
// rejects what they do not: it can fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertOutputMatches } from '../helpers/output-check.ts';

const summary = {
  exec_id: 'e1',
  flow_id: null,
  flow_name: 'f',
  status: 'completed',
  started_at: null,
  ended_at: null,
  stack_name: 'default',
  status_reason: null,
  pending_wait: null,
  failure: null,
  metadata: {},
  checkpoint_count: 0,
  artifact_count: 0,
};

test('a payload as declared passes; lists travel as {result: [...]}', () => {
  assertOutputMatches('kitaru_executions_list', { result: [summary] });
  assertOutputMatches('kitaru_stacks_list', { result: [{ id: 'x', name: 'default', is_active: true, is_managed: false }] });
  assertOutputMatches('get_execution_logs', { result: 'some log text' });
});

test('a missing key, an extra key on a strict shape, or a wrong type fails, naming the path', () => {
  const { artifact_count: _, ...missing } = summary;
  assert.throws(() => assertOutputMatches('kitaru_executions_list', { result: [missing] }), /0\.artifact_count/);
  assert.throws(() => assertOutputMatches('kitaru_executions_list', { result: [{ ...summary, surprise: 1 }] }), /kitaru_executions_list/);
  assert.throws(
    () => assertOutputMatches('kitaru_stacks_list', { result: [{ id: 'x', name: 'default', is_active: 'yes', is_managed: false }] }),
    /0\.is_active/,
  );
  assert.throws(() => assertOutputMatches('kitaru_executions_get', { exec_id: 'e1' }), /does not match its declared output schema/);
});
