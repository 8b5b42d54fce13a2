// The API-key path against a real ZenML server with authentication on and a
// real service-account key: login at /api/v1/login, bearer on every call, one
// re-login after a 401, and the key never shown anywhere. What ours answers over
// the key, against Python's, is the `auth` cases of the conformance table
// (test/conformance/cases-auth.ts), run here on this file's server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ZenmlHttpClient } from '../../src/http/client.ts';
import { ZenmlApiError } from '../../src/http/errors.ts';
import { casesIn } from '../conformance/cases.ts';
import { assertCasesMatchPython } from '../conformance/fast-cases.ts';
import { type Fixture, openFixture } from '../conformance/fixtures.ts';
import type { KitaruServer } from '../helpers/kitaru-server.ts';
import { callTool, type McpConnection } from '../helpers/mcp-clients.ts';
import { credentialsTests } from './credentials-cases.ts';

let fixture: Fixture;
let server: KitaruServer;
let ours: McpConnection;
let apiKey: string;

before(async () => {
  fixture = await openFixture('auth');
  server = fixture.server;
  apiKey = server.apiKey as string;
  ours = fixture.connections.ours;
});

after(async () => {
  await fixture?.close();
});

test('without credentials the server refuses (the test server really has auth on)', async () => {
  const response = await fetch(`${server.url}/api/v1/current-user`);
  assert.equal(response.status, 401);
});

test('over the API key, ours answers exactly like the Python kitaru-mcp', async (t) => {
  await assertCasesMatchPython(t, casesIn('auth'), fixture.connections, fixture.ctx, { context: 'auth', knownIds: fixture.knownIds });
});

test('API key login yields a bearer token accepted by current-user', async () => {
  assert.ok(server.apiKey);
  const anon = await fetch(`${server.url}/api/v1/current-user`);
  assert.equal(anon.status, 401);

  const login = await fetch(`${server.url}/api/v1/login`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'zenml-api-key', password: server.apiKey }),
  });
  assert.equal(login.status, 200);
  const { access_token, token_type } = (await login.json()) as any;
  assert.equal(token_type, 'bearer');
  assert.ok(access_token);

  const me = await fetch(`${server.url}/api/v1/current-user`, { headers: { authorization: `Bearer ${access_token}` } });
  assert.equal(me.status, 200);
  const user = (await me.json()) as any;
  assert.equal(user.body?.is_service_account, true);

  const bad = await fetch(`${server.url}/api/v1/login`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'zenml-api-key', password: 'ZENKEY_not-a-key' }),
  });
  assert.equal(bad.status, 401);
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

credentialsTests(() => server);
