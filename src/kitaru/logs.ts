// Runtime logs of an execution (KitaruClient.executions.logs + the MCP text
// rendering). The server reads the log store; we only page through steps.
import path from 'node:path';
import { readYamlMap } from '../config/yaml-files.ts';
import { ZenmlApiError } from '../http/errors.ts';
import { activeStack } from './stacks.ts';
import { KitaruLogRetrievalError, KitaruUsageError, ValueError } from './errors.ts';
import { pyScalarStr } from '../compat/python.ts';
import { normalizeCheckpointName, pyStrip } from './execution-mapping.ts';
import { type CallOptions, type ExecutionScope, executionScope, listRunSteps, loadRun, pythonErrorText } from './executions.ts';
import type { KitaruRuntime } from './runtime.ts';

export interface LogEntry {
  message: string;
  level: string | null;
  timestamp: string | null;
  source: string | null;
  checkpoint_name: string | null;
  module: string | null;
  filename: string | null;
  lineno: number | null;
}

function coerceLevel(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return pyStrip(value) || null;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const nested = (value as { value?: unknown }).value;
    if (typeof nested === 'string') return pyStrip(nested) || null;
  }
  return pyScalarStr(value);
}

function coerceText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return pyStrip(value) || null;
  return pyScalarStr(value);
}

function coerceLineno(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(pyStrip(value))) return Number(pyStrip(value));
  return null;
}

function mapEntry(raw: Record<string, unknown>, source: string, checkpointName: string | null): LogEntry {
  const message = raw.message;
  const timestamp = raw.timestamp;
  return {
    message: typeof message === 'string' ? message : message === null || message === undefined ? '' : pyScalarStr(message),
    level: coerceLevel(raw.level),
    timestamp: typeof timestamp === 'string' ? pyStrip(timestamp) || null : null,
    source,
    checkpoint_name: checkpointName,
    module: coerceText(raw.module),
    filename: coerceText(raw.filename),
    lineno: coerceLineno(raw.lineno),
  };
}

/** Seconds since the epoch of an ISO timestamp (naive = UTC), or null when Python could not parse it. */
function parseTimestamp(value: string | null): number | null {
  if (value === null) return null;
  let text = pyStrip(value);
  if (!text) return null;
  if (text.endsWith('Z')) text = `${text.slice(0, -1)}+00:00`;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?)?([+-]\d{2}:\d{2})?$/.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = match;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return null;
  let seconds = ms / 1000 + Number(frac.padEnd(6, '0')) / 1e6;
  if (zone !== undefined) {
    const sign = zone.startsWith('-') ? -1 : 1;
    seconds -= sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  }
  ms = seconds;
  return ms;
}

/** Chronological, stable; entries without a usable timestamp go last in their arrival order. */
function sortEntries(entries: LogEntry[]): LogEntry[] {
  return entries
    .map((entry, index) => ({ entry, index, at: parseTimestamp(entry.timestamp) }))
    .sort((a, b) => {
      if ((a.at === null) !== (b.at === null)) return a.at === null ? 1 : -1;
      if (a.at !== null && b.at !== null && a.at !== b.at) return a.at - b.at;
      return a.index - b.index;
    })
    .map((item) => item.entry);
}

function isEmptyLogError(message: string): boolean {
  return message.toLowerCase().includes('no logs found');
}
function isOtelError(message: string): boolean {
  const lowered = message.toLowerCase();
  return lowered.includes('notimplementederror') || (lowered.includes('otel') && lowered.includes('not implemented'));
}
function isVersionSkewError(message: string): boolean {
  return message.toLowerCase().includes('zenml.log_stores');
}

/**
 * Python's _resolve_log_endpoint_hint: the active stack's log store endpoint,
 * else the KITARU_LOG_STORE_* override, else the log_store in kitaru.yaml.
 */
async function logEndpointHint(runtime: KitaruRuntime, scope: ExecutionScope): Promise<string | null> {
  try {
    const connection = runtime.connection();
    const stack = await activeStack(scope.api, connection);
    const components = (stack.metadata?.components ?? {}) as Record<string, Array<{ id: string }>>;
    const logStore = components.log_store?.[0];
    if (logStore !== undefined) {
      const component = await scope.api.get<{ metadata?: { configuration?: { endpoint?: unknown } } }>(
        `/api/v1/components/${encodeURIComponent(logStore.id)}`,
        { query: { hydrate: true }, signal: scope.signal },
      );
      const endpoint = component.metadata?.configuration?.endpoint;
      if (typeof endpoint === 'string' && endpoint.trim().replace(/\/+$/, '')) return endpoint.trim().replace(/\/+$/, '');
    }
  } catch {
    // As in Python: no stack log store to ask, fall through to the configured override.
  }
  const env = runtime.env;
  const backend = env.KITARU_LOG_STORE_BACKEND;
  if (backend !== undefined || env.KITARU_LOG_STORE_ENDPOINT !== undefined || env.KITARU_LOG_STORE_API_KEY !== undefined) {
    // An invalid override is a usage error in Python, which the hint lookup swallows.
    if (backend === undefined || backend.trim().toLowerCase() === 'artifact-store') return null;
    return env.KITARU_LOG_STORE_ENDPOINT || null;
  }
  try {
    const configDir = path.dirname(runtime.connection().configFile);
    const logStore = readYamlMap(path.join(configDir, 'kitaru.yaml')).log_store as { endpoint?: unknown } | undefined;
    return typeof logStore?.endpoint === 'string' && logStore.endpoint ? logStore.endpoint : null;
  } catch {
    return null;
  }
}

