// zod models of what ZenML 0.94 returns for the resources read over REST here:
// stacks, stack components, flavors, pipeline snapshots (deployments), artifact
// versions, secrets, the current user, projects and server info. Loose objects:
// unknown fields pass (a newer server still fits), but every field we read has
// the type ZenML gives it, and identity fields (id, name) must be there, so a
// wrong-shaped answer fails at parseResponse instead of becoming a payload.
// `metadata` and `resources` are null when the server does not hydrate.
import { z } from 'zod';
import { isPyNumber } from '../../compat/json.ts';

const Id = z.string().min(1);
const Mapping = z.record(z.string(), z.unknown());

function isDict(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isPyNumber(value);
}

/**
 * A dict whose keys are the user's (run_metadata, a JSON schema): checked to be
 * a dict and passed on as it is, the same object (a record schema would copy
 * it and drop a "__proto__" key, which Python keeps).
 */
export const Dict = z.custom<Record<string, unknown>>(isDict, { error: 'expected object' });
const section = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape).nullish();

/** Any named ZenML entity: a user, a project. */
export const NamedEntity = z.looseObject({
  id: Id,
  name: z.string().min(1),
  body: section({}),
  metadata: section({}),
  resources: section({}),
});

export const ComponentResponse = z.looseObject({
  id: Id,
  name: z.string().min(1),
  body: section({ type: z.string().optional(), flavor_name: z.string().optional() }),
  metadata: section({ configuration: Mapping.nullish(), labels: Mapping.nullish() }),
  resources: section({}),
});

export const StackResponse = z.looseObject({
  id: Id,
  name: z.string().min(1),
  body: section({ created: z.string().optional(), user_id: z.string().nullish() }),
  metadata: section({
    labels: Mapping.nullish(),
    components: z.record(z.string(), z.array(ComponentResponse)).optional(),
  }),
  resources: section({}),
});

export const FlavorResponse = z.looseObject({
  id: Id,
  name: z.string().min(1),
  body: section({ type: z.string().optional(), integration: z.string().nullish(), is_custom: z.boolean().optional() }),
  metadata: section({ config_schema: Mapping.nullish() }),
});

const Tag = z.looseObject({ name: z.string() });

/** A pipeline snapshot: what a Kitaru deployment is. Unnamed snapshots have no name. */
export const SnapshotResponse = z.looseObject({
  id: Id,
  name: z.string().nullish(),
  body: section({}),
  metadata: section({}),
  resources: section({ tags: z.array(z.union([z.string(), Tag])).nullish(), stack: section({ id: Id }), pipeline: section({}) }),
});

/**
 * An artifact version: read alone (kitaru_artifacts_get), in bulk (hydrated,
 * for run_metadata) and embedded in a step's inputs and outputs (unhydrated).
 * `artifact.name` and `save_type` are what Python's _map_artifact_ref reads
 * directly (ZenML requires them); `run_metadata` defaults to {} as in ZenML.
 */
export const ArtifactVersionResponse = z.looseObject({
  id: Id,
  body: section({
    artifact: z.looseObject({ id: Id, name: z.string() }),
    version: z.union([z.string(), z.number()]).nullish(),
    type: z.string().nullish(),
    uri: z.string().nullish(),
    materializer: section({ module: z.string(), attribute: z.string() }),
    data_type: section({ module: z.string(), attribute: z.string() }),
    save_type: z.string(),
  }),
  metadata: section({ run_metadata: Dict.default({}) }),
  resources: section({ producer_step_run_id: z.string().nullish() }),
});

/** name and id stay optional: Python checks them itself, with its own words. */
export const SecretResponse = z.looseObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  body: section({ private: z.boolean().optional(), values: z.record(z.string(), z.string().nullable()).optional() }),
});

export const ServerInfoResponse = z.looseObject({
  id: z.string().optional(),
  version: z.string().min(1),
  database_type: z.string().optional(),
  deployment_type: z.string().optional(),
  auth_scheme: z.string().optional(),
  server_url: z.string().nullish(),
  dashboard_url: z.string().nullish(),
});

export const StringResponse = z.string();

export type StackModel = z.output<typeof StackResponse>;
export type ComponentModel = z.output<typeof ComponentResponse>;
export type SnapshotModel = z.output<typeof SnapshotResponse>;
export type NamedModel = z.output<typeof NamedEntity>;
export type ServerInfo = z.output<typeof ServerInfoResponse>;
export type ArtifactVersionModel = z.output<typeof ArtifactVersionResponse>;

/**
 * The loose entity type, for code that reads fields of its own choosing from a
 * model it did not parse here. `metadata`/`resources` are null unhydrated.
 */
export interface ZenmlEntity<Body = Record<string, unknown>, Metadata = Record<string, unknown>, Resources = Record<string, unknown>> {
  id: string;
  name?: string | null | undefined;
  body?: Body | null | undefined;
  metadata?: Metadata | null | undefined;
  resources?: Resources | null | undefined;
}
