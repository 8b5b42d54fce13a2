// Execution tools beyond the case table: refused input leaves the wait alone,
// listing costs two requests whatever the number of waits, an answered wait
// and a cancelled run, seen by both servers.
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
import { type McpConnection, callTool, callToolRaw, repoRoot, venvPython } from '../helpers/mcp-clients.ts';
import { bothAnswers } from './compare-helpers.ts';

let server: KitaruServer;
let seeded: SeededExecutions;
let py: McpConnection;
let ts: McpConnection;
let env: Record<string, string>;
const children: ChildProcess[] = [];

let sides: SideBySide;

before(async () => {
  // Its own server: the request-count check needs a run listing that fits one page
  // (other files add thousands of runs to the shared server), and the answered
  // wait's step logs were missing on the shared server in full runs.
  sides = await openSideBySide({ own: true, seed: true });
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
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`no ${status} execution of ${flow} appeared`);
}

async function waitForRunningCheckpoint(execId: string): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    const execution = await callTool(ts, 'kitaru_executions_get', { exec_id: execId });
    if (execution.checkpoints.some((c: { status: string }) => c.status === 'running')) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`execution ${execId} never entered its checkpoint`);
}

// The read-only comparisons (list, get, latest, logs, refusals) live in the
// conformance case table (test/conformance/cases.ts), run in its fast subset.
describe('refused wait input', () => {
  it('leaves the wait pending', async () => {
    for (const args of [
      { exec_id: seeded.waiting, wait: 'approve_draft', value: 'yes' },
      { exec_id: seeded.waiting, wait: 'no_such_wait', value: true },
    ]) {
      const refused = await callToolRaw(ts, 'kitaru_executions_input', args);
      assert.equal(refused.isError, true, refused.text);
    }
    const still = await callTool(ts, 'kitaru_executions_get', { exec_id: seeded.waiting });
    assert.equal(still.pending_wait?.name, 'approve_draft');
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
      await new Promise((r) => setTimeout(r, 1000));
      status = (await callTool(ts, 'kitaru_executions_get', { exec_id: id })).status;
    }
    assert.equal(status, 'completed');
    // The runner uploads a step's logs as it ends, so they may trail the run's
    // status by a moment on a busy machine: read again, a bounded number of times.
    let logs = '';
    for (let i = 0; i < 30 && !/approved=True/.test(logs); i += 1) {
      if (i > 0) await new Promise((r) => setTimeout(r, 1000));
      logs = await callTool(ts, 'get_execution_logs', { exec_id: id, checkpoint: 'publish' });
    }
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
