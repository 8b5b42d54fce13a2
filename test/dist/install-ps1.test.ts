// install.ps1: under pwsh (when this machine has it: GitHub's runners do, this
// build VM cannot install it) the same scenarios as install.sh against a
// loopback server: good install, re-run, checksum mismatch, offline -From, and
// -DryRun. Without pwsh: a structural parse (balanced blocks outside strings and
// comments) and the agreements with install.sh and the release that matter.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLIENTS } from '../../src/cli/print-config.ts';
import { binary, pkgVersion, root } from './dist-files.ts';
import { ensureRelease } from './release-files.ts';

const script = readFileSync(path.join(root, 'install.ps1'), 'utf8');
const shScript = readFileSync(path.join(root, 'install.sh'), 'utf8');

/** Strips comments and string contents, keeping the code's bracket structure. */
function codeSkeleton(ps: string): string {
  let out = '';
  for (let i = 0; i < ps.length; i += 1) {
    const c = ps[i]!;
    if (c === '<' && ps[i + 1] === '#') {
      const end = ps.indexOf('#>', i + 2);
      assert.ok(end > 0, 'unterminated <# block comment');
      i = end + 1;
    } else if (c === '#') {
      while (i < ps.length && ps[i] !== '\n') i += 1;
      out += '\n';
    } else if (c === "'") {
      const end = ps.indexOf("'", i + 1);
      assert.ok(end > 0, `unterminated '...' string at ${ps.slice(i, i + 40)}`);
      i = end;
      out += "''";
    } else if (c === '"') {
      let j = i + 1;
      let depth = 0; // $( ... ) subexpressions may hold quotes of their own
      while (j < ps.length && !(ps[j] === '"' && depth === 0)) {
        if (ps[j] === '`') j += 1;
        else if (ps[j] === '$' && ps[j + 1] === '(') {
          depth += 1;
          j += 1;
        } else if (ps[j] === ')' && depth > 0) depth -= 1;
        j += 1;
      }
      assert.ok(j < ps.length, `unterminated "..." string at ${ps.slice(i, i + 40)}`);
      i = j;
      out += '""';
    } else out += c;
  }
  return out;
}

test('install.ps1 parses structurally: every (, { and [ outside strings and comments is closed in order', () => {
  const code = codeSkeleton(script);
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  code.split('\n').forEach((line, n) => {
    for (const c of line) {
      if ('({['.includes(c)) stack.push(c);
      else if (c in pairs) assert.equal(stack.pop(), pairs[c], `unbalanced ${c} on code line ${n + 1}: ${line}`);
    }
  });
  assert.deepEqual(stack, [], 'unclosed blocks at the end');
});

test('install.ps1 agrees with install.sh and the release: base URL, asset names, clients, refusal, no exit under iex', () => {
  const base = (s: string) => /DefaultBaseUrl = '([^']+)'|DEFAULT_BASE_URL="([^"]+)"/.exec(s)!.slice(1).find(Boolean);
  assert.equal(base(script), base(shScript));
  assert.match(script, /\$Archive = "kitaru-mcp-\$Platform\$Ext"/);
  assert.match(script, /'win-x64' \{ \$Exe = '\.exe'; \$Ext = '\.zip' \}/);
  const clients = /\$Clients = @\(([^)]*)\)/.exec(script)![1]!.split(',').map((c) => c.trim().replace(/'/g, ''));
  assert.deepEqual(clients, [...CLIENTS]);
  assert.match(script, /checksum mismatch for \$\{Name\}: expected \$want, got \$got\. Refusing to install; nothing was changed\./);
  // `exit` inside `irm | iex` would close the user's shell.
  assert.doesNotMatch(codeSkeleton(script), /\bexit\b/);
  assert.match(script, /Get-FileHash -Algorithm SHA256/);
});

const pwsh = (() => {
  try {
    execFileSync('pwsh', ['-NoProfile', '-Command', '$PSVersionTable.PSVersion.ToString()'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
})();
const release = pwsh ? ensureRelease() : null;
const skip = !pwsh
  ? 'pwsh is not installed here (not in Debian 12, nor on npm except as a downloader of GitHub builds; the .NET tool needs a .NET SDK this machine lacks); the release workflow runs install.ps1 on real Windows'
  : release!.skip;

describe('install.ps1 under pwsh', { skip }, () => {
  let tmp: string;
  let server: Server;
  let baseUrl: string;
  const requests: string[] = [];
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'pwsh',
        ['-NoProfile', '-NonInteractive', '-File', path.join(root, 'install.ps1'), ...args],
        { env: { PATH: process.env.PATH ?? '', HOME: path.join(tmp, 'home'), KITARU_MCP_PLATFORM: 'linux-x64', ...env }, timeout: 180_000, maxBuffer: 1 << 20 },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      );
    });

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kitaru-ps1-'));
    mkdirSync(path.join(tmp, 'home'));
    const sums = readFileSync(path.join(release!.dir!, 'SHA256SUMS'), 'utf8');
    const badSums = sums.replace(/^[0-9a-f]{64}(?=\s+kitaru-mcp-linux-x64\.tar\.gz$)/m, '0'.repeat(64));
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const m = /^\/(good|bad)\/([\w.-]+)$/.exec(req.url ?? '');
      const file = m && path.join(release!.dir!, m[2]!);
      if (!m || !file || !existsSync(file)) res.writeHead(404).end();
      else if (m[2] === 'SHA256SUMS') res.end(m[1] === 'bad' ? badSums : sums);
      else {
        res.writeHead(200, { 'content-length': statSync(file).size });
        createReadStream(file).pipe(res);
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server?.close(r));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('good install, then a re-run that changes nothing', async () => {
    const prefix = path.join(tmp, 'p');
    let r = await run(['-Prefix', prefix], { KITARU_MCP_BASE_URL: `${baseUrl}/good` });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(path.join(prefix, 'kitaru-mcp')).equals(readFileSync(binary('linux-x64'))));
    assert.ok(r.stderr.includes(`kitaru-mcp ${pkgVersion}`), r.stderr);
    assert.equal(JSON.parse(r.stdout).mcpServers.kitaru.command, path.join(prefix, 'kitaru-mcp'));
    r = await run(['-Prefix', prefix, '-Client', 'vscode'], { KITARU_MCP_BASE_URL: `${baseUrl}/good` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /already this version/);
    assert.equal(JSON.parse(r.stdout).servers.kitaru.type, 'stdio');
  });

  test('a checksum mismatch is refused and nothing is installed', async () => {
    const prefix = path.join(tmp, 'bad');
    const r = await run(['-Prefix', prefix], { KITARU_MCP_BASE_URL: `${baseUrl}/bad` });
    assert.notEqual(r.code, 0);
    // pwsh may wrap a long error record across lines.
    assert.match(r.stderr, /checksum mismatch[\s\S]*Refusing/);
    assert.ok(!existsSync(path.join(prefix, 'kitaru-mcp')));
  });

  test('-From the release folder installs with no request; -DryRun writes nothing', async () => {
    const before = requests.length;
    const prefix = path.join(tmp, 'offline');
    let r = await run(['-From', release!.dir!, '-Prefix', prefix], { KITARU_MCP_BASE_URL: 'http://127.0.0.1:1' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /checksum ok/);
    assert.equal(requests.length, before);
    r = await run(['-DryRun', '-Prefix', path.join(tmp, 'dry')], { KITARU_MCP_BASE_URL: `${baseUrl}/good` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /would download .*kitaru-mcp-linux-x64\.tar\.gz/);
    assert.ok(!existsSync(path.join(tmp, 'dry')));
    assert.equal(requests.length, before);
  });
});
