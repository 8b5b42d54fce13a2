// Local server tools (start/connect, stop) and the cleanup preview, which
// only Python can compute (it walks Kitaru's own cleanup plan).
import { z } from 'zod';
import { cleanPreview, startOrConnectLocalServer, stopRegisteredLocalServer } from '../kitaru/local-server.ts';
import { cleanPreviewSchema, localServerStartedSchema, localServerStoppedSchema } from '../kitaru/payloads/environment.ts';
import { optionalInt } from '../mcp/shapes.ts';
import { READ_ONLY, defineTool } from './kitaru-tool.ts';

export const kitaruStartLocalServer = defineTool({
  name: 'kitaru_start_local_server',
  title: 'Start the local Kitaru server',
  description: 'Start or connect to the local Kitaru server.',
  input: z.object({
    port: optionalInt(),
    timeout: z.number().int().default(60),
  }),
  output: localServerStartedSchema,
  // Starts a process and rewrites the client config; a restart replaces a running server.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  handler: ({ port, timeout }, { runtime, signal }) => startOrConnectLocalServer(runtime, { port, timeout, signal }),
});

export const kitaruStopLocalServer = defineTool({
  name: 'kitaru_stop_local_server',
  title: 'Stop the local Kitaru server',
  description: 'Stop the registered local Kitaru server, if one exists.',
  input: z.object({}),
  output: localServerStoppedSchema,
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
  output: cleanPreviewSchema,
  annotations: READ_ONLY,
  handler: ({ scope }, { runtime, signal }) => cleanPreview(runtime, scope, { signal }),
});

export const TOOLS = [kitaruStartLocalServer, kitaruStopLocalServer, kitaruCleanPreview];
