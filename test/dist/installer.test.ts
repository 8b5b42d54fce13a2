// install.sh against a loopback HTTP server serving the release assets (the
// compressed archive and SHA256SUMS): a good install, a re-run, a checksum
// mismatch, offline --from (archive or bare binary), and its clear errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { binDir, nativeLinuxBinary, pkgVersion, root } from './dist-files.ts';
import { ensureRelease } from './release-files.ts';

const installer = path.join(root, 'install.sh');
const asset = 'kitaru-mcp-linux-x64';
const archive = `${asset}.tar.gz`;
const native = nativeLinuxBinary();
const release = native.skip ? { dir: null, skip: native.skip } : ensureRelease();
const bin = native.file;
const skip = native.skip || release.skip;
const releaseDir = release.dir ?? '';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs install.sh with a private HOME, async so the server keeps serving. */
function install(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      'sh',
      [installer, ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...env }, maxBuffer: 1 << 20, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let tmp: string;
let home: string;
let server: Server;
let baseUrl: string;
const requests: string[] = [];

describe('install.sh', { skip }, () => {
  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kitaru-install-'));
    home = path.join(tmp, 'home');
    mkdirSync(home);
    const sums = readFileSync(path.join(releaseDir, 'SHA256SUMS'), 'utf8');
    // /bad/ serves the real archive with a SHA256SUMS whose hash for it is wrong.
    const badSums = sums.replace(/^([0-9a-f]{64})(\s+\*?kitaru-mcp-linux-x64\.tar\.gz)$/m, (_, h: string, rest: string) => `${h.slice(1)}${h[0] === '0' ? '1' : '0'}${rest}`);
    assert.notEqual(badSums, sums);
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const m = /^\/(good|bad)\/([\w.-]+)$/.exec(req.url ?? '');
      const file = m && path.join(releaseDir, m[2]!);
      if (!m || !file || !existsSync(file)) {
        res.writeHead(404).end('not found\n');
      } else if (m[2] === 'SHA256SUMS') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(m[1] === 'bad' ? badSums : sums);
      } else {
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

  const dest = () => path.join(home, '.local', 'bin', 'kitaru-mcp');

  test('installs the archive from the base URL into ~/.local/bin and prints the client config as pure JSON', async () => {
    const r = await install([], { KITARU_MCP_BASE_URL: `${baseUrl}/good` });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(dest()).equals(readFileSync(bin!)));
    assert.match(r.stderr, /checksum ok/);
    assert.ok(r.stderr.includes(`kitaru-mcp ${pkgVersion}`), r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).mcpServers.kitaru.command, dest());
    assert.deepEqual(requests.filter((u) => u.startsWith('/good/')), ['/good/SHA256SUMS', `/good/${archive}`], 'the compressed archive, never the raw binary');
  });

  test('re-running is safe: same version is left alone, a changed one replaced', async () => {
    let r = await install([], { KITARU_MCP_BASE_URL: `${baseUrl}/good/` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /already this version/);
    writeFileSync(dest(), '#!/bin/sh\necho old\n');
    r = await install(['--client', 'vscode'], { KITARU_MCP_BASE_URL: `${baseUrl}/good` });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(dest()).equals(readFileSync(bin!)));
    assert.equal(JSON.parse(r.stdout).servers.kitaru.type, 'stdio');
    r = await install(['--client', 'codex'], { KITARU_MCP_BASE_URL: `${baseUrl}/good` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\[mcp_servers\.kitaru\]\ncommand = /);
  });

  test('refuses a checksum mismatch and changes nothing', async () => {
    const prefix = path.join(tmp, 'mismatch');
    const r = await install(['--prefix', prefix], { KITARU_MCP_BASE_URL: `${baseUrl}/bad` });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /checksum mismatch.*Refusing/);
    assert.ok(!existsSync(path.join(prefix, 'bin', 'kitaru-mcp')));
  });

  test('--from DIR installs offline, with no request at all: the release folder (archive) or dist/bin (bare binary)', async () => {
    const before = requests.length;
    for (const [from, what] of [[releaseDir, archive], [binDir, asset]] as const) {
      const prefix = path.join(tmp, `offline-${what}`);
      // An unusable base URL and no curl/wget on PATH: any network attempt would fail.
      const r = await install(['--from', from, `--prefix=${prefix}`], { KITARU_MCP_BASE_URL: 'http://127.0.0.1:1', PATH: toolsWithout(['curl', 'wget']) });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stderr.includes(`installing ${what} from`), r.stderr);
      assert.ok(readFileSync(path.join(prefix, 'bin', 'kitaru-mcp')).equals(readFileSync(bin!)));
      assert.match(r.stderr, /checksum ok/);
    }
    assert.equal(requests.length, before);
  });

  test('--from a tampered archive is refused before anything is unpacked or installed', async () => {
    const dir = path.join(tmp, 'tampered-archive');
    mkdirSync(dir);
    execFileSync('sh', ['-c', `printf 'not the binary' > kitaru-mcp && tar -czf ${archive} kitaru-mcp && rm kitaru-mcp`], { cwd: dir });
    writeFileSync(path.join(dir, 'SHA256SUMS'), readFileSync(path.join(releaseDir, 'SHA256SUMS')));
    const prefix = path.join(tmp, 'tampered-archive-prefix');
    const r = await install(['--from', dir, '--prefix', prefix]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /checksum mismatch for kitaru-mcp-linux-x64\.tar\.gz.*Refusing/);
    assert.ok(!existsSync(path.join(prefix, 'bin')));
  });

  test('--from DIR refuses a tampered copy', async () => {
    const dir = path.join(tmp, 'tampered');
    mkdirSync(dir);
    symlinkSync(bin!, path.join(dir, asset));
    writeFileSync(path.join(dir, 'SHA256SUMS'), `${'0'.repeat(64)}  ${asset}\n`);
    const r = await install(['--from', dir, '--prefix', path.join(tmp, 'tampered-prefix')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /checksum mismatch/);
  });

  test('--from FILE installs a lone binary', async () => {
    const prefix = path.join(tmp, 'lone');
    const r = await install(['--from', bin!, '--prefix', prefix]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /checksum ok/); // SHA256SUMS sits beside it in dist/bin
    assert.ok(existsSync(path.join(prefix, 'bin', 'kitaru-mcp')));
  });

  test('clear errors: unsupported platform, failed download, missing downloader', async () => {
    let r = await install([], { KITARU_MCP_PLATFORM: 'freebsd-x64', KITARU_MCP_BASE_URL: `${baseUrl}/good` });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unsupported platform 'freebsd-x64'/);

    r = await install(['--client', 'emacs'], { KITARU_MCP_BASE_URL: `${baseUrl}/good` });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--client must be one of claude, claude-desktop/);

    r = await install(['--prefix', path.join(tmp, 'x')], { KITARU_MCP_BASE_URL: `${baseUrl}/missing` });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /download failed: .*\/missing\/SHA256SUMS/);

    r = await install(['--prefix', path.join(tmp, 'x')], { KITARU_MCP_BASE_URL: `${baseUrl}/good`, PATH: toolsWithout(['curl', 'wget']) });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /neither curl nor wget/);
    assert.ok(!existsSync(path.join(tmp, 'x', 'bin', 'kitaru-mcp')));
  });
});

/** A PATH holding only the tools install.sh uses, minus `omit`. */
function toolsWithout(omit: string[]): string {
  const dir = path.join(tmp, `path-without-${omit.join('-')}`);
  if (existsSync(dir)) return dir;
  mkdirSync(dir);
  const tools = ['sh', 'uname', 'mktemp', 'rm', 'cp', 'mv', 'mkdir', 'chmod', 'cmp', 'awk', 'cut', 'sed', 'head', 'cat', 'dirname', 'basename', 'sha256sum', 'tar', 'gzip', 'curl', 'wget'];
  for (const t of tools.filter((t) => !omit.includes(t))) {
    const found = (process.env.PATH ?? '').split(':').map((d) => path.join(d, t)).find((p) => existsSync(p));
    if (found) symlinkSync(found, path.join(dir, t));
  }
  return dir;
}
