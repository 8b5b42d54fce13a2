// `kitaru-mcp install <client>`: merges into the client's file keeping every
// foreign key, is idempotent (a second run writes nothing), refuses a broken
// file without touching it, and writes through temp + rename.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { installInto, mergeToml, runInstall } from '../../src/cli/install.ts';
import { CLIENTS, type Client } from '../../src/cli/print-config.ts';
import { parseToml } from '../helpers/toml-lite.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kitaru-install-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const launch = { command: '/opt/bin/kitaru-mcp', args: ['--python', '/p/python'] };
let n = 0;
const fresh = (name: string, content?: string) => {
  n += 1;
  const dir = path.join(tmp, `c${n}`);
  mkdirSync(dir);
  const file = path.join(dir, name);
  if (content !== undefined) writeFileSync(file, content);
  return file;
};

const jsonClients = CLIENTS.filter((c): c is Exclude<Client, 'codex'> => c !== 'codex');

test('JSON clients: foreign keys kept, our entry added, a re-run writes nothing', () => {
  for (const client of jsonClients) {
    const key = client === 'vscode' ? 'servers' : 'mcpServers';
    const foreign = { theme: 'dark', [key]: { other: { command: 'other-server', args: ['-x'] } }, nested: { a: [1, 2, { b: null }] } };
    const file = fresh('config.json', JSON.stringify(foreign, null, 4));
    assert.equal(installInto(client, launch, file), 'updated', client);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(doc.theme, 'dark');
    assert.deepEqual(doc.nested, foreign.nested);
    assert.deepEqual(doc[key].other, { command: 'other-server', args: ['-x'] });
    assert.equal(doc[key].kitaru.command, launch.command, client);
    assert.deepEqual(doc[key].kitaru.args, launch.args);
    if (client === 'vscode' || client === 'claude') assert.equal(doc[key].kitaru.type, 'stdio');
    assert.match(readFileSync(file, 'utf8'), /\n {4}"theme"/, "keeps the file's indentation");

    const mtime = statSync(file).mtimeMs;
    const bytes = readFileSync(file, 'utf8');
    assert.equal(installInto(client, launch, file), 'unchanged', client);
    assert.equal(readFileSync(file, 'utf8'), bytes);
    assert.equal(statSync(file).mtimeMs, mtime);
  }
});

test("a re-install with a new path updates command and args but keeps the user's env and extra keys", () => {
  const file = fresh(
    'mcp.json',
    JSON.stringify({
      mcpServers: { kitaru: { command: '/old', args: [], env: { KITARU_SERVER_URL: 'https://k.example' }, disabled: false } },
    }),
  );
  assert.equal(installInto('cursor', launch, file), 'updated');
  const entry = JSON.parse(readFileSync(file, 'utf8')).mcpServers.kitaru;
  assert.deepEqual(entry, { command: launch.command, args: launch.args, env: { KITARU_SERVER_URL: 'https://k.example' }, disabled: false });
});

test('a missing file (and folder) is created; a symlinked config is written through', () => {
  const file = path.join(tmp, 'new', 'deeper', '.mcp.json');
  assert.equal(installInto('claude', launch, file), 'created');
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).mcpServers.kitaru.type, 'stdio');

  const real = fresh('real.json', '{"mcpServers":{}}');
  const link = path.join(path.dirname(real), 'link.json');
  symlinkSync(real, link);
  assert.equal(installInto('gemini', launch, link), 'updated');
  assert.ok(JSON.parse(readFileSync(real, 'utf8')).mcpServers.kitaru);
});

test('a file that is not JSON, or whose servers key is not an object, is refused and left as it was', () => {
  for (const content of ['{ "mcpServers": { // a comment\n } }', '[1,2]', '{"mcpServers": []}']) {
    const file = fresh('bad.json', content);
    assert.throws(() => installInto('windsurf', launch, file), /nothing was changed/i);
    assert.equal(readFileSync(file, 'utf8'), content);
    assert.deepEqual(readdirSync(path.dirname(file)), ['bad.json'], 'no temp file left behind');
  }
});

test('codex TOML: other tables, comments and our env subtable survive; re-run is a no-op', () => {
  const before = [
    '# my codex config',
    'model = "o4"',
    '',
    '[mcp_servers.other]',
    'command = "other"',
    'args = ["a"]',
    '',
    '[mcp_servers.kitaru]',
    'command = "/old/kitaru-mcp"',
    'args = [',
    '  "--read-only",',
    ']',
    'startup_timeout_sec = 30',
    '',
    '[mcp_servers.kitaru.env]',
    'KITARU_SERVER_URL = "https://k.example"',
    '',
    '[profiles.x]',
    'notes = """',
    '[mcp_servers.kitaru]',
    'command = "inside a string"',
    '"""',
    '',
  ].join('\n');
  const after = mergeToml(before, launch);
  const doc = parseToml(after) as {
    model: string;
    mcp_servers: Record<string, Record<string, unknown>>;
    profiles: { x: { notes: string } };
  };
  assert.equal(doc.model, 'o4');
  assert.deepEqual(doc.mcp_servers.other, { command: 'other', args: ['a'] });
  assert.deepEqual(doc.mcp_servers.kitaru, {
    command: launch.command,
    args: launch.args,
    startup_timeout_sec: 30,
    env: { KITARU_SERVER_URL: 'https://k.example' },
  });
  assert.match(doc.profiles.x.notes, /command = "inside a string"/);
  assert.ok(after.startsWith('# my codex config\n'));
  assert.equal(mergeToml(after, launch), after);

  const empty = mergeToml(undefined, launch);
  assert.deepEqual(parseToml(empty), { mcp_servers: { kitaru: { command: launch.command, args: launch.args } } });
  const appended = mergeToml('model = "o4"\n', { command: 'C:\\Program Files\\kitaru-mcp.exe', args: [] });
  assert.deepEqual(parseToml(appended), {
    model: 'o4',
    mcp_servers: { kitaru: { command: 'C:\\Program Files\\kitaru-mcp.exe', args: [] } },
  });
});

test('the subcommand: --config, --python, exit codes and messages', () => {
  const lines: string[] = [];
  const err = { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream;
  const file = fresh('config.toml', 'model = "o4"\n');
  assert.equal(runInstall(['codex', '--config', file, '--python', '/venv/bin/python'], err), 0);
  const doc = parseToml(readFileSync(file, 'utf8')) as { mcp_servers: { kitaru: { args: string[] } } };
  assert.deepEqual(doc.mcp_servers.kitaru.args.slice(-2), ['--python', '/venv/bin/python']);
  assert.equal(runInstall(['codex', `--config=${file}`, '--python', '/venv/bin/python'], err), 0);
  assert.match(lines.join(''), /already up to date/);
  assert.equal(runInstall(['notepad'], err), 2);
  assert.equal(runInstall([], err), 2);
  assert.equal(runInstall(['cursor', '--config'], err), 2);
  const bad = fresh('bad.json', 'nope');
  assert.equal(runInstall(['cursor', '--config', bad], err), 1);
  assert.match(lines.join(''), /not valid JSON/);
  assert.ok(!existsSync(path.join(tmp, 'never')));
});
