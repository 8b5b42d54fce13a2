// Tools that execute user flow code: run, replay, retry, resume, deploy.
// They run in the user's Python (see src/kitaru/flows.ts for how long calls
// are bounded); arguments and payloads are Python's kitaru-mcp's.
import { z } from 'zod';
import { deployFlow, replayExecution, restartExecution, runFlow } from '../kitaru/flows.ts';
import { defineTool } from './define.ts';
import { jsonObject, nullableString, optionalBool, optionalInt, optionalObject, optionalString } from './schemas.ts';

// Running user code can do anything, so none of these is read-only or idempotent.
const RUNS_USER_CODE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

const execution = jsonObject;

export const kitaruExecutionsRun = defineTool({
  name: 'kitaru_executions_run',
  title: 'Run a flow',
  description: 'Start a flow from `<module_or_file>:<flow_name>` target.',
  input: z.object({
    target: z.string(),
    args: optionalObject(),
    stack: optionalString(),
  }),
  output: z.object({
    exec_id: z.string(),
    target: z.string(),
    execution: execution.nullable(),
    warning: nullableString,
  }),
  annotations: RUNS_USER_CODE,
  handler: ({ target, args, stack }, context) => runFlow(context, { target, args, stack }),
});

export const kitaruDeploymentsDeploy = defineTool({
  name: 'kitaru_deployments_deploy',
  title: 'Deploy a flow',
  description: 'Deploy a new flow version from a `<module_or_file>:<flow_name>` target.',
  input: z.object({
    target: z.string(),
    inputs: optionalObject(),
    tag: z.string().default('default'),
    exclusive: z.boolean().default(false),
    stack: optionalString(),
    image: z.union([z.string(), z.record(z.string(), z.unknown())]).nullable().default(null),
    cache: optionalBool(),
    retries: optionalInt(),
  }),
  output: z.object({
    deployment_id: z.string(),
    flow: z.string(),
    version: z.number().int(),
    tags: z.record(z.string(), z.unknown()),
    commit_sha: nullableString,
    commit_dirty: z.boolean().nullable(),
    image_digest: nullableString,
    created_at: nullableString,
    schema: jsonObject.nullable(),
    stack: nullableString,
  }),
  // Imports user code and creates a new version; never changes an existing one.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  handler: (args, context) => deployFlow(context, args),
});

export const kitaruExecutionsRetry = defineTool({
  name: 'kitaru_executions_retry',
  title: 'Retry a failed execution',
  description: 'Retry one failed execution and return updated details.',
  input: z.object({ exec_id: z.string() }),
  output: execution,
  annotations: RUNS_USER_CODE,
  handler: ({ exec_id }, context) => restartExecution(context, 'retry', exec_id),
});

export const kitaruExecutionsReplay = defineTool({
  name: 'kitaru_executions_replay',
  title: 'Replay an execution',
  description: 'Replay an execution and return structured replay details.',
  input: z.object({
    exec_id: z.string(),
    from_: z.string(),
    overrides: optionalObject(),
    flow_inputs: optionalObject(),
  }),
  output: z.object({
    available: z.literal(true),
    operation: z.literal('replay'),
    execution,
  }),
  annotations: RUNS_USER_CODE,
  handler: ({ exec_id, from_, overrides, flow_inputs }, context) =>
    replayExecution(context, { exec_id, from_, overrides, flow_inputs }),
});

// Not in Python's kitaru-mcp 0.15: after kitaru_executions_input on a local
// stack the paused run needs someone to continue it; Python users call
// client.executions.resume(...) (or `kitaru executions resume`).
export const kitaruExecutionsResume = defineTool({
  name: 'kitaru_executions_resume',
  title: 'Resume a paused execution',
  description:
    'Resume a paused (waiting) execution after its pending waits were answered ' +
    '(for example with `kitaru_executions_input`) and return updated details.',
  input: z.object({ exec_id: z.string() }),
  output: execution,
  annotations: RUNS_USER_CODE,
  handler: ({ exec_id }, context) => restartExecution(context, 'resume', exec_id),
});

export const TOOLS = [
  kitaruExecutionsRun,
  kitaruDeploymentsDeploy,
  kitaruExecutionsRetry,
  kitaruExecutionsReplay,
  kitaruExecutionsResume,
];
