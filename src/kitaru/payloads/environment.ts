// Output shapes of the tools about the environment: status and info, stacks,
// the local server and its cleanup preview, secrets.
import { z } from 'zod';
import { jsonObject, nullableString } from './parts.ts';

/** kitaru_status and kitaru_info (Python's runtime snapshot). */
export const runtimeSnapshotSchema = z.object({
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

export const stackEntrySchema = z.object({ id: z.string(), name: z.string(), is_active: z.boolean(), is_managed: z.boolean() });

export const stackCreatedSchema = z.object({
  id: z.string(),
  name: z.string(),
  is_active: z.boolean(),
  previous_active_stack: nullableString,
  components_created: z.array(z.string()),
  stack_type: z.string(),
  service_connectors_created: z.array(z.string()).optional(),
  resources: z.record(z.string(), z.string()).optional(),
});

export const stackDeletedSchema = z.object({
  deleted_stack: z.string(),
  components_deleted: z.array(z.string()),
  new_active_stack: nullableString,
  recursive: z.boolean(),
});

export const localServerStartedSchema = z.object({
  mode: z.literal('local'),
  url: z.string(),
  action: z.enum(['started', 'connected', 'restarted']),
});

export const localServerStoppedSchema = z.object({ stopped: z.boolean(), url: nullableString });

/** `kitaru clean <scope> --dry-run --output json`. */
export const cleanPreviewSchema = z.object({
  scope: z.string(),
  dry_run: z.boolean(),
  aborted: z.boolean(),
  backup_path: nullableString,
  deleted_paths: z.array(z.string()),
  local_server_stopped: z.boolean(),
  local_server_force_killed_pid: z.number().int().nullable(),
  local_server_status: nullableString,
  reinitialized_project: z.boolean(),
  warnings: z.array(z.string()),
  active_environment_overrides: z.array(z.object({ name: z.string(), value: z.string() })),
  preview: z.array(jsonObject),
  total_bytes: z.number().int(),
});

/** Secret metadata: never a value. */
export const secretCreatedSchema = z.object({
  id: z.string(),
  name: z.string(),
  visibility: z.enum(['private', 'public']),
  keys: z.array(z.string()),
  has_missing_values: z.boolean(),
});

export type RuntimeSnapshot = z.input<typeof runtimeSnapshotSchema>;
export type StackEntry = z.input<typeof stackEntrySchema>;
export type StackCreated = z.input<typeof stackCreatedSchema>;
export type StackDeleted = z.input<typeof stackDeletedSchema>;
export type LocalServerStarted = z.input<typeof localServerStartedSchema>;
export type LocalServerStopped = z.input<typeof localServerStoppedSchema>;
export type CleanPreview = z.input<typeof cleanPreviewSchema>;
export type SecretCreated = z.input<typeof secretCreatedSchema>;
