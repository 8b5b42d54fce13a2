// The framework over the SDK's in-memory transport, with stand-in tools: result
// envelopes as Python's FastMCP makes them, the error policy, progress, and
// the read-only switch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { z } from 'zod';
import { KitaruStateError } from '../../src/kitaru/errors.ts';
import { createServer } from '../../src/server.ts';
import { READ_ONLY } from '../../src/mcp/define.ts';
import { type KitaruTool, defineTool } from '../../src/tools/kitaru-tool.ts';

const WRITES = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };

const tools: KitaruTool[] = [
  defineTool({
    name: 'object_tool',
    title: 'Object',
    description: 'Returns an object.',
    input: z.object({ n: z.number().int().default(1) }),
    output: z.object({ n: z.number(), text: z.string() }),
    annotations: READ_ONLY,
    handler: async ({ n }) => ({ n, text: 'héllo' }),
  }),
  defineTool({
    name: 'list_tool',
    title: 'List',
    description: 'Returns a list.',
    input: z.object({}),
    output: z.array(z.object({ id: z.string() })),
    annotations: READ_ONLY,
    handler: async () => [{ id: 'a' }, { id: 'b' }],
  }),
  defineTool({
    name: 'text_tool',
    title: 'Text',
    description: 'Returns text and reports progress.',
    input: z.object({}),
    output: z.string(),
    annotations: READ_ONLY,
    handler: async (_args, ctx) => {
      await ctx.progress({ progress: 1, total: 2, message: 'half way' });
      return 'line one\nline two';
    },
  }),
  defineTool({
    name: 'failing_tool',
    title: 'Fails',
    description: 'Throws a Kitaru error.',
    input: z.object({ secret: z.string() }),
    output: z.object({}),
    annotations: WRITES,
    secretInputs: ['secret'],
    handler: async () => {
      throw new KitaruStateError("Execution 'x' has no pending waits to resolve.");
    },
  }),
];

async function connect(readOnly = false) {
  const { server } = createServer({ env: {}, cwd: process.cwd(), tools, readOnly });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 't', version: '0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return client;
}

test('an object result: indented JSON text and the object as structuredContent', async () => {
  const client = await connect();
  const result = await client.callTool({ name: 'object_tool', arguments: { n: '3' } });
  assert.deepEqual(result, {
    content: [{ type: 'text', text: '{\n  "n": 3,\n  "text": "héllo"\n}' }],
    structuredContent: { n: 3, text: 'héllo' },
    isError: false,
  });
});

test('a list result: one text block per item, {result: [...]} as structuredContent', async () => {
  const client = await connect();
  const result = await client.callTool({ name: 'list_tool', arguments: {} });
  assert.deepEqual(result.content, [
    { type: 'text', text: '{\n  "id": "a"\n}' },
    { type: 'text', text: '{\n  "id": "b"\n}' },
  ]);
  assert.deepEqual(result.structuredContent, { result: [{ id: 'a' }, { id: 'b' }] });
});

test('a text result and progress notifications when the client asks for them', async () => {
  const client = await connect();
  const seen: unknown[] = [];
  const result = await client.callTool({ name: 'text_tool', arguments: {} }, undefined, {
    onprogress: (p) => seen.push(p),
  });
  assert.deepEqual(result.structuredContent, { result: 'line one\nline two' });
  assert.deepEqual(seen, [{ progress: 1, total: 2, message: 'half way' }]);
});

test('a thrown Kitaru error becomes Python-shaped isError text, and the server keeps serving', async () => {
  const client = await connect();
  const result = await client.callTool({ name: 'failing_tool', arguments: { secret: 'hunter2' } });
  assert.deepEqual(result, {
    content: [{ type: 'text', text: "Error executing tool failing_tool: Execution 'x' has no pending waits to resolve." }],
    isError: true,
  });
  const again = await client.callTool({ name: 'object_tool', arguments: {} });
  assert.equal(again.isError, false);
});

test('bad arguments and unknown tools are isError results, never crashes; secrets are not echoed', async () => {
  const client = await connect();
  const bad = await client.callTool({ name: 'failing_tool', arguments: { secret: 42 } });
  assert.equal(bad.isError, true);
  const text = (bad.content as { text: string }[])[0]!.text;
  assert.match(
    text,
    /^Error executing tool failing_tool: 1 validation error for failing_toolArguments\nsecret\n {2}Input should be a valid string/,
  );
  assert.doesNotMatch(text, /42/);
  const unknown = await client.callTool({ name: 'nope', arguments: {} });
  assert.equal(unknown.isError, true);
});

test('--read-only offers only tools that declare readOnlyHint', async () => {
  const client = await connect(true);
  const names = (await client.listTools()).tools.map((t) => t.name);
  assert.deepEqual(names, ['object_tool', 'list_tool', 'text_tool']);
  const refused = await client.callTool({ name: 'failing_tool', arguments: { secret: 'x' } });
  assert.equal(refused.isError, true);
});
