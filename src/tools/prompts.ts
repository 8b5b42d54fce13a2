// The documentation's copy-paste prompts ("Copy-paste prompts" on Kitaru's MCP
// Server page) as MCP prompts: the same words, with their examples turned into
// typed arguments, plus which tools to use so the model needs no guessing.
// Prompts that end in a change (run, answer, replay, create, deploy) are
// "writes" and are hidden in read-only mode, like the tools they call.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ErrorCode,
  GetPromptRequestSchema,
  type GetPromptResult,
  ListPromptsRequestSchema,
  type Prompt,
} from '@modelcontextprotocol/sdk/types.js';
import type { CompletionSource } from './completions.ts';
import { protocolError } from './error-policy.ts';

type ArgValue = string | number | Record<string, unknown>;

export interface PromptArgument {
  name: string;
  description: string;
  required?: boolean;
  /** How the string a client sends is read: as is, as a positive integer, or as a JSON object. */
  type: 'string' | 'integer' | 'json_object';
  default?: ArgValue;
  complete?: CompletionSource;
}

export interface PromptDefinition {
  name: string;
  title: string;
  description: string;
  writes: boolean;
  arguments: PromptArgument[];
  render(args: Record<string, ArgValue | undefined>): string;
}

const code = (text: unknown) => `\`${String(text)}\``;
/** `topic="durable execution"`, as the documentation writes flow inputs. */
const inputsText = (inputs: unknown) =>
  Object.entries((inputs ?? {}) as Record<string, unknown>)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(', ');
const json = (value: unknown) => JSON.stringify(value);

