// The built bundle's --print-config, as a user runs it (`> file`): stdout alone
// is a valid file for every client. Then real Claude Code (from npm, in a temp
// HOME, no model or login needed) takes the Claude entry with `claude mcp
// add-json` and `claude mcp list` reports it Connected.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { CLIENTS } from '../../src/cli/print-config.ts';
import { parseToml } from '../helpers/toml-lite.ts';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { bundle, root } from './dist-files.ts';

const run = promisify(execFile);
const CLAUDE_CODE = '@anthropic-ai/claude-code@2.1.332';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kitaru-clients-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const skipBundle = existsSync(bundle) ? false : 'dist/kitaru-mcp.cjs not built; run: node build.mjs';

describe('--print-config from the bundle', { skip: skipBundle }, () => {
  test('stdout is the whole file for every client, naming node and the bundle; the hint is on stderr', async () => {
    for (const client of CLIENTS) {
      const { stdout, stderr } = await run(process.execPath, [bundle, '--print-config', client, '--python', '/venv/bin/python'], { cwd: tmp });
      const doc = client === 'codex' ? parseToml(stdout) : JSON.parse(stdout);
      const servers = (doc as Record<string, Record<string, { command: string; args: string[] }>>)[client === 'vscode' ? 'servers' : client === 'codex' ? 'mcp_servers' : 'mcpServers']!;
      assert.deepEqual(Object.keys(servers), ['kitaru'], client);
      assert.equal(servers.kitaru!.command, process.execPath);
      assert.deepEqual(servers.kitaru!.args, [bundle, '--python', '/venv/bin/python']);
      assert.match(stderr, new RegExp(`kitaru-mcp install ${client}`));
    }
  });
});

test('the README\'s VS Code and Cursor install links are the generated ones and decode to each client\'s entry', async () => {
  const links = (await import(pathToFileURL(path.join(root, 'scripts/release/install-links.mjs')).href)) as { vscodeLink(): string; cursorLink(): string };
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const vscode = new URL(links.vscodeLink());
  const cursor = new URL(links.cursorLink());
  assert.ok(readme.includes(`(${vscode.href})`) && readme.includes(`(${cursor.href})`));
  assert.equal(vscode.searchParams.get('name'), 'kitaru');
  assert.deepEqual(JSON.parse(vscode.searchParams.get('config')!), { type: 'stdio', command: 'npx', args: ['-y', 'kitaru-mcp'] });
  assert.equal(cursor.searchParams.get('name'), 'kitaru');
  assert.deepEqual(JSON.parse(Buffer.from(cursor.searchParams.get('config')!, 'base64').toString()), { command: 'npx', args: ['-y', 'kitaru-mcp'] });
});

test('`kitaru-mcp install gemini` through the bundle writes ~/.gemini/settings.json once, keeping what was there', { skip: skipBundle }, async () => {
  const home = mkdtempSync(path.join(tmp, 'install-home-'));
  mkdirSync(path.join(home, '.gemini'));
  writeFileSync(path.join(home, '.gemini', 'settings.json'), JSON.stringify({ theme: 'Default', mcpServers: { other: { command: 'x' } } }));
  const env = { ...process.env, HOME: home };
  const first = await run(process.execPath, [bundle, 'install', 'gemini'], { cwd: tmp, env });
  assert.equal(first.stdout, '');
  const doc = JSON.parse(readFileSync(path.join(home, '.gemini', 'settings.json'), 'utf8'));
  assert.deepEqual(doc.mcpServers.kitaru, { command: process.execPath, args: [bundle] });
  assert.deepEqual([doc.theme, doc.mcpServers.other], ['Default', { command: 'x' }]);
  const second = await run(process.execPath, [bundle, 'install', 'gemini'], { cwd: tmp, env });
  assert.match(second.stderr, /already up to date/);
  await assert.rejects(run(process.execPath, [bundle, 'install', 'notepad'], { cwd: tmp, env }), (e: { code: number }) => e.code === 2);
});

// Claude Code reads its config from HOME; npx keeps using the machine's cache.
const npxEnv = (home: string) => ({
  ...process.env,
  HOME: home,
  npm_config_cache: process.env.npm_config_cache ?? path.join(os.homedir(), '.npm'),
  DISABLE_AUTOUPDATER: '1',
  DISABLE_TELEMETRY: '1',
  CI: '1',
});
const claude = (args: string[], cwd: string, home: string) =>
  run('npx', ['--yes', CLAUDE_CODE, ...args], { cwd, env: npxEnv(home), timeout: 240_000, maxBuffer: 4 << 20 });

const claudeSkip = await (async () => {
  if (skipBundle) return skipBundle;
  try {
    await claude(['--version'], tmp, mkdtempSync(path.join(tmp, 'probe-')));
    return false;
  } catch (e) {
    return `npx cannot run ${CLAUDE_CODE} here (offline?): ${String((e as Error).message).split('\n')[0]}`;
  }
})();

describe('Claude Code', { skip: claudeSkip }, () => {
  test('claude mcp add-json takes the printed entry and claude mcp list shows it Connected', { timeout: 600_000 }, async () => {
    const home = path.join(tmp, 'home');
    const project = path.join(tmp, 'project');
    mkdirSync(home);
    mkdirSync(project);
    const { stdout } = await run(process.execPath, [bundle, '--print-config', 'claude'], { cwd: project });
    const entry = JSON.parse(stdout).mcpServers.kitaru;
    await claude(['mcp', 'add-json', 'kitaru', JSON.stringify(entry)], project, home);
    // A control entry that cannot start, so "Connected" is shown to be a real check.
    await claude(['mcp', 'add-json', 'broken', JSON.stringify({ ...entry, command: path.join(tmp, 'no-such-server') })], project, home);
    const list = await claude(['mcp', 'list'], project, home);
    const line = (name: string) => list.stdout.split('\n').find((l) => l.startsWith(`${name}:`)) ?? '';
    assert.match(line('kitaru'), /Connected/, list.stdout);
    assert.ok(line('kitaru').includes(bundle), line('kitaru'));
    assert.match(line('broken'), /Failed/, list.stdout);
    assert.doesNotMatch(line('broken'), /Connected/);
  });
});