async function fetchLogPayload(
  runtime: KitaruRuntime,
  scope: ExecutionScope,
  path: string,
  source: string,
): Promise<Record<string, unknown>[]> {
  let payload: unknown;
  try {
    payload = await scope.api.get<unknown>(path, { query: { source }, signal: scope.signal });
  } catch (error) {
    if (scope.signal?.aborted) throw error;
    const text = pythonErrorText(error);
    // A 501 is the server saying its log store (OTEL) cannot be read back.
    if (isEmptyLogError(text)) return [];
    if (isOtelError(text) || (error instanceof ZenmlApiError && error.exceptionClass === 'NotImplementedError')) {
      const hint = await logEndpointHint(runtime, scope);
      throw new KitaruLogRetrievalError(
        'Logs for this execution are stored in an OTEL backend and cannot be fetched via the Kitaru log retrieval API.' +
          (hint ? ` View them in your OTEL backend at: ${hint}.` : ''),
      );
    }
    if (isVersionSkewError(text)) {
      throw new KitaruLogRetrievalError(
        'Unable to retrieve runtime logs because the server log endpoint is incompatible with this Kitaru client. ' +
          'This usually means the client and server are running different Kitaru versions. Upgrade the server runtime ' +
          'or align the client and server versions, then retry `kitaru executions logs`.',
      );
    }
    throw new KitaruLogRetrievalError(`Failed to retrieve runtime logs for source '${source}': ${text}`);
  }
  if (!Array.isArray(payload)) {
    throw new KitaruLogRetrievalError('Unexpected response while retrieving runtime logs: expected a list payload.');
  }
  for (const entry of payload) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new KitaruLogRetrievalError('Unexpected log entry payload type returned by the server.');
    }
  }
  return payload as Record<string, unknown>[];
}

function stepStartSeconds(step: Record<string, unknown>): number {
  const start = (step.body as { start_time?: string | null } | undefined)?.start_time ?? null;
  return start === null ? Number.POSITIVE_INFINITY : (parseTimestamp(start) ?? Number.POSITIVE_INFINITY);
}

export interface LogsArgs {
  execId: string;
  checkpoint: string | null;
  source: string;
  limit: number;
}

