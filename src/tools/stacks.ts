// manage_stack: create or delete a stack. Validation is pure TypeScript with
// Python's rules and words; local stacks are made over REST, remote ones
// through the user's Kitaru (it owns connectors and provider checks).
import { z } from 'zod';
import { manageStack } from '../kitaru/stack-management.ts';
import { type ToolDefinition, defineTool } from './define.ts';
import { optionalObject, optionalString } from './schemas.ts';

const create = z.object({
  id: z.string(),
  name: z.string(),
  is_active: z.boolean(),
  previous_active_stack: z.string().nullable(),
  components_created: z.array(z.string()),
  stack_type: z.string(),
  service_connectors_created: z.array(z.string()).optional(),
  resources: z.record(z.string(), z.string()).optional(),
});

const remove = z.object({
  deleted_stack: z.string(),
  components_deleted: z.array(z.string()),
  new_active_stack: z.string().nullable(),
  recursive: z.boolean(),
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
  output: z.union([create, remove]),
  // Creates cloud resources for remote types; deletes stacks and components.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  handler: (args, { runtime, signal }) => manageStack(runtime, args, { signal }),
});

export const TOOLS: ToolDefinition[] = [manage];
