// zod models of the ZenML answers the execution tools read: pipeline runs, step
// runs, run wait conditions, the artifact versions steps embed, and their
// pages. Every field the execution mapper reads is declared here with the type
// ZenML 0.94 gives it; every other field is kept (looseObject), so a newer
// server's additions pass through and a wrong or renamed field fails at parse
// time, naming the endpoint and the field.
//
// What is required follows ZenML's pydantic response models, which is what
// Python's client accepts: a field ZenML requires and Python reads directly
// (a run's status, an artifact's save_type) must be there; an Optional field,
// or one Python reads with getattr(..., None), may be null or missing; a field
// with a ZenML default (run_metadata, parent_step_ids, inputs, outputs) gets
// that default when missing. `metadata` and `resources` are null unhydrated.
import { z } from 'zod';
import { parseResponse } from '../../http/parse.ts';
import { ArtifactVersionResponse, Dict } from './models.ts';

const Id = z.string();
/** An ISO datetime as ZenML writes it; null or missing when not set. */
const Time = z.string().nullish();

/** ZenML's ExceptionInfo: what a failed run or step stored (Python reads it with getattr). */
const ExceptionInfo = z.looseObject({ traceback: z.string() }).nullish();

/** An artifact version (GET /artifact_versions, and embedded in a step's outputs). */
export const ArtifactModelSchema = ArtifactVersionResponse;

/** A step's input artifact (ZenML's StepRunInputResponse); Python reads input_type with getattr. */
export const StepInputArtifactSchema = ArtifactVersionResponse.extend({ input_type: z.string().nullish() });

/** A run wait condition (GET /run_wait_conditions, and a run's active_wait_condition, unhydrated). */
export const WaitConditionModelSchema = z.looseObject({
  id: Id,
  name: z.string(),
  body: z.looseObject({ created: Time }).nullish(),
  metadata: z
    .looseObject({
      question: z.string().nullish(),
      data_schema: Dict.nullish(),
      run_metadata: Dict.default({}),
    })
    .nullish(),
  resources: z.looseObject({ run: z.looseObject({ id: Id }) }).nullish(),
});

/** A hydrated pipeline run (GET /runs/{id}, GET /runs?hydrate=true). */
export const RunModelSchema = z.looseObject({
  id: Id,
  name: z.string(),
  body: z
    .looseObject({
      status: z.string(),
      created: z.string(),
      project_id: z.string().nullish(),
    })
    .nullish(),
  metadata: z
    .looseObject({
      run_metadata: Dict.default({}),
      start_time: Time,
      end_time: Time,
      exception_info: ExceptionInfo,
    })
    .nullish(),
  resources: z
    .looseObject({
      pipeline: z.looseObject({ id: Id.nullish(), name: z.string() }).nullish(),
      stack: z.looseObject({ name: z.string() }).nullish(),
      active_wait_condition: WaitConditionModelSchema.nullish(),
      original_run: z.looseObject({ id: Id }).nullish(),
    })
    .nullish(),
});

/** A step run (GET /steps?hydrate=true). */
export const StepModelSchema = z.looseObject({
  id: Id,
  name: z.string(),
  body: z
    .looseObject({
      status: z.string(),
      type: z.string().nullish(),
      start_time: Time,
      end_time: Time,
    })
    .nullish(),
  metadata: z
    .looseObject({
      original_step_run_id: Id.nullish(),
      parent_step_ids: z.array(Id).default([]),
      run_metadata: Dict.default({}),
      exception_info: ExceptionInfo,
    })
    .nullish(),
  resources: z
    .looseObject({
      inputs: z.record(z.string(), z.array(StepInputArtifactSchema)).default({}),
      outputs: z.record(z.string(), z.array(ArtifactModelSchema)).default({}),
    })
    .nullish(),
});

export type RunModel = z.output<typeof RunModelSchema>;
export type StepModel = z.output<typeof StepModelSchema>;
export type WaitConditionModel = z.output<typeof WaitConditionModelSchema>;
export type ArtifactModel = z.output<typeof ArtifactModelSchema>;
export type StepInputArtifact = z.output<typeof StepInputArtifactSchema>;
export type ExceptionInfoModel = z.output<typeof ExceptionInfo>;

/** A ZenML list page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ total: z.number(), items: z.array(item) });
}

export const RunPageSchema = pageSchema(RunModelSchema);
export type RunPage = z.output<typeof RunPageSchema>;

/** Checks one page's items against `model`. */
export function parseItems<M extends z.ZodType>(model: M, items: unknown, endpoint: string): z.output<M>[] {
  return parseResponse(z.array(model), items, endpoint);
}

/** Checks one answer against `model`. */
export function parseOne<M extends z.ZodType>(model: M, body: unknown, endpoint: string): z.output<M> {
  return parseResponse(model, body, endpoint);
}
