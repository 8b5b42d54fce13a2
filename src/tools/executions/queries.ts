// Execution tools: list, get, latest, logs, cancel, input. All REST; the
// payloads are Python's inspection.serialize_execution[_summary] dicts.
import { z } from 'zod';
import { cancelExecution, getExecution, latestExecution, listExecutions, provideExecutionInput } from '../../kitaru/executions.ts';
import { executionLogsText } from '../../kitaru/logs.ts';
import { executionSchema, executionSummarySchema } from '../../kitaru/payloads/executions.ts';
import { LARGE_RESULT_META, optionalInt, optionalString } from '../../mcp/shapes.ts';
import { READ_ONLY, defineTool } from '../kitaru-tool.ts';

/** `value: Any` in Python: any JSON value, null included, but it must be given. */
const anyRequiredValue = z.unknown().superRefine((value, ctx) => {
  if (value === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'unknown', input: value } as never);
});

export const kitaruExecutionsList = defineTool({
  name: 'kitaru_executions_list',
  title: 'List executions',
  description: 'List executions with optional status/flow/stack filters.',
  input: z.object({
    status: optionalString(),
    flow: optionalString(),
    stack: optionalString(),
    limit: optionalInt(),
  }),
  output: z.array(executionSummarySchema),
  annotations: READ_ONLY,
  handler: (args, { runtime, signal }) => listExecutions(runtime, args, { signal }),
});

export const kitaruExecutionsGet = defineTool({
  name: 'kitaru_executions_get',
  title: 'Get execution',
  description: 'Get detailed information for one execution.',
  input: z.object({ exec_id: z.string() }),
  output: executionSchema,
  annotations: READ_ONLY,
  handler: (args, { runtime, signal }) => getExecution(runtime, args.exec_id, { signal }),
});

export const kitaruExecutionsLatest = defineTool({
  name: 'kitaru_executions_latest',
  title: 'Latest execution',
  description: 'Get the most recent execution matching the provided filters.',
  input: z.object({
    status: optionalString(),
    flow: optionalString(),
    stack: optionalString(),
  }),
  output: executionSchema,
  annotations: READ_ONLY,
  handler: (args, { runtime, signal }) => latestExecution(runtime, args, { signal }),
});

export const getExecutionLogs = defineTool({
  name: 'get_execution_logs',
  title: 'Execution logs',
  description: 'Fetch runtime log entries for a Kitaru execution.',
  input: z.object({
    exec_id: z.string(),
    checkpoint: optionalString(),
    source: z.string().default('step'),
    limit: z.number().int().default(200),
  }),
  output: z.string(),
  annotations: READ_ONLY,
  meta: LARGE_RESULT_META,
  handler: (args, { runtime, signal }) =>
    executionLogsText(runtime, { execId: args.exec_id, checkpoint: args.checkpoint, source: args.source, limit: args.limit }, { signal }),
});

export const kitaruExecutionsCancel = defineTool({
  name: 'kitaru_executions_cancel',
  title: 'Cancel execution',
  description: 'Cancel one execution and return updated details.',
  input: z.object({ exec_id: z.string() }),
  output: executionSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  handler: (args, { runtime, signal }) => cancelExecution(runtime, args.exec_id, { signal }),
});

export const kitaruExecutionsInput = defineTool({
  name: 'kitaru_executions_input',
  title: 'Answer a waiting execution',
  description: 'Provide input to a waiting execution and return updated details.',
  input: z.object({ exec_id: z.string(), wait: z.string(), value: anyRequiredValue }),
  output: executionSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  handler: (args, { runtime, signal }) =>
    provideExecutionInput(runtime, { execId: args.exec_id, wait: args.wait, value: args.value }, { signal }),
});

export const TOOLS = [
  kitaruExecutionsList,
  kitaruExecutionsGet,
  kitaruExecutionsLatest,
  getExecutionLogs,
  kitaruExecutionsCancel,
  kitaruExecutionsInput,
];
