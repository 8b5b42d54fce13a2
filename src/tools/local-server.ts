// Local server tools (start/connect, stop) and the cleanup preview, which
// only Python can compute (it walks Kitaru's own cleanup plan).
import { z } from 'zod';
import { cleanPreview, startOrConnectLocalServer, stopRegisteredLocalServer } from '../kitaru/local-server.ts';
import { READ_ONLY, defineTool } from './define.ts';
import { jsonObject, nullableString, optionalInt } from './schemas.ts';

export const kitaruStartLocalServer = defineTool({
  name: 'kitaru_start_local_server',
  title: 'Start the local Kitaru server',
  description: 'Start or connect to the local Kitaru server.',
  input: z.object({
    port: optionalInt(),
    timeout: z.number().int().default(60),
  }),
  output: z.object({
    mode: z.literal('local'),
    url: z.string(),
    action: z.enum(['started', 'connected', 'restarted']),
  }),
  // Starts a process and rewrites the client config; a restart replaces a running server.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  handler: ({ port, timeout }, { runtime, signal }) => startOrConnectLocalServer(runtime, { port, timeout, signal }),
});

export const kitaruStopLocalServer = defineTool({
  name: 'kitaru_stop_local_server',
  title: 'Stop the local Kitaru server',
  description: 'Stop the registered local Kitaru server, if one exists.',
  input: z.object({}),
  output: z.object({ stopped: z.boolean(), url: nullableString }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  handler: (_args, { runtime, signal }) => stopRegisteredLocalServer(runtime, { signal }),
});

export const kitaruCleanPreview = defineTool({
  name: 'kitaru_clean_preview',
  title: 'Preview kitaru clean',
  description:
    'Preview what `kitaru clean <scope>` would delete (dry-run only).\n\n' +
    '    Returns the same payload as `kitaru clean <scope> --dry-run --output json`.\n' +
    '    This tool is strictly read-only and never performs actual cleanup.\n' +
    '    To execute cleanup, use the CLI: `kitaru clean <scope> --yes`.\n    ',
  input: z.object({
    scope: z.enum(['project', 'global', 'all']).default('project'),
  }),
  output: z.object({
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
  }),
  annotations: READ_ONLY,
  handler: ({ scope }, { runtime, signal }) => cleanPreview(runtime, scope, { signal }),
});

export const TOOLS = [kitaruStartLocalServer, kitaruStopLocalServer, kitaruCleanPreview];
