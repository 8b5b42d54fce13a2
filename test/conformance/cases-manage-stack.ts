// manage_stack validation: every refused case of test/unit/manage-stack-cases.ts
// (Python's answers, generated from the pinned reference) through both MCP
// servers, error texts compared. Valid remote requests would go on to create
// cloud resources (their pure checks are the unit test's); valid local ones with
// a real name would create a stack (manage-stack.test.ts runs those). Refusals
// change nothing, so they run in the fast subset on the shared server.
import assert from 'node:assert/strict';
import { CASES as VALIDATION } from '../unit/manage-stack-cases.ts';
import { type ConformanceCase, errorOf, FAST, invalid } from './case-kit.ts';

const refused = VALIDATION.filter(({ args, python }) => !python.ok || args.name.trim() === '');

export const MANAGE_STACK_CASES: ConformanceCase[] = [
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
