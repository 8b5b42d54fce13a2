import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { resolveConnection, tokenIsFresh } from '../../src/config/connection.ts';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kmcp-conn-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

function configDir(name: string, files: Record<string, string>): string {
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

test('no store in config.yaml means the local SQLite database', () => {
  const dir = configDir('empty', {});
  const c = resolveConnection({ KITARU_CONFIG_PATH: dir }, base);
  assert.equal(c.store.type, 'sql');
  assert.match(c.store.url, /^sqlite:\/\/\/.*zenml\.db$/);
  assert.equal(c.usageProblem, null);
});

test('a REST store from config.yaml with a stored, unexpired token from credentials.yaml', () => {
  const future = new Date(Date.now() + 3600_000).toISOString().replace('Z', '');
  const dir = configDir('rest', {
    'config.yaml':
      'store:\n  type: rest\n  url: http://127.0.0.1:8383/\nactive_project_id: 11111111-1111-1111-1111-111111111111\nactive_stack_id: s-1\nuser_id: u\n',
    'credentials.yaml': `http://127.0.0.1:8383:\n  url: http://127.0.0.1:8383\n  api_token:\n    access_token: tok\n    expires_at: '${future}'\n    leeway: 30\n`,
  });
  const c = resolveConnection({ KITARU_CONFIG_PATH: dir }, base);
  assert.deepEqual(c.store, { type: 'rest', url: 'http://127.0.0.1:8383', verifySsl: true, httpTimeoutSeconds: 30 });
  assert.equal(c.credentials.apiToken?.accessToken, 'tok');
  assert.ok(c.credentials.apiToken && tokenIsFresh(c.credentials.apiToken));
  assert.equal(c.project, '11111111-1111-1111-1111-111111111111');
  assert.equal(c.stackId, 's-1');
  assert.deepEqual(c.sources, { server_url: 'global config', auth_token: 'global config', project: 'global config' });
});

test('an expired token is not fresh; leeway counts', () => {
  assert.equal(tokenIsFresh({ accessToken: 'x', expiresAt: Date.now() - 1, leewaySeconds: 0 }), false);
  assert.equal(tokenIsFresh({ accessToken: 'x', expiresAt: Date.now() + 10_000, leewaySeconds: 30 }), false);
  assert.equal(tokenIsFresh({ accessToken: 'x', expiresAt: null, leewaySeconds: 0 }), true);
});

test('Kitaru env vars beat ZenML env vars beat the files', () => {
  const dir = configDir('env', { 'config.yaml': 'store:\n  type: rest\n  url: http://file:1\n' });
  const c = resolveConnection(
    {
      KITARU_CONFIG_PATH: dir,
      KITARU_SERVER_URL: 'https://kitaru.example/',
      ZENML_STORE_URL: 'https://zenml.example',
      KITARU_AUTH_TOKEN: 'ZENKEY_kitaru',
      ZENML_STORE_API_KEY: 'ZENKEY_zenml',
      KITARU_PROJECT: 'proj',
    },
    base,
  );
  assert.equal(c.store.url, 'https://kitaru.example');
  assert.equal(c.credentials.apiKey, 'ZENKEY_kitaru');
  assert.equal(c.project, 'proj');
  assert.deepEqual(c.sources, {
    server_url: 'environment (KITARU_SERVER_URL)',
    auth_token: 'environment (KITARU_AUTH_TOKEN)',
    project: 'environment (KITARU_PROJECT)',
  });
  assert.equal(c.usageProblem, null);
});

test('blank Kitaru values fall through to ZenML values', () => {
  const c = resolveConnection(
    {
      KITARU_CONFIG_PATH: configDir('blank', {}),
      KITARU_SERVER_URL: ' ',
      ZENML_STORE_URL: 'http://z:1',
      ZENML_STORE_API_KEY: 'k',
      ZENML_ACTIVE_PROJECT_ID: 'p',
    },
    base,
  );
  assert.equal(c.store.url, 'http://z:1');
  assert.equal(c.sources.server_url, 'environment (ZENML_STORE_URL)');
  assert.equal(c.sources.project, 'environment (ZENML_ACTIVE_PROJECT_ID)');
});

test("Python's guardrails: URL without key, key without URL, URL without project", () => {
  const dir = configDir('guard', {});
  assert.match(
    resolveConnection({ KITARU_CONFIG_PATH: dir, KITARU_SERVER_URL: 'http://x:1', KITARU_PROJECT: 'p' }, base).usageProblem ?? '',
    /^KITARU_SERVER_URL is set but no Kitaru auth token is available/,
  );
  assert.match(
    resolveConnection({ KITARU_CONFIG_PATH: dir, KITARU_AUTH_TOKEN: 'k' }, base).usageProblem ?? '',
    /^KITARU_AUTH_TOKEN is set but no Kitaru server URL is available/,
  );
  assert.match(
    resolveConnection({ KITARU_CONFIG_PATH: dir, KITARU_SERVER_URL: 'http://x:1', KITARU_AUTH_TOKEN: 'k' }, base).usageProblem ?? '',
    /no project is active\. Set KITARU_PROJECT/,
  );
});

test('the repo-local .kitaru/config.yaml beats the global active project and stack', () => {
  const dir = configDir('repo-global', { 'config.yaml': 'active_project_id: global-p\nactive_stack_id: global-s\n' });
  const repo = path.join(base, 'repo');
  fs.mkdirSync(path.join(repo, '.kitaru'), { recursive: true });
  fs.mkdirSync(path.join(repo, 'src', 'deep'), { recursive: true });
  fs.writeFileSync(path.join(repo, '.kitaru', 'config.yaml'), 'active_project_id: repo-p\nactive_stack_id: repo-s\n');
  const c = resolveConnection({ KITARU_CONFIG_PATH: dir }, path.join(repo, 'src', 'deep'));
  assert.equal(c.repositoryRoot, repo);
  assert.equal(c.project, 'repo-p');
  assert.equal(c.stackId, 'repo-s');
  assert.equal(c.sources.project, 'repo-local config (.kitaru/)');
  // ZENML_ACTIVE_STACK_ID beats both files.
  assert.equal(resolveConnection({ KITARU_CONFIG_PATH: dir, ZENML_ACTIVE_STACK_ID: 'env-s' }, repo).stackId, 'env-s');
});
