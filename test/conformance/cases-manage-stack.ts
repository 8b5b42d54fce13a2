// manage_stack refusals: the validation cases of the full run, then every refused
// case of test/unit/manage-stack-cases.ts (Python's answers, generated from the
// pinned reference) through both MCP servers, error texts compared. Valid remote requests would go on to create
// cloud resources (their pure checks are the unit test's); valid local ones with
// a real name would create a stack (manage-stack-story.ts runs those). Refusals
// change nothing, so they run in the fast subset on the shared server.
import assert from 'node:assert/strict';
import { CASES as VALIDATION } from '../unit/manage-stack-cases.ts';
import { type ConformanceCase, errorOf, FAST, invalid } from './case-kit.ts';

const refused = VALIDATION.filter(({ args, python }) => !python.ok || args.name.trim() === '');

export const MANAGE_STACK_CASES: ConformanceCase[] = [
  // Refusals written for the full run (validation phase, not in the fast subset).
  invalid('manage_stack', 'bad action', () => ({ action: 'update', name: 'x' })),
  invalid('manage_stack', 'create with recursive', () => ({ action: 'create', name: 'x', recursive: true })),
  invalid('manage_stack', 'delete with activate false', () => ({ action: 'delete', name: 'x', activate: false })),
  invalid('manage_stack', 'unsupported stack type', () => ({ action: 'create', name: 'x', stack_type: 'nomad' })),
  invalid('manage_stack', 'local async', () => ({ action: 'create', name: 'x', async_mode: true })),
  invalid('manage_stack', 'local remote options', () => ({
    action: 'create',
    name: 'x',
    artifact_store: 's3://b',
    region: 'eu',
    verify: false,
  })),
  invalid('manage_stack', 'local kubernetes options', () => ({ action: 'create', name: 'x', cluster: 'c', namespace: 'n' })),
  invalid('manage_stack', 'local sagemaker option', () => ({ action: 'create', name: 'x', execution_role: 'r' })),
  invalid('manage_stack', 'local azureml option', () => ({ action: 'create', name: 'x', subscription_id: 's' })),
  invalid('manage_stack', 'kubernetes missing', () => ({
    action: 'create',
    name: 'x',
    stack_type: 'kubernetes',
    artifact_store: 's3://b',
  })),
  invalid('manage_stack', 'vertex missing', () => ({ action: 'create', name: 'x', stack_type: 'vertex' })),
  invalid('manage_stack', 'sagemaker missing', () => ({ action: 'create', name: 'x', stack_type: 'sagemaker', artifact_store: 's3://b' })),
  invalid('manage_stack', 'azureml missing', () => ({ action: 'create', name: 'x', stack_type: 'azureml' })),
  invalid('manage_stack', 'kubernetes azure store', () => ({
    action: 'create',
    name: 'x',
    stack_type: 'kubernetes',
    artifact_store: 'az://b',
    container_registry: 'r',
    cluster: 'c',
    region: 'r',
  })),
  invalid('manage_stack', 'vertex s3 store', () => ({
    action: 'create',
    name: 'x',
    stack_type: 'vertex',
    artifact_store: 's3://b',
    container_registry: 'r',
    region: 'r',
  })),
  invalid('manage_stack', 'vertex with cluster', () => ({ action: 'create', name: 'x', stack_type: 'vertex', cluster: 'c' })),
  invalid('manage_stack', 'azureml with execution_role', () => ({
    action: 'create',
    name: 'x',
    stack_type: 'azureml',
    execution_role: 'r',
  })),
  invalid('manage_stack', 'extra not object', () => ({ action: 'create', name: 'x', extra: 'x' })),
  invalid('manage_stack', 'extra unknown target', () => ({ action: 'create', name: 'x', extra: { deployer: {} } })),
  invalid('manage_stack', 'extra registry on local', () => ({ action: 'create', name: 'x', extra: { container_registry: { a: 1 } } })),
  invalid('manage_stack', 'delete with create options', () => ({
    action: 'delete',
    name: 'x',
    stack_type: 'kubernetes',
    artifact_store: 's3://b',
    async_mode: true,
    verify: false,
  })),
  invalid('manage_stack', 'delete unknown stack', () => ({ action: 'delete', name: 'no-such-stack-conf' })),
  invalid('manage_stack', 'missing name', () => ({ action: 'create' })),
  // The unit table's refusals, in the fast subset.
  ...refused.map(({ args }) =>
    invalid('manage_stack', `refused ${JSON.stringify(args)}`, () => args, { ...FAST, expect: (outcome) => void errorOf(outcome) }),
  ),
  // Remote creates go through the user's Kitaru: the reference venv has no AWS/GCP
  // integrations, so Python stops at the service connector, and so must ours,
  // having passed validation. Nothing is created.
  ...[
    {
      action: 'create',
      name: 'k8',
      stack_type: 'kubernetes',
      artifact_store: 's3://b',
      container_registry: '1.dkr.ecr.us-east-1.amazonaws.com',
      cluster: 'c',
      region: 'us-east-1',
      activate: false,
    },
    {
      action: 'create',
      name: 'vx',
      stack_type: 'vertex',
      artifact_store: 'gs://b',
      container_registry: 'europe-docker.pkg.dev/p/r',
      region: 'eu',
      verify: false,
      activate: false,
    },
  ].map((args) =>
    invalid('manage_stack', `remote ${args.stack_type} without cloud integrations`, () => args, {
      ...FAST,
      expect: (outcome) => assert.match(errorOf(outcome), /Failed to prepare .* stack/),
    }),
  ),
  // A bad action is refused by argument validation, naming the argument.
  invalid('manage_stack', 'action rename', () => ({ action: 'rename', name: 'x' }), {
    ...FAST,
    expect: (outcome) => assert.match(errorOf(outcome), /action/),
  }),
];

/** More than 40 of the unit table's refusals reach both servers (the integration test's old floor). */
export const MANAGE_STACK_REFUSALS = refused.length;
