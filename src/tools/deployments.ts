// Deployment tools: versioned, tagged flow snapshots. Deploy runs the user's
// Python (it imports the flow); the rest are REST.
import { z } from 'zod';
import {
  deleteDeployment,
  getDeployment,
  invokeDeployment,
  listDeployments,
  tagDeployment,
  untagDeployment,
} from '../kitaru/deployments.ts';
import { deployFlow } from '../kitaru/flows.ts';
import { deletedDeploymentSchema, deployedSchema, deploymentSchema, invokeResultSchema } from '../kitaru/payloads/deployments.ts';
import { optionalBool, optionalInt, optionalObject, optionalString } from '../mcp/shapes.ts';
import { type KitaruTool, READ_ONLY, defineTool } from './kitaru-tool.ts';

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
    image: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .nullable()
      .default(null),
    cache: optionalBool(),
    retries: optionalInt(),
  }),
  output: deployedSchema,
  // Imports user code and creates a new version; never changes an existing one.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  handler: (args, context) => deployFlow(context, args),
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
  output: invokeResultSchema,
  // Starts a run on the server: not idempotent, and the flow may reach outside.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  handler: (args, { runtime, signal }) => invokeDeployment(runtime, args, { signal }),
});

const list = defineTool({
  name: 'kitaru_deployments_list',
  title: 'List deployments',
  description: 'List flow deployments, optionally filtered to one flow.',
  input: z.object({ flow: optionalString() }),
  output: z.array(deploymentSchema),
  annotations: READ_ONLY,
  handler: (args, { runtime, signal }) => listDeployments(runtime, args.flow, { signal }),
});

const get = defineTool({
  name: 'kitaru_deployments_get',
  title: 'Get a deployment',
  description: 'Get one flow deployment by version or tag.',
  input: z.object({ flow: z.string(), version: optionalInt(), tag: optionalString() }),
  output: deploymentSchema,
  annotations: READ_ONLY,
  handler: (args, { runtime, signal }) => getDeployment(runtime, args, { signal }),
});

const remove = defineTool({
  name: 'kitaru_deployments_delete',
  title: 'Delete a deployment version',
  description: 'Delete one deployment version when no exclusive tag protects it.',
  input: z.object({ flow: z.string(), version: z.number().int() }),
  output: deletedDeploymentSchema,
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
  output: deploymentSchema,
  // An exclusive tag moves off other versions; tagging twice leaves the same state.
  annotations: { ...WRITE, destructiveHint: true, idempotentHint: true },
  handler: (args, { runtime, signal }) => tagDeployment(runtime, args, { signal }),
});

const untag = defineTool({
  name: 'kitaru_deployments_untag',
  title: 'Untag a deployment version',
  description: 'Remove a public tag from one deployment version.',
  input: z.object({ flow: z.string(), version: z.number().int(), tag: z.string() }),
  output: deploymentSchema,
  annotations: { ...WRITE, destructiveHint: true, idempotentHint: true },
  handler: (args, { runtime, signal }) => untagDeployment(runtime, args, { signal }),
});

export const TOOLS: KitaruTool[] = [kitaruDeploymentsDeploy, invoke, list, get, remove, tag, untag];
