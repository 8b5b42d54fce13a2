// The API-key path against a real ZenML server with authentication on and a
// real service-account key: login at /api/v1/login, bearer on every call, one
// re-login after a 401, and the key never shown anywhere.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ZenmlHttpClient } from '../../src/http/client.ts';
import { ZenmlApiError } from '../../src/http/errors.ts';
import { type KitaruServer, startKitaruServer, venvPython } from '../helpers/kitaru-server.ts';
import { callTool, connectOurs, connectPython, type McpConnection } from '../helpers/mcp-clients.ts';

let server: KitaruServer;
let ours: McpConnection;
let python: McpConnection;
let apiKey: string;

before(async () => {
  server = await startKitaruServer({ auth: true });
  apiKey = server.apiKey as string;
  const env = { ...server.env, KITARU_PROJECT: 'default', KITARU_PYTHON: venvPython };
  [ours, python] = await Promise.all([connectOurs({ env }), connectPython({ env })]);
});

after(async () => {
  await Promise.allSettled([ours?.close(), python?.close()]);
  await server?.stop();
});

test('without credentials the server refuses (the test server really has auth on)', async () => {
  const response = await fetch(`${server.url}/api/v1/current-user`);
  assert.equal(response.status, 401);
});

test('kitaru_status over an API key: remote server, the service account as user, same as Python', async () => {
  const [mine, theirs] = await Promise.all([callTool(ours, 'kitaru_status'), callTool(python, 'kitaru_status')]);
  assert.equal(mine.connection, 'remote Kitaru server');
  assert.equal(mine.server_url, server.url);
  assert.match(mine.active_user, /^kitaru-test-/);
  assert.equal(mine.warning, null);
  for (const key of ['connection', 'server_url', 'active_user', 'active_stack', 'active_project', 'server_version', 'connection_sources']) {
    assert.deepEqual(mine[key], theirs[key], key);
  }
  const kitaruToken = mine.environment.find((e: { name: string }) => e.name === 'KITARU_AUTH_TOKEN');
  assert.equal(kitaruToken.value, '***', 'the key is masked entirely');
});

test('kitaru_stacks_list works through the exchanged token and matches Python', async () => {
  const [mine, theirs] = await Promise.all([callTool(ours, 'kitaru_stacks_list'), callTool(python, 'kitaru_stacks_list')]);
  assert.deepEqual(mine, theirs);
});

test('a refused stored token is replaced by one re-login with the API key', async () => {
  const client = new ZenmlHttpClient({
    baseUrl: server.url,
    credentials: { apiKey, apiToken: { accessToken: 'not-a-valid-token', expiresAt: null, leewaySeconds: 0 } },
    timeoutMs: 10_000,
    userAgent: 'test',
  });
  const user = await client.get<{ name: string }>('/api/v1/current-user');
  assert.match(user.name, /^kitaru-test-/);
  assert.equal(client.stats.byPath.get('POST /api/v1/login'), 1, 'exactly one login');
  assert.equal(client.stats.byPath.get('GET /api/v1/current-user'), 2, 'the refused call, then the retry');
});

test('a wrong API key fails clearly and the message does not echo the key', async () => {
  const wrongKey = `ZENKEY_${'x'.repeat(40)}`;
  const client = new ZenmlHttpClient({ baseUrl: server.url, credentials: { apiKey: wrongKey }, timeoutMs: 10_000, userAgent: 'test' });
  const error = await client.get('/api/v1/current-user').catch((e: unknown) => e);
  assert.ok(error instanceof ZenmlApiError);
  assert.match(error.message, /Authentication with the Kitaru server at .* failed/);
  assert.ok(!error.message.includes(wrongKey));
});

test('the API key appears in no result, error or log of our server', async () => {
  await callTool(ours, 'kitaru_status');
  const bad = await ours.client.callTool({ name: 'kitaru_info', arguments: { packages: 'x' } });
  assert.equal(bad.isError, true);
  assert.ok(!JSON.stringify(bad).includes(apiKey));
  assert.ok(!ours.stderr().includes(apiKey));
});
