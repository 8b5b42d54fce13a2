// Builds the MCP server from the tool declarations. We use the SDK's low-level
// Server (not McpServer) so that argument validation, error text and result
// envelopes are ours, and match Python's kitaru-mcp byte for byte.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  McpError,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { PyFloat, PyInt, stringifyJson } from './compat/json.ts';
import { callLocalDatabaseTool, servedFromLocalDatabase } from './kitaru/local-database.ts';
import { KitaruRuntime, type RuntimeOptions } from './kitaru/runtime.ts';
import type { ToolDefinition } from './tools/define.ts';
import { ALL_TOOLS } from './tools/index.ts';
import { errorText } from './tools/error-policy.ts';
import { humanAsker } from './tools/execution-interaction.ts';
import { readOnlyFromEnv, registerExtras } from './tools/mcp-extras.ts';
import { coerceArguments, formatValidationError } from './tools/validation.ts';
import { VERSION } from './version.ts';

export interface ServerOptions extends RuntimeOptions {
  /** Only tools that declare readOnlyHint: true. */
  readOnly?: boolean;
  tools?: ToolDefinition[];
}

type JsonObject = Record<string, unknown>;

/** Drops what zod adds but says nothing to a client: safe-integer bounds, string key names. */
function trimSchemaNoise(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(trimSchemaNoise);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as JsonObject;
  if (record.minimum === Number.MIN_SAFE_INTEGER) delete record.minimum;
  if (record.maximum === Number.MAX_SAFE_INTEGER) delete record.maximum;
  if (JSON.stringify(record.propertyNames) === '{"type":"string"}') delete record.propertyNames;
  Object.values(record).forEach(trimSchemaNoise);
}

/** Output objects stay open to new keys, as newer Kitaru servers add fields. */
function allowExtraKeys(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(allowExtraKeys);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as JsonObject;
  if (record.additionalProperties === false) delete record.additionalProperties;
  Object.values(record).forEach(allowExtraKeys);
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  delete generated.$schema;
  trimSchemaNoise(generated);
  if (io === 'output') allowExtraKeys(generated);
  return generated;
}

type ResultKind = 'object' | 'list' | 'text';

function resultKind(output: z.ZodType): ResultKind {
  if (output instanceof z.ZodArray) return 'list';
  if (output instanceof z.ZodString) return 'text';
  return 'object';
}

/** Python's FastMCP shape: lists and strings travel as {result: ...}. */
function outputSchemaFor(tool: ToolDefinition): JsonObject {
  const schema = jsonSchema(tool.output, 'output');
  // MCP wants `type: "object"` at the root; a union of object shapes says so too.
  if (resultKind(tool.output) === 'object') return schema.type === 'object' ? schema : { type: 'object', ...schema };
  return { type: 'object', properties: { result: schema }, required: ['result'] };
}

/** pydantic's to_json(indent=2), as Python's FastMCP writes a result's text: exact numbers, NaN as NaN. */
function toText(value: unknown): string {
  return typeof value === 'string' ? value : (stringifyJson(value, { indent: 2 }) ?? 'null');
}

function pyTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value instanceof PyInt) return 'int';
  if (value instanceof PyFloat) return 'float';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return typeof value === 'string' ? 'str' : typeof value === 'boolean' ? 'bool' : typeof value;
}

/**
 * tools/call as Python's server takes it: `"arguments": null` runs the tool as
 * with `{}`; arguments that are not an object are invalid params (-32602), not
 * an internal error. The SDK checks the request against its own schema before
 * and after this one, so null must be gone by then.
 */
const CallToolRequest = CallToolRequestSchema.extend({
  params: CallToolRequestSchema.shape.params.extend({
    arguments: z.preprocess((value) => {
      if (value === null || value === undefined) return undefined;
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof PyInt || value instanceof PyFloat) {
        throw new McpError(ErrorCode.InvalidParams, `Invalid params: tools/call arguments must be an object, got ${pyTypeOf(value)}`);
      }
      return value;
    }, z.record(z.string(), z.unknown()).optional()),
  }),
});

