// Beyond Python's tools, end to end: the bundle spawned over stdio by the SDK's
// Client, on a real local Kitaru server with real executions. Prompts listed and
// rendered, completion with real values, resources equal to their tools, asking
// the user through elicitation (accept, decline, cancel, no elicitation), and
// watching real running flows to their end.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type ElicitRequest, ElicitRequestSchema, type ElicitResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { flowsDir, repoRoot, run, venvPython } from '../helpers/kitaru-server.ts';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';
import { bundle } from './suite.ts';

interface Conn {
  client: Client;
  close(): Promise<void>;
}

async function connect(env: Record<string, string>, options: { elicit?: (request: ElicitRequest) => ElicitResult } = {}): Promise<Conn> {
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

type Result = { content: Array<{ type: string; text: string }>; structuredContent?: any; isError?: boolean };

async function call(conn: Conn, name: string, args: Record<string, unknown>, onprogress?: (p: Progress) => void): Promise<Result> {
  return (await conn.client.callTool({ name, arguments: args }, undefined, {
    timeout: 120_000,
    ...(onprogress ? { onprogress } : {}),
  })) as Result;
}

async function ok(conn: Conn, name: string, args: Record<string, unknown>, onprogress?: (p: Progress) => void): Promise<any> {
  const result = await call(conn, name, args, onprogress);
  assert.notEqual(result.isError, true, `${name} failed: ${result.content[0]?.text}`);
  return result.structuredContent;
}

let fx: SharedServer;
let env: Record<string, string>;
let plain: Conn;
let asking: Conn;
const asked: ElicitRequest[] = [];
const answers: ElicitResult[] = [];
const children: ChildProcess[] = [];

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

function startFlow(script: string, args: string[]): ChildProcess {
  const child = spawn(venvPython, [path.join(flowsDir, script), ...args], { cwd: flowsDir, env: fx.server.env, stdio: 'ignore' });
  children.push(child);
  return child;
}

/**
 * Python Kitaru may rewrite config.yaml (not atomically) as a flow process ends;
 * reading it then can see a half-written file. Let the process finish first.
 */
async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
}

