// Beyond Python's tools, end to end (the session: extras-harness.ts, on the
// shared server: useSharedServer() there): prompts listed and rendered,
// completion with real values, resources equal to their tools.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, connect, env, fx, ok, plain, useExtrasSession } from './extras-harness.ts';

useExtrasSession();

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
