// Output shapes of the execution and artifact tools (Python's serializers).
import { z } from 'zod';
import { jsonObject, nullableString } from './parts.ts';

export const failureSchema = z
  .object({
    message: z.string(),
    exception_type: nullableString,
    traceback: nullableString,
    origin: z.string(),
  })
  .strict()
  .nullable();

export const pendingWaitSchema = z
  .object({
    wait_id: z.string(),
    name: nullableString,
    question: nullableString,
    schema: jsonObject.nullable(),
    metadata: jsonObject,
    entered_waiting_at: nullableString,
  })
  .strict()
  .nullable();

export const artifactRefSchema = z
  .object({
    artifact_id: z.string(),
    name: z.string(),
    kind: nullableString,
    save_type: z.string(),
    producing_call: nullableString,
    metadata: jsonObject,
    direction: z.literal('input').optional(),
    input_type: z.string().optional(),
  })
  .strict();

export const attemptSchema = z
  .object({
    attempt_id: z.string(),
    status: z.string(),
    started_at: nullableString,
    ended_at: nullableString,
    metadata: jsonObject,
    failure: failureSchema,
  })
  .strict();

export const checkpointSchema = z
  .object({
    call_id: z.string(),
    name: z.string(),
    checkpoint_type: nullableString,
    status: z.string(),
    started_at: nullableString,
    ended_at: nullableString,
    metadata: jsonObject,
    original_call_id: nullableString,
    parent_call_ids: z.array(z.string()),
    failure: failureSchema,
    attempts: z.array(attemptSchema),
    artifacts: z.array(artifactRefSchema),
  })
  .strict();

const summaryShape = {
  exec_id: z.string(),
  flow_id: nullableString,
  flow_name: nullableString,
  status: z.string(),
  started_at: nullableString,
  ended_at: nullableString,
  stack_name: nullableString,
  status_reason: nullableString,
  pending_wait: pendingWaitSchema,
  failure: failureSchema,
  metadata: jsonObject,
  checkpoint_count: z.number().int(),
  artifact_count: z.number().int(),
};

export const executionSummarySchema = z.object(summaryShape).strict();

export const executionSchema = z
  .object({
    ...summaryShape,
    frozen_execution_spec: jsonObject.nullable(),
    original_exec_id: nullableString,
    checkpoints: z.array(checkpointSchema),
    artifacts: z.array(artifactRefSchema),
  })
  .strict();

export const artifactWithValueSchema = artifactRefSchema
  .extend({
    value: z.unknown(),
    value_format: z.enum(['json', 'repr']),
    value_type: z.string(),
    value_truncated: z.literal(true).optional(),
    value_total_chars: z.number().int().optional(),
  })
  .strict();

/** Python's kitaru_executions_run result. */
export const runResultSchema = z.object({
  exec_id: z.string(),
  target: z.string(),
  execution: jsonObject.nullable(),
  warning: nullableString,
});

/** Python's kitaru_executions_replay result. */
export const replayResultSchema = z.object({
  available: z.literal(true),
  operation: z.literal('replay'),
  execution: jsonObject,
});

/** kitaru_executions_ask's result (a tool Python lacks). */
export const askResultSchema = z.object({
  outcome: z.enum(['submitted', 'declined', 'cancelled', 'not_asked']),
  submitted: z.boolean(),
  exec_id: z.string(),
  wait: z.object({ wait_id: z.string(), name: nullableString, question: nullableString, schema: jsonObject.nullable() }),
  value: z.unknown(),
  form: z.enum(['value', 'object', 'json']).nullable(),
  message: z.string(),
  execution: executionSchema,
});

/** kitaru_executions_watch's result (a tool Python lacks). */
export const watchResultSchema = z.object({
  reason: z.enum(['finished', 'waiting', 'status_changed', 'timeout']),
  initial_status: z.string(),
  execution: executionSchema,
});

// The payloads as the kitaru layer builds them (zod input types: optional keys may be left out).
export type Execution = z.input<typeof executionSchema>;
export type Failure = z.input<typeof failureSchema>;
export type PendingWait = z.input<typeof pendingWaitSchema>;
export type Attempt = z.input<typeof attemptSchema>;
export type Checkpoint = z.input<typeof checkpointSchema>;
export type ExecutionSummary = z.input<typeof executionSummarySchema>;
export type ArtifactRef = z.input<typeof artifactRefSchema>;
export type ArtifactWithValue = z.input<typeof artifactWithValueSchema>;
export type RunResult = z.input<typeof runResultSchema>;
export type ReplayResult = z.input<typeof replayResultSchema>;
export type AskPayload = z.input<typeof askResultSchema>;
export type WatchPayload = z.input<typeof watchResultSchema>;
