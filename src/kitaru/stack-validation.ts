// manage_stack's argument checks, ported rule for rule and word for word from
// Python's kitaru/_interface_stacks.py (build_manage_stack_request with the
// MCP labels). Pure: no server, no Python.
import { ValueError } from './errors.ts';

export type StackType = 'local' | 'kubernetes' | 'vertex' | 'sagemaker' | 'azureml';
export type CloudProvider = 'aws' | 'gcp' | 'azure';
export type ComponentTarget = 'orchestrator' | 'artifact_store' | 'container_registry';

const STACK_TYPES: readonly StackType[] = ['local', 'kubernetes', 'vertex', 'sagemaker', 'azureml'];
const REMOTE_TYPES: readonly StackType[] = ['kubernetes', 'vertex', 'sagemaker', 'azureml'];
const TARGETS: readonly ComponentTarget[] = ['orchestrator', 'artifact_store', 'container_registry'];

type FieldName =
  | 'artifact_store'
  | 'container_registry'
  | 'cluster'
  | 'region'
  | 'subscription_id'
  | 'resource_group'
  | 'workspace'
  | 'execution_role'
  | 'namespace'
  | 'credentials'
  | 'verify';

const FIELD_ORDER: readonly FieldName[] = [
  'artifact_store',
  'container_registry',
  'cluster',
  'region',
  'subscription_id',
  'resource_group',
  'workspace',
  'execution_role',
  'namespace',
  'credentials',
  'verify',
];

type RequiredField = Exclude<FieldName, 'namespace' | 'credentials' | 'verify'>;

const REQUIRED_FIELDS: Record<Exclude<StackType, 'local'>, readonly RequiredField[]> = {
  kubernetes: ['artifact_store', 'container_registry', 'cluster', 'region'],
  vertex: ['artifact_store', 'container_registry', 'region'],
  sagemaker: ['artifact_store', 'container_registry', 'region', 'execution_role'],
  azureml: ['artifact_store', 'container_registry', 'subscription_id', 'resource_group', 'workspace'],
};

const FIELD_ALLOWED_TYPES: Record<FieldName, readonly StackType[]> = {
  artifact_store: REMOTE_TYPES,
  container_registry: REMOTE_TYPES,
  cluster: ['kubernetes'],
  region: REMOTE_TYPES,
  subscription_id: ['azureml'],
  resource_group: ['azureml'],
  workspace: ['azureml'],
  execution_role: ['sagemaker'],
  namespace: ['kubernetes'],
  credentials: REMOTE_TYPES,
  verify: REMOTE_TYPES,
};

const FIXED_PROVIDER: Partial<Record<StackType, CloudProvider>> = { vertex: 'gcp', sagemaker: 'aws', azureml: 'azure' };
const PROVIDER_URI: Partial<Record<StackType, [string, string]>> = {
  vertex: ['Vertex', 'a gs://'],
  sagemaker: ['SageMaker', 'an s3://'],
  azureml: ['AzureML', 'an az://, abfs://, or abfss://'],
};

const TYPE_LABEL = (type: StackType): string => `\`stack_type="${type}"\``;
const FIELD_LABEL = (field: string): string => (field === 'async' ? '`async_mode`' : `\`${field}\``);

export interface ComponentOverrides {
  orchestrator: Record<string, unknown>;
  artifact_store: Record<string, unknown>;
  container_registry: Record<string, unknown>;
}

export interface RemoteStackSpec {
  provider?: CloudProvider;
  artifact_store: string;
  container_registry: string;
  cluster?: string;
  region: string | null;
  subscription_id?: string;
  resource_group?: string;
  workspace?: string;
  execution_role?: string;
  namespace?: string;
  credentials: string | null;
  verify: boolean;
}

export interface ManageStackCreateRequest {
  action: 'create';
  name: string;
  activate: boolean;
  stackType: StackType;
  remoteSpec: RemoteStackSpec | null;
  componentOverrides: ComponentOverrides;
}

