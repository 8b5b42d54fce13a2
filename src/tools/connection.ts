// Connection tools: status, diagnostics and stacks.
import { z } from 'zod';
import { listStacks } from '../kitaru/stacks.ts';
import { buildRuntimeSnapshot } from '../kitaru/status.ts';
import { READ_ONLY, defineTool } from './define.ts';
import { jsonObject, nullableString } from './schemas.ts';

const runtimeSnapshot = z.object({
  sdk_version: nullableString,
  connection: z.string(),
  connection_target: z.string(),
  config_directory: z.string(),
  server_url: nullableString,
  active_user: nullableString,
  project_override: nullableString,
  active_stack: nullableString,
  repository_root: nullableString,
  server_version: nullableString,
  server_database: nullableString,
  server_deployment_type: nullableString,
  local_server_status: nullableString,
  warning: nullableString,
  log_store_status: nullableString,
  log_store_warning: nullableString,
  environment: z.array(z.object({ name: z.string(), value: z.string() })),
  kitaru_global_config_path: nullableString,
  zenml_global_config_path: nullableString,
  local_stores_path: nullableString,
  repository_config_path: nullableString,
  uses_repo_local_config: z.boolean(),
  connection_sources: z.record(z.string(), z.string()).nullable(),
  active_project: nullableString,
  active_stack_provenance: jsonObject.nullable(),
  active_project_provenance: jsonObject.nullable(),
  python_version: nullableString,
  system_info: z.object({ os: z.string(), architecture: z.string() }).nullable(),
  environment_type: nullableString,
  zenml_version: nullableString,
  packages: z.record(z.string(), z.string()).nullable(),
});

export const kitaruStatus = defineTool({
  name: 'kitaru_status',
  title: 'Kitaru status',
  description: 'Return structured status details for the current Kitaru connection.',
  input: z.object({}),
  output: runtimeSnapshot,
  annotations: READ_ONLY,
  handler: (_args, { runtime }) => buildRuntimeSnapshot(runtime),
});

export const kitaruInfo = defineTool({
  name: 'kitaru_info',
  title: 'Kitaru environment diagnostics',
  description:
    'Return detailed environment diagnostics for the current Kitaru setup.\n\n' +
    '    Equivalent to `kitaru info --output json`. Use `all=True` for the full\n' +
    '    diagnostic including all packages and environment type.\n    ',
  input: z.object({
    all: z.boolean().default(false),
    all_packages: z.boolean().default(false),
    packages: z.array(z.string()).nullable().default(null),
  }),
  output: runtimeSnapshot,
  annotations: READ_ONLY,
  handler: ({ all, all_packages, packages }, { runtime }) => {
    const includePackages = all || all_packages;
    return buildRuntimeSnapshot(runtime, {
      includePackages,
      packageNames: includePackages ? null : packages && packages.length > 0 ? packages : null,
      includeEnvironmentType: all,
      includeProvenanceDetails: all,
    });
  },
});

export const kitaruStacksList = defineTool({
  name: 'kitaru_stacks_list',
  title: 'List stacks',
  description: 'List available stacks from the active connection context.',
  input: z.object({}),
  output: z.array(z.object({ id: z.string(), name: z.string(), is_active: z.boolean(), is_managed: z.boolean() })),
  annotations: READ_ONLY,
  handler: async (_args, { runtime }) => {
    const connection = runtime.connection();
    return listStacks(runtime.api(connection, { guardrails: false }), connection);
  },
});
