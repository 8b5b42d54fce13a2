// A server that is down or does not answer: the error names the execution and
// the cause, within the request timeout.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getExecution, listExecutions } from '../../src/kitaru/executions.ts';
import { KitaruRuntime } from '../../src/kitaru/runtime.ts';

const EXEC_ID = '11111111-2222-3333-4444-555555555555';
let configDir: string;
let silent: Server;
let silentPort: number;
const sockets: import('node:net').Socket[] = [];

function runtimeFor(url: string, requestTimeoutMs = 30_000): KitaruRuntime {
  return new KitaruRuntime({
    env: { KITARU_CONFIG_PATH: configDir, KITARU_SERVER_URL: url, KITARU_AUTH_TOKEN: 'test-key', KITARU_PROJECT: 'default' },
    cwd: configDir,
    requestTimeoutMs,
  });
}

before(async () => {
  configDir = mkdtempSync(path.join(tmpdir(), 'kitaru-exec-errors-'));
  // Accepts connections and never answers.
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});

after(() => {
  for (const socket of sockets) socket.destroy();
  silent.close();
  rmSync(configDir, { recursive: true, force: true });
});

describe('unreachable or silent servers', () => {
  it('names the execution and says the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(getExecution(runtimeFor(`http://127.0.0.1:${port}`), EXEC_ID), (error: Error) => {
      assert.match(error.message, new RegExp(`^Failed to load execution '${EXEC_ID}': Could not reach the Kitaru server`));
      return true;
    });
    await assert.rejects(
      listExecutions(runtimeFor(`http://127.0.0.1:${port}`), { status: null, flow: null, stack: null, limit: null }),
      /Could not reach/,
    );
  });

  it('gives up on a silent server at the request timeout, naming the execution', async () => {
    await assert.rejects(getExecution(runtimeFor(`http://127.0.0.1:${silentPort}`, 1000), EXEC_ID), (error: Error) => {
      assert.match(error.message, new RegExp(`^Failed to load execution '${EXEC_ID}': The Kitaru server at .* did not answer`));
      return true;
    });
  });
});
