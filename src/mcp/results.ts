// Result envelopes, as Python's FastMCP writes them: the value as indented JSON
// text (one content item per list element), the value itself as
// structuredContent, and failures as "Error executing tool <name>: <message>".
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stringifyJson } from '../compat/json.ts';
import type { ResultKind } from './schemas.ts';

/** pydantic's to_json(indent=2), as Python's FastMCP writes a result's text: exact numbers, NaN as NaN. */
function toText(value: unknown): string {
  return typeof value === 'string' ? value : (stringifyJson(value, { indent: 2 }) ?? 'null');
}

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
  return { content: [{ type: 'text', text: toText(value) }], structuredContent: value as Record<string, unknown>, isError: false };
}

export function errorResult(toolName: string, message: string): CallToolResult {
  return { content: [{ type: 'text', text: `Error executing tool ${toolName}: ${message}` }], isError: true };
}
