// Numbers pass every boundary exactly as Python passes them. Generated numbers
// (small and big ints, floats with and without fraction, exponents, -0, NaN,
// Infinity) go through: our reader and writer (against Python's json.dumps,
// pydantic's to_json and repr), the stdio transport (the client's JSON-RPC in,
// our answer out), the HTTP client (a loopback server's body in, a request body
// out), and the Python helper (arguments in, result back).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { parseJson, stringifyJson } from '../../src/compat/json.ts';
import { ZenmlHttpClient } from '../../src/http/client.ts';
import { StdioTransport } from '../../src/mcp/stdio-transport.ts';
import { runHelper, stopAllWorkers } from '../../src/python/run.ts';
import { pyReprValue } from '../../src/compat/python.ts';
import { venvPython } from '../helpers/kitaru-server.ts';

/** Seeded, so a failure can be replayed. */
function generatedNumbers(seed = 2026): string[] {
  let state = seed;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const digits = (n: number) => Array.from({ length: n }, (_, i) => String(Math.floor(rand() * 10) || (i === 0 ? 1 : 0))).join('');
  const out = [
    '0',
    '-0',
    '0.0',
    '-0.0',
    '1',
    '-1',
    '2.0',
    '5.5',
    '1e5',
    '1E5',
    '1e-5',
    '1.5e-7',
    '1e16',
    '1e22',
    '1e400',
    '-1e400',
    '1e-400',
    '9007199254740991',
    '9007199254740992',
    '9007199254740993',
    '-9007199254740993',
    '18446744073709551617',
    '123456789012345678901234567890',
    '0.1',
    '100.0',
    '1.7976931348623157e308',
    '5e-324',
    'NaN',
    'Infinity',
    '-Infinity',
  ];
  for (let i = 0; i < 150; i += 1) {
    const sign = rand() < 0.3 ? '-' : '';
    const int = digits(1 + Math.floor(rand() * 30));
    const kind = Math.floor(rand() * 5);
    if (kind === 0) out.push(sign + int);
    else if (kind === 1) out.push(`${sign}${int}.${'0'.repeat(1 + Math.floor(rand() * 3))}`);
    else if (kind === 2) out.push(`${sign}${int.slice(0, 8)}.${digits(1 + Math.floor(rand() * 10))}`);
    else if (kind === 3) out.push(`${sign}${int.slice(0, 3)}e${rand() < 0.5 ? '-' : '+'}${Math.floor(rand() * 320)}`);
    else out.push(`${sign}${int.slice(0, 1)}.${digits(1 + Math.floor(rand() * 16))}E${Math.floor(rand() * 40) - 20}`);
  }
  return out;
}

const NUMBERS = generatedNumbers();
const ARRAY_TEXT = `[${NUMBERS.join(', ')}]`;

const PYTHON = `
import json, sys, pydantic_core
values = json.loads(sys.stdin.read())
print(json.dumps({
  "dumps": [json.dumps(v) for v in values],
  "pydantic": [pydantic_core.to_json(v).decode() for v in values],
  "protocol": pydantic_core.to_json(values, inf_nan_mode="null").decode(),
  "repr": [repr(v) for v in values],
}))
`;

let expected: { dumps: string[]; pydantic: string[]; protocol: string; repr: string[] };

