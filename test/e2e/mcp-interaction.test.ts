// Beyond Python's tools, end to end (the session: extras-harness.ts, on the
// shared server: useSharedServer() there): asking the user through
// elicitation (accept, decline, cancel, no elicitation), and watching real
// running flows to their end.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { flowsDir, run, venvPython } from '../helpers/kitaru-server.ts';
import {
  answers,
  asked,
  asking,
  call,
  exited,
  fx,
  idsOf,
  newExecution,
  ok,
  plain,
  startFlow,
  useExtrasSession,
  watchToEnd,
} from './extras-harness.ts';

useExtrasSession();

describe('kitaru_executions_ask', () => {
  test('without elicitation: the question, the schema and what to do, never a value', async () => {
    const result = await ok(plain, 'kitaru_executions_ask', { exec_id: fx.seeded.waiting });
    assert.equal(result.outcome, 'not_asked');
    assert.equal(result.submitted, false);
    assert.equal(result.wait.name, 'approve_draft');
    assert.equal(result.wait.question, 'Publish the draft?');
    assert.equal(result.wait.schema.type, 'boolean');
    assert.equal(result.value, null);
    assert.match(
      result.message,
      new RegExp(`kitaru_executions_input\\(exec_id="${fx.seeded.waiting}", wait="approve_draft", value=<their answer>\\)`),
    );
    assert.match(result.message, /Never guess/);
    assert.equal(result.execution.status, 'waiting');
  });

  for (const action of ['decline', 'cancel'] as const) {
    test(`a user who chooses ${action}: nothing is submitted, and the result says so`, async () => {
      const before = await ok(plain, 'kitaru_executions_get', { exec_id: fx.seeded.waiting });
      const seen = asked.length;
      answers.push({ action });
      const result = await ok(asking, 'kitaru_executions_ask', { exec_id: fx.seeded.waiting, wait: 'approve_draft' });
      assert.equal(asked.length, seen + 1);
      const request = asked.at(-1)!.params as { message: string; requestedSchema: { properties: Record<string, { type: string }> } };
      assert.match(request.message, /^Publish the draft\?/);
      assert.equal(request.requestedSchema.properties.value?.type, 'boolean');
      assert.equal(result.outcome, action === 'decline' ? 'declined' : 'cancelled');
      assert.equal(result.submitted, false);
      assert.match(result.message, /nothing was submitted/);
      const after = await ok(plain, 'kitaru_executions_get', { exec_id: fx.seeded.waiting });
      assert.equal(after.pending_wait.wait_id, before.pending_wait.wait_id, 'the wait is still pending');
    });
  }

  test('a user who answers: the value reaches the real wait, the execution leaves waiting and is watched to its end', async () => {
    const earlier = await idsOf('waiting_flow');
    const runner = startFlow('lifecycle_flows.py', ['wait']);
    const id = await newExecution('waiting_flow', 'waiting', earlier);
    answers.push({ action: 'accept', content: { value: true } });
    const result = await ok(asking, 'kitaru_executions_ask', { exec_id: id });
    assert.equal(result.outcome, 'submitted');
    assert.equal(result.submitted, true);
    assert.equal(result.value, true);
    assert.equal(result.form, 'value');
    assert.equal(result.execution.pending_wait, null);
    const progress: Progress[] = [];
    const watched = await watchToEnd(id, progress);
    assert.equal(watched.reason, 'finished');
    assert.equal(watched.execution.status, 'completed');
    await exited(runner);
    // The flow got the answer: publish() returns "published: ..." only when approved (logs may arrive later).
    const publish = watched.execution.checkpoints.find((c: { name: string }) => c.name === 'publish');
    const output = publish.artifacts.find((a: { direction?: string }) => a.direction !== 'input');
    assert.equal((await ok(plain, 'kitaru_artifacts_get', { artifact_id: output.artifact_id })).value, 'published: Draft about kitaru');
  });
});

