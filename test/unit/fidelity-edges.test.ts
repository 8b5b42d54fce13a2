// Where Python applies the connection guardrails, and how a secret-create
// failure reads (kitaru_info's bounded probe cache, which needs Python, is
// tested in test/integration/python-environment.test.ts). A loopback server
// made here plays the Kitaru server where the real one cannot be made to fail
// this way (echoing a secret in its error text).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createServer } from '../../src/server.ts';

let server: http.Server;
let url: string;
const requests: string[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/api/v1/login') return res.end('{"access_token":"t"}');
      // pydantic-style echo of the submitted body, as a validation failure quotes its input.
      res.statusCode = 422;
      res.end(JSON.stringify({ detail: ['ValidationError', `1 validation error: input_value=${body}`] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

async function connect(env: NodeJS.ProcessEnv) {
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaru-mcp-edges-'));
  const { server: mcp } = createServer({
    env: { HOME: config, KITARU_CONFIG_PATH: config, KITARU_PYTHON: '/nonexistent/python', ...env },
    cwd: config,
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 't', version: '0' });
  await Promise.all([mcp.connect(a), client.connect(b)]);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: { text: string }[] };
    return { isError: result.isError === true, text: result.content[0]?.text ?? '' };
  };
  return { call, close: () => client.close() };
}

test('a secret-create failure never shows the server text, so no fragment of a value can be read from it', async () => {
  const { call, close } = await connect({ KITARU_SERVER_URL: url, KITARU_AUTH_TOKEN: 'key', KITARU_PROJECT: 'default' });
  try {
    const value = 'an';
    const result = await call('kitaru_secrets_create', { name: 'demo', values: { TOKEN: value, OTHER: 'banana split' } });
    assert.equal(result.isError, true);
    assert.match(
      result.text,
      /^Error executing tool kitaru_secrets_create: Failed to create secret `demo`: the server refused it \(HTTP 422, ValidationError\)/,
    );
    assert.doesNotMatch(result.text, /\*\*\*|banana|input_value/);
    assert.ok(requests.includes('POST /api/v1/secrets'), 'the server was asked');
  } finally {
    await close();
  }
});

test("guardrails: tools Python serves through ZenML's Client meet the server; KitaruClient tools refuse as Python does", async () => {
  // A URL from the environment with no token and no project: Python's KitaruClient refuses, ZenML's Client connects.
  const dead = 'http://127.0.0.1:9';
  const { call, close } = await connect({ KITARU_SERVER_URL: dead });
  try {
    const listed = await call('kitaru_executions_list');
    assert.match(listed.text, /KITARU_SERVER_URL is set but no Kitaru auth token is available/);
    for (const tool of ['kitaru_stacks_list', 'kitaru_secrets_create'] as const) {
      const args = tool === 'kitaru_secrets_create' ? { name: 's', values: { A: 'b' } } : {};
      const result = await call(tool, args);
      assert.equal(result.isError, true, tool);
      assert.doesNotMatch(result.text, /auth token is available|no project is active/, tool);
      assert.match(result.text, /Could not reach the Kitaru server at http:\/\/127\.0\.0\.1:9/, tool);
    }
    const status = await call('kitaru_status');
    assert.doesNotMatch(status.text, /auth token is available|no project is active/);
  } finally {
    await close();
  }
});
