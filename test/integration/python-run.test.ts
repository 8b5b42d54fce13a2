// The Python bridge: one warm worker, a child per call on a private channel
// (fd 3) that user output cannot reach, Python exceptions kept apart from
// bridge failures, concurrency, cancellation, death, and no process left.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  PythonBridgeError,
  PythonHelperError,
  bridgeState,
  runHelper,
  startHelper,
  stopAllWorkers,
  workerHello,
  workersExited,
  type PythonTarget,
} from '../../src/python/run.ts';
import { alive } from '../helpers/processes.ts';

// Any Python 3 will do: these programs import nothing from Kitaru.
const python = path.resolve('.venv-ref/bin/python');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TESTING = `
import os, sys, time

def echo(args, ctx):
    for i in range(5000):
        print('{"jsonrpc": "2.0", "noise": %d}' % i)
        print("stderr noise", file=sys.stderr)
    return {"echo": args, "n": 1, "pid": os.getpid()}

def raise_state(args, ctx):
    class KitaruStateError(RuntimeError):
        pass
    raise KitaruStateError("Only failed executions can be retried.")

def crash(args, ctx):
    sys.stderr.write("last words\\n"); sys.stderr.flush()
    print("fake result on stdout")
    os._exit(3)

def slow(args, ctx):
    import subprocess
    child = subprocess.Popen(["sleep", "300"])
    ctx.announce(args.get("exec_id", ""))
    ctx.publish(grandchild=child.pid)
    time.sleep(args["seconds"])
    return "slept"

def pids(args, ctx):
    return {"pid": os.getpid(), "ppid": os.getppid(), "seed": os.environ.get("PYTHONHASHSEED")}
`;

const target: PythonTarget = { python, env: { ...process.env }, cwd: process.cwd(), key: 'test', extraModules: { testing: TESTING } };

async function gone(pid: number, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (!alive(pid)) return true;
  return !alive(pid);
}

/** The pid of the subprocess the slow helper started, once it says so. */
async function published(handle: { events(): Record<string, unknown> }): Promise<number> {
  for (let i = 0; i < 600; i += 1) {
    const pid = handle.events().grandchild;
    if (typeof pid === 'number') return pid;
    await sleep(100);
  }
  throw new Error('the helper never published its subprocess');
}

after(() => stopAllWorkers());

test('returns what the helper returned, whatever it prints; calls share one worker', async () => {
  const hello = await workerHello(target);
  assert.equal(hello.kitaru_version, '0.15.0');
  const first = await runHelper<any>(target, 'testing.echo', { a: [1, 'x'] }, { cold: true });
  assert.deepEqual(first.echo, { a: [1, 'x'] });
  const second = await runHelper<any>(target, 'testing.pids', {}, { cold: true });
  // A fresh child per call, forked from the one worker.
  assert.equal(second.ppid, hello.pid);
  assert.notEqual(second.pid, first.pid);
  assert.equal(bridgeState().workers.length, 1);
});

test('another connection: an idle worker forgets the old one in place; a busy one is replaced', async () => {
  const { pid } = await workerHello(target);
  const elsewhere: PythonTarget = { ...target, key: 'test-elsewhere' };
  const moved = await runHelper<any>(elsewhere, 'testing.pids', {}, { cold: true });
  assert.equal(moved.ppid, pid, 'the idle worker serves the new connection');
  // With a call running, the worker keeps its connection for that call
  // (whatever it leaves behind must reach its own server): a new one starts.
  const controller = new AbortController();
  const long = startHelper<string>(elsewhere, 'testing.slow', { seconds: 60 }, { cold: true, signal: controller.signal });
  await published(long);
  const replaced = await runHelper<any>({ ...target, key: 'test-third' }, 'testing.pids', {}, { cold: true });
  assert.notEqual(replaced.ppid, pid, 'a busy worker is replaced');
  controller.abort();
  await assert.rejects(long.result, /cancelled/);
  assert.ok(await gone(pid), 'the replaced worker ends once its call is done');
});

test('Python exceptions arrive as PythonHelperError with type, mro and message', async () => {
  await assert.rejects(runHelper(target, 'testing.raise_state', {}, { cold: true }), (error: unknown) => {
    assert.ok(error instanceof PythonHelperError);
    assert.equal(error.failure.type, 'KitaruStateError');
    assert.ok(error.failure.mro.includes('RuntimeError'));
    assert.equal(error.message, 'Only failed executions can be retried.');
    return true;
  });
});

test('a call whose process exits abruptly says so with its stderr; the worker lives on', async () => {
  const { pid } = await workerHello(target);
  await assert.rejects(runHelper(target, 'testing.crash', {}, { cold: true }), (error: unknown) => {
    assert.ok(error instanceof PythonBridgeError);
    assert.equal(error.kind, 'crash');
    assert.match(error.message, /exited with 3 without a result/);
    assert.match(error.message, /last words/);
    assert.doesNotMatch(error.message, /fake result/);
    return true;
  });
  assert.equal((await workerHello(target)).pid, pid);
});

test('calls do not queue: a quick call returns while a long one runs', async () => {
  const long = startHelper<string>(target, 'testing.slow', { seconds: 30 }, { cold: true });
  await sleep(200);
  const quick = await runHelper<any>(target, 'testing.pids', {}, { cold: true });
  assert.ok(quick.pid > 0);
  assert.equal(bridgeState().liveCalls, 1, 'the long call is still running');
  stopAllWorkers();
  await assert.rejects(long.result, PythonBridgeError);
});

test('cancelling a call kills its process group (the flow subprocess included)', async () => {
  const controller = new AbortController();
  const handle = startHelper<string>(target, 'testing.slow', { seconds: 60 }, { cold: true, signal: controller.signal });
  const grandchild = await published(handle);
  assert.ok(alive(grandchild));
  controller.abort();
  await assert.rejects(handle.result, /cancelled/);
  assert.ok(await gone(grandchild), 'the subprocess of the cancelled call is gone');
  assert.equal(bridgeState().liveCalls, 0);
});

test('a worker that dies fails its running call clearly and is replaced on the next call', async () => {
  const { pid } = await workerHello(target);
  const handle = startHelper<string>(target, 'testing.slow', { seconds: 60 }, { cold: true });
  const grandchild = await published(handle);
  process.kill(pid, 'SIGKILL');
  await assert.rejects(handle.result, (error: unknown) => {
    assert.ok(error instanceof PythonBridgeError);
    assert.equal(error.kind, 'worker-died');
    assert.match(error.message, /killed by signal SIGKILL.*started again on the next call/s);
    return true;
  });
  // The orphaned call notices its worker is gone and takes its group down.
  assert.ok(await gone(grandchild), 'no orphan left by a killed worker');
  const next = await workerHello(target);
  assert.notEqual(next.pid, pid);
});

test('stopping the workers leaves no process behind', async () => {
  const { pid } = await workerHello(target);
  const handle = startHelper<string>(target, 'testing.slow', { seconds: 60 }, { cold: true });
  const grandchild = await published(handle);
  stopAllWorkers();
  await assert.rejects(handle.result, PythonBridgeError);
  await workersExited();
  assert.ok(await gone(pid));
  assert.ok(await gone(grandchild));
});

test('an interpreter that does not exist is a spawn error naming it', async () => {
  const missing = { ...target, python: path.join(fs.mkdtempSync('/tmp/w10-nopy-'), 'python') };
  await assert.rejects(runHelper(missing, 'testing.pids', {}), (error: unknown) => {
    assert.ok(error instanceof PythonBridgeError);
    assert.equal(error.kind, 'spawn');
    assert.match(error.message, /could not be started/);
    return true;
  });
});
