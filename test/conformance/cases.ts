// The conformance case list: every tool of the Python kitaru-mcp 0.15.0 (plus our
// extra kitaru_executions_resume), each with happy paths and the validation errors
// the reference raises. Cases run in list order; the phases are ordered so that
// read-only cases see exactly the seeded state and mutating cases come last. The
// cases that need a server of their own come last, one file per fixture context
// (cases-flows.ts, cases-deployments.ts, cases-auth.ts; fixtures.ts makes the state).
import assert from 'node:assert/strict';
import path from 'node:path';
import { PyFloat, PyInt } from '../../src/compat/json.ts';
import { PYTHON_ORDER } from '../../src/tools/index.ts';
import {
  type CaseContext,
  type ConformanceCase,
  type Context,
  FAST,
  UNKNOWN_EXEC,
  c,
  created,
  captureExecId,
  invalid,
  mutate,
  need,
  okPayload,
  read,
  sideName,
  target,
} from './case-kit.ts';
import type { Side } from './compare.ts';
import { AUTH_CASES } from './cases-auth.ts';
import { DEPLOYMENT_CASES } from './cases-deployments.ts';
import { FILTER_CASES } from './cases-filters.ts';
import { FLOW_CASES } from './cases-flows.ts';
import { MANAGE_STACK_CASES } from './cases-manage-stack.ts';
import { SECRET_CASES } from './cases-secrets.ts';
import * as reference from './reference-checks.ts';

export * from './case-kit.ts';

// Deployments on the remote test stack: each side deploys its twin flow
// (test/flows/remote_deploy_flows.py), so both get versions 1, 2, 3.
const deployFlow = (side: Side) => `conf_deploy_${side}`;
const deployOn = (extra: Record<string, unknown>) => (ctx: CaseContext, side: Side) => {
  const remote = ctx.remote;
  if (!remote) throw new Error('prerequisite missing: remote stack');
  return {
    target: `${path.join(remote.projectDir, 'remote_deploy_flows.py')}:${deployFlow(side)}`,
    inputs: { x: 3 },
    stack: remote.stack,
    image: remote.image,
    ...extra,
  };
};
const onDeployed =
  (extra: Record<string, unknown> = {}) =>
  (_ctx: CaseContext, side: Side) => ({ flow: deployFlow(side), ...extra });
const remote = (tool: string, name: string, args: ConformanceCase['args'], extra: Partial<ConformanceCase> = {}) =>
  c(tool, name, 'mutating', args, { creates: true, context: 'remote', ...extra });