describe('kitaru_executions_ask with a pydantic model', () => {
  test('asks one field per property, submits the object, and says how the paused run continues', async () => {
    // Run it to the end of its process: the run is then paused, with nothing left to continue it.
    const ran = await run(venvPython, [path.join(flowsDir, 'review_flow.py')], { env: fx.server.env, cwd: flowsDir, timeoutMs: 300_000 });
    const id = /^EXEC_ID (\S+)$/m.exec(ran.stdout)?.[1];
    assert.ok(id, `review_flow.py printed no id (exit ${ran.code}): ${ran.stderr.slice(-1000)}`);
    const seen = asked.length;
    answers.push({ action: 'accept', content: { approved: true, score: 5 } });
    const result = await ok(asking, 'kitaru_executions_ask', { exec_id: id, wait: 'review' });
    const request = asked[seen]!.params as {
      message: string;
      requestedSchema: { properties: Record<string, unknown>; required?: string[] };
    };
    assert.match(request.message, /^Review the draft/);
    assert.deepEqual(Object.keys(request.requestedSchema.properties), ['approved', 'score', 'note']);
    assert.deepEqual(request.requestedSchema.required, ['approved']);
    assert.equal(result.form, 'object');
    assert.equal(result.outcome, 'submitted');
    assert.deepEqual(result.value, { approved: true, score: 5 });
    assert.equal(result.execution.pending_wait, null);
    // Nothing runs a paused local execution on: the result says how to continue it.
    assert.equal(result.execution.status, 'waiting');
    assert.match(result.message, new RegExp(`kitaru_executions_resume\\(exec_id="${id}"\\)`));
  });
});

describe('kitaru_executions_watch', () => {
  test('follows a real running flow to its end, sending progress while it waits', async () => {
    const earlier = await idsOf('watch_flow');
    startFlow('watch_flow.py', []);
    const id = await newExecution('watch_flow', 'running', earlier);
    const progress: Progress[] = [];
    const first = await ok(plain, 'kitaru_executions_watch', { exec_id: id }, (p) => progress.push(p));
    assert.equal(first.initial_status, 'running');
    const watched = first.reason === 'timeout' ? await watchToEnd(id, progress) : first;
    assert.equal(watched.reason, 'finished');
    assert.equal(watched.execution.exec_id, id);
    assert.equal(watched.execution.status, 'completed');
    assert.equal(watched.execution.checkpoints.length, 2);
    assert.ok(progress.length >= 1, 'progress was reported while the flow ran');
    for (let i = 1; i < progress.length; i += 1) assert.ok(progress[i]!.progress > progress[i - 1]!.progress, 'progress increases');
    assert.ok(progress.every((p) => /is (running|completed)/.test(p.message ?? '')));
  });

  test('returns at once for a finished execution or one stopped at a wait; "change" waits for a change', async () => {
    const progress: Progress[] = [];
    const done = await ok(plain, 'kitaru_executions_watch', { exec_id: fx.seeded.completed }, (p) => progress.push(p));
    assert.equal(done.reason, 'finished');
    assert.equal(done.execution.status, 'completed');
    const waiting = await ok(plain, 'kitaru_executions_watch', { exec_id: fx.seeded.waiting }, (p) => progress.push(p));
    assert.equal(waiting.reason, 'waiting');
    assert.equal(progress.length, 0, 'no waiting, no progress');
    const unchanged = await ok(plain, 'kitaru_executions_watch', { exec_id: fx.seeded.waiting, until: 'change', timeout_seconds: 2 }, (p) =>
      progress.push(p),
    );
    assert.equal(unchanged.reason, 'timeout');
    assert.equal(unchanged.execution.status, 'waiting');
    assert.ok(progress.length >= 1);
  });

  test('the bound stays under the 60 s a client gives a request', async () => {
    const result = await call(plain, 'kitaru_executions_watch', { exec_id: fx.seeded.completed, timeout_seconds: 90 });
    assert.equal(result.isError, true);
    assert.match(result.content[0]!.text, /`timeout_seconds` must be an integer from 1 to 55/);
    const bad = await call(plain, 'kitaru_executions_watch', { exec_id: fx.seeded.completed, until: 'forever' });
    assert.match(bad.content[0]!.text, /until\n {2}Input should be 'finish' or 'change'/);
  });
});
