// zod models of the ZenML answers the execution tools read: pipeline runs, step
// runs, run wait conditions and their pages. Only the fields we read are
// checked; every other field is kept (looseObject), so a newer server's
// additions pass through and a wrong shape fails naming the endpoint and field.
import { z } from 'zod';
import { parseResponse } from '../../http/parse.ts';

const optionalObject = z.looseObject({}).nullish();

/** A hydrated pipeline run (GET /runs/{id}, GET /runs?hydrate=true). */
export const RunModelSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  body: z
    .looseObject({
      status: z.string(),
      created: z.string().nullish(),
    })
    .nullish(),
  metadata: optionalObject,
  resources: z
    .looseObject({
      pipeline: z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
      stack: z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
      active_wait_condition: z.looseObject({ id: z.string() }).nullish(),
    })
    .nullish(),
});

/** A step run (GET /steps). */
export const StepModelSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  body: optionalObject,
  metadata: optionalObject,
  resources: optionalObject,
});

/** A run wait condition (GET /run_wait_conditions). */
export const WaitConditionModelSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  body: z.looseObject({ created: z.string().nullish() }).nullish(),
  metadata: optionalObject,
  resources: z.looseObject({ run: z.looseObject({ id: z.string() }).nullish() }).nullish(),
});

/** A ZenML list page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ total: z.number(), items: z.array(item) });
}

export const RunPageSchema = pageSchema(RunModelSchema);

type Obj = Record<string, unknown>;

/** Checks one page's items against `model`; the mapper keeps its loose record view. */
export function parseItems<T extends Obj>(model: z.ZodType, items: unknown, endpoint: string): T[] {
  return parseResponse(z.array(model), items, endpoint) as unknown as T[];
}

export function parseOne<T extends Obj>(model: z.ZodType, body: unknown, endpoint: string): T {
  return parseResponse(model, body, endpoint) as unknown as T;
}

/** An artifact version (GET /artifact_versions). */
export const ArtifactModelSchema = z.looseObject({
  id: z.string(),
  body: optionalObject,
  metadata: optionalObject,
  resources: optionalObject,
});