before(() => {
  const run = spawnSync(venvPython, ['-c', PYTHON], { input: ARRAY_TEXT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  expected = JSON.parse(run.stdout);
});

/** Each element as Python's json.dumps writes it. */
const asDumps = (values: unknown[]) => values.map((v) => stringifyJson(v, { floats: 'python' }));

test('the reader and writer agree with json.dumps, pydantic and repr on every generated number', () => {
  const values = parseJson(ARRAY_TEXT) as unknown[];
  assert.equal(values.length, NUMBERS.length);
  assert.deepEqual(asDumps(values), expected.dumps);
  assert.deepEqual(
    values.map((v) => stringifyJson(v)),
    expected.pydantic,
  );
  assert.deepEqual(
    values.map((v) => pyReprValue(v)),
    expected.repr,
  );
});

test("stdio transport: the client's numbers arrive exactly and go back out as Python's server writes them", async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const transport = new StdioTransport({ input, output });
  const received: unknown[] = [];
  transport.onmessage = (message) => received.push(message);
  await transport.start();
  input.write(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"values":${ARRAY_TEXT}}}}\n`);
  await new Promise((resolve) => setImmediate(resolve));
  const message = received[0] as { params: { arguments: { values: unknown[] } } };
  assert.deepEqual(asDumps(message.params.arguments.values), expected.dumps);

  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString()));
  await transport.send({ jsonrpc: '2.0', id: 1, result: { values: message.params.arguments.values } });
  assert.equal(written, `{"jsonrpc":"2.0","id":1,"result":{"values":${expected.protocol}}}\n`);
  await transport.close();
});

let server: http.Server;
let baseUrl: string;
let lastRequestBody = '';

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      lastRequestBody = body;
      res.setHeader('Content-Type', req.url === '/html' ? 'text/html' : 'application/json');
      res.end(req.url === '/html' ? '<!doctype html><html><body>Welcome</body></html>' : ARRAY_TEXT);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

const client = () => new ZenmlHttpClient({ baseUrl, credentials: {}, timeoutMs: 10_000, userAgent: 'test' });

test('HTTP client: the server numbers are read exactly, and a request body is written as ZenML writes it', async () => {
  const values = await client().get<unknown[]>('/numbers');
  assert.deepEqual(asDumps(values), expected.dumps);
  // ZenML's client sends model_dump(mode='json') through json.dumps: NaN and Infinity become null.
  await client().post('/echo', { body: { values } });
  const sent = parseJson(lastRequestBody) as { values: unknown[] };
  assert.deepEqual(
    asDumps(sent.values),
    expected.dumps.map((text) => (/^-?(NaN|Infinity)$/.test(text) ? 'null' : text)),
  );
});

test('HTTP client: an HTML answer is named as such, not a JSON syntax error', async () => {
  await assert.rejects(client().get('/html'), (error: Error) => {
    assert.match(
      error.message,
      new RegExp(`^The server at ${baseUrl.replace(/\./g, '\\.')} answered GET /html with HTML, not the Kitaru API`),
    );
    return true;
  });
});

test('Python helper: the arguments reach Python as written and the result comes back exactly', async () => {
  const values = parseJson(ARRAY_TEXT) as unknown[];
  const source =
    'import json\ndef main(args, ctx):\n    return {"seen": [json.dumps(v) for v in args["values"]], "values": args["values"]}\n';
  const target = {
    python: venvPython,
    env: { ...process.env },
    cwd: process.cwd(),
    key: 'json-numbers',
    extraModules: { numbers: source },
  };
  const result = await runHelper<{ seen: string[]; values: unknown[] }>(
    target,
    'numbers.main',
    { values },
    { timeoutMs: 60_000, cold: true },
  ).finally(() => stopAllWorkers());
  assert.deepEqual(result.seen, expected.dumps);
  assert.deepEqual(asDumps(result.values), expected.dumps);
});

test('the reader refuses what JSON refuses, reads strings and keys as JSON.parse does, and bounds nesting', () => {
  for (const bad of [
    '',
    ' ',
    '01',
    '-',
    '1.',
    '.5',
    '[1,]',
    '{"a":1,}',
    '{a:1}',
    "'x'",
    '"\u0001"',
    '"\\x"',
    '[1 2]',
    'tru',
    'nul',
    '1 2',
    '"abc',
    '{"a" 1}',
    '+1',
  ]) {
    assert.throws(() => parseJson(bad), { name: 'JsonSyntaxError' }, JSON.stringify(bad));
  }
  for (const good of [
    '"\\u00e9\\n\\"\\\\\\/"',
    '{"__proto__":{"x":1},"a":[true,false,null]}',
    '"😀 \\ud83d\\ude00"',
    ' [ {} , [] ] ',
    '{"a":1,"a":2}',
  ]) {
    assert.deepEqual(parseJson(good), JSON.parse(good), good);
  }
  assert.equal(Object.getPrototypeOf(parseJson('{"__proto__":{"x":1}}')), Object.prototype);
  assert.throws(() => parseJson(`${'['.repeat(11)}${']'.repeat(11)}`, { maxDepth: 10 }), /nested deeper than 10 levels/);
  assert.deepEqual(parseJson(`${'['.repeat(10)}${']'.repeat(10)}`, { maxDepth: 10 }), JSON.parse(`${'['.repeat(10)}${']'.repeat(10)}`));
});
