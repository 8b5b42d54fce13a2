// The linux-x64 SEA binary, run for real: --version, --print-config, and an MCP
// session over stdio. Skips when the binaries are not built.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { binDir, nativeLinuxBinary, nodeVersion, pkgVersion } from './dist-files.ts';

const run = promisify(execFile);
const { file: bin, skip } = nativeLinuxBinary();

describe('linux-x64 SEA binary', { skip }, () => {
  test('--version names the project and the embedded node', async () => {
    const { stdout } = await run(bin!, ['--version']);
    assert.ok(stdout.includes(`kitaru-mcp ${pkgVersion}`), stdout);
    assert.ok(stdout.includes(nodeVersion), `expected node ${nodeVersion} in ${JSON.stringify(stdout)}`);
  });

  test('--print-config points at the binary itself, not at node', async () => {
    for (const client of ['claude', 'cursor', 'vscode']) {
      const { stdout } = await run(bin!, ['--print-config', client]);
      assert.ok(stdout.includes(JSON.stringify(bin)), `${client}: ${stdout}`);
      assert.ok(!stdout.includes('kitaru-mcp.cjs'), `${client}: ${stdout}`);
    }
  });

  test('answers initialize and tools/list over stdio', { timeout: 60_000 }, async () => {
    const transport = new StdioClientTransport({ command: bin!, args: [], stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d) => (stderr += d));
    const client = new Client({ name: 'kitaru-mcp-dist-test', version: '0.0.0' });
    try {
      await client.connect(transport);
      assert.equal(client.getServerVersion()?.version, pkgVersion);
      const { tools } = await client.listTools();
      assert.ok(tools.length > 0, `no tools; stderr: ${stderr}`);
    } finally {
      await client.close();
    }
  });

  test('SHA256SUMS matches every binary', async () => {
    const lines = readFileSync(path.join(binDir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    assert.ok(lines.some((l) => l.endsWith(path.basename(bin!))));
    for (const line of lines) {
      const [sum, name] = line.split(/\s+\*?/);
      const got = createHash('sha256').update(readFileSync(path.join(binDir, name!))).digest('hex');
      assert.equal(got, sum, name);
    }
  });
});
