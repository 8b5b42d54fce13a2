// Output shapes of the deployment tools (Python's kitaru-mcp deployment serializers).
import { z } from 'zod';
import { jsonObject, nullableString } from './parts.ts';

/** One deployment version, as list/get/tag/untag return it. */
export const deploymentSchema = z.object({
  deployment_id: z.string(),
  flow: z.string(),
  version: z.number().int(),
  tags: z.record(z.string(), z.boolean()),
  commit_sha: nullableString,
  commit_dirty: z.boolean().nullable(),
  image_digest: nullableString,
  created_at: nullableString,
  schema: jsonObject.nullable(),
  stack: nullableString,
});

/** The same record from kitaru_deployments_deploy, whose Python signature types `tags` as `dict[str, Any]`. */
export const deployedSchema = deploymentSchema.extend({ tags: z.record(z.string(), z.unknown()) });

export const invokeResultSchema = z.object({
  exec_id: z.string(),
  flow: z.string(),
  selector: z.object({ version: z.number().int().nullable(), tag: nullableString }),
  execution: jsonObject.nullable(),
  warning: nullableString,
});

export const deletedDeploymentSchema = z.object({ flow: z.string(), version: z.number().int(), deleted: z.literal(true) });

export type Deployment = z.input<typeof deploymentSchema>;
export type Deployed = z.input<typeof deployedSchema>;
export type InvokeResult = z.input<typeof invokeResultSchema>;
export type DeletedDeployment = z.input<typeof deletedDeploymentSchema>;
