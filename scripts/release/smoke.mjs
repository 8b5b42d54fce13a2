#!/usr/bin/env node
// Starts a kitaru-mcp command as an MCP client would (stdio, no SDK needed, so
// it runs on a bare release runner) and checks it answers initialize and
// tools/list. Used by the release workflow on real macOS and Windows.
//
//   node scripts/release/smoke.mjs <command> [args...]
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: smoke.mjs <command> [args...]');
  process.exit(2);
}
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
const send = (msg) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
const timer = setTimeout(() => finish(1, 'no tools/list answer within 60 s'), 60_000);
let buffer = '';
function finish(code, message) {
  clearTimeout(timer);
  console.error(`smoke: ${message}`);
  child.stdin.end();
  child.kill();
  process.exit(code);
}
child.on('error', (e) => finish(1, `cannot start ${command}: ${e.message}`));
child.stdin.on('error', () => {}); // EPIPE when it dies first: the exit handler reports that
child.on('exit', (code) => finish(1, `${command} exited (${code}) before answering`));
child.stdout.on('data', (chunk) => {
  buffer += chunk;
  for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      finish(1, `stdout carried a non-JSON line: ${line.slice(0, 200)}`);
    }
    if (msg.id === 1) {
      send({ method: 'notifications/initialized' });
      send({ id: 2, method: 'tools/list' });
    } else if (msg.id === 2) {
      const tools = msg.result?.tools ?? [];
      const ok = tools.some((t) => t.name === 'kitaru_status');
      child.removeAllListeners('exit');
      finish(ok ? 0 : 1, `${msg.result?.tools ? tools.length : 'no'} tools from ${msg.result ? 'tools/list' : JSON.stringify(msg.error)}`);
    }
  }
});
send({
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'kitaru-mcp-smoke', version: '0' } },
});
