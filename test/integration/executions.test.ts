// Execution tools: ours against the Python kitaru-mcp on a real local server,
// on a completed, a failed and a waiting execution, error paths included; then
// an answered wait and a cancelled run, seen by both servers.
//
// Nothing is normalised: both servers read the same stored state, and the
// payloads hold no clock of their own (timestamps are the server's).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listExecutions } from '../../src/kitaru/executions.ts';
import { KitaruRuntime } from '../../src/kitaru/runtime.ts';
import { type SideBySide, openSideBySide } from '../helpers/side-by-side.ts';
import { type KitaruServer, type SeededExecutions, flowsDir, run } from '../helpers/kitaru-server.ts';
import { type McpConnection, callTool, repoRoot, venvPython } from '../helpers/mcp-clients.ts';
import { bothAnswers } from './compare-helpers.ts';

let server: KitaruServer;
let seeded: SeededExecutions;
let py: McpConnection;
let ts: McpConnection;
let env: Record<string, string>;
const children: ChildProcess[] = [];

let sides: SideBySide;

before(async () => {
  sides = await openSideBySide();
  ({ server, seeded, env, py, ts } = sides);
});

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await sides?.close();
});

async function assertSame(name: string, args: Record<string, unknown>): Promise<unknown> {
  const { python, ours } = await bothAnswers(py, ts, name, args);
  assert.deepStrictEqual(ours, python, `${name} ${JSON.stringify(args)}`);
  return python;
}