/** Polls until a new execution of `flow` has `status` (bounded; no timing is asserted). */
async function newExecution(flow: string, status: string, exclude: string[]): Promise<string> {
  for (let i = 0; i < 240; i += 1) {
    const rows = (await ok(plain, 'kitaru_executions_list', { flow, status })).result as Array<{ exec_id: string }>;
    const row = rows.find((r) => !exclude.includes(r.exec_id));
    if (row) return row.exec_id;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no new ${status} execution of ${flow} appeared`);
}

async function idsOf(flow: string): Promise<string[]> {
  return ((await ok(plain, 'kitaru_executions_list', { flow })).result as Array<{ exec_id: string }>).map((r) => r.exec_id);
}

/** Watches until the execution finishes, calling again on "timeout" as a model would. */
async function watchToEnd(execId: string, progress: Progress[]): Promise<any> {
  for (let i = 0; i < 8; i += 1) {
    const watched = await ok(plain, 'kitaru_executions_watch', { exec_id: execId }, (p) => progress.push(p));
    if (watched.reason !== 'timeout') return watched;
  }
  throw new Error(`${execId} did not finish in 8 watches`);
}

describe('capabilities and tools/list', () => {
  test('declares tools, prompts, resources and completions, and nothing it does not implement', () => {
    const caps = plain.client.getServerCapabilities();
    assert.deepEqual(caps, {
      tools: { listChanged: false },
      prompts: { listChanged: false },
      resources: { subscribe: false, listChanged: false },
      completions: {},
    });
  });

  test('large-result tools carry anthropic/maxResultSizeChars; the two new tools are listed', async () => {
    const { tools } = await plain.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of ['get_execution_logs', 'kitaru_artifacts_get']) {
      assert.equal(byName.get(name)?._meta?.['anthropic/maxResultSizeChars'], 500_000, name);
    }
    assert.equal(byName.get('kitaru_executions_get')?._meta, undefined);
    assert.equal(byName.get('kitaru_executions_watch')?.annotations?.readOnlyHint, true);
    assert.equal(byName.get('kitaru_executions_ask')?.annotations?.readOnlyHint, false);
  });
});

describe('prompts', () => {
  test("lists the documentation's seven prompts with typed arguments", async () => {
    const { prompts } = await plain.client.listPrompts();
    assert.deepEqual(
      prompts.map((p) => p.name),
      [
        'status_check',
        'run_and_watch',
        'resolve_waiting_execution',
        'replay_failed_execution',
        'show_response_artifacts',
        'create_local_stack',
        'deploy_and_invoke',
      ],
    );
    const run = prompts.find((p) => p.name === 'run_and_watch')!;
    assert.deepEqual(
      run.arguments?.map((a) => [a.name, a.required]),
      [
        ['target', true],
        ['args', false],
        ['stack', false],
      ],
    );
  });

  test('renders with arguments, and defaults where none are given', async () => {
    const text = async (name: string, args?: Record<string, string>) => {
      const got = await plain.client.getPrompt({ name, ...(args ? { arguments: args } : {}) });
      assert.equal(got.messages.length, 1);
      assert.equal(got.messages[0]!.role, 'user');
      return (got.messages[0]!.content as { text: string }).text;
    };
    assert.match(
      await text('status_check'),
      /^Check my Kitaru status and list the five latest executions\. Summarize anything waiting for input\./,
    );
    assert.match(await text('status_check', { limit: '3' }), /kitaru_executions_list\(limit=3\)/);
    const run = await text('run_and_watch', { target: 'test/flows/watch_flow.py:watch_flow', args: '{"seconds": 2}', stack: 'default' });
    assert.match(
      run,
      /^Run `test\/flows\/watch_flow\.py:watch_flow` with seconds=2 on stack `default`, then watch the execution until it finishes\./,
    );
    assert.match(run, /kitaru_executions_run\(target="test\/flows\/watch_flow\.py:watch_flow", args=\{"seconds":2\}, stack="default"\)/);
    assert.match(run, /kitaru_executions_watch/);
    assert.match(
      await text('resolve_waiting_execution'),
      /If exactly one is waiting, show me the question and ask me for the value before calling the input tool\./,
    );
    assert.match(await text('create_local_stack'), /named local-dev if it does not already exist/);
    assert.match(
      await text('deploy_and_invoke', { target: 'flows/research.py:research_agent', inputs: '{"topic": "durable execution"}' }),
      /with topic="durable execution" as a canary deployment, then invoke the canary route/,
    );
  });

  test('a bad argument names the argument and what was expected', async () => {
    await assert.rejects(
      plain.client.getPrompt({ name: 'status_check', arguments: { limit: 'five' } }),
      /argument 'limit' should be a positive integer/,
    );
    await assert.rejects(plain.client.getPrompt({ name: 'run_and_watch', arguments: {} }), /argument 'target' is required/);
    await assert.rejects(
      plain.client.getPrompt({ name: 'run_and_watch', arguments: { target: 'a.py:f', args: '[1]' } }),
      /argument 'args' should be a JSON object/,
    );
    await assert.rejects(
      plain.client.getPrompt({ name: 'no_such_prompt' }),
      (error: Error) => error.message === 'MCP error -32602: Unknown prompt: no_such_prompt',
    );
  });

  test('KITARU_MCP_READ_ONLY=1 hides the write prompts, the ask tool and every writing tool', async () => {
    const readOnly = await connect({ ...env, KITARU_MCP_READ_ONLY: '1' });
    try {
      const { prompts } = await readOnly.client.listPrompts();
      assert.deepEqual(
        prompts.map((p) => p.name),
        ['status_check', 'show_response_artifacts'],
      );
      await assert.rejects(readOnly.client.getPrompt({ name: 'run_and_watch', arguments: { target: 'a.py:f' } }), /Unknown prompt/);
      const { tools } = await readOnly.client.listTools();
      assert.ok(tools.every((t) => t.annotations?.readOnlyHint === true));
      assert.ok(tools.some((t) => t.name === 'kitaru_executions_watch'));
      assert.ok(!tools.some((t) => t.name === 'kitaru_executions_ask'));
    } finally {
      await readOnly.close();
    }
  });
});

describe('completion', () => {
  const completePrompt = (name: string, argument: string, value: string) =>
    plain.client.complete({ ref: { type: 'ref/prompt', name }, argument: { name: argument, value } }).then((r) => r.completion.values);
  const completeResource = (uri: string, argument: string, value: string) =>
    plain.client.complete({ ref: { type: 'ref/resource', uri }, argument: { name: argument, value } }).then((r) => r.completion.values);

  test('flow names come from the server, filtered by what was typed', async () => {
    const all = await completePrompt('replay_failed_execution', 'flow', '');
    for (const flow of ['completed_flow', 'failing_flow', 'waiting_flow']) assert.ok(all.includes(flow), `${flow} in ${all}`);
    const typed = await completePrompt('replay_failed_execution', 'flow', 'FAIL');
    assert.ok(typed.includes('failing_flow'));
    assert.ok(!typed.includes('completed_flow'));
  });

  test('execution ids come newest first, and a prompt offers only the state it needs', async () => {
    const listed = ((await ok(plain, 'kitaru_executions_list', {})).result as Array<{ exec_id: string }>).map((r) => r.exec_id);
    const ids = await completeResource('kitaru://executions/{exec_id}', 'exec_id', '');
    assert.deepEqual(ids.slice(0, Math.min(listed.length, 100)), listed.slice(0, 100));
    const prefix = fx.seeded.completed.slice(0, 6);
    const byPrefix = await completeResource('kitaru://executions/{exec_id}/logs', 'exec_id', prefix);
    assert.ok(byPrefix.includes(fx.seeded.completed));
    assert.ok(byPrefix.every((id) => id.startsWith(prefix)));
    const waiting = await completePrompt('resolve_waiting_execution', 'exec_id', '');
    assert.ok(waiting.includes(fx.seeded.waiting));
    assert.ok(!waiting.includes(fx.seeded.completed) && !waiting.includes(fx.seeded.failed));
    const failed = await completePrompt('replay_failed_execution', 'exec_id', '');
    assert.ok(failed.includes(fx.seeded.failed) && !failed.includes(fx.seeded.waiting));
  });

  test('stack names and artifact ids are real; an argument without a source offers nothing', async () => {
    assert.ok((await completePrompt('create_local_stack', 'name', '')).includes('default'));
    const execution = await ok(plain, 'kitaru_executions_get', { exec_id: fx.seeded.completed });
    const artifactIds = await completeResource('kitaru://artifacts/{artifact_id}', 'artifact_id', '');
    assert.ok(execution.artifacts.length > 0);
    for (const artifact of execution.artifacts) assert.ok(artifactIds.includes(artifact.artifact_id), artifact.artifact_id);
    assert.deepEqual(await completePrompt('run_and_watch', 'target', 'x'), []);
    assert.deepEqual(await completePrompt('no_such_prompt', 'flow', ''), []);
  });
});

describe('resources', () => {
  const readText = async (uri: string) => {
    const { contents } = await plain.client.readResource({ uri });
    assert.equal(contents.length, 1);
    assert.equal(contents[0]!.uri, uri);
    return (contents[0] as { text: string }).text;
  };
  const toolText = async (name: string, args: Record<string, unknown>) => {
    const result = await call(plain, name, args);
    assert.notEqual(result.isError, true);
    return result.content.map((c) => c.text).join('');
  };

  test('lists kitaru://status and the newest executions (bounded), and three templates', async () => {
    const { resources } = await plain.client.listResources();
    assert.equal(resources[0]!.uri, 'kitaru://status');
    assert.ok(resources.length <= 26);
    const uris = resources.map((r) => r.uri);
    for (const id of Object.values(fx.seeded)) assert.ok(uris.includes(`kitaru://executions/${id}`), id);
    const { resourceTemplates } = await plain.client.listResourceTemplates();
    assert.deepEqual(
      resourceTemplates.map((t) => t.uriTemplate),
      ['kitaru://executions/{exec_id}', 'kitaru://executions/{exec_id}/logs', 'kitaru://artifacts/{artifact_id}'],
    );
  });

  test('a read equals the matching tool result, for executions, logs, artifacts and status', async () => {
    for (const id of [fx.seeded.completed, fx.seeded.failed, fx.seeded.waiting]) {
      assert.equal(await readText(`kitaru://executions/${id}`), await toolText('kitaru_executions_get', { exec_id: id }));
    }
    const logs = await readText(`kitaru://executions/${fx.seeded.completed}/logs`);
    assert.match(logs, /completed_flow: fetched topic/);
    assert.equal(logs, await toolText('get_execution_logs', { exec_id: fx.seeded.completed }));
    const execution = await ok(plain, 'kitaru_executions_get', { exec_id: fx.seeded.completed });
    const artifactId = execution.artifacts[0].artifact_id as string;
    assert.equal(await readText(`kitaru://artifacts/${artifactId}`), await toolText('kitaru_artifacts_get', { artifact_id: artifactId }));
    assert.equal(await readText('kitaru://status'), await toolText('kitaru_status', {}));
  });

  test('an unknown URI is "not found"; a failing read says what the tool would say', async () => {
    await assert.rejects(plain.client.readResource({ uri: 'kitaru://nothing/here' }), (error: { code?: number }) => error.code === -32002);
    const toolError = await call(plain, 'kitaru_executions_get', { exec_id: 'not-an-execution' });
    const words = toolError.content[0]!.text.replace(/^Error executing tool kitaru_executions_get: /, '');
    await assert.rejects(
      plain.client.readResource({ uri: 'kitaru://executions/not-an-execution' }),
      (error: Error) => error.message === `MCP error -32603: ${words}`,
    );
  });
});

