// Claude Desktop bundles: every platform's manifest passes `mcpb validate`; the
// linux-x64 .mcpb of the release unpacks with `mcpb unpack` and, started the way
// Claude Desktop starts it (MCPB's own getMcpConfigForManifest: variables,
// platform_overrides, user_config defaults), answers tools/list.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { pkgVersion, root } from './dist-files.ts';
import { MCPB_VERSION, ensureRelease, mcpb, mcpbUnavailable } from './release-files.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kitaru-mcpb-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const { manifestFor, MCPB_VERSION: pinned } = (await import(pathToFileURL(path.join(root, 'scripts/release/mcpb.mjs')).href)) as {
  manifestFor(target: string): Record<string, any>;
  MCPB_VERSION: string;
};
const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win-x64'];

test('the tests and the release pin the same MCPB CLI', () => assert.equal(MCPB_VERSION, pinned));

test('one manifest shape: binary server, win32 named by platform_overrides, user_config feeding the environment', () => {
  for (const target of TARGETS) {
    const m = manifestFor(target);
    assert.equal(m.version, pkgVersion);
    assert.equal(m.server.type, 'binary');
    assert.equal(m.server.mcp_config.command, '${__dirname}/server/kitaru-mcp');
    assert.equal(m.server.mcp_config.platform_overrides.win32.command, '${__dirname}/server/kitaru-mcp.exe');
    assert.equal(m.server.entry_point, target.startsWith('win') ? 'server/kitaru-mcp.exe' : 'server/kitaru-mcp');
    assert.deepEqual(m.compatibility.platforms, [{ linux: 'linux', darwin: 'darwin', win: 'win32' }[target.split('-')[0]!]]);
    assert.deepEqual(Object.keys(m.user_config).sort(), ['api_key', 'project', 'python', 'server_url']);
    assert.equal(m.user_config.api_key.sensitive, true);
    for (const [key, opt] of Object.entries<{ required: boolean; default: string }>(m.user_config)) {
      assert.equal(opt.required, false, key);
      assert.equal(opt.default, '', `${key}: an unset option must expand to "" (read as unset), not stay a literal \${user_config.${key}}`);
    }
    assert.deepEqual(m.server.mcp_config.env, {
      KITARU_PYTHON: '${user_config.python}',
      KITARU_SERVER_URL: '${user_config.server_url}',
      KITARU_AUTH_TOKEN: '${user_config.api_key}',
      KITARU_PROJECT: '${user_config.project}',
    });
  }
});

describe('mcpb validate', { skip: mcpbUnavailable() }, () => {
  test('accepts every platform\'s manifest and rejects a broken one', { timeout: 300_000 }, () => {
    for (const target of TARGETS) {
      const dir = path.join(tmp, `validate-${target}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifestFor(target)));
      assert.match(mcpb(['validate', path.join(dir, 'manifest.json')]), /validation passes/i, target);
    }
    const broken = { ...manifestFor('linux-x64'), server: { type: 'binary' } };
    writeFileSync(path.join(tmp, 'broken.json'), JSON.stringify(broken));
    assert.throws(() => mcpb(['validate', path.join(tmp, 'broken.json')]));
  });
});

const release = ensureRelease();

describe('the linux-x64 bundle, as Claude Desktop runs it', { skip: release.skip }, () => {
  let unpacked: string;
  let config: (userConfig: Record<string, string>) => Promise<{ command: string; args: string[]; env: Record<string, string> }>;

  test('unpacks with mcpb unpack, holding the manifest and an executable binary', { timeout: 300_000 }, async () => {
    const file = path.join(release.dir!, 'kitaru-mcp-linux-x64.mcpb');
    unpacked = path.join(tmp, 'unpacked');
    mcpb(['unpack', file, unpacked]);
    const manifest = JSON.parse(readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest, manifestFor('linux-x64'));
    assert.ok(statSync(path.join(unpacked, 'server', 'kitaru-mcp')).mode & 0o100, 'the binary keeps its exec bit');
    assert.ok(existsSync(path.join(unpacked, 'LICENSE')));

    // MCPB's own resolver, the code Claude Desktop uses to turn a manifest into a launch.
    const prefix = path.join(tmp, 'mcpb-lib');
    execFileSync('npm', ['install', '--silent', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', prefix, `@anthropic-ai/mcpb@${MCPB_VERSION}`], { timeout: 300_000 });
    const lib = (await import(pathToFileURL(path.join(prefix, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'shared', 'config.js')).href)) as {
      getMcpConfigForManifest(o: Record<string, unknown>): Promise<{ command: string; args: string[]; env: Record<string, string> }>;
    };
    config = (userConfig) =>
      lib.getMcpConfigForManifest({ manifest, extensionPath: unpacked, systemDirs: { HOME: os.homedir() }, userConfig, pathSeparator: path.sep });
  });

  test('with nothing configured: no ${...} left, every variable empty, and it answers tools/list', { timeout: 120_000 }, async () => {
    const launch = await config({});
    assert.equal(launch.command, path.join(unpacked, 'server', 'kitaru-mcp'));
    assert.deepEqual(launch.env, { KITARU_PYTHON: '', KITARU_SERVER_URL: '', KITARU_AUTH_TOKEN: '', KITARU_PROJECT: '' });
    await listTools(launch);
  });

  test('the release workflow\'s smoke check (no SDK) passes on the unpacked binary and fails on a non-server', { timeout: 120_000 }, () => {
    const smoke = path.join(root, 'scripts', 'release', 'smoke.mjs');
    const out = execFileSync(process.execPath, [smoke, path.join(unpacked, 'server', 'kitaru-mcp')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    assert.equal(out, '');
    assert.throws(() => execFileSync(process.execPath, [smoke, 'false'], { stdio: 'ignore', timeout: 90_000 }));
  });

  test('a configured Python is passed in its environment, and it starts with it', { timeout: 120_000 }, async () => {
    const launch = await config({ python: '/opt/venv/bin/python' });
    assert.equal(launch.env.KITARU_PYTHON, '/opt/venv/bin/python');
    const { tools } = await listTools(launch);
    assert.ok(tools.some((t) => t.name === 'kitaru_status'));
  });
});

async function listTools(launch: { command: string; args: string[]; env: Record<string, string> }) {
  // Claude Desktop passes the manifest's env on top of a minimal environment.
  const home = mkdtempSync(path.join(tmp, 'home-'));
  const transport = new StdioClientTransport({ command: launch.command, args: launch.args, env: { HOME: home, PATH: '/usr/bin:/bin', ...launch.env }, stderr: 'pipe', cwd: home });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  const client = new Client({ name: 'claude-desktop-like', version: '0.0.0' });
  try {
    await client.connect(transport);
    assert.equal(client.getServerVersion()?.version, pkgVersion);
    const result = await client.listTools();
    assert.ok(result.tools.length > 20, `tools/list gave ${result.tools.length}; stderr: ${stderr}`);
    return result;
  } finally {
    await client.close();
  }
}
