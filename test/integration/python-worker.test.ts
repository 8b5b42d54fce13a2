// The warm Python worker through our MCP server, on a real Kitaru server: a
// flow that prints and exits abruptly, calls that do not queue behind a long
// flow, and a client that leaves mid-flow (no process left, no execution left
// running).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';
import { callToolRaw, connectOurs, type McpConnection } from '../helpers/mcp-clients.ts';
import { alive, descendants } from '../helpers/processes.ts';

const SLOW = 'test/flows/slow_flow.py:slow_flow';
const EXITING = 'test/flows/exiting_flow.py:exiting_flow';
const COMPLETED = 'test/flows/completed_flow.py:completed_flow';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The shared server: nothing here reads the seeded executions, and what the
// runs here add (completed_flow, exiting_flow and slow_flow runs) no file after
// this one reads: in scripts/test.sh it runs in the second half of the shared
// lane, where only stack-races (stacks, no executions) comes after it. That
// saves a server start.
let fx: SharedServer;
let server: SharedServer['server'];
const open: McpConnection[] = [];

before(async () => {
  fx = await useSharedServer();
  server = fx.server;
});

after(async () => {
  await Promise.allSettled(open.map((c) => c.close()));
  await fx?.release();
});

async function connect(extra: Record<string, string> = {}): Promise<McpConnection> {
  const conn = await connectOurs(server, { KITARU_MCP_CALL_BOUND_SECONDS: '600', ...extra });
  open.push(conn);
  return conn;
}

/** The one tool-call helper, with a bound long enough for a flow on a loaded machine. */
const call = (conn: McpConnection, name: string, args: Record<string, unknown>) => callToolRaw(conn, name, args, { timeoutMs: 600_000 });

describe('the warm worker', () => {
  // One connection for the first two tests and the check after the third: a
  // worker start is about 4 s of CPU, and what each test needs of it is that it
  // answers (the first test has just shown it recovers from a dead process).
  let shared: McpConnection;
  const sharedConnection = async () => (shared ??= await connect());

  test('a flow that prints and exits its process abruptly: a clear error, stdout clean, the next call works', async () => {
    const conn = await sharedConnection();
    const outcome = await call(conn, 'kitaru_executions_run', { target: EXITING, args: { code: 7 } });
    assert.equal(outcome.isError, true);
    assert.match(outcome.text, /exited with 7 without a result/);
    assert.match(outcome.text, /last words on stderr/);
    assert.doesNotMatch(outcome.text, /"fake"/);
    const next = await call(conn, 'kitaru_executions_run', { target: COMPLETED, args: { topic: 'after-exit' } });
    assert.equal(next.isError, false, next.text);
    assert.equal(next.structured.execution.status, 'completed');
  });

  test('calls do not queue: a second run finishes while a 30 s flow is still running', async () => {
    const conn = await sharedConnection();
    let longDone = false;
    const long = call(conn, 'kitaru_executions_run', { target: SLOW, args: { seconds: 30 } }).then((r) => {
      longDone = true;
      return r;
    });
    await sleep(1000);
    const quick = await call(conn, 'kitaru_executions_run', { target: COMPLETED, args: { topic: 'concurrent' } });
    assert.equal(quick.isError, false, quick.text);
    assert.equal(longDone, false, 'the quick run returned while the long one was still running');
    const slow = await long;
    assert.equal(slow.isError, false, slow.text);
    assert.equal(slow.structured.execution.status, 'completed');
  });

  test('the client leaves mid-flow: no process is left and the execution is marked stopped', async () => {
    const conn = await connect();
    const transport = (conn.client as any).transport;
    const serverPid: number = transport.pid;
    const pending = call(conn, 'kitaru_executions_run', { target: SLOW, args: { seconds: 120 } }).catch(() => null);
    // Wait until the flow's own subprocess (sleep 600) exists under our server.
    let tree: { pid: number; cmd: string }[] = [];
    for (let i = 0; i < 600 && !tree.some((p) => p.cmd.startsWith('sleep 600')); i += 1) {
      await sleep(200);
      tree = descendants(serverPid);
    }
    assert.ok(
      tree.some((p) => p.cmd.startsWith('sleep 600')),
      `the flow subprocess never appeared: ${JSON.stringify(tree)}`,
    );
    assert.ok(tree.length >= 3, 'worker, call child and the flow subprocess');
    // Stdin EOF, nothing else: what a client that goes away does.
    transport._process.stdin.end();
    let left = tree.filter((p) => alive(p.pid));
    for (let i = 0; i < 150 && (left.length > 0 || alive(serverPid)); i += 1) {
      await sleep(200);
      left = tree.filter((p) => alive(p.pid));
    }
    assert.equal(alive(serverPid), false, 'our server exited');
    assert.deepEqual(left, [], 'no process of the tree is left');
    await pending;

    const check = await sharedConnection();
    const runs = await call(check, 'kitaru_executions_list', { flow: 'slow_flow', limit: 5 });
    assert.equal(runs.isError, false, runs.text);
    const items = (runs.structured.result ?? runs.structured) as { exec_id: string; status: string }[];
    const newest = items[0]!;
    assert.notEqual(newest.status, 'running', `execution ${newest.exec_id} is left ${newest.status}`);
    assert.equal(newest.status, 'cancelled');
  });
});
