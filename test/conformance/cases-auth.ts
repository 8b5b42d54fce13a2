// Cases on the `auth` fixture (fixtures.ts): a server with authentication on,
// reached with a service account's API key (KITARU_AUTH_TOKEN), exchanged at
// /api/v1/login. Login, re-login and the key never being shown are tested in
// test/integration/auth.test.ts.
import assert from 'node:assert/strict';
import { type ConformanceCase, c, okPayload } from './case-kit.ts';

const auth = (tool: string, name: string, extra: Partial<ConformanceCase> = {}) =>
  c(tool, name, 'read', () => ({}), { context: 'auth', ...extra });

export const AUTH_CASES: ConformanceCase[] = [
  auth('kitaru_status', 'over an API key', {
    expect: (outcome, ctx, side) => {
      const status = okPayload(outcome);
      assert.equal(status.connection, 'remote Kitaru server');
      assert.equal(status.server_url, ctx.server?.url);
      assert.match(status.active_user, /^kitaru-test-/);
      assert.equal(status.warning, null);
      const token = status.environment.find((e: { name: string }) => e.name === 'KITARU_AUTH_TOKEN');
      // Python shows the key's first characters (explanations.ts); ours none.
      if (side === 'ts') assert.equal(token?.value, '***', 'the key is masked entirely');
      else assert.match(token?.value, /^ZENKEY_.\*\*\*$/);
    },
  }),
  auth('kitaru_stacks_list', 'through the exchanged token'),
];
