// Resources a client can attach to a conversation. Each read runs the matching
// tool's own handler, so its text is exactly that tool's result text:
//   kitaru://status                      kitaru_status
//   kitaru://executions/{exec_id}        kitaru_executions_get
//   kitaru://executions/{exec_id}/logs   get_execution_logs (default source and limit)
//   kitaru://artifacts/{artifact_id}     kitaru_artifacts_get
// resources/list offers kitaru://status and the newest executions (bounded).
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ErrorCode,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ReadResourceRequestSchema,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
} from '@modelcontextprotocol/sdk/types.js';
import { listExecutions } from '../kitaru/executions.ts';
import type { KitaruRuntime } from '../kitaru/runtime.ts';
import { kitaruArtifactsGet } from './artifacts.ts';
import type { CompletionSource } from './completions.ts';
import { kitaruStatus } from './status.ts';
import type { KitaruTool } from './kitaru-tool.ts';
import { errorText, protocolError } from './error-policy.ts';
import { getExecutionLogs, kitaruExecutionsGet } from './executions/queries.ts';

/** How many executions resources/list offers, newest first. */
export const LISTED_EXECUTIONS = 25;
/** MCP's "resource not found" error code. */
const RESOURCE_NOT_FOUND = -32002;

interface TemplateDefinition extends ResourceTemplate {
  pattern: RegExp;
  tool: KitaruTool;
  /** The tool's arguments from the URI's variables. */
  args(variables: string[]): Record<string, unknown>;
  variables: Record<string, CompletionSource>;
}

const JSON_TYPE = 'application/json';

export const TEMPLATES: TemplateDefinition[] = [
  {
    uriTemplate: 'kitaru://executions/{exec_id}',
    name: 'execution',
    title: 'Kitaru execution',
    description: 'One execution in full (what kitaru_executions_get returns): status, checkpoints, artifacts, pending wait, failure.',
    mimeType: JSON_TYPE,
    pattern: /^kitaru:\/\/executions\/([^/]+)$/,
    tool: kitaruExecutionsGet,
    args: ([execId]) => ({ exec_id: execId }),
    variables: { exec_id: { kind: 'executions' } },
  },
  {
    uriTemplate: 'kitaru://executions/{exec_id}/logs',
    name: 'execution-logs',
    title: 'Kitaru execution logs',
    description: "An execution's checkpoint log lines (what get_execution_logs returns with its defaults).",
    mimeType: 'text/plain',
    pattern: /^kitaru:\/\/executions\/([^/]+)\/logs$/,
    tool: getExecutionLogs,
    args: ([execId]) => ({ exec_id: execId }),
    variables: { exec_id: { kind: 'executions' } },
  },
  {
    uriTemplate: 'kitaru://artifacts/{artifact_id}',
    name: 'artifact',
    title: 'Kitaru artifact',
    description: "One artifact's metadata and value (what kitaru_artifacts_get returns).",
    mimeType: JSON_TYPE,
    pattern: /^kitaru:\/\/artifacts\/([^/]+)$/,
    tool: kitaruArtifactsGet,
    args: ([artifactId]) => ({ artifact_id: artifactId }),
    variables: { artifact_id: { kind: 'artifacts' } },
  },
];

const STATUS: Resource = {
  uri: 'kitaru://status',
  name: 'status',
  title: 'Kitaru status',
  description: 'The current connection, server, project and stack (what kitaru_status returns).',
  mimeType: JSON_TYPE,
};

/** The tool's result text, as the server's tools/call puts it in `content`. */
function toolText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function resolve(uri: string): { tool: KitaruTool; args: Record<string, unknown>; mimeType: string } | null {
  if (uri === STATUS.uri) return { tool: kitaruStatus, args: {}, mimeType: JSON_TYPE };
  for (const template of TEMPLATES) {
    const match = template.pattern.exec(uri);
    if (match === null) continue;
    let variables: string[];
    try {
      variables = match.slice(1).map((part) => decodeURIComponent(part));
    } catch {
      return null;
    }
    return { tool: template.tool, args: template.args(variables), mimeType: template.mimeType ?? JSON_TYPE };
  }
  return null;
}

async function recentExecutionResources(runtime: KitaruRuntime, signal: AbortSignal): Promise<Resource[]> {
  const rows = await listExecutions(runtime, { status: null, flow: null, stack: null, limit: LISTED_EXECUTIONS }, { signal });
  return rows.map((row) => {
    const id = String(row.exec_id);
    const flow = typeof row.flow_name === 'string' ? row.flow_name : 'execution';
    return {
      uri: `kitaru://executions/${encodeURIComponent(id)}`,
      name: id,
      title: `${flow} ${id.slice(0, 8)} (${String(row.status)})`,
      description: `Kitaru execution of ${flow}, ${String(row.status)}${row.started_at ? `, started ${String(row.started_at)}` : ''}.`,
      mimeType: JSON_TYPE,
    };
  });
}

export function templateVariables(): Map<string, Record<string, CompletionSource>> {
  return new Map(TEMPLATES.map((template) => [template.uriTemplate, template.variables]));
}

export function registerResources(server: Server, runtime: KitaruRuntime): void {
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: TEMPLATES.map(({ uriTemplate, name, title, description, mimeType }) => ({
      uriTemplate,
      name,
      title,
      description,
      mimeType,
    })),
  }));

  server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => {
    let executions: Resource[] = [];
    try {
      executions = await recentExecutionResources(runtime, extra.signal);
    } catch (error) {
      // No server to ask (local database, unreachable): the status still explains why.
      if (extra.signal.aborted) throw error;
    }
    return { resources: [STATUS, ...executions] };
  });

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra): Promise<ReadResourceResult> => {
    const uri = request.params.uri;
    const target = resolve(uri);
    if (target === null) throw protocolError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
    const parsed = target.tool.input.safeParse(target.args);
    if (!parsed.success) throw protocolError(ErrorCode.InvalidParams, `Invalid resource URI: ${uri}`);
    let value: unknown;
    try {
      value = await target.tool.handler(parsed.data, { runtime, signal: extra.signal, progress: async () => {} });
    } catch (error) {
      // The same words the matching tool would show in its isError result.
      throw protocolError(ErrorCode.InternalError, errorText(error, target.tool.name), { uri });
    }
    return { contents: [{ uri, mimeType: target.mimeType, text: toolText(value) }] };
  });
}
