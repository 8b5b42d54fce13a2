// Builds the MCP server from the tool declarations. We use the SDK's low-level
// Server (not McpServer) so that argument validation, error text and result
// envelopes are ours (src/mcp), and match Python's kitaru-mcp byte for byte.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { type CallToolResult, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { callLocalDatabaseTool, servedFromLocalDatabase } from './kitaru/local-database.ts';
import { KitaruRuntime, type RuntimeOptions } from './kitaru/runtime.ts';
import { CallToolRequest } from './mcp/call-request.ts';
import { errorResult, toCallToolResult } from './mcp/results.ts';
import { listedTools, resultKind } from './mcp/schemas.ts';
import { coerceArguments, formatValidationError } from './mcp/validation.ts';
import { errorText } from './tools/error-policy.ts';
import { humanAsker } from './tools/executions/interaction.ts';
import { ALL_TOOLS } from './tools/index.ts';
import type { KitaruTool } from './tools/kitaru-tool.ts';
import { readOnlyFromEnv, registerExtras } from './tools/mcp-extras.ts';
import { VERSION } from './version.ts';

export interface ServerOptions extends RuntimeOptions {
  /** Only tools that declare readOnlyHint: true. */
  readOnly?: boolean;
  tools?: KitaruTool[];
}

/** tools/list of ALL_TOOLS, computed by build.mjs with listedTools() and baked into the bundle. */
declare const __KITARU_MCP_TOOLS_LIST__: Tool[] | undefined;

/** The bundle's prebuilt entries for `tools`, or null when they must be computed (sources, custom tools). */
function prebuiltListing(tools: KitaruTool[], custom: boolean): Tool[] | null {
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
  const inputSchemas = new Map(listing.map((tool) => [tool.name, tool.inputSchema as Record<string, unknown>]));

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
    if (!parsed.success) {
      return errorResult(
        name,
        formatValidationError(name, parsed.error, args, { secretInputs: tool.secretInputs, schema: inputSchemas.get(name) }),
      );
    }

    const progressToken = request.params._meta?.progressToken;
    try {
      // Local-database mode: Python's own tool function answers (src/kitaru/local-database.ts).
      if (servedFromLocalDatabase(runtime, name, tool.annotations.readOnlyHint)) {
        return toCallToolResult(
          resultKind(tool.output),
          await callLocalDatabaseTool(runtime, name, parsed.data, {
            readOnly: tool.annotations.readOnlyHint,
            signal: extra.signal,
          }),
        );
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
