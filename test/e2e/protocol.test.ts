// The JSON-RPC edges over the real bundle's stdio, line by line (no SDK client:
// it would refuse to send most of these). Each case is followed by a normal
// request, to prove the process kept serving. No Kitaru server is needed: every
// call here fails validation or needs none.
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseJson } from '../../src/compat/json.ts';
import { repoRoot } from '../helpers/kitaru-server.ts';

const bundle = path.join(repoRoot, 'dist', 'kitaru-mcp.cjs');

class RawClient {
  private buffer = '';
  private waiting: ((line: string) => void)[] = [];
  private lines: string[] = [];
  stderr = '';
  exit: number | null = null;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let i = this.buffer.indexOf('\n'); i !== -1; i = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        const waiter = this.waiting.shift();
        if (waiter) waiter(line);
        else this.lines.push(line);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('exit', (code) => (this.exit = code));
  }

  write(text: string): void {
    this.child.stdin.write(text);
  }

  /** The next line on stdout, parsed losslessly; fails after 120 s rather than hang (a 12 MiB line took over 20 s on 2 cores under load 17). */
  next(): Promise<Record<string, any>> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(parseJson(line) as Record<string, any>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply (exit ${this.exit}, stderr: ${this.stderr.slice(-500)})`)), 120_000);
      this.waiting.push((l) => {
        clearTimeout(timer);
        resolve(parseJson(l) as Record<string, any>);
      });
    });
  }

  async request(id: number, method: string, params: unknown): Promise<Record<string, any>> {
    this.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return this.next();
  }
}

async function start(env: NodeJS.ProcessEnv = {}): Promise<RawClient> {
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaru-mcp-protocol-'));
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env.PATH, HOME: config, KITARU_CONFIG_PATH: config, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const client = new RawClient(child);
  const init = await client.request(0, 'initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '0' },
  });
  assert.equal(init.result.serverInfo.name, 'kitaru');
  client.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  return client;
}

/** A request that must be answered normally: the process is still serving. */
async function stillServing(client: RawClient, id: number): Promise<void> {
  const reply = await client.request(id, 'tools/list', {});
  assert.equal(reply.id, id);
  assert.ok(Array.isArray(reply.result.tools) && reply.result.tools.length > 0);
}

const callLimit = (id: number, limit: string) =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"kitaru_executions_list","arguments":{"limit":${limit}}}}\n`;

describe('the JSON-RPC edges over the bundle', () => {
  let client: RawClient;
  before(async () => {
    assert.ok(fs.existsSync(bundle), `${bundle} is missing: run \`node build.mjs\``);
    client = await start();
  });
  after(() => client?.child.kill());

  test('an invalid JSON line gets a parse error with id null, and the server goes on', async () => {
    client.write('{"jsonrpc": "2.0", "id": 5, "method": \n');
    const reply = await client.next();
    assert.equal(reply.id, null);
    assert.equal(reply.error.code, -32700);
    await stillServing(client, 6);
  });

  test('"arguments": null runs the tool as with {}', async () => {
    const reply = await client.request(7, 'tools/call', { name: 'kitaru_clean_preview', arguments: null });
    assert.equal(reply.id, 7);
    assert.equal(reply.error, undefined);
    assert.equal(typeof reply.result.isError, 'boolean');
    const text = reply.result.content[0].text as string;
    assert.doesNotMatch(text, /validation error/);
  });

  for (const [label, value] of [
    ['a string', '"x"'],
    ['a list', '[1]'],
    ['a number', '2.0'],
    ['true', 'true'],
  ] as const) {
    test(`arguments that are ${label} are invalid params (-32602)`, async () => {
      client.write(`{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"kitaru_status","arguments":${value}}}\n`);
      const reply = await client.next();
      assert.equal(reply.id, 8);
      assert.equal(reply.error.code, -32602);
      assert.match(reply.error.message, /arguments must be an object/);
    });
  }

  test('5,000-level nesting is refused with the id and the limit, and the server goes on', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    client.write(`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"kitaru_status","arguments":{"x":${deep}}}}\n`);
    const reply = await client.next();
    assert.equal(reply.id, 9);
    assert.equal(reply.error.code, -32600);
    assert.match(reply.error.message, /nested deeper than 200 levels/);
    await stillServing(client, 10);
  });

  test('a 12 MiB message is read and answered', async () => {
    const big = 'x'.repeat(12 * 1024 * 1024);
    client.write(callLimit(11, JSON.stringify(big)));
    const reply = await client.next();
    assert.equal(reply.id, 11);
    assert.equal(reply.result.isError, true);
    assert.match(reply.result.content[0].text, /limit\n {2}Input should be a valid integer, unable to parse string as an integer/);
    await stillServing(client, 12);
  });

  test('numbers in arguments reach validation as written: 1e20 stays a float, 3.0 as text is an int', async () => {
    client.write(callLimit(13, '1e20'));
    const big = await client.next();
    assert.match(
      big.result.content[0].text,
      /Unable to parse input string as an integer, exceeded maximum size \[type=int_parsing_size, input_value=1e\+20, input_type=float\]/,
    );
    client.write(callLimit(14, '5.5'));
    const frac = await client.next();
    assert.match(
      frac.result.content[0].text,
      /got a number with a fractional part \[type=int_from_float, input_value=5\.5, input_type=float\]/,
    );
  });
});

describe('the message size limit', () => {
  let client: RawClient;
  before(async () => {
    client = await start({ KITARU_MCP_MAX_MESSAGE_BYTES: String(1024 * 1024) });
  });
  after(() => client?.child.kill());

  test('a message above the limit gets a JSON-RPC error naming the limit, with its id, and the server goes on', async () => {
    const big = JSON.stringify('x'.repeat(3 * 1024 * 1024));
    // The SDK's clients put the id last.
    client.write(
      `{"method":"tools/call","params":{"name":"kitaru_executions_list","arguments":{"limit":${big}}},"jsonrpc":"2.0","id":21}\n`,
    );
    const reply = await client.next();
    assert.equal(reply.id, 21);
    assert.equal(reply.error.code, -32600);
    assert.match(reply.error.message, /above the limit of 1048576 bytes \(set KITARU_MCP_MAX_MESSAGE_BYTES/);
    await stillServing(client, 22);
    assert.equal(client.exit, null);
  });
});
