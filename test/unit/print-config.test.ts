import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { renderClientConfig, resolveSelfCommand } from '../../src/cli/print-config.ts';

const snippetJson = (s: string) => JSON.parse(s.slice(s.indexOf('{')));

test('claude: a `claude mcp add` line and the .mcp.json form', () => {
  const out = renderClientConfig('claude', '/opt/kitaru mcp/kitaru-mcp', ['--read-only']);
  assert.ok(out.includes(`claude mcp add kitaru -- '/opt/kitaru mcp/kitaru-mcp' --read-only`), out);
  assert.deepEqual(snippetJson(out), { mcpServers: { kitaru: { command: '/opt/kitaru mcp/kitaru-mcp', args: ['--read-only'] } } });
});

test('cursor and vscode use their own file shapes', () => {
  assert.deepEqual(snippetJson(renderClientConfig('cursor', '/bin/k', [])), { mcpServers: { kitaru: { command: '/bin/k', args: [] } } });
  assert.deepEqual(snippetJson(renderClientConfig('vscode', '/bin/k', [])), { servers: { kitaru: { type: 'stdio', command: '/bin/k', args: [] } } });
});

test('quotes a single quote in the shell line', () => {
  assert.ok(renderClientConfig('claude', "/it's/k", []).includes(`'/it'\\''s/k'`));
});

test('outside a SEA the command is node plus the absolute script path', () => {
  const self = resolveSelfCommand();
  assert.equal(self.command, process.execPath);
  assert.deepEqual(self.args, [path.resolve(process.argv[1]!)]);
});
