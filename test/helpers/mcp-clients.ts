// MCP clients over stdio for tests: the Python reference kitaru-mcp, or any command
// (e.g. our own dist/kitaru-mcp.cjs). stderr is captured rather than inherited so
// test output stays readable and assertions can inspect it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StdioTransport } from '../../src/mcp/stdio-transport.ts';
import { repoRoot, venvBin, venvPython, type KitaruServer } from './kitaru-server.ts';
import { assertOutputMatches } from './output-check.ts';

export { repoRoot, venvPython };

export interface McpConnection {
  client: Client;
  close(): Promise<void>;
  stderr(): string;
  /** Our server: every successful tool result is checked against the tool's declared output schema. */
  ours?: boolean;
}

/**
 * A client that reads and writes JSON losslessly (src/compat/json.ts): 2.0 and
 * big integers go out as written (pass PyFloat/PyInt in arguments) and come back
 * as the server wrote them. The SDK's own client transport uses JSON.parse.
 */
async function connectLossless(command: string, args: string[], env: Record<string, string>, cwd: string): Promise<McpConnection> {
  const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let captured = '';
  child.stderr.on('data', (d) => (captured += d));
  const transport = new StdioTransport({
    input: child.stdout,
    output: child.stdin,
    maxMessageBytes: 1024 * 1024 * 1024,
    answerRefusals: false,
  });
  child.on('exit', () => transport.onclose?.());
  const client = new Client({ name: 'kitaru-mcp-tests', version: '0.0.0' });
  try {
    // Python's server can take a minute to import on a loaded machine.
    await client.connect(transport, { timeout: 300_000 });
  } catch (e) {
    child.kill();
    throw new Error(`MCP connect to ${command} failed: ${(e as Error).message}\nstderr:\n${captured.slice(-4000)}`);
  }
  return {
    client,
    close: async () => {
      await client.close().catch(() => {});
      child.stdin.end();
      child.kill();
    },
    stderr: () => captured,
  };
}

export async function connectStdio(
  command: string,
  args: string[],
  env: Record<string, string>,
  opts: { cwd?: string; lossless?: boolean } = {},
): Promise<McpConnection> {
  const ours = isOurServer(command, args);
  if (opts.lossless) return { ...(await connectLossless(command, args, env, opts.cwd ?? repoRoot)), ours };
  const transport = new StdioClientTransport({ command, args, env, cwd: opts.cwd ?? repoRoot, stderr: 'pipe' });
  let captured = '';
  transport.stderr?.on('data', (d) => (captured += d));
  const client = new Client({ name: 'kitaru-mcp-tests', version: '0.0.0' });
  try {
    // Python's server can take a minute to import on a loaded machine (the SDK's default is 60 s).
    await client.connect(transport, { timeout: 300_000 });
  } catch (e) {
    await transport.close().catch(() => {});
    throw new Error(`MCP connect to ${command} failed: ${(e as Error).message}\nstderr:\n${captured.slice(-4000)}`);
  }
  return {
    client,
    close: () => client.close(),
    stderr: () => captured,
    ours,
  };
}

/** Our server from the sources, the bundle or a binary (not the Python reference, `.venv-ref/bin/kitaru-mcp`). */
function isOurServer(command: string, args: string[]): boolean {
  return [command, ...args].some((part) => /(?:^|[\\/])src[\\/]main\.ts$|kitaru-mcp\.cjs$|kitaru-mcp-(?:linux|darwin|win)/.test(part));
}

export function connectPython(server: Pick<KitaruServer, 'env'>, opts: { lossless?: boolean } = {}): Promise<McpConnection> {
  return connectStdio(path.join(venvBin, 'kitaru-mcp'), [], server.env, opts);
}

/**
 * How tests start our server: from the sources through tsx (no build needed),
 * or, when KITARU_TEST_BUNDLE names it, from the bundle the test command has
 * just built from those sources (scripts/test.sh): tsx costs about 1.5 s of
 * CPU a start, the bundle 0.3 s, and the suite starts our server about eighty times.
 */
export function ourServerArgs(): string[] {
  const bundle = process.env.KITARU_TEST_BUNDLE;
  if (bundle && existsSync(bundle)) return [bundle];
  return ['--import', import.meta.resolve('tsx'), path.join(repoRoot, 'src', 'main.ts')];
}

/** Our server (see ourServerArgs), on the reference venv's Python. */
export function connectOurs(server: Pick<KitaruServer, 'env'>, extraEnv: Record<string, string> = {}): Promise<McpConnection> {
  return connectStdio(process.execPath, ourServerArgs(), {
    ...server.env,
    KITARU_PYTHON: venvPython,
    ...extraEnv,
  });
}

/** The Python kitaru-mcp and ours, side by side on the same server. */
export async function connectBoth(server: Pick<KitaruServer, 'env'>): Promise<{ py: McpConnection; ts: McpConnection }> {
  const [py, ts] = await Promise.all([connectPython(server), connectOurs(server)]);
  return { py, ts };
}

/** What a tool call answered, as sent: isError, the text content joined, structuredContent. */
export interface ToolAnswer {
  isError: boolean;
  text: string;
  structured: any;
}

/**
 * The one way tests call a tool. Nothing is unwrapped and an isError answer is
 * returned, not thrown. The bound is generous (a local server start, a flow
 * run) but finite.
 */
export async function callToolRaw(
  conn: McpConnection,
  name: string,
  args: Record<string, unknown> = {},
  options: { timeoutMs?: number; onprogress?: (progress: unknown) => void } = {},
): Promise<ToolAnswer> {
  const { timeoutMs = 300_000, onprogress } = options;
  const res: any = await conn.client.callTool({ name, arguments: args }, undefined, {
    timeout: timeoutMs,
    ...(onprogress ? { onprogress } : {}),
  });
  const text = (res.content ?? [])
    .filter((c: any) => c.type === 'text')
    .map((c: any) => c.text)
    .join('\n');
  const answer = { isError: res.isError === true, text, structured: res.structuredContent };
  if (conn.ours && !answer.isError) assertOutputMatches(name, answer.structured);
  return answer;
}

/**
 * Calls a tool and returns its payload: structuredContent (unwrapping FastMCP's
 * {result: ...} for non-object returns), else the JSON-parsed text content, else
 * the raw text. Throws when the tool reports isError.
 */
export async function callTool(conn: McpConnection, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const { isError, text, structured } = await callToolRaw(conn, name, args);
  if (isError) throw new Error(`${name} failed: ${text}`);
  if (structured !== undefined) {
    const keys = structured && typeof structured === 'object' ? Object.keys(structured) : [];
    return keys.length === 1 && keys[0] === 'result' ? structured.result : structured;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
