// Output shapes of the execution and artifact tools (Python's serializers).
import { z } from 'zod';
import { jsonObject, nullableString } from './schemas.ts';

const failure = z
  .object({
    message: z.string(),
    exception_type: nullableString,
    traceback: nullableString,
    origin: z.string(),
  })
  .strict()
  .nullable();

const pendingWait = z
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

const attempt = z
  .object({
    attempt_id: z.string(),
    status: z.string(),
    started_at: nullableString,
    ended_at: nullableString,
    metadata: jsonObject,
    failure,
  })
  .strict();

const checkpoint = z
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
    failure,
    attempts: z.array(attempt),
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
  pending_wait: pendingWait,
  failure,
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
    checkpoints: z.array(checkpoint),
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
