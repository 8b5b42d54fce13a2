// Local-database mode: Kitaru is configured with its SQLite store (no server),
// so there is no REST API to ask. Python's kitaru-mcp opens that store
// in-process; we ask the user's own kitaru to do the same: each tool of the
// Python server is answered by calling its tool function
// (kitaru.mcp.server.<tool>) in the warm worker (helpers/local_db.py), with
// the arguments we already validated. The payload, and an error's text, are
// then Python's on the same store.
//
// Not routed, in any mode: the flow tools (run, replay, retry, resume, deploy)
// and clean preview already run wholly in the user's Python; starting and
// stopping the local server manage a daemon, not the store. The tools Python
// lacks (ask, watch) and prompts/resources/completion need a server; their
// REST path refuses with a message naming the way out.
//
// Which Python: the read-only tools execute only an interpreter the user
// named (--python, KITARU_PYTHON), as kitaru_status/kitaru_info do
// everywhere; without one they stay on their REST path, which refuses (or,
// for status/info, reports the local database with a warning). The other
// tools run the interpreter found as for every Python-side tool.
import type { Connection } from '../config/connection.ts';
import { runKitaruHelper } from './python.ts';
import type { KitaruRuntime } from './runtime.ts';
import { activeEnvironment } from './status.ts';

/** The Python kitaru-mcp's tools that read or change the store, served by its own functions here. */
export const SERVED_FROM_LOCAL_DATABASE: ReadonlySet<string> = new Set([
  'kitaru_executions_list',
  'kitaru_executions_get',
  'kitaru_executions_latest',
  'get_execution_logs',
  'kitaru_deployments_invoke',
  'kitaru_deployments_list',
  'kitaru_deployments_get',
  'kitaru_deployments_delete',
  'kitaru_deployments_tag',
  'kitaru_deployments_untag',
  'kitaru_executions_cancel',
  'kitaru_executions_input',
  'kitaru_secrets_create',
  'kitaru_artifacts_list',
  'kitaru_artifacts_get',
  'kitaru_status',
  'kitaru_stacks_list',
  'manage_stack',
  'kitaru_info',
]);

export function usesLocalDatabase(connection: Connection): boolean {
  return connection.store.type === 'sql';
}

/** True when this call goes to Python's tool function on the local database. */
export function servedFromLocalDatabase(runtime: KitaruRuntime, tool: string, readOnly: boolean): boolean {
  if (!SERVED_FROM_LOCAL_DATABASE.has(tool)) return false;
  if (!usesLocalDatabase(runtime.connection())) return false;
  return !readOnly || runtime.pythonOverride !== undefined;
}

type JsonObject = Record<string, unknown>;

/** Ours shows `***` for a secret-like variable where Python shows its first characters. */
function maskEnvironment(runtime: KitaruRuntime, payload: unknown): void {
  const entries = (payload as JsonObject | null)?.environment;
  if (!Array.isArray(entries)) return;
  const masked = new Set(
    activeEnvironment(runtime.env)
      .filter((e) => e.value === '***')
      .map((e) => e.name),
  );
  for (const entry of entries as JsonObject[]) if (masked.has(String(entry?.name))) entry.value = '***';
}

/** A secret's values never reach an error text (the store's messages can quote what was submitted). */
function redactValues(error: unknown, values: unknown): never {
  if (error instanceof Error && values !== null && typeof values === 'object') {
    for (const value of Object.values(values as JsonObject)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if (text !== undefined && text.length > 0) error.message = error.message.split(text).join('***');
    }
  }
  throw error;
}

/**
 * Calls kitaru.mcp.server.<tool>(**args) in the user's Python; see the file
 * comment. A read-only tool's call may be repeated once by the worker itself
 * when idle (its result dropped), so later calls start from what Python's
 * server would have warm: the store open, its queries compiled.
 */
export async function callLocalDatabaseTool(
  runtime: KitaruRuntime,
  tool: string,
  args: JsonObject,
  options: { readOnly: boolean; signal?: AbortSignal },
): Promise<unknown> {
  const call = runKitaruHelper<unknown>(
    runtime,
    'local_db.call_tool',
    { tool, arguments: args, repeat_to_warm: options.readOnly },
    { ...(options.signal ? { signal: options.signal } : {}) },
  );
  const value = await (tool === 'kitaru_secrets_create' ? call.catch((error: unknown) => redactValues(error, args.values)) : call);
  if (tool === 'kitaru_status' || tool === 'kitaru_info') maskEnvironment(runtime, value);
  return value;
}