export function toCallToolResult(kind: ResultKind, value: unknown): CallToolResult {
  if (kind === 'list') {
    const items = value as unknown[];
    return {
      content: items.map((item) => ({ type: 'text' as const, text: toText(item) })),
      structuredContent: { result: items },
      isError: false,
    };
  }
  if (kind === 'text') {
    return { content: [{ type: 'text', text: value as string }], structuredContent: { result: value }, isError: false };
  }
  return { content: [{ type: 'text', text: toText(value) }], structuredContent: value as JsonObject, isError: false };
}

function errorResult(toolName: string, message: string): CallToolResult {
  return { content: [{ type: 'text', text: `Error executing tool ${toolName}: ${message}` }], isError: true };
}

export function listedTools(tools: ToolDefinition[]): Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input, 'input') as Tool['inputSchema'],
    outputSchema: outputSchemaFor(tool) as Tool['outputSchema'],
    annotations: { title: tool.title, ...tool.annotations },
    ...(tool.meta === undefined ? {} : { _meta: tool.meta }),
  }));
}

/** tools/list of ALL_TOOLS, computed by build.mjs with listedTools() and baked into the bundle. */
declare const __KITARU_MCP_TOOLS_LIST__: Tool[] | undefined;

/** The bundle's prebuilt entries for `tools`, or null when they must be computed (sources, custom tools). */
function prebuiltListing(tools: ToolDefinition[], custom: boolean): Tool[] | null {
  if (custom || typeof __KITARU_MCP_TOOLS_LIST__ === 'undefined') return null;
  const byName = new Map(__KITARU_MCP_TOOLS_LIST__.map((tool) => [tool.name, tool]));
  const listing = tools.map((tool) => byName.get(tool.name));
  return listing.every((tool) => tool !== undefined) ? (listing as Tool[]) : null;
}

export function createServer(options: ServerOptions): { server: Server; runtime: KitaruRuntime } {
  const runtime = new KitaruRuntime(options);
  const readOnly = options.readOnly === true || readOnlyFromEnv(options.env);
  const tools = (options.tools ?? ALL_TOOLS).filter((tool) => !readOnly || tool.annotations.readOnlyHint);
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const listing = prebuiltListing(tools, options.tools !== undefined) ?? listedTools(tools);
  const inputSchemas = new Map(listing.map((tool) => [tool.name, tool.inputSchema as JsonObject]));

  // The SDK reports serverInfo.name; "kitaru" is what the Python server says.
  const server = new Server({ name: 'kitaru', version: VERSION }, { capabilities: { tools: { listChanged: false } } });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listing }));
  registerExtras(server, runtime, { readOnly });

  server.setRequestHandler(CallToolRequest, async (request, extra): Promise<CallToolResult> => {
    const name = request.params.name;
    const tool = byName.get(name);
    if (tool === undefined) return { content: [{ type: 'text', text: `Unknown tool: ${name}` }], isError: true };

    const raw = request.params.arguments ?? {};
    const args = coerceArguments(raw, inputSchemas.get(name) ?? {});
    const parsed = tool.input.safeParse(args);
    if (!parsed.success) return errorResult(name, formatValidationError(name, parsed.error, args, {
        secretInputs: tool.secretInputs,
        schema: inputSchemas.get(name),
      }));

    const progressToken = request.params._meta?.progressToken;
    try {
      // Local-database mode: Python's own tool function answers (src/kitaru/local-database.ts).
      if (servedFromLocalDatabase(runtime, name, tool.annotations.readOnlyHint)) {
        return toCallToolResult(resultKind(tool.output), await callLocalDatabaseTool(runtime, name, parsed.data, extra.signal));
      }
      const value = await tool.handler(parsed.data, {
        runtime,
        signal: extra.signal,
        askHuman: humanAsker(server, extra),
        progress: async (update) => {
          if (progressToken === undefined) return;
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, ...update } });
        },
      });
      return toCallToolResult(resultKind(tool.output), value);
    } catch (error) {
      return errorResult(name, errorText(error, name));
    }
  });

  return { server, runtime };
}
