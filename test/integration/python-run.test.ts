// The Python bridge: one JSON result on a channel user output cannot reach,
// Python exceptions as our classes, and no helper outliving its call.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { KitaruStateError, KitaruRuntimeError, ValueError } from '../../src/kitaru/errors.ts';
import { killAllHelpers, liveHelperCount, runPythonHelper, startPythonHelper } from '../../src/python/run.ts';

// Any Python 3 will do: these programs import nothing from Kitaru.
const python = path.resolve('.venv-ref/bin/python');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('returns what main returned, whatever the program prints', async () => {
  const source = `
def main(args):
    import sys
    for i in range(5000):
        print('{"jsonrpc": "2.0", "noise": %d}' % i)
        print("stderr noise", file=sys.stderr)
    return {"echo": args, "n": 1}
`;
  assert.deepEqual(await runPythonHelper(python, source, { a: [1, 'x'] }), { echo: { a: [1, 'x'] }, n: 1 });
});

test('Python exceptions arrive as our classes with the same message', async () => {
  const state = `
class KitaruStateError(RuntimeError):
    pass
def main(args):
    raise KitaruStateError("Only failed executions can be retried.")
`;
  await assert.rejects(runPythonHelper(python, state, {}), (error: unknown) => {
    assert.ok(error instanceof KitaruStateError);
    assert.equal((error as Error).message, 'Only failed executions can be retried.');
    return true;
  });
  await assert.rejects(runPythonHelper(python, 'def main(args):\n    raise ValueError("bad `args`")\n', {}), (error: unknown) => {
    assert.ok(error instanceof ValueError);
    assert.equal((error as Error).message, 'bad `args`');
    return true;
  });
});

test('a crash says so, with the tail of stderr', async () => {
  const source = 'def main(args):\n    import os, sys\n    sys.stderr.write("last words\\n"); sys.stderr.flush()\n    os._exit(3)\n';
  await assert.rejects(runPythonHelper(python, source, {}), (error: unknown) => {
    assert.ok(error instanceof KitaruRuntimeError);
    assert.match((error as Error).message, /exited with 3 without a result/);
    assert.match((error as Error).message, /last words/);
    return true;
  });
});

test('an abandoned call kills its helper', async () => {
  const controller = new AbortController();
  const pending = runPythonHelper(python, 'def main(args):\n    import time\n    time.sleep(60)\n', {}, { signal: controller.signal });
  await sleep(300);
  assert.equal(liveHelperCount(), 1);
  controller.abort();
  await assert.rejects(pending, /cancelled/);
  assert.equal(liveHelperCount(), 0);
});

test('an execution id announced early is readable while main still runs; shutdown kills the rest', async () => {
  const handle = startPythonHelper(python, 'def main(args):\n    import time\n    _announce("exec-123")\n    time.sleep(60)\n', {});
  let seen: string | null = null;
  for (let i = 0; i < 100 && seen === null; i += 1) {
    await sleep(50);
    seen = handle.announcedExecId();
  }
  assert.equal(seen, 'exec-123');
  killAllHelpers();
  await assert.rejects(handle.result, /exited with SIGKILL/);
  assert.equal(liveHelperCount(), 0);
});
