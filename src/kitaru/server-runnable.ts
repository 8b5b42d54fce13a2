// Can the Kitaru server run this stack itself? Python asks ZenML's
// validate_stack_is_runnable_from_server: no component of a custom flavor, and
// no component whose flavor config says `is_local`. The flavor list comes from
// the server; `is_local` lives in Python flavor classes, so the known answers
// are kept here (see LOCAL_FLAVORS and the config-dependent rules below).
import type { ZenmlHttpClient } from '../http/client.ts';
import { KitaruStateError, KitaruUsageError, pyRepr } from './errors.ts';
import type { ZenmlEntity } from './zenml/models.ts';
import { ComponentResponse, FlavorResponse, type StackModel } from './zenml/models.ts';

type Json = Record<string, unknown>;

/** `type/flavor` pairs whose config class always answers is_local = True. */
const LOCAL_FLAVORS = new Set([
  'orchestrator/local',
  'orchestrator/local_docker',
  'artifact_store/local',
  'deployer/local',
  'deployer/docker',
  'model_deployer/mlflow',
]);

// Kubernetes deployer: a context naming a desktop cluster counts as local.
const LOCAL_KUBE_CONTEXTS = ['k3d-', 'kind-', 'minikube', 'docker-desktop', 'colima', 'rancher-desktop'];

/**
 * `type/flavor` pairs whose is_local reads the component's configuration, each
 * with the flavor's rule and its field defaults (zenml 0.94.6 flavor classes).
 * Every container registry flavor inherits the base rule.
 */
const CONFIG_RULES: Record<string, (configuration: Json) => boolean> = {
  'orchestrator/kubernetes': (c) => c.local === true,
  'orchestrator/airflow': (c) => c.local !== false, // `local: bool = True`
  'deployer/kubernetes': (c) =>
    c.local === true ||
    (typeof c.kubernetes_context === 'string' &&
      LOCAL_KUBE_CONTEXTS.some((indicator) => (c.kubernetes_context as string).toLowerCase().includes(indicator))),
  'experiment_tracker/mlflow': (c) => typeof c.tracking_uri !== 'string' || !/^(https?|databricks):/i.test(c.tracking_uri),
  'feature_store/feast': (c) => {
    const host = c.online_host ?? 'localhost';
    return host === 'localhost' || host === '127.0.0.1';
  },
  'data_validator/great_expectations': (c) => c.context_root_dir !== undefined && c.context_root_dir !== null,
};

function configRule(type: string, flavor: string): ((configuration: Json) => boolean) | undefined {
  if (type === 'container_registry') return (c) => /^localhost:[0-9]{4,5}$/.test(String(c.uri ?? ''));
  return CONFIG_RULES[`${type}/${flavor}`];
}

const REMOTE_HINT = 'Choose a stack the Kitaru server can execute remotely (for example Kubernetes, Vertex, SageMaker, or AzureML)';

function stackLabel(stack: StackModel): string {
  if (typeof stack.name === 'string' && stack.name) return stack.name;
  return stack.id ? String(stack.id) : '<unknown>';
}

/**
 * Python's ensure_stack_is_server_runnable. Both reasons ZenML gives mention
 * "unable to run pipeline from the server", which Python filters out of the
 * message, so no details are appended.
 */
export async function assertStackRunnableFromServer(
  api: ZenmlHttpClient,
  stack: StackModel,
  context: { operation: 'deploy' | 'invoke'; flow: string; version?: number; signal?: AbortSignal | undefined },
): Promise<void> {
  const components = stack.metadata?.components ?? {};
  for (const [type, list] of Object.entries(components)) {
    const component = list[0] as ZenmlEntity<Json, Json> | undefined;
    if (component === undefined) continue;
    const flavor = String(component.body?.flavor_name ?? '');
    const flavors = await api.list('/api/v1/flavors', {
      model: FlavorResponse,
      query: { name: flavor, type },
      signal: context.signal,
    });
    const flavorModel = flavors[0];
    let local = flavorModel?.body?.is_custom === true;
    if (!local) local = LOCAL_FLAVORS.has(`${type}/${flavor}`);
    const rule = configRule(type, flavor);
    if (!local && rule !== undefined) {
      const hydrated = await api.get(`/api/v1/components/${encodeURIComponent(component.id)}`, {
        model: ComponentResponse,
        query: { hydrate: true },
        signal: context.signal,
      });
      const configuration = (hydrated.metadata?.configuration ?? {}) as Json;
      local = rule(configuration);
    }
    if (local) throw refusal(stack, context);
  }
}

function refusal(stack: StackModel, context: { operation: 'deploy' | 'invoke'; flow: string; version?: number }): Error {
  const flow = context.flow.trim();
  if (context.operation === 'deploy') {
    return new KitaruUsageError(
      `Flow ${pyRepr(flow)} cannot be deployed with stack ${pyRepr(stackLabel(stack))} because that stack is not ` +
        `one the Kitaru server can execute remotely. ${REMOTE_HINT} and try again.`,
    );
  }
  return new KitaruStateError(
    `Deployment ${pyRepr(flow)} v${context.version} was created from stack ${pyRepr(stackLabel(stack))}, which the ` +
      'Kitaru server cannot execute remotely. Rebuild the deployment using a stack the Kitaru server can execute ' +
      'remotely before invoking it.',
  );
}