function startLifecycleFlow(mode: 'sleep' | 'wait'): ChildProcess {
  const child = spawn(venvPython, [path.join(flowsDir, 'lifecycle_flows.py'), mode], {
    cwd: flowsDir,
    env: server.env,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  children.push(child);
  return child;
}

/** Polls our list until an execution of `flow` has `status` (bounded, no timing assertion). */
async function waitForExecution(flow: string, status: string, exclude: string[] = []): Promise<string> {
  for (let i = 0; i < 240; i += 1) {
    const rows = (await callTool(ts, 'kitaru_executions_list', { flow, status })) as Array<{ exec_id: string }>;
    const row = rows.find((r) => !exclude.includes(r.exec_id));
    if (row) return row.exec_id;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no ${status} execution of ${flow} appeared`);
}

async function waitForRunningCheckpoint(execId: string): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    const execution = await callTool(ts, 'kitaru_executions_get', { exec_id: execId });
    if (execution.checkpoints.some((c: { status: string }) => c.status === 'running')) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`execution ${execId} never entered its checkpoint`);
}

describe('execution tools match the Python server', () => {
  it('lists with every filter and the same errors', async () => {
    const all = (await assertSame('kitaru_executions_list', {})) as { result: { result: unknown[] } };
    assert.equal(all.result.result.length >= 3, true);
    await assertSame('kitaru_executions_list', { status: 'waiting' });
    await assertSame('kitaru_executions_list', { status: ' FAILED ' });
    await assertSame('kitaru_executions_list', { flow: 'completed_flow' });
    await assertSame('kitaru_executions_list', { stack: 'default', limit: 2 });
    await assertSame('kitaru_executions_list', { stack: 'no-such-stack' });
    await assertSame('kitaru_executions_list', { limit: 1 });
    const badStatus = await assertSame('kitaru_executions_list', { status: 'bogus' });
    assert.match(JSON.stringify(badStatus), /Unsupported status filter 'bogus'/);
    const zero = await assertSame('kitaru_executions_list', { limit: 0 });
    assert.match(JSON.stringify(zero), /`limit` must be >= 1 when provided/);
  });

  it('gets the completed, failed and waiting executions in full', async () => {
    for (const id of [seeded.completed, seeded.failed, seeded.waiting]) {
      const got = (await assertSame('kitaru_executions_get', { exec_id: id })) as { result: Record<string, unknown> };
      assert.equal(got.result.exec_id, id);
    }
    const waiting = (await assertSame('kitaru_executions_get', { exec_id: seeded.waiting })) as { result: any };
    assert.equal(waiting.result.status, 'waiting');
    assert.equal(waiting.result.pending_wait.name, 'approve_draft');
    const failed = (await assertSame('kitaru_executions_get', { exec_id: seeded.failed })) as { result: any };
    assert.equal(failed.result.status, 'failed');
    assert.match(failed.result.failure.traceback, /boom: failing_flow exploded on purpose/);
  });

  it('names unknown ids the same way', async () => {
    const unknownUuid = await assertSame('kitaru_executions_get', { exec_id: '00000000-0000-0000-0000-000000000000' });
    assert.match(JSON.stringify(unknownUuid), /Failed to load execution '00000000-0000-0000-0000-000000000000'/);
    await assertSame('kitaru_executions_get', { exec_id: 'not-an-execution' });
    await assertSame('kitaru_executions_cancel', { exec_id: 'not-an-execution' });
    await assertSame('kitaru_executions_input', { exec_id: 'not-an-execution', wait: 'x', value: 1 });
    await assertSame('get_execution_logs', { exec_id: 'not-an-execution' });
  });

  it('finds the latest execution, and says so when there is none', async () => {
    await assertSame('kitaru_executions_latest', {});
    await assertSame('kitaru_executions_latest', { status: 'failed' });
    await assertSame('kitaru_executions_latest', { flow: 'completed_flow' });
    await assertSame('kitaru_executions_latest', { stack: 'default' });
    const none = await assertSame('kitaru_executions_latest', { flow: 'nothing', status: 'failed' });
    assert.match(JSON.stringify(none), /No executions found for flow='nothing' and status='failed'/);
    await assertSame('kitaru_executions_latest', { flow: 'nothing', stack: 'default' });
    await assertSame('kitaru_executions_latest', { status: 'bogus' });
  });

  it('renders logs the same for every source, checkpoint and limit', async () => {
    const logs = (await assertSame('get_execution_logs', { exec_id: seeded.completed })) as { result: { result: string } };
    assert.match(logs.result.result, /completed_flow: fetched topic/);
    await assertSame('get_execution_logs', { exec_id: seeded.failed, limit: 3 });
    await assertSame('get_execution_logs', { exec_id: seeded.waiting });
    await assertSame('get_execution_logs', { exec_id: seeded.completed, checkpoint: 'summarize' });
    await assertSame('get_execution_logs', { exec_id: seeded.completed, checkpoint: 'no-such-checkpoint' });
    await assertSame('get_execution_logs', { exec_id: seeded.completed, source: 'runner' });
    await assertSame('get_execution_logs', { exec_id: seeded.completed, source: 'runner', checkpoint: 'fetch' });
    await assertSame('get_execution_logs', { exec_id: seeded.completed, source: '  ' });
    await assertSame('get_execution_logs', { exec_id: seeded.completed, checkpoint: ' ' });
    await assertSame('get_execution_logs', { exec_id: seeded.completed, limit: 0 });
  });

  it('refuses bad wait input the same way, before sending anything', async () => {
    const wrongType = await assertSame('kitaru_executions_input', { exec_id: seeded.waiting, wait: 'approve_draft', value: 'yes' });
    assert.match(JSON.stringify(wrongType), /does not match the pending wait schema type/);
    const wrongName = await assertSame('kitaru_executions_input', { exec_id: seeded.waiting, wait: 'no_such_wait', value: true });
    assert.match(JSON.stringify(wrongName), /has no pending wait 'no_such_wait'/);
    await assertSame('kitaru_executions_input', { exec_id: seeded.waiting, wait: '  ', value: true });
    await assertSame('kitaru_executions_input', { exec_id: seeded.completed, wait: 'approve_draft', value: true });
    // The refused calls left the wait pending.
    const still = await callTool(ts, 'kitaru_executions_get', { exec_id: seeded.waiting });
    assert.equal(still.pending_wait?.name, 'approve_draft');
  });

  it('refuses to cancel a finished execution the same way', async () => {
    const done = await assertSame('kitaru_executions_cancel', { exec_id: seeded.completed });
    assert.match(JSON.stringify(done), /Cannot stop a run that is already completed/);
  });
});

describe('listing costs requests per page, not per execution', () => {
  it('lists every execution, waiting ones included, in two requests', async () => {
    // More paused runs: Python fetches each one's wait on its own; we must not.
    const more = await run(venvPython, [path.join(flowsDir, 'lifecycle_flows.py'), 'waits', '3'], {
      env: server.env,
      cwd: flowsDir,
      timeoutMs: 180_000,
    });
    assert.equal(more.code, 0, more.stderr.slice(-2000));
    const runtime = new KitaruRuntime({ env, cwd: repoRoot });
    const api = runtime.api();
    const before = api.stats.count;
    const rows = await listExecutions(runtime, { status: null, flow: null, stack: null, limit: null });
    const used = api.stats.count - before;
    process.stderr.write(`[executions.test] list of ${rows.length} executions used ${used} requests\n`);
    assert.equal(rows.filter((r) => r.status === 'waiting').length >= 4, true);
    // One page of runs + one listing of all pending waits, whatever the number of runs.
    assert.equal(used, 2);
    await assertSame('kitaru_executions_list', {});
    await assertSame('kitaru_executions_list', { status: 'waiting', limit: 3 });
  });
});

describe('lifecycle, end to end', () => {
  it('answers a real pending wait through our server and the execution leaves waiting', async () => {
    const earlier = ((await callTool(ts, 'kitaru_executions_list', { flow: 'waiting_flow' })) as Array<{ exec_id: string }>).map(
      (r) => r.exec_id,
    );
    startLifecycleFlow('wait');
    const id = await waitForExecution('waiting_flow', 'waiting', earlier);
    const answered = await callTool(ts, 'kitaru_executions_input', { exec_id: id, wait: 'approve_draft', value: true });
    assert.equal(answered.exec_id, id);
    assert.equal(answered.pending_wait, null);
    let status = answered.status;
    for (let i = 0; i < 240 && status !== 'completed'; i += 1) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await callTool(ts, 'kitaru_executions_get', { exec_id: id })).status;
    }
    assert.equal(status, 'completed');
    const logs = await callTool(ts, 'get_execution_logs', { exec_id: id, checkpoint: 'publish' });
    assert.match(logs, /approved=True/);
    await assertSame('kitaru_executions_get', { exec_id: id });
  });

  it('cancels a running execution; both servers see it cancelled', async () => {
    startLifecycleFlow('sleep');
    const ourTarget = await waitForExecution('sleeping_flow', 'running');
    startLifecycleFlow('sleep');
    const pythonTarget = await waitForExecution('sleeping_flow', 'running', [ourTarget]);

    // Same state for both: each run is inside its sleeping checkpoint (its orchestrator run id is set).
    for (const id of [ourTarget, pythonTarget]) await waitForRunningCheckpoint(id);

    const ours = await callTool(ts, 'kitaru_executions_cancel', { exec_id: ourTarget }).then(
      (value) => ({ value }),
      (error: Error) => ({ error: error.message }),
    );
    const python = await callTool(py, 'kitaru_executions_cancel', { exec_id: pythonTarget }).then(
      (value) => ({ value }),
      (error: Error) => ({ error: error.message }),
    );
    // The local orchestrator cannot kill a run by force: both servers mark it
    // stopping, then report the orchestrator's refusal in the same words.
    assert.deepStrictEqual(
      JSON.parse(JSON.stringify(ours).replaceAll(ourTarget, '<id>')),
      JSON.parse(JSON.stringify(python).replaceAll(pythonTarget, '<id>')),
    );
    for (const id of [ourTarget, pythonTarget]) {
      const seenByPython = await callTool(py, 'kitaru_executions_get', { exec_id: id });
      const seenByUs = await callTool(ts, 'kitaru_executions_get', { exec_id: id });
      assert.equal(seenByPython.status, 'cancelled');
      assert.deepStrictEqual(seenByUs, seenByPython);
    }
    const cancelledList = await assertSame('kitaru_executions_list', { status: 'cancelled' });
    assert.equal(JSON.stringify(cancelledList).includes(ourTarget), true);
  });
});
