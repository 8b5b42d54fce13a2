// Ten concurrent manage_stack(create) calls with one name on a real server:
// one stack, Python's "already exists" for the other nine, and nothing
// half-created (exactly the winner's two components). Then the same race
// between two of our processes, where only the database can decide.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { connectOurs, type McpConnection } from '../helpers/mcp-clients.ts';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';
import { callToolRaw as rawCall } from '../helpers/mcp-clients.ts';

let fx: SharedServer;
let first: McpConnection;
let second: McpConnection;

before(async () => {
  fx = await useSharedServer();
  [first, second] = await Promise.all([connectOurs(fx.server), connectOurs(fx.server)]);
});

after(async () => {
  await Promise.allSettled([first?.close(), second?.close()]);
  await fx?.release();
});

async function count(resource: 'stacks' | 'components', name: string): Promise<number> {
  const response = await fetch(`${fx.server.url}/api/v1/${resource}?name=${encodeURIComponent(name)}`);
  return ((await response.json()) as { total: number }).total;
}

const collision = (name: string) =>
  `Error executing tool manage_stack: A stack named "${name}" already exists. To activate it, run 'kitaru stack use ${name}'.`;

async function race(connections: McpConnection[], name: string) {
  const calls = connections.map((connection) => rawCall(connection, 'manage_stack', { action: 'create', name, activate: false }));
  const results = await Promise.all(calls);
  const winners = results.filter((result) => !result.isError);
  const losers = results.filter((result) => result.isError);
  return { winners, losers };
}

test('ten concurrent creates in one server: one stack, nine of Python’s "already exists", two components', async () => {
  const name = `race-${randomBytes(3).toString('hex')}`;
  const { winners, losers } = await race(
    Array.from({ length: 10 }, () => first),
    name,
  );
  assert.equal(winners.length, 1, losers.map((l) => l.text).join('\n'));
  assert.equal(winners[0]!.structured.name, name);
  assert.deepEqual(
    losers.map((l) => l.text),
    Array(9).fill(collision(name)),
  );
  assert.equal(await count('stacks', name), 1);
  assert.equal(await count('components', name), 2, 'the orchestrator and artifact store of the one stack, nothing else');
  await rawCall(first, 'manage_stack', { action: 'delete', name, recursive: true });
});

test('ten creates split over two processes: still one stack, no raw database error, nothing left half-made', async () => {
  const name = `race-${randomBytes(3).toString('hex')}`;
  const { winners, losers } = await race([...Array(5).fill(first), ...Array(5).fill(second)], name);
  assert.equal(winners.length, 1, losers.map((l) => l.text).join('\n'));
  const componentCollision = (type: string) =>
    `Error executing tool manage_stack: Cannot create stack '${name}' because a ${type} named '${name}' already exists. ` +
    'Kitaru always creates fresh stack components and never reuses existing ones.';
  const allowed = new Set([collision(name), componentCollision('orchestrator'), componentCollision('artifact_store')]);
  for (const loser of losers) assert.ok(allowed.has(loser.text), loser.text);
  assert.equal(await count('stacks', name), 1);
  assert.equal(await count('components', name), 2);
  await rawCall(first, 'manage_stack', { action: 'delete', name, recursive: true });
});
