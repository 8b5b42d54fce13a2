// Can the Kitaru server run this stack itself? Python asks ZenML's
// validate_stack_is_runnable_from_server: no component of a custom flavor, and
// no component whose flavor config says `is_local`. The flavor list comes from
// the server; `is_local` lives in Python flavor classes, so the known answers
// are kept here (see LOCAL_FLAVORS and the config-dependent rules below).
import type { ZenmlHttpClient } from '../http/client.ts';
import { KitaruStateError, KitaruUsageError, pyRepr } from './errors.ts';
import type { ZenmlEntity } from './zenml-models.ts';
import { ComponentResponse, FlavorResponse, type StackModel } from './zenml/models.ts';

type Json = Record<string, unknown>;

/** `type/flavor` pairs whose config class always answers is_local = True. */
const LOCAL_FLAVORS = new Set([
  'orchestrator/local',
  'orchestrator/local_docker',
  'artifact_store/local',
  'deployer/local',
  'deployer/docker',
  'feature_store/feast',
  'model_deployer/mlflow',
  'data_validator/great_expectations',
]);

function needsConfiguration(type: string, flavor: string): boolean {
  return (
    type === 'container_registry' ||
    (flavor === 'kubernetes' && ['orchestrator', 'step_operator', 'deployer'].includes(type)) ||
    (type === 'experiment_tracker' && flavor === 'mlflow')
  );
}

/** Flavors whose is_local reads the component's configuration. */
function configSaysLocal(type: string, flavor: string, configuration: Json): boolean {
  if (type === 'container_registry') {
    return /^localhost:[0-9]{4,5}$/.test(String(configuration.uri ?? ''));
  }
  if (flavor === 'kubernetes' && ['orchestrator', 'step_operator', 'deployer'].includes(type)) {
    return configuration.local === true;
  }
  if (type === 'experiment_tracker' && flavor === 'mlflow') {
    const uri = configuration.tracking_uri;
    return typeof uri !== 'string' || !/^(https?|databricks):/i.test(uri);
  }
  return false;
}

const REMOTE_HINT =
  'Choose a stack the Kitaru server can execute remotely (for example Kubernetes, Vertex, SageMaker, or AzureML)';

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
    if (!local && needsConfiguration(type, flavor)) {
      const hydrated = await api.get(`/api/v1/components/${encodeURIComponent(component.id)}`, {
        model: ComponentResponse,
        query: { hydrate: true },
        signal: context.signal,
      });
      const configuration = (hydrated.metadata?.configuration ?? {}) as Json;
      local = configSaysLocal(type, flavor, configuration);
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
