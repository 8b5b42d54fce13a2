// Who we act as, on a real server with authentication and two service
// accounts, A and B, against the Python kitaru-mcp in the same situations:
// a token for A stored in credentials.yaml, and B's key (or a wrong key) in the
// environment. The environment's key wins; a stored token is used only alone.
// Run by auth.test.ts on its server (one authenticated server for both).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { type KitaruServer, baseEnv } from '../helpers/kitaru-server.ts';
import { connectOurs, connectPython, type McpConnection } from '../helpers/mcp-clients.ts';
import { callToolRaw as rawCall } from '../helpers/mcp-clients.ts';

/** The tests, on `given()`: an authenticated server with two service accounts (startKitaruServer({ auth: true })). */
export function credentialsTests(given: () => KitaruServer): void {
  describe('who we act as: a stored token and keys in the environment, beside Python', () => {
    let server: KitaruServer;
    let a: { name: string; apiKey: string };
    let b: { name: string; apiKey: string };
    let tokenForA: string;
    const open: McpConnection[] = [];
    const dirs: string[] = [];

    before(async () => {
      server = given();
      [a, b] = server.accounts as [typeof a, typeof b];
      const login = await fetch(`${server.url}/api/v1/login`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'zenml-api-key', password: a.apiKey }),
      });
      tokenForA = ((await login.json()) as { access_token: string }).access_token;
    });

    after(async () => {
      await Promise.allSettled(open.map((connection) => connection.close()));
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** A config dir as `kitaru login` with A's key leaves it: the URL in config.yaml, A's token in credentials.yaml. */
    function configWithTokenForA(): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'w14-cred-'));
      dirs.push(dir);
      fs.writeFileSync(path.join(dir, 'config.yaml'), YAML.stringify({ store: { type: 'rest', url: server.url } }));
      fs.writeFileSync(
        path.join(dir, 'credentials.yaml'),
        YAML.stringify({ [server.url]: { url: server.url, api_token: { access_token: tokenForA } } }),
        { mode: 0o600 },
      );
      return dir;
    }

    /** kitaru_status through both servers, each on its own copy of the same config. */
    async function statusBoth(env: Record<string, string>) {
      const results = [];
      for (const connect of [connectOurs, connectPython]) {
        const connection = await connect({ env: { ...baseEnv(configWithTokenForA()), KITARU_PROJECT: 'default', ...env } });
        open.push(connection);
        results.push(await rawCall(connection, 'kitaru_status', {}));
      }
      const [ours, python] = results as [Awaited<ReturnType<typeof rawCall>>, Awaited<ReturnType<typeof rawCall>>];
      return { ours, python };
    }

    test('the stored token alone acts as its owner, A', async () => {
      const { ours, python } = await statusBoth({});
      assert.equal(ours.isError, false, ours.text);
      assert.equal(ours.structured.active_user, a.name);
      assert.equal(python.structured.active_user, a.name);
    });

    test('B’s key in the environment acts as B, although a token for A is stored', async () => {
      const envs: Record<string, string>[] = [
        { KITARU_SERVER_URL: server.url, KITARU_AUTH_TOKEN: b.apiKey },
        { ZENML_STORE_URL: server.url, ZENML_STORE_API_KEY: b.apiKey },
      ];
      for (const env of envs) {
        const { ours, python } = await statusBoth(env);
        assert.equal(ours.isError, false, ours.text);
        assert.equal(ours.structured.active_user, b.name, JSON.stringify(Object.keys(env)));
        assert.equal(python.structured.active_user, b.name);
      }
    });

    test('a wrong key in the environment is refused with a clear message, never falling back to A’s token', async () => {
      const wrong = `ZENKEY_${'0'.repeat(60)}`;
      const { ours, python } = await statusBoth({ KITARU_SERVER_URL: server.url, KITARU_AUTH_TOKEN: wrong });
      assert.equal(python.structured?.active_user === a.name, false, 'Python does not act as A either');
      const user = ours.structured?.active_user ?? null;
      assert.notEqual(user, a.name);
      assert.match(
        JSON.stringify(ours.structured ?? ours.text),
        /Authentication with the Kitaru server at http:\/\/127\.0\.0\.1:\d+ failed/,
      );
      assert.ok(!JSON.stringify(ours).includes(wrong), 'the key is not echoed');
    });
  });
}
