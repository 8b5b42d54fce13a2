// What the seeded executions (test/flows/seed.py) must look like, checked on both
// sides' answers to the read cases: that the comparisons compare real payloads,
// not two empty or failed ones (this was test/integration/reference.test.ts).
import assert from 'node:assert/strict';
import { type CaseContext, okPayload } from './case-kit.ts';
import type { CallOutcome } from './compare.ts';

export function status(outcome: CallOutcome, ctx: CaseContext): void {
  const payload = okPayload(outcome);
  // On a server only: in local-database mode the same case reads the SQLite store.
  if (!ctx.server) return;
  assert.equal(payload.connection, 'local Kitaru server');
  assert.equal(payload.server_url, ctx.server.url);
}

export function completed(outcome: CallOutcome, ctx: CaseContext): void {
  const execution = okPayload(outcome);
  assert.equal(execution.exec_id, ctx.ids.completed);
  assert.equal(execution.status, 'completed');
  assert.equal(execution.flow_name, 'completed_flow');
  assert.equal(execution.pending_wait, null);
}

export function failed(outcome: CallOutcome): void {
  const execution = okPayload(outcome);
  assert.equal(execution.status, 'failed');
  // failure.message is the traceback's last line, i.e. the raising source line.
  assert.match(execution.failure?.message ?? '', /boom: failing_flow exploded on purpose/);
  const explode = execution.checkpoints.find((c: { name: string }) => c.name === 'explode');
  assert.equal(explode?.status, 'failed');
}

export function waiting(outcome: CallOutcome): void {
  const execution = okPayload(outcome);
  assert.equal(execution.status, 'waiting');
  assert.equal(execution.pending_wait?.name, 'approve_draft');
  assert.equal(execution.pending_wait?.question, 'Publish the draft?');
  assert.deepEqual(execution.pending_wait?.schema, { type: 'boolean' });
}

export function completedLogs(outcome: CallOutcome, ctx: CaseContext): void {
  // On a server only: the local database has no log endpoints (both sides refuse alike).
  if (!ctx.server) return;
  const logs = okPayload(outcome);
  assert.equal(typeof logs, 'string');
  assert.match(logs, /completed_flow: fetched topic 'kitaru'/);
}

export function completedArtifacts(outcome: CallOutcome): void {
  const artifacts = okPayload(outcome);
  assert.ok(Array.isArray(artifacts) && artifacts.length >= 4, `expected >=4 artifacts, got ${JSON.stringify(artifacts)}`);
  const outputs = artifacts
    .filter((a: { save_type: string }) => a.save_type === 'step_output')
    .map((a: { producing_call: string }) => a.producing_call);
  assert.ok(outputs.includes('fetch') && outputs.includes('raw_bytes'), JSON.stringify(outputs));
}

export function fetchOutput(outcome: CallOutcome): void {
  const artifact = okPayload(outcome);
  assert.equal(artifact.value_format, 'json');
  assert.deepEqual(artifact.value, { topic: 'kitaru', items: [1, 2, 3] });
}

export function rawBytes(outcome: CallOutcome): void {
  const artifact = okPayload(outcome);
  assert.equal(artifact.value_format, 'repr');
  assert.equal(artifact.value, "b'kitaru has 3 items'");
}
