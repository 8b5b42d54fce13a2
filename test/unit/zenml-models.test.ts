// ZenML answers are parsed by zod models that keep unknown fields: a newer
// server's additions pass through untouched, and a renamed field the mapper
// reads fails loudly at the one place the answer is parsed, naming endpoint and field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJson } from '../../src/compat/json.ts';
import { ZenmlResponseShapeError } from '../../src/http/parse.ts';
import { mapCheckpoint, serializeExecution } from '../../src/kitaru/execution-mapping.ts';
import {
  ArtifactModelSchema,
  RunModelSchema,
  StepModelSchema,
  WaitConditionModelSchema,
  parseItems,
  parseOne,
} from '../../src/kitaru/zenml/runs.ts';

const CREATED = '2026-01-01T00:00:00';

/** An artifact version as a step embeds it (unhydrated: no metadata, no resources). */
const artifact = (id: string, name: string) => ({
  id,
  body: { created: CREATED, artifact: { id: `a-${id}`, name }, version: '1', type: 'DataArtifact', save_type: 'step_output' },
  metadata: null,
  resources: null,
});

const run = () => ({
  id: 'r1',
  name: 'run',
  body: { status: 'failed', created: CREATED, project_id: 'p1' },
  metadata: {
    run_metadata: { kitaru_execution_spec: null },
    start_time: CREATED,
    end_time: null,
    exception_info: { traceback: 'Traceback...\nValueError: boom\n' },
  },
  resources: {
    pipeline: { id: 'f1', name: '__kitaru_pipeline_source_my_flow' },
    stack: { id: 's1', name: 'default' },
    active_wait_condition: null,
    original_run: { id: 'r0', name: 'first' },
  },
});

const step = () => ({
  id: 's1',
  name: '__kitaru_checkpoint_source_ask',
  body: { status: 'completed', type: 'llm_call', start_time: CREATED, end_time: CREATED },
  metadata: { original_step_run_id: null, parent_step_ids: ['s0'], run_metadata: { tokens: 3 }, exception_info: null },
  resources: {
    inputs: { input: [{ ...artifact('in1', 'prompt_artifact'), input_type: 'step_output' }] },
    outputs: { output: [artifact('out1', 'response_artifact')] },
  },
});

const wait = () => ({
  id: 'w1',
  name: 'approve',
  body: { created: CREATED, type: 'external_input', status: 'pending' },
  metadata: { question: 'Go?', data_schema: { type: 'boolean' }, run_metadata: {} },
  resources: { run: { id: 'r1', name: 'run' } },
});

/** The ZenmlResponseShapeError a parse must throw: this endpoint, this field. */
function shapeError(endpoint: string, field: string) {
  return (error: unknown) =>
    error instanceof ZenmlResponseShapeError &&
    error.endpoint === endpoint &&
    error.field === field &&
    error.message.includes(`field '${field}'`);
}

describe('ZenML models keep what they do not know', () => {
  it('keeps unknown fields of a run, at every level', () => {
    const answer = { ...run(), added_in_a_newer_server: 1, body: { ...run().body, new_body_field: 'x' } };
    const parsed = parseOne(RunModelSchema, answer, 'GET /api/v1/runs/{id}');
    assert.equal(parsed.added_in_a_newer_server, 1);
    assert.equal(parsed.body?.new_body_field, 'x');
    assert.equal(parsed.body?.status, 'failed');
  });

  it('passes user dicts on as they are: same keys, same order, a "__proto__" key kept', () => {
    const runMetadata = parseJson('{"b": 1, "a": 2, "__proto__": 3}');
    const answer = { ...run(), metadata: { ...run().metadata, run_metadata: runMetadata } };
    const parsed = parseOne(RunModelSchema, answer, 'GET /api/v1/runs/{id}');
    assert.equal(parsed.metadata?.run_metadata, runMetadata);
    assert.deepEqual(Object.keys(parsed.metadata?.run_metadata ?? {}), ['b', 'a', '__proto__']);
  });

  it("fills ZenML's defaults where its pydantic model has them, as Python's client sees them", () => {
    const answer = { ...step(), metadata: { original_step_run_id: null }, resources: {} };
    const [parsed] = parseItems(StepModelSchema, [answer], 'GET /api/v1/steps');
    assert.deepEqual(parsed?.metadata?.parent_step_ids, []);
    assert.deepEqual(parsed?.metadata?.run_metadata, {});
    assert.deepEqual(parsed?.resources?.inputs, {});
    assert.deepEqual(parsed?.resources?.outputs, {});
  });

  it('accepts unhydrated sections (null metadata and resources) and missing optional fields', () => {
    const parsed = parseOne(RunModelSchema, { ...run(), metadata: null, resources: null }, 'GET /api/v1/runs');
    assert.equal(parsed.metadata, null);
    const waits = parseItems(
      WaitConditionModelSchema,
      [{ id: 'w', name: 'w', body: {}, metadata: null }],
      'GET /api/v1/run_wait_conditions',
    );
    assert.equal(waits[0]?.resources, undefined);
  });
});

