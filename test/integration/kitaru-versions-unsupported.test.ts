// A 0.2x Kitaru install: every Python-side tool refuses it plainly, before
// anything reaches the server, and status/info carry the warning. Nothing here
// changes server state, so it runs on the run-wide shared server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';
import { COMPLETED, VersionClients, call, missing, venv } from './kitaru-versions.ts';

let fx: SharedServer;
const clients = new VersionClients();

before(async () => {
  fx = await useSharedServer();
});

after(async () => {
  await clients.closeAll();
  await fx?.release();
});

describe('an unsupported Kitaru (0.2x)', { skip: missing('0.27') }, () => {
  test('every Python-side tool says which version it found, what we support and what to do', async () => {
    const conn = await clients.connect(fx.server, venv('0.27'));
    const calls: [string, Record<string, unknown>][] = [
      ['kitaru_executions_run', { target: COMPLETED }],
      ['kitaru_executions_replay', { exec_id: fx.seeded.completed, from_: 'summarize' }],
      ['kitaru_executions_retry', { exec_id: fx.seeded.failed }],
      ['kitaru_clean_preview', {}],
    ];
    for (const [name, args] of calls) {
      const outcome = await call(conn, name, args);
      assert.equal(outcome.isError, true, name);
      assert.match(outcome.text, /has kitaru 0\.27\.\d+; kitaru-mcp supports kitaru 0\.11\.0 to 0\.18\.x/, name);
      assert.match(outcome.text, /KITARU_PYTHON/, name);
      assert.doesNotMatch(outcome.text, /_flow_loading|kitaru\._env/, name);
    }
  });

  test('kitaru_status and kitaru_info carry the warning, read from metadata', async () => {
    const conn = await clients.connect(fx.server, venv('0.27'));
    for (const name of ['kitaru_status', 'kitaru_info']) {
      const outcome = await call(conn, name, {});
      assert.equal(outcome.isError, false, outcome.text);
      assert.match(String(outcome.structured.warning), /kitaru 0\.27\.\d+; kitaru-mcp supports/);
      assert.match(String(outcome.structured.sdk_version), /^0\.27\./);
    }
  });
});
