// ZenML's credential precedence (RestZenStoreConfiguration._move_credentials
// with CredentialsStore.set_bare_token / set_password / set_api_key), case by
// case. The real-server side of it is test/integration/credentials.test.ts.
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
  assert.deepEqual(resolveCredentials(storedKeyAndToken, { ZENML_STORE_API_TOKEN: 'env-token', ZENML_STORE_API_KEY: 'k' }), { apiKey: 'k' });
});
