// manage_stack's work: local stacks over REST (two components, a labelled
// stack, activation written where ZenML writes it), remote stacks through the
// user's Python, and deletion (recursive, forced) over REST. Same steps, same
// order and same messages as Python's kitaru/_config/_stacks.py.
import path from 'node:path';
import type { Connection } from '../config/connection.ts';
import { updateYamlMap } from '../config/yaml-files.ts';
import type { ZenmlHttpClient } from '../http/client.ts';
import { ZenmlApiError } from '../http/errors.ts';
import { KitaruBackendError, KitaruStateError, KitaruUsageError, serverErrorText } from './errors.ts';
import { runKitaruHelper } from './python.ts';
import type { CallOptions, KitaruRuntime } from './runtime.ts';
import { validateLocalComponentConfiguration } from './stack-component-config.ts';
import {
  type ComponentTarget,
  type ManageStackArgs,
  type ManageStackCreateRequest,
  type ManageStackDeleteRequest,
  buildManageStackRequest,
} from './stack-validation.ts';
import { activeStack, isManaged } from './stacks.ts';
import { type ComponentModel, ComponentResponse, type StackModel, StackResponse } from './zenml/models.ts';
import { PLAIN_UUID_PATTERN } from './ids.ts';

const MANAGED_LABELS = { 'kitaru.managed': 'true' };

export interface StackCreatePayload {
  id: string;
  name: string;
  is_active: boolean;
  previous_active_stack: string | null;
  components_created: string[];
  stack_type: string;
  service_connectors_created?: string[];
  resources?: Record<string, string>;
}

export interface StackDeletePayload {
  deleted_stack: string;
  components_deleted: string[];
  new_active_stack: string | null;
  recursive: boolean;
}

function normalizeSelector(nameOrId: string): string {
  const selector = nameOrId.trim();
  if (!selector) throw new KitaruUsageError('Stack name or ID cannot be empty.');
  return selector;
}

/**
 * "Already exists", whether the server's check said so (409, EntityExistsError)
 * or a concurrent create won the race past that check and the database's
 * unique constraint refused ours (IntegrityError).
 */
function isExists(error: unknown): boolean {
  if (!(error instanceof ZenmlApiError)) return false;
  if (error.status === 409 || /ExistsError$/.test(error.exceptionClass ?? '')) return true;
  return /IntegrityError/.test(error.exceptionClass ?? '') || /IntegrityError|UNIQUE constraint failed|Duplicate entry/i.test(error.detail);
}

/**
 * Creates of the same stack name on one server run one after another in this
 * process: the second sees the first's stack and answers Python's "already
 * exists", instead of racing it into the database's unique constraint.
 */
const createQueues = new Map<string, Promise<unknown>>();
function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = createQueues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  createQueues.set(key, settled);
  void settled.then(() => {
    if (createQueues.get(key) === settled) createQueues.delete(key);
  });
  return next;
}

const stackCollision = (name: string) => `A stack named "${name}" already exists. To activate it, run 'kitaru stack use ${name}'.`;
const componentCollision = (name: string, type: string) =>
  `Cannot create stack '${name}' because a ${type} named '${name}' already exists. ` +
  'Kitaru always creates fresh stack components and never reuses existing ones.';

/** After a refused create: the stack collision when a stack of that name now exists, else the component one. */
async function collision(api: ZenmlHttpClient, name: string, type: string, signal?: AbortSignal): Promise<string> {
  const stacks = await api.list('/api/v1/stacks', { query: { name }, limit: 1, signal, model: StackResponse }).catch(() => []);
  return stacks.length > 0 ? stackCollision(name) : componentCollision(name, type);
}

/** Every stack the user can see, all pages (Python's _iter_available_stacks). */
function allStacks(api: ZenmlHttpClient, signal?: AbortSignal): Promise<StackModel[]> {
  return api.list('/api/v1/stacks', { signal, model: StackResponse });
}

/**
 * Records the active stack the way ZenML's Client.activate_stack does: in the
 * repository's .kitaru/config.yaml when there is a repository, else in the
 * global config.yaml. Atomic, and every other key is kept.
 */
