// The bundle against hostile loopback servers, through MCP: wrong shapes fail
// loudly naming the endpoint and the field (never a made-up payload), a 3 GB
// body fails naming the size and the setting without taking the process down,
// HTML is called HTML, and the next call still works.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { baseEnv } from '../helpers/kitaru-server.ts';
import { connectStdio, type McpConnection } from '../helpers/mcp-clients.ts';
import { callToolRaw as rawCall } from '../helpers/mcp-clients.ts';
import { bundle } from './suite.ts';

let mode: 'wrong-shape' | 'huge' | 'html' | 'good' = 'good';
let server: http.Server;
let ours: McpConnection;
let home: string;

const page = (items: unknown[]) => ({ index: 1, max_size: 50, total_pages: 1, total: items.length, items });

before(async () => {
  server = http.createServer((req, res) => {
    const json = (body: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.url?.startsWith('/api/v1/login')) return json({ access_token: 'tok', token_type: 'bearer' });
    if (mode === 'huge') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(3 * 1024 ** 3) });
      return void res.write('{');
    }
    if (mode === 'html') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login page</html>');
    const name = mode === 'wrong-shape' ? '' : 'default';
    return json(page([{ id: '0b9e1b07-6b35-4e7b-9a53-3f5e1a4a0001', name, body: null, metadata: null, resources: null }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'w14-hostile-'));
  ours = await connectStdio(process.execPath, [bundle], {
    ...baseEnv(path.join(home, 'config')),
    KITARU_SERVER_URL: url,
    KITARU_AUTH_TOKEN: 'ZENKEY_hostile',
    KITARU_PROJECT: 'default',
    KITARU_PYTHON: path.join(home, 'no-python'),
  });
});

after(async () => {
  await ours?.close();
  server.closeAllConnections();
  server.close();
  fs.rmSync(home, { recursive: true, force: true });
});

test('a stack without a name fails naming the endpoint and the field, instead of listing an empty name', async () => {
  mode = 'wrong-shape';
  const result = await rawCall(ours, 'kitaru_stacks_list', {});
  assert.equal(result.isError, true, result.text);
  assert.match(result.text, /answered GET \/api\/v1\/stacks with a response the Kitaru API does not give: field 'items\.0\.name'/);
});

test('a 3 GB body fails naming the size and the setting; the process stays and the next call works', async () => {
  mode = 'huge';
  const result = await rawCall(ours, 'kitaru_stacks_list', {});
  assert.equal(result.isError, true);
  assert.match(result.text, /answered with 3072 MiB \(3221225472 bytes\), over the 64 MiB .*KITARU_MCP_MAX_RESPONSE_MIB/);
  mode = 'html';
  assert.match((await rawCall(ours, 'kitaru_stacks_list', {})).text, /answered GET \/api\/v1\/stacks with HTML, not the Kitaru API/);
  mode = 'good';
  const good = await rawCall(ours, 'kitaru_stacks_list', {});
  assert.equal(good.isError, false, good.text);
  assert.ok(!ours.stderr().includes('unexpected error'), ours.stderr());
});