describe('kitaru_executions_ask', () => {
  test('without elicitation: the question, the schema and what to do, never a value', async () => {
    const result = await ok(plain, 'kitaru_executions_ask', { exec_id: fx.seeded.waiting });
    assert.equal(result.outcome, 'not_asked');
    assert.equal(result.submitted, false);
    assert.equal(result.wait.name, 'approve_draft');
    assert.equal(result.wait.question, 'Publish the draft?');
    assert.equal(result.wait.schema.type, 'boolean');
    assert.equal(result.value, null);
    assert.match(
      result.message,
      new RegExp(`kitaru_executions_input\\(exec_id="${fx.seeded.waiting}", wait="approve_draft", value=<their answer>\\)`),
    );
    assert.match(result.message, /Never guess/);
    assert.equal(result.execution.status, 'waiting');
  });

  for (const action of ['decline', 'cancel'] as const) {
    test(`a user who chooses ${action}: nothing is submitted, and the result says so`, async () => {
      const before = await ok(plain, 'kitaru_executions_get', { exec_id: fx.seeded.waiting });
      const seen = asked.length;
      answers.push({ action });
      const result = await ok(asking, 'kitaru_executions_ask', { exec_id: fx.seeded.waiting, wait: 'approve_draft' });
      assert.equal(asked.length, seen + 1);
      const request = asked.at(-1)!.params as { message: string; requestedSchema: { properties: Record<string, { type: string }> } };
      assert.match(request.message, /^Publish the draft\?/);
      assert.equal(request.requestedSchema.properties.value?.type, 'boolean');
      assert.equal(result.outcome, action === 'decline' ? 'declined' : 'cancelled');
      assert.equal(result.submitted, false);
      assert.match(result.message, /nothing was submitted/);
      const after = await ok(plain, 'kitaru_executions_get', { exec_id: fx.seeded.waiting });
      assert.equal(after.pending_wait.wait_id, before.pending_wait.wait_id, 'the wait is still pending');
    });
  }

  test('a user who answers: the value reaches the real wait, the execution leaves waiting and is watched to its end', async () => {
    const earlier = await idsOf('waiting_flow');
    const runner = startFlow('lifecycle_flows.py', ['wait']);
    const id = await newExecution('waiting_flow', 'waiting', earlier);
    answers.push({ action: 'accept', content: { value: true } });
    const result = await ok(asking, 'kitaru_executions_ask', { exec_id: id });
    assert.equal(result.outcome, 'submitted');
    assert.equal(result.submitted, true);
    assert.equal(result.value, true);
    assert.equal(result.form, 'value');
    assert.equal(result.execution.pending_wait, null);
    const progress: Progress[] = [];
    const watched = await watchToEnd(id, progress);
    assert.equal(watched.reason, 'finished');
    assert.equal(watched.execution.status, 'completed');
    await exited(runner);
    // The flow got the answer: publish() returns "published: ..." only when approved (logs may arrive later).
    const publish = watched.execution.checkpoints.find((c: { name: string }) => c.name === 'publish');
    const output = publish.artifacts.find((a: { direction?: string }) => a.direction !== 'input');
    assert.equal((await ok(plain, 'kitaru_artifacts_get', { artifact_id: output.artifact_id })).value, 'published: Draft about kitaru');
  });
});

