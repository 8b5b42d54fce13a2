// tools/list entries from declarations: zod schemas turned into the JSON
// Schemas Python's FastMCP lists for the same signatures.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolDefinition } from './define.ts';

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

/** How a handler's value travels: objects as they are; lists and strings wrapped as {result: ...}. */
export type ResultKind = 'object' | 'list' | 'text';

export function resultKind(output: z.ZodType): ResultKind {
  if (output instanceof z.ZodArray) return 'list';
  if (output instanceof z.ZodString) return 'text';
  return 'object';
}

/** Python's FastMCP shape: lists and strings travel as {result: ...}. */
function outputSchemaFor(tool: ToolDefinition<never>): JsonObject {
  const schema = jsonSchema(tool.output, 'output');
  // MCP wants `type: "object"` at the root; a union of object shapes says so too.
  if (resultKind(tool.output) === 'object') return schema.type === 'object' ? schema : { type: 'object', ...schema };
  return { type: 'object', properties: { result: schema }, required: ['result'] };
}

export function listedTools(tools: ToolDefinition<never>[]): Tool[] {
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
