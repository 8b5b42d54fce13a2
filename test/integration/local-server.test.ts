// Start, connect to, restart and stop a local Kitaru server through our tools,
// with an isolated config directory, and cope with a daemon killed by hand.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { baseEnv, freePort } from '../helpers/kitaru-server.ts';
import { healthy } from '../../src/supervisor/daemon.ts';
import { descendants } from '../helpers/processes.ts';
import { callToolRaw, connectPython, connectStdio, venvPython, type McpConnection, ourServerArgs } from '../helpers/mcp-clients.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaru-local-server-'));
const configDir = path.join(tmp, 'config');
const daemonDir = path.join(configDir, 'zen_server', 'daemon');
const pidFile = path.join(daemonDir, 'service.pid');
const env = { ...baseEnv(configDir), KITARU_PYTHON: venvPython };

let ours: McpConnection;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const daemonPid = (): number | null => {
  try {
    return Number(fs.readFileSync(pidFile, 'utf8').trim()) || null;
  } catch {
    return null;
  }
};

/** Our server's Python workers: its children running the worker program. */
function workerPids(): number[] {
  const serverPid: number = (ours.client as any).transport.pid;
  return descendants(serverPid)
    .filter((p) => p.ppid === serverPid && p.cmd.includes('kitaru-mcp-worker'))
    .map((p) => p.pid);
}

async function call(name: string, args: Record<string, unknown> = {}, conn: McpConnection = ours) {
  const { isError, text, structured } = await callToolRaw(conn, name, args);
  return { isError, text, payload: structured };
}
async function ok(name: string, args: Record<string, unknown> = {}) {
  const outcome = await call(name, args);
  assert.equal(outcome.isError, false, `${name} failed: ${outcome.text}`);
  return outcome.payload;
}

before(async () => {
  ours = await connectStdio(process.execPath, ourServerArgs(), env);
});

