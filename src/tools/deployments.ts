// Deployment tools (all but deploy, which needs the user's Python and lives
// with the bridge tools): versioned, tagged flow snapshots on the server.
import { z } from 'zod';
import {
  deleteDeployment,
  getDeployment,
  invokeDeployment,
  listDeployments,
  tagDeployment,
  untagDeployment,
} from '../kitaru/deployments.ts';
import { READ_ONLY, type ToolDefinition, defineTool } from './define.ts';
import { jsonObject, optionalInt, optionalObject, optionalString } from './schemas.ts';

export const deploymentPayload = z.object({
  deployment_id: z.string(),
  flow: z.string(),
  version: z.number().int(),
  tags: z.record(z.string(), z.boolean()),
  commit_sha: z.string().nullable(),
  commit_dirty: z.boolean().nullable(),
  image_digest: z.string().nullable(),
  created_at: z.string().nullable(),
  schema: jsonObject.nullable(),
  stack: z.string().nullable(),
});

const WRITE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };

const invoke = defineTool({
  name: 'kitaru_deployments_invoke',
  title: 'Invoke a deployment',
  description: 'Invoke a deployed flow snapshot by version or tag.',
  input: z.object({
    flow: z.string(),
    version: optionalInt(),
    tag: optionalString(),
    inputs: optionalObject(),
  }),
  output: z.object({
    exec_id: z.string(),
    flow: z.string(),
    selector: z.object({ version: z.number().int().nullable(), tag: z.string().nullable() }),
    execution: jsonObject.nullable(),
    warning: z.string().nullable(),
  }),
  // Starts a run on the server: not idempotent, and the flow may reach outside.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  handler: (args, { runtime, signal }) => invokeDeployment(runtime, args, { signal }),
});

const list = defineTool({
  name: 'kitaru_deployments_list',
  title: 'List deployments',
  description: 'List flow deployments, optionally filtered to one flow.',
  input: z.object({ flow: optionalString() }),
  output: z.array(deploymentPayload),
  annotations: READ_ONLY,
  handler: (args, { runtime, signal }) => listDeployments(runtime, args.flow, { signal }),
});

const get = defineTool({
  name: 'kitaru_deployments_get',
  title: 'Get a deployment',
  description: 'Get one flow deployment by version or tag.',
  input: z.object({ flow: z.string(), version: optionalInt(), tag: optionalString() }),
  output: deploymentPayload,
  annotations: READ_ONLY,
  handler: (args, { runtime, signal }) => getDeployment(runtime, args, { signal }),
});

const remove = defineTool({
  name: 'kitaru_deployments_delete',
  title: 'Delete a deployment version',
  description: 'Delete one deployment version when no exclusive tag protects it.',
  input: z.object({ flow: z.string(), version: z.number().int() }),
  output: z.object({ flow: z.string(), version: z.number().int(), deleted: z.literal(true) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  handler: (args, { runtime, signal }) => deleteDeployment(runtime, args, { signal }),
});

const tag = defineTool({
  name: 'kitaru_deployments_tag',
  title: 'Tag a deployment version',
  description: 'Attach a public tag to one deployment version.',
  input: z.object({
    flow: z.string(),
    version: z.number().int(),
    tag: z.string(),
    exclusive: z.boolean().default(false),
  }),
  output: deploymentPayload,
  // An exclusive tag moves off other versions; tagging twice leaves the same state.
  annotations: { ...WRITE, destructiveHint: true, idempotentHint: true },
  handler: (args, { runtime, signal }) => tagDeployment(runtime, args, { signal }),
});

const untag = defineTool({
  name: 'kitaru_deployments_untag',
  title: 'Untag a deployment version',
  description: 'Remove a public tag from one deployment version.',
  input: z.object({ flow: z.string(), version: z.number().int(), tag: z.string() }),
  output: deploymentPayload,
  annotations: { ...WRITE, destructiveHint: true, idempotentHint: true },
  handler: (args, { runtime, signal }) => untagDeployment(runtime, args, { signal }),
});

export const TOOLS: ToolDefinition[] = [invoke, list, get, remove, tag, untag];
