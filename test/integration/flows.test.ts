// Run, replay, retry, resume and deploy through our server and Python's
// kitaru-mcp, against one real local Kitaru server, comparing payloads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startKitaruServer, type KitaruServer } from '../helpers/kitaru-server.ts';
import { callToolRaw, connectPython, connectStdio, venvPython, type McpConnection } from '../helpers/mcp-clients.ts';

const COMPLETED = 'test/flows/completed_flow.py:completed_flow';
const FAILING = 'test/flows/failing_flow.py:failing_flow';
const WAITING = 'test/flows/waiting_flow.py:waiting_flow';
const PRINTING = 'test/flows/printing_flow.py:printing_flow';

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

// Volatile values only: ids the server mints per run (executions, steps,
// artifacts, snapshots), wall-clock timestamps and durations derived from
// them, and the order of artifact lists (artifacts saved within one checkpoint
// come back in creation order, which two independent runs need not share).
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?/g;
function normalise(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UUID, '<uuid>').replace(TIMESTAMP, '<time>');
  if (Array.isArray(value)) {
    const items = value.map(normalise);
    const isArtifactList = items.every((i) => i !== null && typeof i === 'object' && 'artifact_id' in (i as object));
    const key = (i: any) => `${i.producing_call}\u0000${i.name}`;
    return isArtifactList ? [...items].sort((a: any, b: any) => key(a).localeCompare(key(b))) : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = /duration/.test(k) && typeof v === 'number' ? '<duration>' : normalise(v);
    }
    return out;
  }
  return value;
}

let server: KitaruServer;
let ours: McpConnection;
let python: McpConnection;

before(async () => {
  server = await startKitaruServer();
  // Python runs a flow to its end within the call; ours hands off after the call bound
  // (tested under 'long calls'). Comparisons must not depend on how loaded the machine is.
  const env = { ...server.env, KITARU_PYTHON: venvPython, KITARU_MCP_CALL_BOUND_SECONDS: '600' };
  [ours, python] = await Promise.all([connectStdio(process.execPath, ['--import', 'tsx', 'src/main.ts'], env), connectPython(server)]);
});

after(async () => {
  await Promise.all([ours?.close(), python?.close()]);
  await server?.stop();
});

describe('kitaru_executions_run', () => {
  test('a completed flow: same payload as Python', async () => {
    const [mine, theirs] = await Promise.all([
      ok(ours, 'kitaru_executions_run', { target: COMPLETED, args: { topic: 'compare' } }),
      ok(python, 'kitaru_executions_run', { target: COMPLETED, args: { topic: 'compare' } }),
    ]);
    assert.equal(mine.execution.status, 'completed');
    assert.equal(mine.exec_id, mine.execution.exec_id);
    assert.deepEqual(normalise(mine), normalise(theirs));
  });

  test('a failing flow: same error as Python', async () => {
    const [mine, theirs] = await Promise.all([
      call(ours, 'kitaru_executions_run', { target: FAILING }),
      call(python, 'kitaru_executions_run', { target: FAILING }),
    ]);
    assert.equal(mine.isError, true);
    assert.equal(normalise(mine.text), normalise(theirs.text));
    assert.match(mine.text, /boom: failing_flow exploded on purpose/);
  });

  test('a waiting flow: same payload as Python, status waiting', async () => {
    const [mine, theirs] = await Promise.all([
      ok(ours, 'kitaru_executions_run', { target: WAITING, args: { topic: 'wait' } }),
      ok(python, 'kitaru_executions_run', { target: WAITING, args: { topic: 'wait' } }),
    ]);
    assert.equal(mine.execution.status, 'waiting');
    assert.equal(mine.execution.pending_wait?.name, 'approve_draft');
    assert.deepEqual(normalise(mine), normalise(theirs));
  });

  test('bad targets and args: Python messages', async () => {
    for (const args of [
      { target: 'no-colon' },
      { target: 'test/flows/missing.py:flow' },
      { target: 'test/flows/completed_flow.py:nope' },
      { target: 'test/flows/completed_flow.py:LOG_LINE' },
    ]) {
      const [mine, theirs] = await Promise.all([call(ours, 'kitaru_executions_run', args), call(python, 'kitaru_executions_run', args)]);
      assert.equal(mine.isError, true, JSON.stringify(args));
      assert.equal(mine.text, theirs.text);
    }
  });

  test('a flow that floods stdout does not corrupt the protocol', async () => {
    const result = await ok(ours, 'kitaru_executions_run', { target: PRINTING, args: { lines: 2000 } });
    assert.equal(result.execution.status, 'completed');
    // The connection still works afterwards, and nothing the flow printed reached us.
    const again = await call(ours, 'kitaru_executions_run', { target: 'no-colon' });
    assert.equal(again.isError, true);
    assert.doesNotMatch(ours.stderr(), /printing_flow: stdout line/);
  });
});

