// Cases that run flows: each side runs, replays, retries and answers its own
// executions on a fresh server of their own (the `flows` fixture), where ours
// waits for a flow to end as Python does (the bounded hand-off has its own test
// in test/integration/flows.test.ts). Python's kitaru-mcp can only re-import a
// flow file it loaded itself, so each side replays and retries its own runs.
import assert from 'node:assert/strict';
import {
  type CaseContext,
  type ConformanceCase,
  captureExecId,
  captureLatest,
  c,
  created,
  errorOf,
  mutate,
  okPayload,
  target,
} from './case-kit.ts';
import type { CallOutcome, Side } from './compare.ts';

const COMPLETED = 'test/flows/completed_flow.py:completed_flow';

const flow = (tool: string, name: string, args: ConformanceCase['args'], extra: Partial<ConformanceCase> = {}) =>
  mutate(tool, name, args, { context: 'flows', parallel: true, ...extra });
/** A refusal in the flows context (targets relative to the working directory, runs of this side). */
const refused = (tool: string, name: string, args: ConformanceCase['args'], expect?: RegExp) =>
  c(tool, name, 'validation', args, {
    context: 'flows',
    parallel: true,
    creates: true,
    expect: (outcome: CallOutcome) => {
      const text = errorOf(outcome);
      if (expect) assert.match(text, expect);
    },
  });

const finished = (status: string) => (outcome: CallOutcome) => {
  const run = okPayload(outcome);
  assert.equal(run.execution.status, status);
  assert.equal(run.exec_id, run.execution.exec_id);
};
/** A replay is a new execution, which completes. */
const replayed = (outcome: CallOutcome, ctx: CaseContext, side: Side) => {
  const result = okPayload(outcome);
  assert.equal(result.available, true);
  assert.equal(result.operation, 'replay');
  assert.equal(result.execution.status, 'completed');
  assert.notEqual(result.execution.exec_id, created(ctx, side, 'completed'));
};
/** Replay arguments are checked before the flow file is imported. */
const replayRefused = (name: string, args: Record<string, unknown>) =>
  c('kitaru_executions_replay', name, 'validation', (x, s) => ({ exec_id: created(x, s, 'completed'), ...args }), {
    context: 'flows',
    parallel: true,
    creates: true,
    expect: (outcome) => assert.doesNotMatch(errorOf(outcome), /Failed to import/),
  });