after(async () => {
  await ours?.close();
  // Never leave a daemon behind, whatever failed above.
  const pid = daemonPid();
  if (pid !== null && alive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('local server lifecycle', () => {
  let port: number;
  let url: string;

  test('validation and an empty registry read as Python', async () => {
    const python = await connectPython({ env });
    try {
      for (const args of [{ timeout: 0 }, { port: 70000 }, { port: 0 }]) {
        const [mine, theirs] = await Promise.all([
          call('kitaru_start_local_server', args),
          call('kitaru_start_local_server', args, python),
        ]);
        assert.equal(mine.isError, true);
        assert.equal(mine.text, theirs.text);
      }
      const [mine, theirs] = await Promise.all([call('kitaru_stop_local_server'), call('kitaru_stop_local_server', {}, python)]);
      assert.deepEqual(mine.payload, { stopped: false, url: null });
      assert.deepEqual(mine.payload, theirs.payload);

      // kitaru_clean_preview is a Python-computed dry run: same payload, or same error.
      for (const scope of ['global', 'project', 'all']) {
        const [preview, reference] = await Promise.all([
          call('kitaru_clean_preview', { scope }),
          call('kitaru_clean_preview', { scope }, python),
        ]);
        assert.equal(preview.isError, reference.isError, `${scope}: ${preview.text}`);
        if (preview.isError) assert.equal(preview.text, reference.text);
        else assert.deepEqual(preview.payload, reference.payload);
      }
      const badScope = await Promise.all([
        call('kitaru_clean_preview', { scope: 'nope' }),
        call('kitaru_clean_preview', { scope: 'nope' }, python),
      ]);
      assert.equal(badScope[0].isError, true);
      assert.equal(badScope[0].text, badScope[1].text);
    } finally {
      await python.close();
    }
  });

  let worker: number;

  test('start, then connect', async () => {
    const workers = workerPids(); // the clean previews above started it
    assert.equal(workers.length, 1, 'one Python worker after the clean previews');
    worker = workers[0]!;
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    assert.deepEqual(await ok('kitaru_start_local_server', { port, timeout: 90 }), { mode: 'local', url, action: 'started' });
    assert.equal(await healthy(url), true);
    const status = await ok('kitaru_status');
    assert.equal(status.connection, 'local Kitaru server');
    assert.equal(status.server_url, url);
    assert.match(status.local_server_status, /^running at /);

    assert.deepEqual(await ok('kitaru_start_local_server', {}), { mode: 'local', url, action: 'connected' });
    assert.deepEqual(await ok('kitaru_start_local_server', { port }), { mode: 'local', url, action: 'connected' });
  });

  test('restart on another port stops the old daemon', async () => {
    const oldPid = daemonPid();
    assert.ok(oldPid !== null && alive(oldPid));
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    assert.deepEqual(await ok('kitaru_start_local_server', { port, timeout: 90 }), { mode: 'local', url, action: 'restarted' });
    assert.equal(alive(oldPid), false);
    assert.equal(await healthy(url), true);
    assert.equal((await ok('kitaru_status')).server_url, url);
    // Every start, connect and restart so far changed the connection; the one
    // Python worker forgot the old one each time instead of being replaced.
    assert.deepEqual(workerPids(), [worker]);
  });

  test('a daemon killed by hand: status and stop cope', async () => {
    const pid = daemonPid();
    assert.ok(pid !== null);
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50));

    const status = await ok('kitaru_status');
    assert.match(status.local_server_status, /^registered but unavailable/);

    assert.deepEqual(await ok('kitaru_stop_local_server'), { stopped: true, url });
    assert.equal(fs.existsSync(daemonDir), false);
    // Unlike ZenML, which only disconnects from a live server, the client
    // config no longer points at the dead one.
    assert.equal((await ok('kitaru_status')).connection, 'local database');
    assert.deepEqual(await ok('kitaru_stop_local_server'), { stopped: false, url: null });
  });

  /** The client config while a server ran (config.yaml, credentials.yaml): what a hand-removed daemon directory leaves behind. */
  const pointingAtServer = new Map<string, string>();

  test('start after a stale registration, then stop', async () => {
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    assert.deepEqual(await ok('kitaru_start_local_server', { port, timeout: 90 }), { mode: 'local', url, action: 'started' });
    const pid = daemonPid();
    assert.ok(pid !== null && alive(pid));
    for (const name of ['config.yaml', 'credentials.yaml']) {
      const file = path.join(configDir, name);
      if (fs.existsSync(file)) pointingAtServer.set(name, fs.readFileSync(file, 'utf8'));
    }
    assert.match(pointingAtServer.get('config.yaml') ?? '', new RegExp(`url: ${url}`));
    assert.deepEqual(await ok('kitaru_stop_local_server'), { stopped: true, url });
    assert.equal(alive(pid), false);
    assert.equal(fs.existsSync(daemonDir), false);
    const status = await ok('kitaru_status');
    assert.equal(status.local_server_status, 'not started');
    assert.equal(status.connection, 'local database');
  });

  test('a busy port: Python-style failure with the log path', async () => {
    const busyPort = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(busyPort, '127.0.0.1', resolve));
    try {
      const outcome = await call('kitaru_start_local_server', { port: busyPort, timeout: 30 });
      assert.equal(outcome.isError, true);
      assert.match(outcome.text, /Local server failed to start\./);
      assert.match(outcome.text, new RegExp(`TCP port ${busyPort} is not available\\.`));
      assert.ok(outcome.text.includes(`Check server logs:\n  ${path.join(daemonDir, 'service.log')}`), outcome.text);
    } finally {
      blocker.close();
    }
    // ZenML checks the port before it writes the registration, so nothing is left to stop.
    assert.deepEqual(await ok('kitaru_stop_local_server'), { stopped: false, url: null });
  });

  test('a daemon that dies during start: reported at once, with its log', async () => {
    // A client config still pointing at a dead server without a registration
    // (what a hand-removed daemon directory leaves) makes the daemon refuse to
    // run: the config saved while the last server ran, that server now gone.
    assert.ok(pointingAtServer.has('config.yaml'));
    for (const [name, text] of pointingAtServer) fs.writeFileSync(path.join(configDir, name), text);
    assert.equal(fs.existsSync(daemonDir), false);

    const outcome = await call('kitaru_start_local_server', { port: await freePort(), timeout: 120 });
    assert.equal(outcome.isError, true);
    assert.match(outcome.text, /Local server failed to start\.\nThe server process exited during start-up\./);
    assert.match(outcome.text, /REST store type/);
    assert.ok(outcome.text.endsWith(`Check server logs:\n  ${path.join(daemonDir, 'service.log')}`), outcome.text);
  });
});