describe('replay, retry, resume', () => {
  let completed: string;
  let completedByPython: string;
  let failedByUs: string;
  let failedByPython: string;

  // Each server retries a run it started itself: Python's kitaru-mcp can only
  // re-import a flow file it loaded in its own process.
  const failOnce = async (conn: McpConnection): Promise<string> => {
    const failure = await call(conn, 'kitaru_executions_run', { target: FAILING });
    assert.equal(failure.isError, true);
    return (await ok(python, 'kitaru_executions_latest', { flow: 'failing_flow', status: 'failed' })).exec_id;
  };

  before(async () => {
    [completed, completedByPython] = await Promise.all(
      [ours, python].map(
        async (conn) => (await ok(conn, 'kitaru_executions_run', { target: COMPLETED, args: { topic: 'source' } })).exec_id,
      ),
    );
    failedByUs = await failOnce(ours);
    failedByPython = await failOnce(python);
  });

  test('replay from a checkpoint with an override', async () => {
    const result = await ok(ours, 'kitaru_executions_replay', {
      exec_id: completed,
      from_: 'summarize',
      overrides: { 'checkpoint.fetch': { topic: 'overridden', items: [1] } },
    });
    assert.equal(result.available, true);
    assert.equal(result.operation, 'replay');
    assert.notEqual(result.execution.exec_id, completed);
    assert.equal(result.execution.status, 'completed');
  });

  test('replay with new flow inputs: same payload as Python', async () => {
    const args = { from_: 'fetch', flow_inputs: { topic: 'fresh' } };
    const [mine, theirs] = await Promise.all([
      ok(ours, 'kitaru_executions_replay', { exec_id: completed, ...args }),
      ok(python, 'kitaru_executions_replay', { exec_id: completedByPython, ...args }),
    ]);
    assert.equal(mine.execution.status, 'completed');
    assert.notEqual(mine.execution.exec_id, completed);
    assert.deepEqual(normalise(mine), normalise(theirs));
  });

  test('replay of a run started by another process fails as in Python', async () => {
    // Python's kitaru-mcp cannot import a flow file another process loaded; neither do we.
    const theirs = await call(python, 'kitaru_executions_replay', { exec_id: completed, from_: 'fetch' });
    assert.equal(theirs.isError, true);
    assert.match(theirs.text, /Failed to import replay source module '_kitaru_mcp_run_target_/);
  });

  test('replay refuses wait.* overrides and unknown checkpoints with Python messages', async () => {
    for (const args of [
      { from_: 'fetch', overrides: { 'wait.approve': true } },
      { from_: 'no_such_checkpoint' },
      { from_: 'fetch', overrides: { other: 1 } },
      { from_: '  ' },
    ]) {
      const [mine, theirs] = await Promise.all([
        call(ours, 'kitaru_executions_replay', { exec_id: completed, ...args }),
        call(python, 'kitaru_executions_replay', { exec_id: completedByPython, ...args }),
      ]);
      assert.equal(mine.isError, true);
      assert.equal(normalise(mine.text), normalise(theirs.text));
      assert.doesNotMatch(mine.text, /Failed to import/);
    }
  });

  test('retry refuses a completed execution and retries the failed one', async () => {
    const refused = await Promise.all([
      call(ours, 'kitaru_executions_retry', { exec_id: completed }),
      call(python, 'kitaru_executions_retry', { exec_id: completed }),
    ]);
    assert.equal(refused[0].isError, true);
    assert.equal(refused[0].text, refused[1].text);
    assert.match(refused[0].text, /Only failed executions can be retried/);

    const [mine, theirs] = await Promise.all([
      call(ours, 'kitaru_executions_retry', { exec_id: failedByUs }),
      call(python, 'kitaru_executions_retry', { exec_id: failedByPython }),
    ]);
    // The flow fails on purpose every time, so the retried run fails again.
    assert.equal(mine.isError, theirs.isError);
    if (mine.isError) assert.equal(normalise(mine.text), normalise(theirs.text));
    else {
      assert.equal(mine.payload.exec_id, failedByUs);
      assert.deepEqual(normalise(mine.payload), normalise(theirs.payload));
    }
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

describe('kitaru_deployments_deploy', () => {
  // Deploying needs a stack the server can execute remotely (no local
  // components); the test server only has the local default stack, so Kitaru
  // refuses. Versioning and the first-deploy `default` tag are Kitaru's own
  // flow.deploy(), which the helper calls unchanged.
  test('on the local stack: the same refusal as Python', async () => {
    const args = { target: COMPLETED, inputs: { topic: 'deployed' } };
    const [mine, theirs] = await Promise.all([
      call(ours, 'kitaru_deployments_deploy', args),
      call(python, 'kitaru_deployments_deploy', args),
    ]);
    assert.equal(mine.isError, true);
    assert.match(mine.text, /cannot be deployed with stack 'default' because that stack is not one the Kitaru server can execute remotely/);
    assert.equal(mine.text, theirs.text);
  });

  test('validation happens before the target is loaded, with Python messages', async () => {
    for (const args of [
      { target: 'no-colon', tag: '  ' },
      { target: COMPLETED, inputs: { stack: 'x', cache: true } },
      { target: COMPLETED, image: { no_such_field: 1 } },
      { target: COMPLETED, tag: 'kitaru:deployment:x' },
    ]) {
      const [mine, theirs] = await Promise.all([
        call(ours, 'kitaru_deployments_deploy', args),
        call(python, 'kitaru_deployments_deploy', args),
      ]);
      assert.equal(mine.isError, true, JSON.stringify(args));
      assert.equal(mine.text, theirs.text);
    }
  });
});

describe('long calls', () => {
  test('past the bound the call returns the execution id and its state, with progress on the way', async () => {
    const env = { ...server.env, KITARU_PYTHON: venvPython, KITARU_MCP_CALL_BOUND_SECONDS: '3' };
    const short = await connectStdio(process.execPath, ['--import', 'tsx', 'src/main.ts'], env);
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
