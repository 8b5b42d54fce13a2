// The fuzz corpus kept as a test (issue 14): seeded, bounded tools/call
// arguments over stdio against the bundle, with no server reachable and no
// Python to run, so nothing outside the process is touched. Zero crashes, zero
// hangs, zero invalid arguments accepted, every refused field named, stdout
// nothing but protocol. The counts and peak memory go to the test's diagnostics.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fuzzTools } from '../helpers/fuzz.ts';
import { baseEnv } from '../helpers/kitaru-server.ts';
import { bundle } from './suite.ts';

// Valid arguments to these would run Python, start or stop a server, or create
// a stack; they get only arguments that must be refused before anything runs.
const INVALID_ONLY = new Set([
  'kitaru_executions_run',
  'kitaru_executions_replay',
  'kitaru_executions_retry',
  'kitaru_executions_resume',
  'kitaru_deployments_deploy',
  'kitaru_start_local_server',
  'kitaru_stop_local_server',
  'kitaru_clean_preview',
  'manage_stack',
  'kitaru_info',
  'kitaru_status',
  'kitaru_artifacts_get',
]);

test('fuzzed tools/call arguments: no crash, no hang, nothing invalid accepted, every field named', async (t) => {
  assert.ok(fs.existsSync(bundle), `${bundle} is missing: run \`node build.mjs\``);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'w14-fuzz-'));
  const seed = Number(process.env.KITARU_FUZZ_SEED ?? 14);
  try {
    const report = await fuzzTools({
      command: process.execPath,
      args: [bundle],
      // A server URL where nothing listens (port 9 on loopback refuses at once) and no Python at all.
      env: {
        ...baseEnv(path.join(home, 'config')),
        KITARU_SERVER_URL: 'http://127.0.0.1:9',
        KITARU_AUTH_TOKEN: 'ZENKEY_fuzz',
        KITARU_PROJECT: 'fuzz',
        KITARU_PYTHON: path.join(home, 'no-python'),
        HOME: home,
      },
      cwd: home,
      seed,
      maxCalls: Number(process.env.KITARU_FUZZ_CALLS ?? 1500),
      invalidOnly: INVALID_ONLY,
      hangMs: 15_000,
      concurrency: 8,
    });
    t.diagnostic(
      `seed ${report.seed}: ${report.calls} calls (${report.invalidSent} invalid), ${report.crashes} crashes, ${report.hangs} hangs, ` +
        `${report.invalidAccepted.length} invalid accepted, ${report.unnamedField.length} unnamed fields, ` +
        `${report.stdoutNoise} non-protocol stdout lines, peak RSS ${report.peakRssMiB ?? '?'} MiB`,
    );
    assert.equal(report.crashes, 0);
    assert.equal(report.hangs, 0);
    assert.deepEqual(report.invalidAccepted, []);
    assert.deepEqual(report.unnamedField, []);
    assert.equal(report.stdoutNoise, 0);
    assert.ok(report.calls >= 1000, `only ${report.calls} calls were made`);
    assert.ok(report.invalidSent >= 500, `only ${report.invalidSent} invalid calls were made`);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
