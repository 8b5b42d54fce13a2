// The daemon supervisor with stand-in daemons: readiness by /health, a
// daemon dying during start, the timeout, and SIGTERM then SIGKILL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { DaemonStartError, isAlive, launchDaemon, terminate } from '../../src/supervisor/daemon.ts';
import { freePort } from '../helpers/kitaru-server.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaru-supervisor-'));
const started: number[] = [];
after(() => {
  for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A launcher that starts a detached stand-in daemon running `body` and exits, like ZenML's entrypoint. */
function launcher(name: string, body: string): { command: string[]; pidFile: string; logFile: string } {
  const pidFile = path.join(dir, `${name}.pid`);
  const logFile = path.join(dir, `${name}.log`);
  const daemon = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, process.pid + '\\n');\n${body}`;
  // The launcher writes the pid file too, so no case waits on the stand-in's own start-up (slow on a busy machine).
  const launch = `const c = require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(daemon)}], {detached: true, stdio: 'ignore'}); require('fs').writeFileSync(${JSON.stringify(pidFile)}, c.pid + '\\n'); c.unref();`;
  return { command: [process.execPath, '-e', launch], pidFile, logFile };
}

const pidOf = (pidFile: string) => Number(fs.readFileSync(pidFile, 'utf8').trim());

// The four cases wait on real processes and real clocks, each for one to three
// seconds; they share nothing, so they run side by side.
describe('the daemon supervisor', { concurrency: true }, () => {
  test('ready when the pid is alive and /health answers 200', async () => {
    const port = await freePort();
    const spec = launcher(
      'ready',
      `require('http').createServer((q, s) => { s.statusCode = q.url === '/health' ? 200 : 404; s.end('"OK"'); }).listen(${port}, '127.0.0.1');`,
    );
    const pid = await launchDaemon({
      ...spec,
      env: { ...process.env } as Record<string, string>,
      cwd: dir,
      url: `http://127.0.0.1:${port}`,
      timeoutMs: 20_000,
    });
    started.push(pid);
    assert.equal(pid, pidOf(spec.pidFile));
    assert.equal(await terminate(pid, 5000), 'terminated');
    assert.equal(isAlive(pid), false);
  });

  test('a daemon that dies during start is reported, not waited for', async () => {
    const port = await freePort();
    const spec = launcher('dies', `setTimeout(() => process.exit(1), 300);`);
    const began = Date.now();
    await assert.rejects(
      launchDaemon({
        ...spec,
        env: { ...process.env } as Record<string, string>,
        cwd: dir,
        url: `http://127.0.0.1:${port}`,
        timeoutMs: 60_000,
      }),
      (error: unknown) => error instanceof DaemonStartError && /exited during start-up/.test((error as Error).message),
    );
    assert.ok(Date.now() - began < 60_000);
  });

  test('past the timeout the daemon is stopped and the error says why', async () => {
    const port = await freePort();
    const spec = launcher('silent', `setInterval(() => {}, 1000);`);
    await assert.rejects(
      launchDaemon({
        ...spec,
        env: { ...process.env } as Record<string, string>,
        cwd: dir,
        url: `http://127.0.0.1:${port}`,
        timeoutMs: 5000,
      }),
      (error: unknown) =>
        error instanceof DaemonStartError && /did not answer .*\/health within 5 s; it was stopped/.test((error as Error).message),
    );
    const pid = pidOf(spec.pidFile);
    started.push(pid);
    assert.equal(isAlive(pid), false);
  });

  test('SIGTERM first, SIGKILL after the grace period', async () => {
    const spec = launcher('stubborn2', `process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);`);
    const { execa } = await import('execa');
    await execa(spec.command[0] as string, spec.command.slice(1));
    let pid = 0;
    for (let i = 0; i < 100 && !pid; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        pid = pidOf(spec.pidFile);
      } catch {
        pid = 0;
      }
    }
    started.push(pid);
    await new Promise((r) => setTimeout(r, 200)); // let it install its SIGTERM handler
    assert.equal(await terminate(pid, 500), 'killed');
    assert.equal(isAlive(pid), false);
  });
});