export function recordActiveStack(connection: Connection, stackId: string): void {
  const file =
    connection.repositoryRoot !== null
      ? (connection.repositoryConfigPath ?? path.join(connection.repositoryRoot, '.kitaru', 'config.yaml'))
      : connection.configFile;
  const inRepository = connection.repositoryRoot !== null;
  updateYamlMap(file, (doc) => {
    // ZenML rewrites the whole repository config, which then also names the
    // active project; a repository config without one gets it the same way.
    if (inRepository && !doc.has('active_project_id') && connection.project !== null && PLAIN_UUID_PATTERN.test(connection.project)) {
      doc.set('active_project_id', connection.project);
    }
    doc.set('active_stack_id', stackId);
  });
}

async function activateStack(runtime: KitaruRuntime, api: ZenmlHttpClient, selector: string, signal?: AbortSignal): Promise<StackModel> {
  let stack: StackModel;
  try {
    stack = await getStack(api, selector, signal);
  } catch {
    // ZenML raises KeyError here; str(KeyError) quotes the message.
    throw new Error(
      `"Stack '${selector}' cannot be activated. Please make sure it is registered and you have the necessary permissions to access it."`,
    );
  }
  recordActiveStack(runtime.connection(), stack.id);
  return stack;
}

/** ZenML's get_stack(name_or_id, allow_name_prefix_match=False): id, exact name, then id prefix. */
async function getStack(api: ZenmlHttpClient, selector: string, signal?: AbortSignal): Promise<StackModel> {
  if (PLAIN_UUID_PATTERN.test(selector)) {
    return api.get(`/api/v1/stacks/${encodeURIComponent(selector)}`, { query: { hydrate: true }, signal, model: StackResponse });
  }
  const byName = await api.list('/api/v1/stacks', { query: { name: selector, hydrate: true }, limit: 2, signal, model: StackResponse });
  if (byName.length === 1) return byName[0] as StackModel;
  if (byName.length > 1) throw new Error(`Multiple stacks have been found for name '${selector}'.`);
  const byId = await api.list('/api/v1/stacks', {
    query: { id: `startswith:${selector}`, hydrate: true },
    limit: 2,
    signal,
    model: StackResponse,
  });
  if (byId.length === 1) return byId[0] as StackModel;
  throw new Error(`No stack with name or id prefix '${selector}' exists.`);
}