export const PROMPTS: PromptDefinition[] = [
  {
    name: 'status_check',
    title: 'Read-only status check',
    description: 'Check the Kitaru status and list the latest executions; summarize anything waiting for input.',
    writes: false,
    arguments: [{ name: 'limit', description: 'How many of the latest executions to list (default 5).', type: 'integer', default: 5 }],
    render: ({ limit }) =>
      `Check my Kitaru status and list the ${limit === 5 ? 'five' : limit} latest executions. Summarize anything waiting for input.\n\n` +
      `Use kitaru_status, then kitaru_executions_list(limit=${limit}). For each waiting execution, show its pending wait's question. Change nothing.`,
  },
  {
    name: 'run_and_watch',
    title: 'Start and watch a flow',
    description: 'Run a flow target with arguments, then watch the execution until it finishes.',
    writes: true,
    arguments: [
      {
        name: 'target',
        description: 'The flow as `<module_or_file>:<flow_name>`, e.g. examples/basic_flow/first_working_flow.py:research_agent.',
        required: true,
        type: 'string',
      },
      { name: 'args', description: 'Flow inputs as a JSON object, e.g. {"topic": "durable execution"}.', type: 'json_object' },
      { name: 'stack', description: 'The stack to run on (default: the active stack).', type: 'string', complete: { kind: 'stacks' } },
    ],
    render: ({ target, args, stack }) => {
      const withArgs = args ? ` with ${inputsText(args)}` : '';
      const onStack = stack ? ` on stack ${code(stack)}` : '';
      return (
        `Run ${code(target)}${withArgs}${onStack}, then watch the execution until it finishes.\n\n` +
        `Start it with kitaru_executions_run(target=${json(target)}${args ? `, args=${json(args)}` : ''}${stack ? `, stack=${json(stack)}` : ''}). ` +
        'Then call kitaru_executions_watch with its exec_id, and again each time it returns reason "timeout". ' +
        'When it ends, report the final status; if it failed, show the failure and the last log lines (get_execution_logs); ' +
        'if it stopped at a wait, show me the question.'
      );
    },
  },
  {
    name: 'resolve_waiting_execution',
    title: 'Resolve a waiting execution safely',
    description: 'Show the question of a waiting execution and ask the user for the value before answering it.',
    writes: true,
    arguments: [
      {
        name: 'exec_id',
        description: 'The waiting execution (default: find the one waiting).',
        type: 'string',
        complete: { kind: 'executions', status: 'waiting' },
      },
    ],
    render: ({ exec_id }) =>
      (exec_id
        ? `Execution ${code(exec_id)} is waiting for input. Show me the question and ask me for the value before calling the input tool.`
        : 'Find executions waiting for input. If exactly one is waiting, show me the question and ask me for the value before calling the input tool.') +
      '\n\n' +
      (exec_id ? '' : 'Use kitaru_executions_list(status="waiting"); if several are waiting, list them and ask me which one. ') +
      'Ask me with kitaru_executions_ask, which shows me the question as a form and submits my answer. If it says this client cannot ask me, ' +
      'ask me in the chat and then call kitaru_executions_input with exactly my answer. Never guess or invent the value; if I decline, submit nothing.',
  },
  {
    name: 'replay_failed_execution',
    title: 'Plan and run a replay',
    description: 'Replay the latest failed execution from the checkpoint before the failing one, explaining the plan first.',
    writes: true,
    arguments: [
      {
        name: 'exec_id',
        description: 'The failed execution (default: the latest failed one).',
        type: 'string',
        complete: { kind: 'executions', status: 'failed' },
      },
      { name: 'flow', description: 'Only consider executions of this flow.', type: 'string', complete: { kind: 'flows' } },
    ],
    render: ({ exec_id, flow }) => {
      const which = exec_id ? `execution ${code(exec_id)}` : `the latest failed execution${flow ? ` of flow ${code(flow)}` : ''}`;
      const find = exec_id
        ? `Read it with kitaru_executions_get(exec_id=${json(exec_id)})`
        : `Find it with kitaru_executions_latest(status="failed"${flow ? `, flow=${json(flow)}` : ''}) and read it with kitaru_executions_get`;
      return (
        `Replay ${which} from the checkpoint before the failing one. Explain the replay plan before running it.\n\n` +
        `${find}. Pick the checkpoint just before the first failed one, explain which checkpoints are reused and which run again, ` +
        'then run kitaru_executions_replay(exec_id=..., from_=<that checkpoint>) and report the new execution.'
      );
    },
  },
  {
    name: 'show_response_artifacts',
    title: 'Inspect results from a completed execution',
    description: 'Get the latest completed execution and show its response artifacts.',
    writes: false,
    arguments: [
      {
        name: 'exec_id',
        description: 'The completed execution (default: the latest completed one).',
        type: 'string',
        complete: { kind: 'executions', status: 'completed' },
      },
      { name: 'flow', description: 'Only consider executions of this flow.', type: 'string', complete: { kind: 'flows' } },
    ],
    render: ({ exec_id, flow }) =>
      (exec_id
        ? `Get execution ${code(exec_id)} and show me its response artifacts.`
        : `Get the latest completed execution${flow ? ` of flow ${code(flow)}` : ''} and show me its response artifacts.`) +
      '\n\n' +
      (exec_id
        ? `Use kitaru_executions_get(exec_id=${json(exec_id)})`
        : `Use kitaru_executions_latest(status="completed"${flow ? `, flow=${json(flow)}` : ''})`) +
      ', then kitaru_artifacts_list for its artifacts and kitaru_artifacts_get for the values worth showing. Change nothing.',
  },
  {
    name: 'create_local_stack',
    title: 'Manage a local stack',
    description: 'Create a local Kitaru stack if it does not already exist, then show the current Kitaru status.',
    writes: true,
    arguments: [
      {
        name: 'name',
        description: 'The stack name (default local-dev).',
        type: 'string',
        default: 'local-dev',
        complete: { kind: 'stacks' },
      },
    ],
    render: ({ name }) =>
      `Create a local Kitaru stack named ${name} if it does not already exist, then show me the current Kitaru status.\n\n` +
      `Check kitaru_stacks_list first; only if it is missing, call manage_stack(action="create", name=${json(name)}). Then call kitaru_status.`,
  },
  {
    name: 'deploy_and_invoke',
    title: 'Deploy and invoke a shared flow route',
    description: 'Deploy a flow target as a tagged deployment, then invoke that route and show the started execution ID.',
    writes: true,
    arguments: [
      {
        name: 'target',
        description: 'The flow as `<module_or_file>:<flow_name>`, e.g. flows/research.py:research_agent.',
        required: true,
        type: 'string',
      },
      { name: 'inputs', description: 'Flow inputs as a JSON object, e.g. {"topic": "durable execution"}.', type: 'json_object' },
      {
        name: 'tag',
        description: 'The route tag (default canary).',
        type: 'string',
        default: 'canary',
        complete: { kind: 'deployment_tags' },
      },
    ],
    render: ({ target, inputs, tag }) =>
      `Deploy ${code(target)}${inputs ? ` with ${inputsText(inputs)}` : ''} as a ${tag} deployment, then invoke the ${tag} route and show me the started execution ID.\n\n` +
      `Use kitaru_deployments_deploy(target=${json(target)}${inputs ? `, inputs=${json(inputs)}` : ''}, tag=${json(tag)}), ` +
      `then kitaru_deployments_invoke(flow=<the deployed flow>, tag=${json(tag)}${inputs ? `, inputs=${json(inputs)}` : ''}).`,
  },
];

