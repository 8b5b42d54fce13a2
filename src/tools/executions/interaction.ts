// Two tools Python's kitaru-mcp lacks, for a person in the loop:
// kitaru_executions_ask asks the user for a waiting execution's input through
// MCP elicitation (a form in the client) and submits the answer;
// kitaru_executions_watch waits, bounded, for an execution to finish or change.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ElicitRequestFormParams, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { askResultSchema, watchResultSchema } from '../../kitaru/payloads/executions.ts';
import { type AskHuman, type AskResult, askForWaitInput } from '../../kitaru/waits-ask.ts';
import { DEFAULT_WATCH_SECONDS, MAX_WATCH_SECONDS, watchExecution } from '../../kitaru/watch.ts';
import { optionalString } from '../../mcp/shapes.ts';
import { READ_ONLY, defineTool } from '../kitaru-tool.ts';

/** How a tool asks the user: a form through the client, when the client declared form elicitation. */
export function humanAsker(server: Server, extra: { requestId: RequestId }): AskHuman | undefined {
  if (server.getClientCapabilities()?.elicitation?.form === undefined) return undefined;
  return async (question, { timeoutMs, signal }) => {
    const params: ElicitRequestFormParams = {
      mode: 'form',
      message: question.message,
      requestedSchema: question.requestedSchema as ElicitRequestFormParams['requestedSchema'],
    };
    // A person answers in minutes, not within the SDK's 60 s request default.
    const result = await server.elicitInput(params, { timeout: timeoutMs, signal, relatedRequestId: extra.requestId });
    return { action: result.action, ...(result.content ? { content: result.content } : {}) };
  };
}

function pyArg(value: string): string {
  return JSON.stringify(value);
}

/** What happened, in words the model acts on; never an invitation to guess the value. */
function askMessage(result: AskResult): string {
  const wait = result.wait.name ?? result.wait.wait_id;
  switch (result.outcome) {
    case 'submitted': {
      const sent = `The user's answer was submitted to wait '${wait}' of execution ${result.exec_id}.`;
      // On a local stack nothing runs a paused execution on: say how it continues.
      const paused = result.execution.status === 'waiting' && result.execution.pending_wait === null;
      return paused ? `${sent} It stays paused until resumed: call kitaru_executions_resume(exec_id=${pyArg(result.exec_id)}).` : sent;
    }
    case 'declined':
      return `The user declined to answer wait '${wait}'; nothing was submitted. Do not answer it on their behalf.`;
    case 'cancelled':
      return `The user dismissed the question for wait '${wait}'; nothing was submitted. Do not answer it on their behalf.`;
    case 'not_asked':
      return (
        'This client cannot ask the user directly (it declares no form elicitation). ' +
        `Ask the user: ${result.wait.question ? pyArg(result.wait.question) : `the input for wait '${wait}'`}` +
        `${result.wait.schema ? ` (the answer must match the JSON schema in \`wait.schema\`)` : ''}, ` +
        `then call kitaru_executions_input(exec_id=${pyArg(result.exec_id)}, wait=${pyArg(wait)}, value=<their answer>). ` +
        'Never guess or invent the value.'
      );
  }
}

export const kitaruExecutionsAsk = defineTool({
  name: 'kitaru_executions_ask',
  title: 'Ask the user for a waiting execution',
  description:
    "Ask the user for a waiting execution's input and submit their answer. Shows the wait's question " +
    'in a form in the client (MCP elicitation), checks the answer against the wait schema, submits it and returns the ' +
    'updated execution. If the user declines or cancels, nothing is submitted. If the client cannot show a form, ' +
    'returns the question and schema so you can ask the user and then call `kitaru_executions_input`. ' +
    '`wait` is the wait name or id (default: the first pending wait).',
  input: z.object({ exec_id: z.string(), wait: optionalString() }),
  output: askResultSchema,
  // Submits input (changes the execution) only when the user answers.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  handler: async ({ exec_id, wait }, context) => {
    const result = await askForWaitInput(context, { execId: exec_id, wait }, context.askHuman);
    return { ...result, message: askMessage(result) };
  },
});

export const kitaruExecutionsWatch = defineTool({
  name: 'kitaru_executions_watch',
  title: 'Watch an execution',
  description:
    'Wait until an execution finishes (or stops at a wait for input), sending progress while it waits, and return ' +
    'the execution with why the watch ended: finished, waiting, status_changed, or timeout. ' +
    '`until="change"` returns at any status or pending-wait change instead. ' +
    `Bounded by \`timeout_seconds\` (default ${DEFAULT_WATCH_SECONDS}, at most ${MAX_WATCH_SECONDS}); ` +
    'on timeout call it again to keep watching.',
  input: z.object({
    exec_id: z.string(),
    until: z.enum(['finish', 'change']).default('finish'),
    timeout_seconds: z.number().int().default(DEFAULT_WATCH_SECONDS),
  }),
  output: watchResultSchema,
  annotations: READ_ONLY,
  handler: ({ exec_id, until, timeout_seconds }, context) => {
    return watchExecution(context, { execId: exec_id, until, timeoutSeconds: timeout_seconds });
  },
});

export const TOOLS = [kitaruExecutionsAsk, kitaruExecutionsWatch];
