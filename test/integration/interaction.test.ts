// The kitaru layer under the ask and watch tools and completion, on a real
// server, counting requests: a suggestion is one read, a watch is one run read
// per poll with one progress report each, and an unanswered question writes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Progress } from '../../src/kitaru/runtime.ts';
import { KitaruRuntime } from '../../src/kitaru/runtime.ts';
import { flowNames, recentArtifactIds, recentExecutionIds } from '../../src/kitaru/suggestions.ts';
import { type HumanQuestion, askForWaitInput } from '../../src/kitaru/waits-ask.ts';
import { watchExecution } from '../../src/kitaru/watch.ts';
import { repoRoot } from '../helpers/kitaru-server.ts';
import { type SharedServer, useSharedServer } from '../helpers/shared.ts';

let fx: SharedServer;
let runtime: KitaruRuntime;

before(async () => {
  fx = await useSharedServer();
  runtime = new KitaruRuntime({ env: fx.server.env, cwd: repoRoot });
});

after(async () => {
  await fx?.release();
});

function context(progress: Progress[] = []) {
  return { runtime, signal: new AbortController().signal, progress: async (update: Progress) => void progress.push(update) };
}

function writes(): number {
  let count = 0;
  for (const [key, n] of runtime.api().stats.byPath) if (!key.startsWith('GET ')) count += n;
  return count;
}

describe('suggestions', () => {
  test('each suggestion is one bounded read, whatever the number of executions', async () => {
    const api = runtime.api();
    for (const [label, read] of [
      ['execution ids', () => recentExecutionIds(runtime)],
      ['waiting execution ids', () => recentExecutionIds(runtime, { status: 'waiting' })],
      ['flow names', () => flowNames(runtime)],
      ['artifact ids', () => recentArtifactIds(runtime)],
    ] as const) {
      const before = api.stats.count;
      const values = await read();
      assert.equal(api.stats.count - before, 1, label);
      assert.ok(values.length > 0, label);
    }
    assert.deepEqual(await recentExecutionIds(runtime, { status: 'waiting' }).then((ids) => ids.includes(fx.seeded.waiting)), true);
  });
});

describe('watch', () => {
  test('one run read and one increasing progress report per poll, then the full execution', async () => {
    const api = runtime.api();
    const runPath = `GET /api/v1/runs/${fx.seeded.waiting}`;
    const before = api.stats.byPath.get(runPath) ?? 0;
    const progress: Progress[] = [];
    const result = await watchExecution(
      context(progress),
      { execId: fx.seeded.waiting, until: 'change', timeoutSeconds: 2 },
      { pollMs: 200 },
    );
    assert.equal(result.reason, 'timeout');
    assert.equal(result.initial_status, 'waiting');
    assert.equal(result.execution.exec_id, fx.seeded.waiting);
    const runReads = (api.stats.byPath.get(runPath) ?? 0) - before;
    assert.ok(progress.length >= 2, `${progress.length} polls`);
    // The first read resolves the id; every later one is a poll with its report.
    assert.equal(runReads, 1 + progress.length);
    for (let i = 1; i < progress.length; i += 1) assert.ok(progress[i]!.progress > progress[i - 1]!.progress);
    assert.ok(progress.every((p) => p.total === 2));
  });

  test('refuses a bound past 55 s before any request', async () => {
    const count = runtime.api().stats.count;
    await assert.rejects(watchExecution(context(), { execId: fx.seeded.completed, until: 'finish', timeoutSeconds: 56 }), /from 1 to 55/);
    assert.equal(runtime.api().stats.count, count);
  });
});

describe('asking for a wait', () => {
  test('declined or failed asking writes nothing; the form is built from the wait schema', async () => {
    const questions: HumanQuestion[] = [];
    const writesBefore = writes();
    const declined = await askForWaitInput(context(), { execId: fx.seeded.waiting, wait: null }, async (question) => {
      questions.push(question);
      return { action: 'decline' };
    });
    assert.equal(declined.outcome, 'declined');
    assert.deepEqual(questions[0]!.requestedSchema.properties.value, {
      title: 'Answer',
      description: 'Publish the draft?',
      type: 'boolean',
    });
    await assert.rejects(
      askForWaitInput(context(), { execId: fx.seeded.waiting, wait: 'approve_draft' }, async () => {
        throw new Error('Request timed out');
      }),
      /could not be asked or was not answered \(Request timed out\); nothing was submitted/,
    );
    assert.equal(writes(), writesBefore, 'no request but reads');
  });

  test('while the person thinks, progress reports keep the request alive', { timeout: 60_000 }, async () => {
    let heard: () => void = () => {};
    const firstBeat = new Promise<void>((resolve) => {
      heard = resolve;
    });
    const progress: Progress[] = [];
    const ctx = {
      ...context(),
      progress: async (update: Progress) => {
        progress.push(update);
        heard();
      },
    };
    // The "person" answers only after the first report: without reports this never ends.
    const result = await askForWaitInput(ctx, { execId: fx.seeded.waiting, wait: null }, async () => {
      await firstBeat;
      return { action: 'cancel' };
    });
    assert.equal(result.outcome, 'cancelled');
    assert.equal(progress[0]!.message, 'waiting for the user to answer');
  });

  test('an answer of the wrong type is refused like kitaru_executions_input refuses it, before anything is written', async () => {
    const writesBefore = writes();
    await assert.rejects(
      askForWaitInput(context(), { execId: fx.seeded.waiting, wait: null }, async () => ({ action: 'accept', content: { value: 'yes' } })),
      /Wait input does not match the pending wait schema type \(\['boolean'\]\)/,
    );
    assert.equal(writes(), writesBefore);
  });

  test('no pending wait, or no such wait: the same words as kitaru_executions_input', async () => {
    await assert.rejects(
      askForWaitInput(context(), { execId: fx.seeded.completed, wait: null }, undefined),
      /has no pending waits to resolve/,
    );
    await assert.rejects(
      askForWaitInput(context(), { execId: fx.seeded.waiting, wait: 'nope' }, undefined),
      /has no pending wait 'nope'\. Available waits: approve_draft\./,
    );
  });
});
