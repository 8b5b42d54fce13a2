// Stack tools: list the stacks; manage_stack creates or deletes one. Its
// validation is pure TypeScript with Python's rules and words; local stacks are
// made over REST, remote ones through the user's Kitaru (it owns connectors and
// provider checks).
import { z } from 'zod';
import { stackCreatedSchema, stackDeletedSchema, stackEntrySchema } from '../kitaru/payloads/environment.ts';
import { manageStack } from '../kitaru/stack-management.ts';
import { listStacks } from '../kitaru/stacks.ts';
import { optionalObject, optionalString } from '../mcp/shapes.ts';
import { type KitaruTool, READ_ONLY, defineTool } from './kitaru-tool.ts';

export const kitaruStacksList = defineTool({
  name: 'kitaru_stacks_list',
  title: 'List stacks',
  description: 'List available stacks from the active connection context.',
  input: z.object({}),
  output: z.array(stackEntrySchema),
  annotations: READ_ONLY,
  handler: async (_args, { runtime }) => {
    const connection = runtime.connection();
    return listStacks(runtime.api(connection, { guardrails: false }), connection);
  },
});

const manage = defineTool({
  name: 'manage_stack',
  title: 'Create or delete a stack',
  description:
    'Create or delete a local, Kubernetes-backed, Vertex AI, SageMaker,\n' +
    '    or AzureML stack. `async_mode` is the MCP equivalent of CLI `--async`.',
  input: z.object({
    action: z.enum(['create', 'delete']),
    name: z.string(),
    activate: z.boolean().default(true),
    recursive: z.boolean().default(false),
    force: z.boolean().default(false),
    stack_type: z.string().default('local'),
    artifact_store: optionalString(),
    container_registry: optionalString(),
    cluster: optionalString(),
    region: optionalString(),
    subscription_id: optionalString(),
    resource_group: optionalString(),
    workspace: optionalString(),
    execution_role: optionalString(),
    namespace: optionalString(),
    credentials: optionalString(),
    extra: optionalObject(),
    async_mode: z.boolean().default(false),
    verify: z.boolean().default(true),
  }),
  output: z.union([stackCreatedSchema, stackDeletedSchema]),
  // Creates cloud resources for remote types; deletes stacks and components.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  handler: (args, { runtime, signal }) => manageStack(runtime, args, { signal }),
});

export const TOOLS: KitaruTool[] = [kitaruStacksList, manage];
