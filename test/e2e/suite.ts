// The end-to-end suite: a built artifact (the bundle under node, or a SEA
// binary) spawned as a client would spawn it, over real stdio, side by side
// with the Python kitaru-mcp on the same real server.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { callTool, connectPython, connectStdio, type McpConnection } from '../helpers/mcp-clients.ts';
import { repoRoot, venvPython } from '../helpers/kitaru-server.ts';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';

export const bundle = path.join(repoRoot, 'dist', 'kitaru-mcp.cjs');
/** The native binary scripts/test.sh builds for this machine (absent unless built). */
export const nativeBinary = path.join(repoRoot, 'dist', 'bin', `kitaru-mcp-${process.platform}-${process.arch}`);

/** Runs the suite against `command args...`, e.g. node + the bundle, or a binary alone. */
export function e2eSuite(label: string, command: string, args: string[]): void {
  describe(label, () => {
    let fx: SharedServer;
    let ours: McpConnection;
    let python: McpConnection;

    before(async () => {
      assert.ok(fs.existsSync(args[0] ?? command), `${args[0] ?? command} is missing: run \`node build.mjs\``);
      fx = await useSharedServer();
      const env = { ...fx.server.env, KITARU_PYTHON: venvPython };
      [ours, python] = await Promise.all([connectStdio(command, args, env), connectPython(fx.server)]);
    });

    after(async () => {
      await Promise.allSettled([ours?.close(), python?.close()]);
      await fx?.release();
    });

    test('--version and --help print to stdout and exit 0', () => {
      const version = spawnSync(command, [...args, '--version'], { encoding: 'utf8' });
      assert.equal(version.status, 0);
      assert.match(version.stdout, /^kitaru-mcp \d+\.\d+\.\d+ \(node \d+\.\d+\.\d+\)\n$/);
      const help = spawnSync(command, [...args, '--help'], { encoding: 'utf8' });
      assert.equal(help.status, 0);
      assert.match(help.stdout, /--python PATH/);
      const bad = spawnSync(command, [...args, '--bogus'], { encoding: 'utf8' });
      assert.equal(bad.status, 2);
      assert.equal(bad.stdout, '');
      assert.match(bad.stderr, /unknown option --bogus/);
    });

    test('initialize reports the server as "kitaru", and tools/list offers every Python tool name we implement', async () => {
      assert.equal(ours.client.getServerVersion()?.name, 'kitaru');
      const [mine, theirs] = await Promise.all([ours.client.listTools(), python.client.listTools()]);
      const theirNames = new Set(theirs.tools.map((t) => t.name));
      for (const tool of mine.tools) {
        // Ours only, on purpose.
        if (['kitaru_executions_resume', 'kitaru_executions_ask', 'kitaru_executions_watch'].includes(tool.name)) continue;
        assert.ok(theirNames.has(tool.name), `${tool.name} is not a Python tool name`);
      }
      for (const tool of mine.tools) assert.ok(tool.annotations && tool.outputSchema, `${tool.name} lacks annotations or outputSchema`);
    });

    test('kitaru_status matches Python on the same server', async () => {
      const [mine, theirs] = await Promise.all([callTool(ours, 'kitaru_status'), callTool(python, 'kitaru_status')]);
      assert.deepEqual(Object.keys(mine), Object.keys(theirs), 'same keys in the same order');
      assert.equal(mine.connection, 'local Kitaru server');
      for (const key of Object.keys(theirs)) {
        assert.deepEqual(mine[key], theirs[key], `kitaru_status.${key}`);
      }
    });

    test('kitaru_stacks_list matches Python', async () => {
      const [mine, theirs] = await Promise.all([callTool(ours, 'kitaru_stacks_list'), callTool(python, 'kitaru_stacks_list')]);
      assert.ok(theirs.length >= 1);
      assert.deepEqual(mine, theirs);
    });

    test('kitaru_info(all=true) matches Python key for key: provenance, packages, environment type', async () => {
      const [mine, theirs] = await Promise.all([
        callTool(ours, 'kitaru_info', { all: true }),
        callTool(python, 'kitaru_info', { all: true }),
      ]);
      assert.deepEqual(Object.keys(mine), Object.keys(theirs));
      for (const key of Object.keys(theirs)) assert.deepEqual(mine[key], theirs[key], `kitaru_info.${key}`);
      assert.equal(mine.active_stack_provenance.effective_source, 'global config');
      assert.ok(Object.keys(mine.packages).length > 20);
    });

    test('on the local SQLite database: without a named Python, read-only tools point at kitaru_start_local_server; with one, Python serves them', async () => {
      const configDir = fs.mkdtempSync(path.join(fx.server.configDir, '..', 'no-server-'));
      const unnamed: Record<string, string> = { ...fx.server.env, KITARU_CONFIG_PATH: configDir };
      delete unnamed.KITARU_PYTHON;
      const refusing = await connectStdio(command, args, unnamed);
      try {
        const stacks = await refusing.client.callTool({ name: 'kitaru_stacks_list', arguments: {} });
        assert.equal(stacks.isError, true);
        assert.match((stacks.content as { text: string }[])[0]!.text, /local database .*`kitaru_start_local_server`/s);
        const status = await callTool(refusing, 'kitaru_status');
        assert.equal(status.connection, 'local database');
        assert.match(status.warning, /kitaru_start_local_server/);
      } finally {
        await refusing.close();
      }
      const served = await connectStdio(command, args, { ...unnamed, KITARU_PYTHON: venvPython });
      try {
        const stacks = await callTool(served, 'kitaru_stacks_list');
        assert.ok(
          stacks.some((stack: { name: string }) => stack.name === 'default'),
          `the local database's stacks: ${JSON.stringify(stacks)}`,
        );
      } finally {
        await served.close();
        fs.rmSync(configDir, { recursive: true, force: true });
      }
    });

    test('kitaru_info with packages matches Python', async () => {
      const args = { packages: ['kitaru', 'ZenML', 'no-such-package'] };
      const [mine, theirs] = await Promise.all([callTool(ours, 'kitaru_info', args), callTool(python, 'kitaru_info', args)]);
      assert.deepEqual(mine.packages, theirs.packages);
      assert.equal(mine.packages['no-such-package'], 'not installed');
    });

    test('a validation error names the field and what was expected, like Python', async () => {
      const args = { packages: 5 };
      const [mine, theirs] = await Promise.all([
        ours.client.callTool({ name: 'kitaru_info', arguments: args }),
        python.client.callTool({ name: 'kitaru_info', arguments: args }),
      ]);
      assert.equal(mine.isError, true);
      assert.equal(theirs.isError, true);
      const text = (r: typeof mine) => (r.content as { text: string }[])[0]!.text;
      assert.equal(text(mine), text(theirs), 'the same words as pydantic');
      assert.match(text(mine), /^Error executing tool kitaru_info: 1 validation error for kitaru_infoArguments\npackages\n/);
    });

    test('stdout carries only JSON-RPC, and the process exits promptly when stdin closes', async () => {
      const child = spawn(command, args, { env: { ...fx.server.env, KITARU_PYTHON: venvPython }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const request = (id: number, method: string, params: object) => `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;
      child.stdin.write(
        request(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } }),
      );
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      child.stdin.write(request(2, 'tools/call', { name: 'kitaru_status', arguments: {} }));
      await new Promise<void>((resolve) => {
        const check = () => (stdout.includes('"id":2') ? resolve() : setTimeout(check, 50));
        check();
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.stdin.end();
      // A generous bound, only so a hang fails the test instead of stalling it.
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 5000))]);
      if (code === 'still running') child.kill('SIGKILL');
      assert.equal(code, 0, 'exits with 0 once stdin closes');
      for (const line of stdout.split('\n').filter(Boolean)) {
        const message = JSON.parse(line) as { jsonrpc?: string };
        assert.equal(message.jsonrpc, '2.0', `non-protocol output on stdout: ${line.slice(0, 200)}`);
      }
    });
  });
}