export const FLOW_CASES: ConformanceCase[] = [
  flow(
    'kitaru_executions_run',
    'completed flow',
    (x) => ({ target: target(x, 'completed_flow.py', 'completed_flow'), args: { topic: 'conformance' } }),
    { capture: captureExecId('completed'), expect: finished('completed') },
  ),
  // Read right after the run: twice in three runs of this list under heavy load, Python's server
  // failed to read its run's logs here when they came after the failing and waiting runs
  // ("server log endpoint is incompatible", a server error naming zenml.log_stores).
  flow('kitaru_executions_get', 'run by this side', (x, s) => ({ exec_id: created(x, s, 'completed') })),
  flow('get_execution_logs', 'run by this side', (x, s) => ({ exec_id: created(x, s, 'completed') })),
  // One side after the other: each then asks its own server for the run that failed.
  flow('kitaru_executions_run', 'failing flow', (x) => ({ target: target(x, 'failing_flow.py', 'failing_flow') }), {
    parallel: false,
    capture: captureLatest('failed', { flow: 'failing_flow', status: 'failed' }),
    expect: (outcome) => assert.match(errorOf(outcome), /boom: failing_flow exploded on purpose/),
  }),
  flow('kitaru_executions_run', 'waiting flow', (x) => ({ target: target(x, 'waiting_flow.py', 'waiting_flow') }), {
    capture: captureExecId('waiting'),
    expect: (outcome) => {
      finished('waiting')(outcome);
      assert.equal(okPayload(outcome).execution.pending_wait?.name, 'approve_draft');
    },
  }),
  flow('kitaru_executions_run', 'unknown stack', (x) => ({
    target: target(x, 'completed_flow.py', 'completed_flow'),
    stack: 'no-such-stack',
  })),
  flow('kitaru_executions_input', 'approve', (x, s) => ({ exec_id: created(x, s, 'waiting'), wait: 'approve_draft', value: true })),
  flow('kitaru_executions_resume', 'after input', (x, s) => ({ exec_id: created(x, s, 'waiting') }), { oursOnly: true }),

  refused(
    'kitaru_executions_retry',
    'completed run',
    (x) => ({ exec_id: created(x, 'ts', 'completed') }),
    /Only failed executions can be retried/,
  ),
  // The flow fails on purpose every time, so the retried run fails again.
  flow('kitaru_executions_retry', 'failed run', (x, s) => ({ exec_id: created(x, s, 'failed') }), {
    expect: (outcome, x, s) => {
      if (!outcome.isError) assert.equal(okPayload(outcome).exec_id, created(x, s, 'failed'));
    },
  }),
  flow('kitaru_executions_replay', 'from summarize', (x, s) => ({ exec_id: created(x, s, 'completed'), from_: 'summarize' }), {
    expect: replayed,
  }),
  flow(
    'kitaru_executions_replay',
    'with flow_inputs',
    (x, s) => ({ exec_id: created(x, s, 'completed'), from_: 'fetch', flow_inputs: { topic: 'replayed' } }),
    { expect: replayed },
  ),
  replayRefused('wait override on a run of this side', { from_: 'fetch', overrides: { 'wait.approve': true } }),
  replayRefused('unknown checkpoint on a run of this side', { from_: 'no_such_checkpoint' }),
  replayRefused('override key without prefix on a run of this side', { from_: 'fetch', overrides: { other: 1 } }),
  replayRefused('blank from_ on a run of this side', { from_: '  ' }),
  flow('kitaru_executions_cancel', 'completed run', (x, s) => ({ exec_id: created(x, s, 'completed') })),

  // Targets relative to the working directory, after the reads of the runs above: in
  // one run with them earlier, Python's server then failed to read its completed run's
  // logs ("server log endpoint is incompatible"); not seen with them here.
  refused('kitaru_executions_run', 'relative target without colon', () => ({ target: 'no-colon' })),
  refused('kitaru_executions_run', 'relative missing file', () => ({ target: 'test/flows/missing.py:flow' })),
  refused('kitaru_executions_run', 'relative missing attribute', () => ({ target: 'test/flows/completed_flow.py:nope' })),
  refused('kitaru_executions_run', 'relative not a flow', () => ({ target: 'test/flows/completed_flow.py:LOG_LINE' })),

  // Deploying needs a stack the server can execute remotely; this server has only
  // the local default stack, so Kitaru refuses (the happy paths run on the remote
  // test stack, cases.ts). Versioning and the first `default` tag are Kitaru's own
  // flow.deploy(), which our helper calls unchanged.
  refused(
    'kitaru_deployments_deploy',
    'relative target on the local stack',
    () => ({ target: COMPLETED, inputs: { topic: 'deployed' } }),
    /cannot be deployed with stack 'default' because that stack is not one the Kitaru server can execute remotely/,
  ),
  // Validation happens before the target is loaded.
  refused('kitaru_deployments_deploy', 'blank tag and a target without colon', () => ({ target: 'no-colon', tag: '  ' })),
  refused('kitaru_deployments_deploy', 'reserved input keys, relative target', () => ({
    target: COMPLETED,
    inputs: { stack: 'x', cache: true },
  })),
  refused('kitaru_deployments_deploy', 'unknown image field', () => ({ target: COMPLETED, image: { no_such_field: 1 } })),
  refused('kitaru_deployments_deploy', 'kitaru tag namespace, relative target', () => ({ target: COMPLETED, tag: 'kitaru:deployment:x' })),
];
