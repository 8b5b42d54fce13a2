// --print-config: stdout is the client's file content (pure JSON, TOML for
// Codex), checked against each client's documented shape; hints go to stderr.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  CLIENTS,
  configPath,
  npxSpec,
  renderClientConfig,
  renderHint,
  resolveSelfCommand,
  runPrintConfig,
} from '../../src/cli/print-config.ts';
import { VERSION } from '../../src/version.ts';
import { parseCodexServers } from '../helpers/toml-lite.ts';

const launch = { command: '/opt/kitaru mcp/kitaru-mcp', args: ['--python', '/p/.venv/bin/python'] };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kitaru-printcfg-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The documented shapes. Claude Code .mcp.json: mcpServers.<name>.{type:"stdio", command, args, env};
 * Claude Desktop, Cursor, Gemini CLI (settings.json), Windsurf (mcp_config.json):
 * mcpServers.<name>.{command, args}; VS Code .vscode/mcp.json: servers.<name>.{type:"stdio", command, args};
 * Codex config.toml: [mcp_servers.<name>] command = "...", args = [...].
 */
const expected: Record<string, unknown> = {
  claude: { mcpServers: { kitaru: { type: 'stdio', command: launch.command, args: launch.args, env: {} } } },
  'claude-desktop': { mcpServers: { kitaru: { command: launch.command, args: launch.args } } },
  cursor: { mcpServers: { kitaru: { command: launch.command, args: launch.args } } },
  vscode: { servers: { kitaru: { type: 'stdio', command: launch.command, args: launch.args } } },
  gemini: { mcpServers: { kitaru: { command: launch.command, args: launch.args } } },
  windsurf: { mcpServers: { kitaru: { command: launch.command, args: launch.args } } },
  codex: { mcp_servers: { kitaru: { command: launch.command, args: launch.args } } },
};

test('every client gets a whole, parseable file in its documented shape', () => {
  assert.deepEqual([...CLIENTS].sort(), Object.keys(expected).sort());
  for (const client of CLIENTS) {
    const text = renderClientConfig(client, launch);
    const parsed = client === 'codex' ? parseCodexServers(text) : JSON.parse(text);
    assert.deepEqual(parsed, expected[client], client);
  }
});

test('stdout holds only the content; the hint (with the claude mcp add line) goes to stderr', () => {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => ({ write: (s: string) => into.push(s) });
  assert.equal(runPrintConfig('claude', undefined, sink(out), sink(err)), 0);
  const parsed = JSON.parse(out.join(''));
  assert.deepEqual(Object.keys(parsed.mcpServers), ['kitaru']);
  assert.match(err.join(''), /claude mcp add kitaru -- /);
  assert.equal(runPrintConfig('emacs', undefined, sink(out), sink(err)), 2);
  assert.match(err.join(''), /takes one of: claude, claude-desktop/);
});

test('the claude hint quotes for the shell', () => {
  assert.ok(renderHint('claude', { command: "/it's/k", args: [] }).includes(`'/it'\\''s/k'`));
});

test('config paths follow each client (project files in cwd, user files in home)', () => {
  const w = { cwd: '/proj', home: '/h', env: {}, platform: 'linux' as const };
  assert.equal(configPath('claude', w), '/proj/.mcp.json');
  assert.equal(configPath('vscode', w), '/proj/.vscode/mcp.json');
  assert.equal(configPath('cursor', w), '/h/.cursor/mcp.json');
  assert.equal(configPath('codex', w), '/h/.codex/config.toml');
  assert.equal(configPath('codex', { ...w, env: { CODEX_HOME: '/c' } }), '/c/config.toml');
  assert.equal(configPath('gemini', w), '/h/.gemini/settings.json');
  assert.equal(configPath('windsurf', w), '/h/.codeium/windsurf/mcp_config.json');
  assert.equal(configPath('claude-desktop', w), '/h/.config/Claude/claude_desktop_config.json');
  assert.equal(
    configPath('claude-desktop', { ...w, platform: 'darwin' }),
    '/h/Library/Application Support/Claude/claude_desktop_config.json',
  );
  assert.match(
    configPath('claude-desktop', { ...w, platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' } }),
    /Claude.claude_desktop_config\.json$/,
  );
});

test('outside a SEA and npx the command is node plus the absolute script path', () => {
  const self = resolveSelfCommand();
  assert.equal(self.command, process.execPath);
  assert.deepEqual(self.args, [path.resolve(process.argv[1]!)]);
  assert.deepEqual(resolveSelfCommand('/x/kitaru-mcp', true).args, []);
});

test('through npx the entry names a package that exists: this exact version, or the tarball asked for', () => {
  const npx = (spec: string | undefined) => {
    const dir = mkdtempSync(path.join(tmp, 'cache-'));
    const hash = path.join(dir, '_npx', 'abc123');
    mkdirSync(path.join(hash, 'node_modules', 'kitaru-mcp', 'dist'), { recursive: true });
    if (spec !== undefined) writeFileSync(path.join(hash, 'package.json'), JSON.stringify({ dependencies: { 'kitaru-mcp': spec } }));
    return path.join(hash, 'node_modules', 'kitaru-mcp', 'dist', 'kitaru-mcp.cjs');
  };
  assert.equal(npxSpec(npx('^0.1.0')), `kitaru-mcp@${VERSION}`);
  assert.equal(npxSpec(npx('latest')), `kitaru-mcp@${VERSION}`);
  assert.equal(npxSpec(npx(undefined)), `kitaru-mcp@${VERSION}`);
  assert.equal(npxSpec(npx('file:/tmp/kitaru-mcp-0.1.0.tgz')), '/tmp/kitaru-mcp-0.1.0.tgz');
  assert.equal(npxSpec('/usr/lib/node_modules/kitaru-mcp/dist/kitaru-mcp.cjs'), undefined);
  assert.deepEqual(resolveSelfCommand(npx('^0.1.0'), false), { command: 'npx', args: ['-y', `kitaru-mcp@${VERSION}`] });
});
