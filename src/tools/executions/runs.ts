// Execution tools that run user flow code: run, replay, retry, resume.
// They run in the user's Python (see src/kitaru/flows.ts for how long calls
// are bounded); arguments and payloads are Python's kitaru-mcp's.
import { z } from 'zod';
import { replayExecution, restartExecution, runFlow } from '../../kitaru/flows.ts';
import { replayResultSchema, runResultSchema } from '../../kitaru/payloads/executions.ts';
import { jsonObject } from '../../kitaru/payloads/parts.ts';
import { optionalObject, optionalString } from '../../mcp/shapes.ts';
import { defineTool } from '../kitaru-tool.ts';

// Running user code can do anything, so none of these is read-only or idempotent.
const RUNS_USER_CODE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

/** Python returns the execution as a plain dict here, with no declared shape. */
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
  output: runResultSchema,
  annotations: RUNS_USER_CODE,
  handler: ({ target, args, stack }, context) => runFlow(context, { target, args, stack }),
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
  output: replayResultSchema,
  annotations: RUNS_USER_CODE,
  handler: ({ exec_id, from_, overrides, flow_inputs }, context) => replayExecution(context, { exec_id, from_, overrides, flow_inputs }),
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

export const TOOLS = [kitaruExecutionsRun, kitaruExecutionsRetry, kitaruExecutionsReplay, kitaruExecutionsResume];
