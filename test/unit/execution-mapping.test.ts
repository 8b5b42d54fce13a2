import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyValueBudget } from '../../src/kitaru/artifacts.ts';
import {
  coerceStatusFilter,
  parseFrozenExecutionSpec,
  pyIsoformat,
  pyStrRepr,
  serializeExecutionSummary,
  toPublicStatus,
} from '../../src/kitaru/execution-mapping.ts';
import { validatePendingWaitInput } from '../../src/kitaru/executions.ts';
import { RunModelSchema } from '../../src/kitaru/zenml/runs.ts';

describe('status mapping', () => {
  it('maps the states Python knows as Python does', () => {
    const expected: Record<string, string> = {
      initializing: 'running',
      provisioning: 'running',
      running: 'running',
      retrying: 'running',
      paused: 'waiting',
      completed: 'completed',
      cached: 'completed',
      skipped: 'completed',
      failed: 'failed',
      retried: 'failed',
      stopped: 'cancelled',
      stopping: 'cancelled',
    };
    for (const [zenml, kitaru] of Object.entries(expected)) assert.equal(toPublicStatus(zenml), kitaru, zenml);
  });

  it('maps newer server states instead of crashing', () => {
    assert.equal(toPublicStatus('queued'), 'running');
    assert.equal(toPublicStatus('resuming'), 'running');
    assert.equal(toPublicStatus('cancelling'), 'cancelled');
    assert.equal(toPublicStatus('cancelled'), 'cancelled');
    assert.equal(toPublicStatus('something_new'), 'running');
    const run = RunModelSchema.parse({
      id: 'r1',
      name: 'r',
      body: { status: 'queued', created: '2026-01-01T00:00:00' },
      metadata: {},
      resources: {},
    });
    assert.equal(serializeExecutionSummary(run, { pendingWait: null, checkpoints: [] }).status, 'running');
  });

  it('normalises the status filter and rejects others with the Python message', () => {
    assert.equal(coerceStatusFilter(' Waiting '), 'waiting');
    assert.throws(
      () => coerceStatusFilter('bogus'),
      /^KitaruUsageError: Unsupported status filter 'bogus'\. Expected one of: running, waiting, completed, failed, cancelled\.$/,
    );
  });
});

describe('python-compatible formatting', () => {
  it('formats timestamps as datetime.isoformat()', () => {
    assert.equal(pyIsoformat('2026-11-24T03:28:59.795004'), '2026-11-24T03:28:59.795004');
    assert.equal(pyIsoformat('2026-11-24T03:28:59.000000'), '2026-11-24T03:28:59');
    assert.equal(pyIsoformat('2026-11-24T03:28:59.5Z'), '2026-11-24T03:28:59.500000+00:00');
    assert.equal(pyIsoformat(null), null);
  });

  it('quotes strings like repr()', () => {
    assert.equal(pyStrRepr('abc'), "'abc'");
    assert.equal(pyStrRepr("it's"), `"it's"`);
    assert.equal(pyStrRepr(`"it's"`), `'"it\\'s"'`);
    assert.equal(pyStrRepr('a\nb'), "'a\\nb'");
  });
});

describe('frozen execution spec', () => {
  it('fills in every default like the pydantic model', () => {
    const spec = parseFrozenExecutionSpec({
      version: 1,
      resolved_execution: { runner: 'default', retries: 0 },
      flow_defaults: {},
      connection: { server_url: 'http://x' },
      model_registry: { aliases: {} },
    });
    assert.deepStrictEqual(spec, {
      version: 1,
      resolved_execution: { stack: 'default', image: null, cache: null, retries: 0 },
      flow_defaults: { stack: null, image: null, cache: null, retries: null, server_url: null, auth_token: null, project: null },
      connection: { server_url: 'http://x', auth_token: null, project: null },
      model_registry: { aliases: {}, default: null },
    });
  });

  it('is null when the spec does not validate', () => {
    assert.equal(parseFrozenExecutionSpec({ resolved_execution: {}, flow_defaults: {}, connection: {} }), null);
    assert.equal(parseFrozenExecutionSpec('nope'), null);
  });
});

describe('wait input pre-validation', () => {
  const execution = { pending_wait: { name: 'approve', wait_id: 'w1', schema: { type: 'boolean' } } };

  it('refuses a value of the wrong type with the Python message', () => {
    assert.throws(() => validatePendingWaitInput(execution, 'approve', 'yes'), {
      message: "Wait input does not match the pending wait schema type (['boolean']).",
    });
    assert.throws(() => validatePendingWaitInput(execution, 'w1', 1));
  });

  it('lets through matching values, other waits, and schemas without a type', () => {
    validatePendingWaitInput(execution, 'approve', true);
    validatePendingWaitInput(execution, 'other', 'yes');
    validatePendingWaitInput({ pending_wait: { name: 'a', wait_id: 'w', schema: { type: ['string', 'null'] } } }, 'a', null);
    validatePendingWaitInput({ pending_wait: { name: 'a', wait_id: 'w', schema: {} } }, 'a', 3);
    validatePendingWaitInput({ pending_wait: null }, 'a', 3);
  });
});

describe('artifact value budget', () => {
  it('keeps small values untouched', () => {
    const small = { value: { a: 1 }, value_format: 'json' as const, value_type: 'builtins.dict' };
    assert.equal(applyValueBudget(small), small);
  });

  it('cuts large values with an explicit marker and the full size', () => {
    const big = { value: 'x'.repeat(50), value_format: 'repr' as const, value_type: 'builtins.bytes' };
    const cut = applyValueBudget(big, 10);
    assert.equal(cut.value_truncated, true);
    assert.equal(cut.value_total_chars, 50);
    assert.match(String(cut.value), /^x{10}\.\.\. \[kitaru-mcp: value truncated, showing the first 10 of 50 characters\]$/);
    const json = applyValueBudget({ value: [1, 2, 3, 4, 5, 6], value_format: 'json', value_type: 'builtins.list' }, 5);
    assert.match(
      String(json.value),
      /^\[1,2,\.\.\. \[kitaru-mcp: value truncated, showing the first 5 of 13 characters of its JSON text\]$/,
    );
  });
});