/** KitaruClient.executions.logs. */
export async function executionLogs(runtime: KitaruRuntime, args: LogsArgs, options: CallOptions = {}): Promise<LogEntry[]> {
  const source = pyStrip(args.source).toLowerCase();
  if (!source) throw new KitaruUsageError('`source` must be a non-empty string.');
  if (args.limit < 1) throw new KitaruUsageError('`limit` must be >= 1 when provided.');
  let checkpoint: string | null = null;
  if (args.checkpoint !== null) {
    checkpoint = pyStrip(args.checkpoint);
    if (!checkpoint) throw new KitaruUsageError('`checkpoint` must be non-empty when provided.');
  }
  if (source === 'runner' && checkpoint !== null) {
    throw new KitaruUsageError("`checkpoint` cannot be combined with `source='runner'`.");
  }
  const connection = runtime.connection();
  if (connection.usageProblem === null && connection.store.type !== 'rest') {
    // Python reads the run from the local database first, then fails here; we cannot read it at all.
    throw new KitaruLogRetrievalError(
      'Runtime log retrieval requires a server-backed connection. Local database mode does not expose execution log endpoints.',
    );
  }
  const scope = executionScope(runtime, options);
  const run = await loadRun(scope, args.execId);

  if (source === 'runner') {
    const payload = await fetchLogPayload(runtime, scope, `/api/v1/runs/${encodeURIComponent(run.id)}/logs`, source);
    return sortEntries(payload.map((raw) => mapEntry(raw, source, null))).slice(0, args.limit);
  }

  let steps = (await listRunSteps(scope, run)).sort((a, b) => {
    const at = stepStartSeconds(a);
    const bt = stepStartSeconds(b);
    if (at !== bt) return at < bt ? -1 : 1;
    const an = normalizeCheckpointName(String(a.name ?? ''));
    const bn = normalizeCheckpointName(String(b.name ?? ''));
    if (an !== bn) return an < bn ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  if (checkpoint !== null) steps = steps.filter((step) => normalizeCheckpointName(String(step.name ?? '')) === checkpoint);
  if (steps.length === 0) return [];

  // Python fetches step by step and stops once it holds `limit` entries. We
  // fetch a window of steps at once and read the answers in Python's order,
  // stopping at the same step; a failure after that step is one Python never saw.
  const entries: LogEntry[] = [];
  for (let start = 0; start < steps.length; start += LOG_FETCH_CONCURRENCY) {
    const window = steps.slice(start, start + LOG_FETCH_CONCURRENCY);
    const answers = await Promise.allSettled(
      window.map((step) => fetchLogPayload(runtime, scope, `/api/v1/steps/${encodeURIComponent(step.id)}/logs`, source)),
    );
    for (let i = 0; i < window.length; i += 1) {
      const step = window[i]!;
      const answer = answers[i]!;
      // The local server's log store can fail a read made alongside others (seen as a
      // zenml.log_stores error under load); Python reads one at a time, so a failed
      // read is asked again alone, and only a second failure is the answer.
      const payload =
        answer.status === 'fulfilled'
          ? answer.value
          : await fetchLogPayload(runtime, scope, `/api/v1/steps/${encodeURIComponent(step.id)}/logs`, source);
      const name = normalizeCheckpointName(String(step.name ?? ''));
      entries.push(...payload.map((raw) => mapEntry(raw, source, name)));
      if (entries.length >= args.limit) return sortEntries(entries).slice(0, args.limit);
    }
  }
  return sortEntries(entries).slice(0, args.limit);
}

/** Step log requests in flight at once (a long execution has many checkpoints). */
const LOG_FETCH_CONCURRENCY = 8;

/**
 * The most a get_execution_logs result holds: entries and characters. Python
 * has no bound (a limit of 1,000,000 gave 10.9 MB, more than MCP clients take);
 * below both bounds our text is Python's, above them it is cut at an entry and
 * says where, and how to read the rest.
 */
export const LOG_RESULT_MAX_ENTRIES = 5_000;
export const LOG_RESULT_MAX_CHARS = 200_000;

function formatEntry(entry: LogEntry): string {
  const parts: string[] = [];
  if (entry.timestamp) parts.push(entry.timestamp);
  if (entry.level) parts.push(entry.level.toUpperCase());
  if (entry.checkpoint_name) parts.push(`[${entry.checkpoint_name}]`);
  return parts.length > 0 ? `${parts.join(' ')} ${entry.message}` : entry.message;
}

/** mcp get_execution_logs: the entries as readable lines, or "No log entries found.", bounded. */
export async function executionLogsText(runtime: KitaruRuntime, args: LogsArgs, options: CallOptions = {}): Promise<string> {
  if (args.limit < 1) throw new ValueError('`limit` must be >= 1.');
  const entries = await executionLogs(runtime, args, options);
  if (entries.length === 0) return 'No log entries found.';
  return boundedLogText(entries.map(formatEntry), entries, args);
}

/** Python's "\n".join(lines) when it fits the bounds; otherwise a prefix of whole entries and a note. */
export function boundedLogText(
  lines: string[],
  entries: Array<{ checkpoint_name: string | null }>,
  args: { checkpoint: string | null; source: string },
  bounds = { entries: LOG_RESULT_MAX_ENTRIES, chars: LOG_RESULT_MAX_CHARS },
): string {
  let chars = 0;
  let kept = 0;
  for (; kept < lines.length && kept < bounds.entries; kept += 1) {
    const next = chars + (kept > 0 ? 1 : 0) + lines[kept]!.length;
    if (next > bounds.chars) break;
    chars = next;
  }
  if (kept === lines.length) return lines.join('\n');
  const total = lines.reduce((sum, line) => sum + line.length, 0) + lines.length - 1;
  const rest = [
    ...new Set(
      entries
        .slice(kept)
        .map((e) => e.checkpoint_name)
        .filter((n): n is string => n !== null),
    ),
  ];
  const pageOn =
    args.checkpoint === null && rest.length > 0
      ? `read the rest one checkpoint at a time with \`checkpoint\` (not shown: ${rest.join(', ')})`
      : 'ask for fewer entries with `limit`';
  const note =
    `[kitaru-mcp: log output cut at ${kept} of ${lines.length} entries (${chars} of ${total} characters; ` +
    `bounds: ${bounds.entries} entries, ${bounds.chars} characters); ${pageOn}.]`;
  // One entry alone above the character bound: its first characters.
  const shown = kept > 0 ? lines.slice(0, kept).join('\n') : lines[0]!.slice(0, bounds.chars);
  return `${shown}\n${note}`;
}