export interface ManageStackDeleteRequest {
  action: 'delete';
  name: string;
  recursive: boolean;
  force: boolean;
}

export interface ManageStackArgs {
  action: string;
  name: string;
  activate: boolean;
  recursive: boolean;
  force: boolean;
  stack_type: string;
  artifact_store: string | null;
  container_registry: string | null;
  cluster: string | null;
  region: string | null;
  subscription_id: string | null;
  resource_group: string | null;
  workspace: string | null;
  execution_role: string | null;
  namespace: string | null;
  credentials: string | null;
  extra: unknown;
  async_mode: boolean;
  verify: boolean;
}

function oxfordList(items: string[]): string {
  if (items.length === 1) return items[0] as string;
  if (items.length === 2) return `${items[0]} or ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, or ${items[items.length - 1]}`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function normalizeOptionalStackString(value: string | null): string | null {
  if (value === null) return null;
  const normalized = value.trim();
  return normalized || null;
}

export function normalizeStackType(raw: string): StackType {
  const normalized = raw.trim().toLowerCase();
  if (!(STACK_TYPES as readonly string[]).includes(normalized)) {
    throw new ValueError(`Unsupported stack type: ${raw}. Use ${oxfordList(STACK_TYPES.map((type) => `'${type}'`))}.`);
  }
  return normalized as StackType;
}

export function inferCloudProvider(uri: string): CloudProvider {
  if (uri.startsWith('s3://')) return 'aws';
  if (uri.startsWith('gs://')) return 'gcp';
  if (uri.startsWith('az://') || uri.startsWith('abfs://') || uri.startsWith('abfss://')) return 'azure';
  throw new ValueError(`Cannot infer cloud provider from '${uri}'. Use an s3://, gs://, az://, abfs://, or abfss:// URI.`);
}

function requirementLabel(allowed: readonly StackType[]): string {
  return oxfordList(STACK_TYPES.filter((type) => allowed.includes(type)).map(TYPE_LABEL));
}

function optionGroupLabel(allowed: readonly StackType[]): string {
  if (allowed.length === REMOTE_TYPES.length && REMOTE_TYPES.every((type) => allowed.includes(type))) {
    return 'Remote stack options';
  }
  if (allowed.length === 1) {
    const names: Record<string, string> = { kubernetes: 'Kubernetes', vertex: 'Vertex', sagemaker: 'SageMaker', azureml: 'AzureML' };
    const type = allowed[0] as StackType;
    return `${names[type] ?? type.charAt(0).toUpperCase() + type.slice(1)}-only options`;
  }
  return 'Stack-specific options';
}

function validateExplicitFieldUsage(stackType: StackType, provided: Record<FieldName, boolean>): void {
  // Fields that need the same stack types form one group (keyed by value, not by array identity).
  const groups = new Map<readonly StackType[], FieldName[]>();
  const byKey = new Map<string, readonly StackType[]>();
  for (const field of FIELD_ORDER) {
    if (!provided[field]) continue;
    const declared = FIELD_ALLOWED_TYPES[field];
    if (declared.includes(stackType)) continue;
    const key = [...declared].sort().join(',');
    const allowed = byKey.get(key) ?? declared;
    byKey.set(key, allowed);
    const fields = groups.get(allowed) ?? [];
    fields.push(field);
    groups.set(allowed, fields);
  }
  if (groups.size === 0) return;
  // Python sorts by (group size, the group's type values in declaration order).
  const sortKey = (group: readonly StackType[]) => STACK_TYPES.filter((type) => group.includes(type));
  const ordered = [...groups.keys()].sort((a, b) => {
    if (a.length !== b.length) return a.length - b.length;
    const ka = sortKey(a);
    const kb = sortKey(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i += 1) {
      if (ka[i] !== kb[i]) return (ka[i] as string) < (kb[i] as string) ? -1 : 1;
    }
    return ka.length - kb.length;
  });
  const allowed = ordered[0] as readonly StackType[];
  throw new ValueError(
    `${optionGroupLabel(allowed)} require ${requirementLabel(allowed)}: ${(groups.get(allowed) ?? []).map(FIELD_LABEL).join(', ')}`,
  );
}

function targetFieldLabel(target: ComponentTarget): string {
  return `\`extra\` ${target}.*`;
}

function emptyOverrides(): ComponentOverrides {
  return { orchestrator: {}, artifact_store: {}, container_registry: {} };
}

export function normalizeComponentOverrides(raw: Record<string, unknown>): ComponentOverrides {
  const normalized = emptyOverrides();
  for (const [rawTarget, rawValue] of Object.entries(raw)) {
    if (!(TARGETS as readonly string[]).includes(rawTarget)) {
      throw new ValueError(`Unsupported \`extra\` target '${rawTarget}'. Use one of: ${[...TARGETS].sort().join(', ')}.`);
    }
    const target = rawTarget as ComponentTarget;
    if (!isMapping(rawValue)) throw new ValueError(`${targetFieldLabel(target)} must be an object.`);
    normalized[target] = structuredClone(rawValue);
  }
  return normalized;
}

function validateOverrideTargets(stackType: StackType, overrides: ComponentOverrides): void {
  for (const target of TARGETS) {
    if (Object.keys(overrides[target]).length === 0) continue;
    if (stackType !== 'local' || target !== 'container_registry') continue;
    throw new ValueError(
      `${targetFieldLabel(target)} is not valid for ${TYPE_LABEL(stackType)} because local stacks do not create a container registry component.`,
    );
  }
}

/** `synchronous: false` for async_mode, unless the caller set `synchronous` itself. */
function applyAsyncOverride(overrides: ComponentOverrides, asyncEnabled: boolean): ComponentOverrides {
  if (!asyncEnabled || 'synchronous' in overrides.orchestrator) return overrides;
  return { ...overrides, orchestrator: { ...overrides.orchestrator, synchronous: false } };
}

function buildRemoteStackSpec(stackType: StackType, args: ManageStackArgs): RemoteStackSpec | null {
  validateExplicitFieldUsage(stackType, {
    artifact_store: args.artifact_store !== null,
    container_registry: args.container_registry !== null,
    cluster: args.cluster !== null,
    region: args.region !== null,
    subscription_id: args.subscription_id !== null,
    resource_group: args.resource_group !== null,
    workspace: args.workspace !== null,
    execution_role: args.execution_role !== null,
    namespace: args.namespace !== null,
    credentials: args.credentials !== null,
    verify: !args.verify,
  });
  if (stackType === 'local') return null;

  const values = {
    artifact_store: normalizeOptionalStackString(args.artifact_store),
    container_registry: normalizeOptionalStackString(args.container_registry),
    cluster: normalizeOptionalStackString(args.cluster),
    region: normalizeOptionalStackString(args.region),
    subscription_id: normalizeOptionalStackString(args.subscription_id),
    resource_group: normalizeOptionalStackString(args.resource_group),
    workspace: normalizeOptionalStackString(args.workspace),
    execution_role: normalizeOptionalStackString(args.execution_role),
  };
  const namespace = normalizeOptionalStackString(args.namespace);
  const credentials = normalizeOptionalStackString(args.credentials);
  const missing = REQUIRED_FIELDS[stackType].filter((field) => values[field] === null);
  if (missing.length > 0) {
    throw new ValueError(`${TYPE_LABEL(stackType)} requires: ${missing.map(FIELD_LABEL).join(', ')}.`);
  }
  const artifactStore = values.artifact_store as string;
  const containerRegistry = values.container_registry as string;
  const provider = inferCloudProvider(artifactStore);
  const fixed = FIXED_PROVIDER[stackType];
  if (fixed !== undefined && provider !== fixed) {
    const [display, prefix] = PROVIDER_URI[stackType] as [string, string];
    throw new ValueError(`${display} stacks require ${prefix} artifact store URI. Received: '${artifactStore}'.`);
  }
  switch (stackType) {
    case 'kubernetes':
      if (provider !== 'aws' && provider !== 'gcp') {
        throw new ValueError(`Cannot infer cloud provider from '${artifactStore}'. Use an s3:// or gs:// URI.`);
      }
      return {
        provider,
        artifact_store: artifactStore,
        container_registry: containerRegistry,
        cluster: values.cluster as string,
        region: values.region as string,
        namespace: namespace ?? 'default',
        credentials,
        verify: args.verify,
      };
    case 'vertex':
      return {
        artifact_store: artifactStore,
        container_registry: containerRegistry,
        region: values.region,
        credentials,
        verify: args.verify,
      };
    case 'sagemaker':
      return {
        artifact_store: artifactStore,
        container_registry: containerRegistry,
        region: values.region,
        execution_role: values.execution_role as string,
        credentials,
        verify: args.verify,
      };
    case 'azureml':
      return {
        artifact_store: artifactStore,
        container_registry: containerRegistry,
        subscription_id: values.subscription_id as string,
        resource_group: values.resource_group as string,
        workspace: values.workspace as string,
        region: values.region,
        credentials,
        verify: args.verify,
      };
  }
}

/** Python's build_manage_stack_request for the MCP tool: same rules, same order, same messages. */
export function buildManageStackRequest(args: ManageStackArgs): ManageStackCreateRequest | ManageStackDeleteRequest {
  if (args.action === 'create') {
    if (args.recursive || args.force) throw new ValueError('`recursive` and `force` are only valid when action="delete".');
    if (args.extra !== null && !isMapping(args.extra)) throw new ValueError('`extra` must be an object when provided.');
    // Python normalises `extra` while building the call's arguments, so before the stack type.
    const overrides = args.extra !== null ? normalizeComponentOverrides(args.extra as Record<string, unknown>) : emptyOverrides();
    const stackType = normalizeStackType(args.stack_type);
    if (args.async_mode && stackType === 'local') {
      throw new ValueError(`\`async_mode\` requires ${requirementLabel(REMOTE_TYPES)}.`);
    }
    validateOverrideTargets(stackType, overrides);
    const remoteSpec = buildRemoteStackSpec(stackType, args);
    return {
      action: 'create',
      name: args.name,
      activate: args.activate,
      stackType,
      remoteSpec,
      componentOverrides: applyAsyncOverride(overrides, args.async_mode),
    };
  }
  if (args.action === 'delete') {
    if (!args.activate) throw new ValueError('`activate` is only valid when action="create".');
    const stackType = normalizeStackType(args.stack_type);
    const provided: [string, boolean][] = [
      ['stack_type', stackType !== 'local'],
      ['artifact_store', args.artifact_store !== null],
      ['container_registry', args.container_registry !== null],
      ['cluster', args.cluster !== null],
      ['region', args.region !== null],
      ['subscription_id', args.subscription_id !== null],
      ['resource_group', args.resource_group !== null],
      ['workspace', args.workspace !== null],
      ['execution_role', args.execution_role !== null],
      ['namespace', args.namespace !== null],
      ['credentials', args.credentials !== null],
      ['verify', !args.verify],
      ['extra', args.extra !== null],
      ['async', args.async_mode],
    ];
    const createOnly = provided.filter(([, isProvided]) => isProvided).map(([field]) => FIELD_LABEL(field));
    if (createOnly.length > 0) {
      throw new ValueError(`Stack create options are only valid when action="create": ${createOnly.join(', ')}`);
    }
    return { action: 'delete', name: args.name, recursive: args.recursive, force: args.force };
  }
  throw new ValueError('`action` must be "create" or "delete".');
}

export function overridesAreEmpty(overrides: ComponentOverrides): boolean {
  return TARGETS.every((target) => Object.keys(overrides[target]).length === 0);
}
