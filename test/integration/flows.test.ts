// Run, replay and resume through our server on a real local Kitaru server: what
// is not a comparison with Python's kitaru-mcp (those are the `flows` cases of
// the conformance table, test/conformance/cases-flows.ts, run here first on this
// file's server): a flow flooding stdout, replay with an override, what Python
// cannot replay, resume after input, and the bounded hand-off of a long call.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { casesIn } from '../conformance/cases.ts';
import { assertCasesMatchPython } from '../conformance/fast-cases.ts';
import { type Fixture, openFixture } from '../conformance/fixtures.ts';
import { callToolRaw, connectStdio, type McpConnection, ourServerArgs } from '../helpers/mcp-clients.ts';

const WAITING = 'test/flows/waiting_flow.py:waiting_flow';
const PRINTING = 'test/flows/printing_flow.py:printing_flow';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

interface Outcome {
  isError: boolean;
  text: string;
  payload: any;
}

async function call(conn: McpConnection, name: string, args: Record<string, unknown>, onprogress?: (p: unknown) => void): Promise<Outcome> {
  const { isError, text, structured } = await callToolRaw(conn, name, args, onprogress ? { onprogress } : {});
  return { isError, text, payload: structured };
}

async function ok(conn: McpConnection, name: string, args: Record<string, unknown>): Promise<any> {
  const outcome = await call(conn, name, args);
  assert.equal(outcome.isError, false, `${name} failed: ${outcome.text}`);
  return outcome.payload;
}

// Ours waits for a flow to end as Python does here (KITARU_MCP_CALL_BOUND_SECONDS=600);
// the hand-off past the bound is tested under 'long calls'.
let fixture: Fixture;
let ours: McpConnection;
let python: McpConnection;

before(async () => {
  fixture = await openFixture('flows');
  ({ python, ours } = fixture.connections);
});

after(async () => {
  await fixture?.close();
});

test('the flows cases answer exactly like the Python kitaru-mcp', async (t) => {
  await assertCasesMatchPython(t, casesIn('flows'), fixture.connections, fixture.ctx, { context: 'flows', knownIds: fixture.knownIds });
});

/** The completed execution our server ran in the flows cases. */
const ourCompletedRun = () => {
  const id = fixture.ctx.created.ts.completed;
  assert.ok(id, "the flows cases' completed run (ours) is missing");
  return id;
};

describe('kitaru_executions_run', () => {
  test('a flow that floods stdout does not corrupt the protocol', async () => {
    const result = await ok(ours, 'kitaru_executions_run', { target: PRINTING, args: { lines: 2000 } });
    assert.equal(result.execution.status, 'completed');
    // The connection still works afterwards, and nothing the flow printed reached us.
    const again = await call(ours, 'kitaru_executions_run', { target: 'no-colon' });
    assert.equal(again.isError, true);
    assert.doesNotMatch(ours.stderr(), /printing_flow: stdout line/);
  });
});

describe('replay and resume', () => {
  test('replay from a checkpoint with an override', async () => {
    const result = await ok(ours, 'kitaru_executions_replay', {
      exec_id: ourCompletedRun(),
      from_: 'summarize',
      overrides: { 'checkpoint.fetch': { topic: 'overridden', items: [1] } },
    });
    assert.equal(result.available, true);
    assert.equal(result.operation, 'replay');
    assert.notEqual(result.execution.exec_id, ourCompletedRun());
    assert.equal(result.execution.status, 'completed');
  });

  test('replay of a run started by another process fails as in Python', async () => {
    // Python's kitaru-mcp cannot import a flow file another process loaded; neither do we.
    const theirs = await call(python, 'kitaru_executions_replay', { exec_id: ourCompletedRun(), from_: 'fetch' });
    assert.equal(theirs.isError, true);
    assert.match(theirs.text, /Failed to import replay source module '_kitaru_mcp_run_target_/);
  });

  test('resume a waiting execution after input', async () => {
    const waiting = await ok(ours, 'kitaru_executions_run', { target: WAITING, args: { topic: 'resume' } });
    const execId = waiting.exec_id;
    assert.equal(waiting.execution.status, 'waiting');

    const early = await call(ours, 'kitaru_executions_resume', { exec_id: execId });
    assert.equal(early.isError, true);
    assert.match(early.text, /Resolve pending wait input before resuming execution/);

    await ok(python, 'kitaru_executions_input', { exec_id: execId, wait: 'approve_draft', value: true });
    const resumed = await ok(ours, 'kitaru_executions_resume', { exec_id: execId });
    assert.equal(resumed.exec_id, execId);
    assert.equal(resumed.status, 'completed');
    assert.equal(resumed.pending_wait, null);

    const again = await call(ours, 'kitaru_executions_resume', { exec_id: execId });
    assert.equal(again.isError, true);
    assert.match(again.text, /Only paused executions can be resumed/);
  });
});

describe('long calls', () => {
  test('past the bound the call returns the execution id and its state, with progress on the way', async () => {
    const env = { ...fixture.env, KITARU_MCP_CALL_BOUND_SECONDS: '3' };
    const short = await connectStdio(process.execPath, ourServerArgs(), env);
    try {
      const progress: any[] = [];
      // A long wait timeout keeps the flow blocked inside the helper, polling for input.
      const outcome = await call(short, 'kitaru_executions_run', { target: WAITING, args: { topic: 'long', wait_timeout: 600 } }, (p) =>
        progress.push(p),
      );
      assert.equal(outcome.isError, false, outcome.text);
      const payload = outcome.payload;
      assert.match(payload.exec_id, UUID);
      assert.equal(payload.target, WAITING);
      assert.match(payload.warning, /still running after 3 s/);
      assert.equal(payload.execution?.exec_id, payload.exec_id, JSON.stringify(payload).slice(0, 500));
      assert.ok(['running', 'waiting'].includes(payload.execution.status), payload.execution.status);
      assert.ok(progress.length > 0, 'no progress notifications');
      assert.ok(progress.every((p, i) => i === 0 || p.progress >= progress[i - 1].progress));
    } finally {
      // Closing our server kills the helper still driving the flow.
      await short.close();
    }
  });
});
