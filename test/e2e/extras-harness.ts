// The session the end-to-end "beyond Python's tools" files share: the bundle
// spawned over stdio by the SDK's Client (one plain, one that answers
// elicitations), on the run-wide shared Kitaru server, and the helpers that
// start real flows and wait for their executions.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type ElicitRequest, ElicitRequestSchema, type ElicitResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { flowsDir, repoRoot, venvPython } from '../helpers/kitaru-server.ts';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';
import { bundle } from './suite.ts';

export interface Conn {
  client: Client;
  close(): Promise<void>;
}

export async function connect(
  env: Record<string, string>,
  options: { elicit?: (request: ElicitRequest) => ElicitResult } = {},
): Promise<Conn> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bundle], env, cwd: repoRoot, stderr: 'pipe' });
  const client = new Client(
    { name: 'kitaru-mcp-extras-tests', version: '0.0.0' },
    { capabilities: options.elicit ? { elicitation: { form: {} } } : {} },
  );
  if (options.elicit) {
    const elicit = options.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (request) => elicit(request));
  }
  await client.connect(transport);
  return { client, close: () => client.close() };
}

export type Result = { content: Array<{ type: string; text: string }>; structuredContent?: any; isError?: boolean };

export async function call(conn: Conn, name: string, args: Record<string, unknown>, onprogress?: (p: Progress) => void): Promise<Result> {
  return (await conn.client.callTool({ name, arguments: args }, undefined, {
    timeout: 120_000,
    ...(onprogress ? { onprogress } : {}),
  })) as Result;
}

export async function ok(conn: Conn, name: string, args: Record<string, unknown>, onprogress?: (p: Progress) => void): Promise<any> {
  const result = await call(conn, name, args, onprogress);
  assert.notEqual(result.isError, true, `${name} failed: ${result.content[0]?.text}`);
  return result.structuredContent;
}

// The session's state, set by the hooks useExtrasSession() registers (live bindings).
export let fx: SharedServer;
export let env: Record<string, string>;
/** A client without elicitation. */
export let plain: Conn;
/** A client that answers elicitations from `answers`, recording each in `asked`. */
export let asking: Conn;
export const asked: ElicitRequest[] = [];
export const answers: ElicitResult[] = [];
const children: ChildProcess[] = [];

/** Registers the file's hooks: the shared server, two clients, and cleanup. */
export function useExtrasSession(): void {
  before(async () => {
    assert.ok(fs.existsSync(bundle), `${bundle} is missing: run \`node build.mjs\``);
    fx = await useSharedServer();
    env = { ...fx.server.env, KITARU_PYTHON: venvPython };
    [plain, asking] = await Promise.all([
      connect(env),
      connect(env, {
        elicit: (request) => {
          asked.push(request);
          const answer = answers.shift();
          assert.ok(answer, 'an elicitation nobody planned for');
          return answer;
        },
      }),
    ]);
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.allSettled([plain?.close(), asking?.close()]);
    await fx?.release();
  });
}

export function startFlow(script: string, args: string[]): ChildProcess {
  const child = spawn(venvPython, [path.join(flowsDir, script), ...args], { cwd: flowsDir, env: fx.server.env, stdio: 'ignore' });
  children.push(child);
  return child;
}

/**
 * Python Kitaru may rewrite config.yaml (not atomically) as a flow process ends;
 * reading it then can see a half-written file. Let the process finish first.
 */
export async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
}

/** Polls until a new execution of `flow` has `status` (bounded; no timing is asserted). */
export async function newExecution(flow: string, status: string, exclude: string[]): Promise<string> {
  for (let i = 0; i < 240; i += 1) {
    const rows = (await ok(plain, 'kitaru_executions_list', { flow, status })).result as Array<{ exec_id: string }>;
    const row = rows.find((r) => !exclude.includes(r.exec_id));
    if (row) return row.exec_id;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no new ${status} execution of ${flow} appeared`);
}

export async function idsOf(flow: string): Promise<string[]> {
  return ((await ok(plain, 'kitaru_executions_list', { flow })).result as Array<{ exec_id: string }>).map((r) => r.exec_id);
}

/** Watches until the execution finishes, calling again on "timeout" as a model would. */
export async function watchToEnd(execId: string, progress: Progress[]): Promise<any> {
  for (let i = 0; i < 8; i += 1) {
    const watched = await ok(plain, 'kitaru_executions_watch', { exec_id: execId }, (p) => progress.push(p));
    if (watched.reason !== 'timeout') return watched;
  }
  throw new Error(`${execId} did not finish in 8 watches`);
}