describe('a renamed field the mapper reads fails at parse time, naming endpoint and field', () => {
  const cases: Array<[string, () => void, string, string]> = [
    [
      "a run's status",
      () => parseOne(RunModelSchema, { ...run(), body: { state: 'running', created: CREATED } }, 'GET /api/v1/runs/{id}'),
      'GET /api/v1/runs/{id}',
      'body.status',
    ],
    [
      "a run's flow name",
      () =>
        parseOne(
          RunModelSchema,
          { ...run(), resources: { ...run().resources, pipeline: { id: 'f1', title: 'x' } } },
          'GET /api/v1/runs/{id}',
        ),
      'GET /api/v1/runs/{id}',
      'resources.pipeline.name',
    ],
    [
      "a run's stored traceback",
      () =>
        parseOne(RunModelSchema, { ...run(), metadata: { ...run().metadata, exception_info: { trace: 'x' } } }, 'GET /api/v1/runs/{id}'),
      'GET /api/v1/runs/{id}',
      'metadata.exception_info.traceback',
    ],
    [
      "a listed run's creation time",
      () => parseItems(RunModelSchema, [run(), { ...run(), body: { status: 'running', created_at: CREATED } }], 'GET /api/v1/runs'),
      'GET /api/v1/runs',
      '1.body.created',
    ],
    [
      "a step's parents, now a mapping",
      () =>
        parseItems(StepModelSchema, [{ ...step(), metadata: { ...step().metadata, parent_step_ids: { s0: true } } }], 'GET /api/v1/steps'),
      'GET /api/v1/steps',
      '0.metadata.parent_step_ids',
    ],
    [
      "an output artifact's save type",
      () => {
        const renamed = { ...artifact('out1', 'x'), body: { artifact: { id: 'a', name: 'x' }, saveType: 'step_output' } };
        parseItems(StepModelSchema, [{ ...step(), resources: { inputs: {}, outputs: { output: [renamed] } } }], 'GET /api/v1/steps');
      },
      'GET /api/v1/steps',
      '0.resources.outputs.output.0.body.save_type',
    ],
    [
      "an input artifact's name",
      () => {
        const renamed = { ...artifact('in1', 'x'), body: { artifact_version: { id: 'a', name: 'x' }, save_type: 'step_output' } };
        parseItems(StepModelSchema, [{ ...step(), resources: { inputs: { input: [renamed] }, outputs: {} } }], 'GET /api/v1/steps');
      },
      'GET /api/v1/steps',
      '0.resources.inputs.input.0.body.artifact',
    ],
    [
      "a wait's run",
      () =>
        parseItems(WaitConditionModelSchema, [{ ...wait(), resources: { pipeline_run: { id: 'r1' } } }], 'GET /api/v1/run_wait_conditions'),
      'GET /api/v1/run_wait_conditions',
      '0.resources.run',
    ],
    [
      "a wait's schema, now a list",
      () =>
        parseOne(
          WaitConditionModelSchema,
          { ...wait(), metadata: { ...wait().metadata, data_schema: ['boolean'] } },
          'GET /api/v1/run_wait_conditions/{id}',
        ),
      'GET /api/v1/run_wait_conditions/{id}',
      'metadata.data_schema',
    ],
    [
      "an artifact version's run metadata, now a list",
      () => parseItems(ArtifactModelSchema, [{ ...artifact('a1', 'x'), metadata: { run_metadata: [] } }], 'GET /api/v1/artifact_versions'),
      'GET /api/v1/artifact_versions',
      '0.metadata.run_metadata',
    ],
  ];
  for (const [what, parse, endpoint, field] of cases) {
    it(what, () => assert.throws(parse, shapeError(endpoint, field)));
  }
});

describe('the mapper reads the parsed models', () => {
  it('maps a checkpoint with its input and output artifacts', () => {
    const [parsed] = parseItems(StepModelSchema, [step()], 'GET /api/v1/steps');
    assert.ok(parsed);
    const checkpoint = mapCheckpoint(parsed, new Map([[parsed.id, [parsed]]]), new Map());
    assert.equal(checkpoint.name, 'ask');
    assert.equal(checkpoint.checkpoint_type, 'llm_call');
    assert.deepEqual(checkpoint.parent_call_ids, ['s0']);
    assert.deepEqual(checkpoint.metadata, { tokens: 3 });
    assert.deepEqual(
      checkpoint.artifacts.map((a) => [a.artifact_id, a.name, a.kind, a.save_type, a.producing_call, a.direction, a.input_type]),
      [
        ['in1', 'input', 'prompt', 'step_output', null, 'input', 'step_output'],
        ['out1', 'response_artifact', 'response', 'step_output', 'ask', undefined, undefined],
      ],
    );
  });

  it('maps a failed run with its flow, stack, original run and failure', () => {
    const parsed = parseOne(RunModelSchema, run(), 'GET /api/v1/runs/{id}');
    const failed = serializeExecution(parsed, { pendingWait: null, checkpoints: [] });
    assert.equal(failed.flow_id, 'f1');
    assert.equal(failed.flow_name, 'my_flow');
    assert.equal(failed.stack_name, 'default');
    assert.equal(failed.original_exec_id, 'r0');
    assert.equal(failed.started_at, CREATED);
    assert.equal(failed.ended_at, null);
    assert.deepEqual(failed.failure, {
      message: 'ValueError: boom',
      exception_type: 'ValueError',
      traceback: 'Traceback...\nValueError: boom\n',
      origin: 'user_code',
    });
  });

  it('maps a pending wait', () => {
    const parsed = parseOne(RunModelSchema, run(), 'GET /api/v1/runs/{id}');
    const execution = serializeExecution(parsed, { pendingWait: parseOne(WaitConditionModelSchema, wait(), 'w'), checkpoints: [] });
    assert.equal(execution.status, 'waiting');
    assert.equal(execution.pending_wait?.question, 'Go?');
    assert.deepEqual(execution.pending_wait?.schema, { type: 'boolean' });
    assert.equal(execution.pending_wait?.entered_waiting_at, CREATED);
  });
});
