// tools/call as Python's server takes it: `"arguments": null` runs the tool as
// with `{}`; arguments that are not an object are invalid params (-32602), not
// an internal error. The SDK checks the request against its own schema before
// and after this one, so null must be gone by then.
import { CallToolRequestSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { PyFloat, PyInt } from '../compat/json.ts';

function pyTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value instanceof PyInt) return 'int';
  if (value instanceof PyFloat) return 'float';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return typeof value === 'string' ? 'str' : typeof value === 'boolean' ? 'bool' : typeof value;
}

export const CallToolRequest = CallToolRequestSchema.extend({
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