describe('kitaru_executions_ask with a pydantic model', () => {
  test('asks one field per property, submits the object, and says how the paused run continues', async () => {
    // Run it to the end of its process: the run is then paused, with nothing left to continue it.
    const ran = await run(venvPython, [path.join(flowsDir, 'review_flow.py')], { env: fx.server.env, cwd: flowsDir, timeoutMs: 300_000 });
    const id = /^EXEC_ID (\S+)$/m.exec(ran.stdout)?.[1];
    assert.ok(id, `review_flow.py printed no id (exit ${ran.code}): ${ran.stderr.slice(-1000)}`);
    const seen = asked.length;
    answers.push({ action: 'accept', content: { approved: true, score: 5 } });
    const result = await ok(asking, 'kitaru_executions_ask', { exec_id: id, wait: 'review' });
    const request = asked[seen]!.params as {
      message: string;
      requestedSchema: { properties: Record<string, unknown>; required?: string[] };
    };
    assert.match(request.message, /^Review the draft/);
    assert.deepEqual(Object.keys(request.requestedSchema.properties), ['approved', 'score', 'note']);
    assert.deepEqual(request.requestedSchema.required, ['approved']);
    assert.equal(result.form, 'object');
    assert.equal(result.outcome, 'submitted');
    assert.deepEqual(result.value, { approved: true, score: 5 });
    assert.equal(result.execution.pending_wait, null);
    // Nothing runs a paused local execution on: the result says how to continue it.
    assert.equal(result.execution.status, 'waiting');
    assert.match(result.message, new RegExp(`kitaru_executions_resume\\(exec_id="${id}"\\)`));
  });
});

