// ZenML's credential precedence (RestZenStoreConfiguration._move_credentials
// with CredentialsStore.set_bare_token / set_password / set_api_key), case by
// case. The real-server side of it is test/integration/credentials-cases.ts (run by auth.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Credentials, resolveCredentials } from '../../src/config/connection.ts';

const token = (accessToken: string) => ({ accessToken, expiresAt: null, leewaySeconds: 0 });
const storedKeyAndToken: Credentials = { apiKey: 'ZENKEY_A', apiToken: token('token-of-A') };

test('nothing in the environment: the stored credentials as they are', () => {
  assert.deepEqual(resolveCredentials(storedKeyAndToken, {}), storedKeyAndToken);
  assert.deepEqual(resolveCredentials({ apiToken: token('t') }, {}), { apiToken: token('t') });
});

test('an environment API key replaces everything stored, the token included, even when it is the same key', () => {
  assert.deepEqual(resolveCredentials(storedKeyAndToken, { KITARU_AUTH_TOKEN: 'ZENKEY_B' }), { apiKey: 'ZENKEY_B' });
  assert.deepEqual(resolveCredentials(storedKeyAndToken, { ZENML_STORE_API_KEY: 'ZENKEY_A' }), { apiKey: 'ZENKEY_A' });
  assert.deepEqual(resolveCredentials({ apiToken: token('t') }, { ZENML_STORE_API_KEY: 'garbage' }), { apiKey: 'garbage' });
});

test('KITARU_AUTH_TOKEN wins over ZENML_STORE_API_KEY unless blank; an empty key counts as none', () => {
  assert.deepEqual(resolveCredentials({}, { KITARU_AUTH_TOKEN: 'k', ZENML_STORE_API_KEY: 'z' }), { apiKey: 'k' });
  assert.deepEqual(resolveCredentials({}, { KITARU_AUTH_TOKEN: '  ', ZENML_STORE_API_KEY: 'z' }), { apiKey: 'z' });
  assert.deepEqual(resolveCredentials(storedKeyAndToken, { ZENML_STORE_API_KEY: '' }), storedKeyAndToken);
});

test('username with password replaces the stored key and token; a username alone is ignored', () => {
  const env = { ZENML_STORE_USERNAME: 'u', ZENML_STORE_PASSWORD: 'p' };
  assert.deepEqual(resolveCredentials(storedKeyAndToken, env), { username: 'u', password: 'p' });
  assert.deepEqual(resolveCredentials(storedKeyAndToken, { ZENML_STORE_USERNAME: 'u' }), storedKeyAndToken);
  assert.deepEqual(resolveCredentials(storedKeyAndToken, { ...env, ZENML_STORE_API_KEY: 'k' }), { apiKey: 'k' });
});

test('an environment token replaces the stored token and keeps the stored key to log in again with', () => {
  assert.deepEqual(resolveCredentials(storedKeyAndToken, { ZENML_STORE_API_TOKEN: 'env-token' }), {
    apiKey: 'ZENKEY_A',
    apiToken: token('env-token'),
  });
  assert.deepEqual(resolveCredentials(storedKeyAndToken, { ZENML_STORE_API_TOKEN: 'env-token', ZENML_STORE_API_KEY: 'k' }), {
    apiKey: 'k',
  });
});

test('TLS settings: config.yaml applies to its own URL; a URL from the environment brings only the environment’s', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { resolveConnection } = await import('../../src/config/connection.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'w14-tls-config-'));
  fs.writeFileSync(path.join(dir, 'config.yaml'), 'store:\n  url: https://a.example\n  verify_ssl: /ca/for-a.pem\n  http_timeout: 5\n');
  const verify = (env: Record<string, string>) => {
    const store = resolveConnection({ KITARU_CONFIG_PATH: dir, KITARU_PROJECT: 'p', ...env }, dir).store;
    return store.type === 'rest' ? [store.url, store.verifySsl, store.httpTimeoutSeconds] : null;
  };
  assert.deepEqual(verify({}), ['https://a.example', '/ca/for-a.pem', 5]);
  assert.deepEqual(verify({ ZENML_STORE_VERIFY_SSL: 'no' }), ['https://a.example', false, 5]);
  assert.deepEqual(verify({ KITARU_SERVER_URL: 'https://b.example', KITARU_AUTH_TOKEN: 'k' }), ['https://b.example', true, 30]);
  fs.rmSync(dir, { recursive: true, force: true });
});