async function createComponent(
  api: ZenmlHttpClient,
  name: string,
  type: ComponentTarget,
  configuration: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<ComponentModel> {
  return api.post('/api/v1/components', {
    model: ComponentResponse,
    body: { name, type, flavor: 'local', configuration, labels: null, secrets: [], environment: {} },
    signal,
  });
}

async function deleteComponentsBestEffort(
  api: ZenmlHttpClient,
  created: { id: string; name: string; kind: string }[],
): Promise<string | null> {
  const failures: string[] = [];
  for (const component of [...created].reverse()) {
    try {
      await api.delete(`/api/v1/components/${encodeURIComponent(component.id)}`);
    } catch (error) {
      failures.push(`${component.name} (${component.kind}): ${serverErrorText(error)}`);
    }
  }
  return failures.length === 0 ? null : `Cleanup also failed for: ${failures.join('; ')}`;
}

async function createLocalStack(
  runtime: KitaruRuntime,
  request: ManageStackCreateRequest,
  options: CallOptions,
): Promise<StackCreatePayload> {
  const selector = normalizeSelector(request.name);
  const api = runtime.api(runtime.connection());
  return oneAtATime(`${api.baseUrl}\n${selector}`, () => createLocalStackNow(runtime, request, selector, options));
}

async function createLocalStackNow(
  runtime: KitaruRuntime,
  request: ManageStackCreateRequest,
  selector: string,
  options: CallOptions,
): Promise<StackCreatePayload> {
  const connection = runtime.connection();
  const api = runtime.api(connection, { guardrails: false });
  const { signal } = options;
  if ((await allStacks(api, signal)).some((stack) => stack.name === selector)) {
    throw new KitaruStateError(stackCollision(selector));
  }
  const previousActive = request.activate ? String((await activeStack(api, connection)).name) : null;
  const overrides = request.componentOverrides;
  if (Object.keys(overrides.container_registry).length > 0) {
    throw new KitaruUsageError(
      'Local stacks do not create a container registry component, so `container_registry` overrides are not allowed.',
    );
  }
  const orchestratorConfig = structuredClone(overrides.orchestrator);
  const artifactStoreConfig = structuredClone(overrides.artifact_store);
  validateLocalComponentConfiguration('orchestrator', orchestratorConfig);
  validateLocalComponentConfiguration('artifact_store', artifactStoreConfig);

  const created: { id: string; name: string; kind: string }[] = [];
  try {
    const orchestrator = await createComponent(api, selector, 'orchestrator', orchestratorConfig, signal);
    created.push({ id: orchestrator.id, name: selector, kind: 'orchestrator' });
  } catch (error) {
    // Another process may have created the whole stack since our check: say so as Python does.
    if (isExists(error)) throw new KitaruStateError(await collision(api, selector, 'orchestrator', signal));
    throw error;
  }
  const failWithCleanup = async (message: string, kind: 'state' | 'backend'): Promise<never> => {
    const cleanup = await deleteComponentsBestEffort(api, created);
    const full = cleanup ? `${message} ${cleanup}` : message;
    throw kind === 'state' ? new KitaruStateError(full) : new KitaruBackendError(full);
  };
  try {
    const artifactStore = await createComponent(api, selector, 'artifact_store', artifactStoreConfig, signal);
    created.push({ id: artifactStore.id, name: selector, kind: 'artifact_store' });
  } catch (error) {
    if (isExists(error)) await failWithCleanup(await collision(api, selector, 'artifact_store', signal), 'state');
    await failWithCleanup(serverErrorText(error), 'backend');
  }
  let stackModel: StackModel;
  try {
    stackModel = await api.post('/api/v1/stacks', {
      model: StackResponse,
      body: {
        name: selector,
        components: { orchestrator: [created[0]?.id], artifact_store: [created[1]?.id] },
        labels: MANAGED_LABELS,
      },
      signal,
    });
  } catch (error) {
    if (isExists(error)) return failWithCleanup(stackCollision(selector), 'state');
    return failWithCleanup(serverErrorText(error), 'backend');
  }

  let stack: { id: string; name: string; is_active: boolean };
  if (request.activate) {
    try {
      await activateStack(runtime, api, selector, signal);
    } catch (error) {
      throw new KitaruBackendError(
        `Created stack '${selector}' but failed to activate it. The stack was created successfully and remains ` +
          `available; run 'kitaru stack use ${selector}' to activate it manually. Original error: ${serverErrorText(error)}`,
      );
    }
    const active = await activeStack(api, runtime.connection());
    stack = { id: String(active.id), name: String(active.name).trim(), is_active: true };
  } else {
    const active = await activeStack(api, connection);
    stack = { id: String(stackModel.id), name: String(stackModel.name).trim(), is_active: String(stackModel.id) === String(active.id) };
  }
  return {
    ...stack,
    previous_active_stack: previousActive,
    components_created: [`${selector} (orchestrator)`, `${selector} (artifact_store)`],
    stack_type: 'local',
  };
}

async function createRemoteStack(runtime: KitaruRuntime, args: ManageStackArgs, options: CallOptions): Promise<StackCreatePayload> {
  return runKitaruHelper<StackCreatePayload>(runtime, 'stacks.stack_create', args, { signal: options.signal });
}

const RECURSIVE_TYPES: [string, string][] = [
  ['orchestrator', 'orchestrator'],
  ['artifact_store', 'artifact_store'],
  ['container_registry', 'container_registry'],
];

/** Components only this stack uses, which a recursive delete removes. */
async function unsharedComponents(
  api: ZenmlHttpClient,
  stack: StackModel,
  signal?: AbortSignal,
): Promise<{ type: string; component: ComponentModel }[]> {
  const result: { type: string; component: ComponentModel }[] = [];
  for (const [type, components] of Object.entries(stack.metadata?.components ?? {})) {
    const component = components[0];
    if (component === undefined) continue;
    const users = await api.list('/api/v1/stacks', {
      query: { component_id: component.id },
      limit: 2,
      pageSize: 2,
      signal,
      model: StackResponse,
    });
    if (users.length === 1 && String(users[0]?.id) === String(stack.id)) result.push({ type, component });
  }
  return result;
}

async function deleteStack(runtime: KitaruRuntime, request: ManageStackDeleteRequest, options: CallOptions): Promise<StackDeletePayload> {
  const selector = normalizeSelector(request.name);
  const connection = runtime.connection();
  const api = runtime.api(connection, { guardrails: false });
  const { signal } = options;
  let target: StackModel;
  try {
    target = await getStack(api, selector, signal);
  } catch {
    const stacks = await allStacks(api, signal).catch((error: unknown) => {
      throw new KitaruBackendError(`Unable to inspect stack '${selector}' before deletion: ${serverErrorText(error)}`);
    });
    const resolved =
      stacks.find((stack) => String(stack.id).trim() === selector) ?? stacks.find((stack) => String(stack.name ?? '').trim() === selector);
    if (resolved === undefined) throw new KitaruStateError(`Stack '${selector}' not found.`);
    try {
      target = await getStack(api, resolved.id, signal);
    } catch (error) {
      throw new KitaruBackendError(`Unable to inspect stack '${selector}' before deletion: ${serverErrorText(error)}`);
    }
  }
  const active = await activeStack(api, connection);
  const isActive = String(target.id) === String(active.id);
  if (isActive && !request.force) {
    throw new KitaruStateError(
      "Cannot delete the active stack. Use '--force' to delete and fall back to the default stack, or switch first with 'kitaru stack use <other>'.",
    );
  }

  const managedRecursive = request.recursive && isManaged(target);
  let componentsDeleted: string[] = [];
  // Python computes the labels before deleting, from the same sharing check ZenML uses.
  const freeComponents = request.recursive ? await unsharedComponents(api, target, signal) : [];
  if (managedRecursive) {
    for (const [type, kind] of RECURSIVE_TYPES) {
      const entry = freeComponents.find((free) => free.type === type);
      const name = String(entry?.component.name ?? '').trim();
      if (entry !== undefined && name) componentsDeleted.push(`${name} (${kind})`);
    }
  }

  let newActive: string | null = null;
  if (isActive && request.force) {
    try {
      await activateStack(runtime, api, 'default', signal);
    } catch (error) {
      throw new KitaruBackendError(
        `Failed to activate the default stack before deleting the active stack '${selector}': ${serverErrorText(error)}`,
      );
    }
    newActive = String((await activeStack(api, runtime.connection())).name).trim();
  }

  try {
    await api.delete(`/api/v1/stacks/${encodeURIComponent(target.id)}`, { signal });
    for (const { component } of freeComponents) {
      await api.delete(`/api/v1/components/${encodeURIComponent(component.id)}`, { signal });
    }
  } catch (error) {
    throw new KitaruBackendError(`Failed to delete stack '${selector}': ${serverErrorText(error)}`);
  }
  if (!managedRecursive) componentsDeleted = [];
  return {
    deleted_stack: String(target.name),
    components_deleted: componentsDeleted,
    new_active_stack: newActive,
    recursive: request.recursive,
  };
}

export async function manageStack(
  runtime: KitaruRuntime,
  args: ManageStackArgs,
  options: CallOptions = {},
): Promise<StackCreatePayload | StackDeletePayload> {
  const request = buildManageStackRequest(args);
  if (request.action === 'delete') return deleteStack(runtime, request, options);
  if (request.stackType === 'local') return createLocalStack(runtime, request, options);
  return createRemoteStack(runtime, args, options);
}