export const CASES: ConformanceCase[] = [
  // ---------------------------------------------------------------- read-only, seeded state
  read('kitaru_status', 'default', () => ({}), { expect: reference.status }),
  read('kitaru_stacks_list', 'default'),
  read('kitaru_info', 'default'),
  read('kitaru_info', 'packages', () => ({ packages: ['zenml', 'kitaru', 'definitely-not-installed'] })),
  read('kitaru_info', 'all_packages', () => ({ all_packages: true }), { fast: false }),
  read('kitaru_info', 'all', () => ({ all: true }), { fast: false }),
  read('kitaru_info', 'all overrides packages', () => ({ all: true, packages: ['zenml'] }), { fast: false }),
  read('kitaru_clean_preview', 'default'),
  read('kitaru_clean_preview', 'global', () => ({ scope: 'global' })),
  read('kitaru_clean_preview', 'all', () => ({ scope: 'all' })),

  read('kitaru_executions_list', 'default'),
  read('kitaru_executions_list', 'limit 1', () => ({ limit: 1 })),
  read('kitaru_executions_list', 'limit as string', () => ({ limit: '2' })),
  read('kitaru_executions_list', 'status completed', () => ({ status: 'completed' })),
  read('kitaru_executions_list', 'status padded upper', () => ({ status: '  FAILED ' })),
  read('kitaru_executions_list', 'status waiting', () => ({ status: 'waiting' })),
  read('kitaru_executions_list', 'flow filter', () => ({ flow: 'completed_flow' })),
  read('kitaru_executions_list', 'flow unknown', () => ({ flow: 'no_such_flow' })),
  read('kitaru_executions_list', 'stack default', () => ({ stack: 'default', limit: 2 })),
  read('kitaru_executions_list', 'stack unknown', () => ({ stack: 'no-such-stack' })),
  read('kitaru_executions_list', 'all filters', () => ({ status: 'completed', flow: 'completed_flow', stack: 'default', limit: 5 })),
  // pydantic's lax int table (issue 13 item 6) and numbers kept as written (item 1): 2.0 is a float, 2^64 an int.
  read('kitaru_executions_list', 'limit "3.0"', () => ({ limit: '3.0' })),
  read('kitaru_executions_list', 'limit "1_0"', () => ({ limit: '1_0' })),
  read('kitaru_executions_list', 'limit " 2 "', () => ({ limit: ' 2 ' })),
  read('kitaru_executions_list', 'limit 2.0', () => ({ limit: new PyFloat(2) })),
  read('kitaru_executions_list', 'limit true', () => ({ limit: true })),
  read('kitaru_executions_list', 'limit 2^64', () => ({ limit: new PyInt('18446744073709551616') })),
  read('kitaru_info', 'all "OFF"', () => ({ all: 'OFF' })),
  // tools/call with "arguments": null runs as {} (item 5).
  read('kitaru_status', 'arguments null', () => null as unknown as Record<string, unknown>),
  // Filters combined, and filters that match nothing (each is a query on the server).
  read('kitaru_executions_list', 'waiting flow stack', () => ({ status: 'waiting', flow: 'waiting_flow', stack: 'default' })),
  read('kitaru_executions_list', 'flow+status matching nothing', () => ({ flow: 'completed_flow', status: 'failed' })),
  read('kitaru_executions_list', 'status running none', () => ({ status: 'running' })),
  read('kitaru_executions_list', 'flow padded matches nothing', () => ({ flow: ' completed_flow' })),
  read('kitaru_executions_list', 'flow alias prefix', () => ({ flow: '__kitaru_pipeline_source_completed_flow' })),
  read('kitaru_executions_list', 'stack unknown with status', () => ({ stack: 'no-such-stack', status: 'failed', limit: 1 })),
  // Ties in creation time (runs cloned with one timestamp by seedTies): ZenML orders them by id.
  read('kitaru_executions_list', 'ties in creation time', () => ({ status: 'cancelled' }), { fast: false }),
  read('kitaru_executions_list', 'limit inside ties', () => ({ flow: 'failing_flow', limit: 3 }), { fast: false }),

  read('kitaru_executions_get', 'completed', (x) => ({ exec_id: x.ids.completed }), { expect: reference.completed }),
  read('kitaru_executions_get', 'failed', (x) => ({ exec_id: x.ids.failed }), { expect: reference.failed }),
  read('kitaru_executions_get', 'waiting', (x) => ({ exec_id: x.ids.waiting }), { expect: reference.waiting }),

  read('kitaru_executions_latest', 'default'),
  read('kitaru_executions_latest', 'flow', () => ({ flow: 'failing_flow' })),
  read('kitaru_executions_latest', 'status', () => ({ status: 'completed' })),
  read('kitaru_executions_latest', 'stack', () => ({ stack: 'default' })),
  read('kitaru_executions_latest', 'flow+status', () => ({ flow: 'completed_flow', status: 'completed' })),
  read('kitaru_executions_latest', 'flow+status+stack', () => ({ flow: 'failing_flow', status: 'failed', stack: 'default' })),
  read('kitaru_executions_latest', 'waiting', () => ({ status: 'waiting' })),
  read('kitaru_executions_latest', 'ties in creation time', () => ({ status: 'cancelled' }), { fast: false }),

  read('get_execution_logs', 'completed default', (x) => ({ exec_id: x.ids.completed }), { expect: reference.completedLogs }),
  read('get_execution_logs', 'failed default', (x) => ({ exec_id: x.ids.failed })),
  read('get_execution_logs', 'failed limit 3', (x) => ({ exec_id: x.ids.failed, limit: 3 })),
  read('get_execution_logs', 'waiting default', (x) => ({ exec_id: x.ids.waiting })),
  read('get_execution_logs', 'checkpoint', (x) => ({ exec_id: x.ids.completed, checkpoint: 'fetch' })),
  read('get_execution_logs', 'limit 2', (x) => ({ exec_id: x.ids.completed, limit: 2 })),
  read('get_execution_logs', 'source runner', (x) => ({ exec_id: x.ids.completed, source: 'runner' })),
  read('get_execution_logs', 'source padded upper', (x) => ({ exec_id: x.ids.completed, source: ' STEP ' })),

  read('kitaru_artifacts_list', 'completed', (x) => ({ exec_id: x.ids.completed }), { expect: reference.completedArtifacts }),
  read('kitaru_artifacts_list', 'failed', (x) => ({ exec_id: x.ids.failed })),
  read('kitaru_artifacts_list', 'waiting', (x) => ({ exec_id: x.ids.waiting })),
  read('kitaru_artifacts_list', 'limit 1', (x) => ({ exec_id: x.ids.completed, limit: 1 })),
  read('kitaru_artifacts_list', 'name', (x) => ({ exec_id: x.ids.completed, name: 'notes' })),
  read('kitaru_artifacts_list', 'kind', (x) => ({ exec_id: x.ids.completed, kind: 'context' })),
  read('kitaru_artifacts_list', 'producing_call', (x) => ({ exec_id: x.ids.completed, producing_call: 'summarize' })),
  read('kitaru_artifacts_get', 'json value', (x) => ({ artifact_id: need(x.artifacts.json, 'json artifact') })),
  read('kitaru_artifacts_get', 'repr value', (x) => ({ artifact_id: need(x.artifacts.repr, 'repr artifact') }), {
    expect: reference.rawBytes,
  }),
  read('kitaru_artifacts_get', 'step output', (x) => ({ artifact_id: need(x.artifacts.fetchOutput, "fetch's output") }), {
    expect: reference.fetchOutput,
  }),

  read('kitaru_deployments_list', 'default'),
  read('kitaru_deployments_list', 'flow', () => ({ flow: 'completed_flow' })),

  read('kitaru_executions_resume', 'failed execution', (x) => ({ exec_id: x.ids.failed }), {
    oursOnly: true,
    fast: false,
    phase: 'validation',
  }),

  // ---------------------------------------------------------------- validation errors (no state change)
  invalid('kitaru_executions_list', 'limit 0', () => ({ limit: 0 }), FAST),
  invalid('kitaru_executions_list', 'limit negative with stack', () => ({ limit: -1, stack: 'default' })),
  invalid('kitaru_executions_list', 'limit not a number', () => ({ limit: 'abc' })),
  invalid('kitaru_executions_list', 'limit float', () => ({ limit: 1.5 })),
  invalid('kitaru_executions_list', 'status unknown', () => ({ status: 'sleeping' }), FAST),
  invalid('kitaru_executions_list', 'status wrong type', () => ({ status: 5 })),
  invalid('kitaru_executions_list', 'limit 1e20', () => ({ limit: new PyFloat(1e20) })),
  invalid('kitaru_executions_list', 'limit "5."', () => ({ limit: '5.' })),
  invalid('kitaru_executions_list', 'limit "1__0"', () => ({ limit: '1__0' })),
  invalid('kitaru_executions_list', 'limit 2.5', () => ({ limit: 2.5 })),
  invalid('kitaru_info', 'all " true "', () => ({ all: ' true ' })),
  invalid('kitaru_info', 'all 2', () => ({ all: 2 })),
  invalid('kitaru_info', 'all 0.5', () => ({ all: 0.5 })),
  invalid('kitaru_info', 'all 2.0', () => ({ all: new PyFloat(2) })),
  invalid('kitaru_executions_input', 'value 1.0 for a boolean wait', (x) => ({
    exec_id: x.ids.waiting,
    wait: 'approve_draft',
    value: new PyFloat(1),
  })),
  invalid('kitaru_executions_get', 'missing exec_id'),
  invalid('kitaru_executions_get', 'unknown exec_id', () => ({ exec_id: UNKNOWN_EXEC }), FAST),
  invalid('kitaru_executions_get', 'not a uuid', () => ({ exec_id: 'kr-nope' }), FAST),
  invalid('kitaru_executions_latest', 'no match', () => ({ flow: 'no_such_flow' })),
  invalid('kitaru_executions_latest', 'no match status', () => ({ flow: 'no_such_flow', status: 'running' }), FAST),
  invalid('kitaru_executions_latest', 'no match stack', () => ({ flow: 'no_such_flow', status: 'running', stack: 'default' })),
  invalid('kitaru_executions_latest', 'status unknown', () => ({ status: 'sleeping' }), FAST),
  invalid('kitaru_executions_latest', 'no match flow+stack', () => ({ flow: 'no_such_flow', stack: 'default' }), FAST),
  invalid('kitaru_executions_latest', 'no match combined', () => ({ flow: 'completed_flow', status: 'failed', stack: 'default' })),
  invalid('kitaru_executions_latest', 'no match stack only', () => ({ stack: 'no-such-stack' })),
  invalid('get_execution_logs', 'limit 0', (x) => ({ exec_id: x.ids.completed, limit: 0 }), FAST),
  invalid('get_execution_logs', 'blank checkpoint', (x) => ({ exec_id: x.ids.completed, checkpoint: '  ' }), FAST),
  invalid(
    'get_execution_logs',
    'checkpoint with runner',
    (x) => ({ exec_id: x.ids.completed, checkpoint: 'fetch', source: 'runner' }),
    FAST,
  ),
  invalid('get_execution_logs', 'blank source', (x) => ({ exec_id: x.ids.completed, source: ' ' }), FAST),
  invalid('get_execution_logs', 'unknown checkpoint', (x) => ({ exec_id: x.ids.completed, checkpoint: 'nope' }), FAST),
  invalid('get_execution_logs', 'unknown exec', () => ({ exec_id: UNKNOWN_EXEC }), FAST),
  invalid('get_execution_logs', 'not a uuid', () => ({ exec_id: 'kr-nope' }), FAST),
  invalid('get_execution_logs', 'missing exec_id'),
  invalid('kitaru_artifacts_list', 'limit 0', (x) => ({ exec_id: x.ids.completed, limit: 0 }), FAST),
  invalid('kitaru_artifacts_list', 'unknown exec', () => ({ exec_id: UNKNOWN_EXEC }), FAST),
  invalid('kitaru_artifacts_get', 'unknown artifact', () => ({ artifact_id: UNKNOWN_EXEC }), FAST),
  invalid('kitaru_artifacts_get', 'not a uuid', () => ({ artifact_id: 'no-such-artifact' }), FAST),
  invalid('kitaru_artifacts_get', 'missing artifact_id'),

  invalid('kitaru_executions_run', 'bad target format', () => ({ target: 'no_colon_here' })),
  invalid('kitaru_executions_run', 'missing file', () => ({ target: '/nonexistent/flow_file.py:flow' })),
  invalid('kitaru_executions_run', 'missing module', () => ({ target: 'no_such_module_xyz:flow' })),
  invalid('kitaru_executions_run', 'missing attribute', (x) => ({ target: target(x, 'completed_flow.py', 'nope') })),
  invalid('kitaru_executions_run', 'not a flow', (x) => ({ target: target(x, 'completed_flow.py', 'LOG_LINE') })),
  invalid('kitaru_executions_run', 'args not object', (x) => ({ target: target(x, 'completed_flow.py', 'completed_flow'), args: [1] })),
  invalid('kitaru_executions_run', 'missing target'),

  invalid(
    'kitaru_executions_input',
    'schema type mismatch',
    (x) => ({ exec_id: x.ids.waiting, wait: 'approve_draft', value: 'yes' }),
    FAST,
  ),
  invalid('kitaru_executions_input', 'unknown wait', (x) => ({ exec_id: x.ids.waiting, wait: 'nope', value: true }), FAST),
  invalid('kitaru_executions_input', 'blank wait', (x) => ({ exec_id: x.ids.waiting, wait: ' ', value: true }), FAST),
  invalid('kitaru_executions_input', 'no pending wait', (x) => ({ exec_id: x.ids.completed, wait: 'approve_draft', value: true }), FAST),
  invalid('kitaru_executions_input', 'not a uuid', () => ({ exec_id: 'kr-nope', wait: 'x', value: 1 }), FAST),
  invalid('kitaru_executions_input', 'missing value', (x) => ({ exec_id: x.ids.waiting, wait: 'approve_draft' })),
  invalid('kitaru_executions_retry', 'not failed', (x) => ({ exec_id: x.ids.completed })),
  invalid('kitaru_executions_retry', 'unknown exec', () => ({ exec_id: UNKNOWN_EXEC })),
  invalid('kitaru_executions_replay', 'blank from_', (x) => ({ exec_id: x.ids.completed, from_: ' ' })),
  invalid('kitaru_executions_replay', 'unknown checkpoint', (x) => ({ exec_id: x.ids.completed, from_: 'nope' })),
  invalid('kitaru_executions_replay', 'flow_inputs not object', (x) => ({ exec_id: x.ids.completed, from_: 'fetch', flow_inputs: [1] })),
  invalid('kitaru_executions_replay', 'override key without prefix', (x) => ({
    exec_id: x.ids.completed,
    from_: 'summarize',
    overrides: { fetch: 1 },
  })),
  invalid('kitaru_executions_replay', 'wait override', (x) => ({
    exec_id: x.ids.completed,
    from_: 'summarize',
    overrides: { 'wait.approve': true },
  })),
  invalid('kitaru_executions_replay', 'empty override selector', (x) => ({
    exec_id: x.ids.completed,
    from_: 'summarize',
    overrides: { 'checkpoint.': 1 },
  })),
  invalid('kitaru_executions_replay', 'missing from_', (x) => ({ exec_id: x.ids.completed })),
  invalid('kitaru_executions_cancel', 'unknown exec', () => ({ exec_id: UNKNOWN_EXEC }), FAST),
  invalid('kitaru_executions_cancel', 'not a uuid', () => ({ exec_id: 'kr-nope' }), FAST),
  invalid('kitaru_executions_cancel', 'finished execution', (x) => ({ exec_id: x.ids.completed }), FAST),
  invalid('kitaru_executions_resume', 'unknown exec', () => ({ exec_id: UNKNOWN_EXEC }), { oursOnly: true }),
  invalid('kitaru_executions_resume', 'not waiting', (x) => ({ exec_id: x.ids.completed }), { oursOnly: true }),

  invalid('kitaru_deployments_deploy', 'inputs not object', (x) => ({
    target: target(x, 'completed_flow.py', 'completed_flow'),
    inputs: [1],
  })),
  invalid('kitaru_deployments_deploy', 'reserved input keys', (x) => ({
    target: target(x, 'completed_flow.py', 'completed_flow'),
    inputs: { stack: 'x', cache: true },
  })),
  invalid('kitaru_deployments_deploy', 'blank tag', (x) => ({ target: target(x, 'completed_flow.py', 'completed_flow'), tag: ' ' })),
  invalid('kitaru_deployments_deploy', 'kitaru tag namespace', (x) => ({
    target: target(x, 'completed_flow.py', 'completed_flow'),
    tag: 'kitaru:deployment:x',
  })),
  invalid('kitaru_deployments_deploy', 'invalid image', (x) => ({
    target: target(x, 'completed_flow.py', 'completed_flow'),
    image: { requirements: [' '] },
  })),
  invalid('kitaru_deployments_deploy', 'image wrong type', (x) => ({ target: target(x, 'completed_flow.py', 'completed_flow'), image: 5 })),
  invalid('kitaru_deployments_deploy', 'bad target', () => ({ target: 'nope' })),
  invalid('kitaru_deployments_deploy', 'local stack', (x) => ({ target: target(x, 'completed_flow.py', 'completed_flow') })),
  invalid('kitaru_deployments_invoke', 'version and tag', () => ({ flow: 'completed_flow', version: 2, tag: 'canary' })),
  invalid('kitaru_deployments_invoke', 'inputs not object', () => ({ flow: 'completed_flow', inputs: 'x' })),
  invalid('kitaru_deployments_invoke', 'no deployment', () => ({ flow: 'completed_flow' })),
  invalid('kitaru_deployments_invoke', 'blank flow', () => ({ flow: ' ' })),
  invalid('kitaru_deployments_get', 'no deployment', () => ({ flow: 'completed_flow' })),
  invalid('kitaru_deployments_get', 'version and tag', () => ({ flow: 'completed_flow', version: 1, tag: 'x' })),
  invalid('kitaru_deployments_get', 'version 0', () => ({ flow: 'completed_flow', version: 0 })),
  invalid('kitaru_deployments_get', 'flow with ::', () => ({ flow: 'a::b' })),
  invalid('kitaru_deployments_delete', 'no deployment', () => ({ flow: 'completed_flow', version: 1 })),
  invalid('kitaru_deployments_delete', 'missing version', () => ({ flow: 'completed_flow' })),
  invalid('kitaru_deployments_tag', 'no deployment', () => ({ flow: 'completed_flow', version: 1, tag: 'canary' })),
  invalid('kitaru_deployments_tag', 'kitaru tag namespace', () => ({ flow: 'completed_flow', version: 1, tag: 'kitaru:deployment:x' })),
  invalid('kitaru_deployments_untag', 'default tag', () => ({ flow: 'completed_flow', version: 1, tag: 'default' })),
  invalid('kitaru_deployments_untag', 'no deployment', () => ({ flow: 'completed_flow', version: 1, tag: 'canary' })),

  invalid('kitaru_secrets_create', 'blank name', () => ({ name: ' ', values: { A: '1' } })),
  invalid('kitaru_secrets_create', 'empty values', (x, s) => ({ name: sideName(x, s, 'empty'), values: {} })),
  invalid('kitaru_secrets_create', 'bad key', (x, s) => ({ name: sideName(x, s, 'badkey'), values: { '1A': 'x' } })),
  invalid('kitaru_secrets_create', 'null value', (x, s) => ({ name: sideName(x, s, 'null'), values: { A: null } })),
  invalid('kitaru_secrets_create', 'empty value', (x, s) => ({ name: sideName(x, s, 'emptyval'), values: { A: '' } })),
  invalid('kitaru_secrets_create', 'duplicate keys after strip', (x, s) => ({
    name: sideName(x, s, 'dup'),
    values: { A: '1', ' A ': '2' },
  })),
  invalid('kitaru_secrets_create', 'values not object', (x, s) => ({ name: sideName(x, s, 'list'), values: ['A'] })),
  invalid('kitaru_secrets_create', 'missing values', (x, s) => ({ name: sideName(x, s, 'none') })),

  invalid('kitaru_start_local_server', 'timeout 0', () => ({ timeout: 0 })),
  invalid('kitaru_start_local_server', 'port 0', () => ({ port: 0 })),
  invalid('kitaru_start_local_server', 'port too high', () => ({ port: 70000 })),

  ...MANAGE_STACK_CASES,

  invalid('kitaru_clean_preview', 'invalid scope', () => ({ scope: 'workspace' })),
  invalid('kitaru_info', 'packages wrong type', () => ({ packages: 'zenml' })),

  // ---------------------------------------------------------------- no server configured (fresh config dir)
  invalid('kitaru_status', 'no server', () => ({}), { context: 'noserver' }),
  invalid('kitaru_stacks_list', 'no server', () => ({}), { context: 'noserver' }),
  invalid('kitaru_executions_list', 'no server', () => ({}), { context: 'noserver' }),
  invalid('get_execution_logs', 'no server', () => ({ exec_id: UNKNOWN_EXEC }), { context: 'noserver' }),
  invalid('kitaru_stop_local_server', 'none registered', () => ({}), { context: 'noserver' }),

  // ---------------------------------------------------------------- mutating, per-side objects
  mutate('kitaru_secrets_create', 'public', (x, s) => ({
    name: sideName(x, s, 'secret'),
    values: { API_KEY: 'conformance-value', OTHER: 42 },
  })),
  mutate('kitaru_secrets_create', 'private', (x, s) => ({ name: sideName(x, s, 'private'), values: { TOKEN: 'v' }, private: true })),
  mutate('kitaru_secrets_create', 'already exists', (x, s) => ({ name: sideName(x, s, 'secret'), values: { API_KEY: 'again' } })),
  ...SECRET_CASES,
  mutate('manage_stack', 'create local', (x, s) => ({ action: 'create', name: sideName(x, s, 'stack'), activate: false })),
  mutate('manage_stack', 'create existing', (x, s) => ({ action: 'create', name: sideName(x, s, 'stack'), activate: false })),
  mutate('kitaru_stacks_list', 'after create', () => ({})),
  mutate('manage_stack', 'delete recursive', (x, s) => ({ action: 'delete', name: sideName(x, s, 'stack'), recursive: true })),
  // Runs, replays and retries: cases-flows.ts (a server of their own).

  // ---------------------------------------------------------------- deployments on the remote test stack
  remote('kitaru_deployments_deploy', 'first (default tag)', deployOn({}), {
    ...FAST,
    expect: (outcome, x) => {
      const deployed = okPayload(outcome);
      assert.deepEqual([deployed.version, deployed.tags, deployed.stack], [1, { default: true }, x.remote?.stack]);
    },
  }),
  remote('kitaru_deployments_deploy', 'second (tag beta)', deployOn({ tag: 'beta' })),
  remote('kitaru_deployments_deploy', 'exclusive tag canary', deployOn({ tag: 'canary', exclusive: true })),
  remote('kitaru_deployments_list', 'after three deploys', onDeployed()),
  remote('kitaru_deployments_get', 'by version', onDeployed({ version: 2 })),
  remote('kitaru_deployments_get', 'by tag', onDeployed({ tag: 'canary' })),
  remote('kitaru_deployments_get', 'implicit default', onDeployed()),
  remote('kitaru_deployments_invoke', 'default with inputs', onDeployed({ inputs: { x: 7 } }), {
    ...FAST,
    capture: captureExecId('invoked'),
    expect: (outcome) => assert.match(okPayload(outcome).exec_id, /^[0-9a-f-]{36}$/),
  }),
  remote('kitaru_deployments_invoke', 'by tag', onDeployed({ tag: 'canary', inputs: { x: 8 } })),
  remote('kitaru_deployments_invoke', 'by version', onDeployed({ version: 2, inputs: { x: 9 } })),
  remote('kitaru_executions_get', 'invoked execution', (x, s) => ({ exec_id: created(x, s, 'invoked') }), {
    ...FAST,
    expect: (outcome, x, side) => {
      const execution = okPayload(outcome);
      assert.deepEqual([execution.exec_id, execution.flow_name], [created(x, side, 'invoked'), deployFlow(side)]);
    },
  }),
  remote('kitaru_deployments_tag', 'move exclusive canary', onDeployed({ version: 2, tag: 'canary', exclusive: true })),
  remote('kitaru_deployments_list', 'after tag move', onDeployed()),
  remote('kitaru_deployments_delete', 'under exclusive tag', onDeployed({ version: 2 })),
  remote('kitaru_deployments_untag', 'exclusive canary', onDeployed({ version: 2, tag: 'canary' })),
  remote('kitaru_deployments_delete', 'after untag', onDeployed({ version: 2 })),
  remote('kitaru_deployments_list', 'after delete', onDeployed()),

  ...FLOW_CASES,
  ...DEPLOYMENT_CASES,
  ...AUTH_CASES,
  ...FILTER_CASES,
];

/** The cases of one context, in list order (a fixture context's cases run on its own server). */
export const casesIn = (context: Context): ConformanceCase[] => CASES.filter((kase) => (kase.context ?? 'server') === context);

/** Every tool of the Python kitaru-mcp 0.15.0, in its registration order (one list, kept with the tool declarations). */
export const PYTHON_TOOLS = PYTHON_ORDER;
export const OURS_ONLY_TOOLS = ['kitaru_executions_resume'] as const;