describe('kitaru_executions_watch', () => {
  test('follows a real running flow to its end, sending progress while it waits', async () => {
    const earlier = await idsOf('watch_flow');
    startFlow('watch_flow.py', []);
    const id = await newExecution('watch_flow', 'running', earlier);
    const progress: Progress[] = [];
    const first = await ok(plain, 'kitaru_executions_watch', { exec_id: id }, (p) => progress.push(p));
    assert.equal(first.initial_status, 'running');
    const watched = first.reason === 'timeout' ? await watchToEnd(id, progress) : first;
    assert.equal(watched.reason, 'finished');
    assert.equal(watched.execution.exec_id, id);
    assert.equal(watched.execution.status, 'completed');
    assert.equal(watched.execution.checkpoints.length, 2);
    assert.ok(progress.length >= 1, 'progress was reported while the flow ran');
    for (let i = 1; i < progress.length; i += 1) assert.ok(progress[i]!.progress > progress[i - 1]!.progress, 'progress increases');
    assert.ok(progress.every((p) => /is (running|completed)/.test(p.message ?? '')));
  });

  test('returns at once for a finished execution or one stopped at a wait; "change" waits for a change', async () => {
    const progress: Progress[] = [];
    const done = await ok(plain, 'kitaru_executions_watch', { exec_id: fx.seeded.completed }, (p) => progress.push(p));
    assert.equal(done.reason, 'finished');
    assert.equal(done.execution.status, 'completed');
    const waiting = await ok(plain, 'kitaru_executions_watch', { exec_id: fx.seeded.waiting }, (p) => progress.push(p));
    assert.equal(waiting.reason, 'waiting');
    assert.equal(progress.length, 0, 'no waiting, no progress');
    const unchanged = await ok(plain, 'kitaru_executions_watch', { exec_id: fx.seeded.waiting, until: 'change', timeout_seconds: 2 }, (p) =>
      progress.push(p),
    );
    assert.equal(unchanged.reason, 'timeout');
    assert.equal(unchanged.execution.status, 'waiting');
    assert.ok(progress.length >= 1);
  });

  test('the bound stays under the 60 s a client gives a request', async () => {
    const result = await call(plain, 'kitaru_executions_watch', { exec_id: fx.seeded.completed, timeout_seconds: 90 });
    assert.equal(result.isError, true);
    assert.match(result.content[0]!.text, /`timeout_seconds` must be an integer from 1 to 55/);
    const bad = await call(plain, 'kitaru_executions_watch', { exec_id: fx.seeded.completed, until: 'forever' });
    assert.match(bad.content[0]!.text, /until\n {2}Input should be 'finish' or 'change'/);
  });
});