export function visiblePrompts(readOnly: boolean): PromptDefinition[] {
  return PROMPTS.filter((prompt) => !readOnly || !prompt.writes);
}

function invalid(message: string): never {
  throw protocolError(ErrorCode.InvalidParams, message);
}

/** Reads each argument as its declared type; a bad one names the argument and what was expected. */
export function parsePromptArguments(
  prompt: PromptDefinition,
  raw: Record<string, string> | undefined,
): Record<string, ArgValue | undefined> {
  const given = raw ?? {};
  for (const name of Object.keys(given)) {
    if (!prompt.arguments.some((argument) => argument.name === name)) invalid(`Prompt ${prompt.name} has no argument '${name}'.`);
  }
  const parsed: Record<string, ArgValue | undefined> = {};
  for (const argument of prompt.arguments) {
    const text = given[argument.name]?.trim();
    if (text === undefined || text === '') {
      if (argument.required) invalid(`Prompt ${prompt.name}: argument '${argument.name}' is required (${argument.description})`);
      parsed[argument.name] = argument.default;
      continue;
    }
    if (argument.type === 'integer') {
      if (!/^\d+$/.test(text) || Number(text) < 1)
        invalid(`Prompt ${prompt.name}: argument '${argument.name}' should be a positive integer.`);
      parsed[argument.name] = Number(text);
    } else if (argument.type === 'json_object') {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        invalid(`Prompt ${prompt.name}: argument '${argument.name}' should be a JSON object, like {"topic": "durable execution"}.`);
      }
      parsed[argument.name] = value as Record<string, unknown>;
    } else {
      parsed[argument.name] = text;
    }
  }
  return parsed;
}

function listed(prompt: PromptDefinition): Prompt {
  return {
    name: prompt.name,
    title: prompt.title,
    description: prompt.description,
    arguments: prompt.arguments.map(({ name, description, required }) => ({ name, description, required: required === true })),
  };
}

export function registerPrompts(server: Server, prompts: PromptDefinition[]): void {
  const byName = new Map(prompts.map((prompt) => [prompt.name, prompt]));
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: prompts.map(listed) }));
  server.setRequestHandler(GetPromptRequestSchema, async (request): Promise<GetPromptResult> => {
    const prompt = byName.get(request.params.name);
    if (prompt === undefined) invalid(`Unknown prompt: ${request.params.name}`);
    const text = prompt.render(parsePromptArguments(prompt, request.params.arguments));
    return { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text } }] };
  });
}
