import {
  DEFAULT_DEPLOYMENT_TAG,
  DEPLOYMENT_TAG_MARKER,
  deploymentPublicTag,
  resolveDeploymentExclusive,
  validateDeploymentTag,
  validateDeploymentVersion,
  validateRemoveDeploymentTag,
} from './deployments/names.ts';
import { deploymentsApi } from './deployments/api.ts';
import { type DeploymentPayload, resolveDeploymentSelector, serializeDeployment } from './deployments/records.ts';
import { KitaruBackendError, KitaruStateError, LookupError, pyRepr } from './errors.ts';
import { getExecution } from './executions.ts';
import type { InvokeResult } from './payloads/deployments.ts';
import type { CallOptions, KitaruRuntime } from './runtime.ts';
import { assertStackRunnableFromServer } from './server-runnable.ts';

export { DEFAULT_DEPLOYMENT_TAG } from './deployments/names.ts';
export {
  type DeploymentPayload,
  type DeploymentRecord,
  mapDeploymentSnapshot,
  resolveDeploymentSelector,
  serializeDeployment,
} from './deployments/records.ts';

type Json = Record<string, unknown>;

export async function listDeployments(
  runtime: KitaruRuntime,
  flow: string | null,
  options: CallOptions = {},
): Promise<DeploymentPayload[]> {
  const records = await deploymentsApi(runtime, options).listRecords(flow);
  return records.map(serializeDeployment);
}

export async function getDeployment(
  runtime: KitaruRuntime,
  request: { flow: string; version: number | null; tag: string | null },
  options: CallOptions = {},
): Promise<DeploymentPayload> {
  const selector = resolveDeploymentSelector({ version: request.version, tag: request.tag, defaultTag: DEFAULT_DEPLOYMENT_TAG });
  const record = await deploymentsApi(runtime, options).resolveRecord(request.flow, selector);
  return serializeDeployment(record);
}

export async function deleteDeployment(
  runtime: KitaruRuntime,
  request: { flow: string; version: number },
  options: CallOptions = {},
): Promise<{ flow: string; version: number; deleted: true }> {
  const deployments = deploymentsApi(runtime, options);
  const record = await deployments.resolveRecord(request.flow, { version: request.version, tag: null });
  const exclusive = Object.entries(record.tags)
    .filter(([, isExclusive]) => isExclusive)
    .map(([tag]) => tag)
    .sort();
  if (exclusive.length > 0) {
    throw new KitaruStateError(
      `Cannot delete deployment ${pyRepr(request.flow)} v${request.version} while it holds exclusive tag(s): ${exclusive.join(', ')}.`,
    );
  }
  await deployments.deleteSnapshot(record);
  return { flow: request.flow, version: request.version, deleted: true };
}

export async function tagDeployment(
  runtime: KitaruRuntime,
  request: { flow: string; version: number; tag: string; exclusive: boolean },
  options: CallOptions = {},
): Promise<DeploymentPayload> {
  validateDeploymentVersion(request.version);
  const tag = validateDeploymentTag(request.tag);
  const exclusive = resolveDeploymentExclusive(tag, request.exclusive);
  const deployments = deploymentsApi(runtime, options);
  const all = await deployments.listRecords(request.flow);
  const target = all.find((deployment) => deployment.version === request.version);
  if (target === undefined) {
    throw new LookupError(`No deployment found for flow ${pyRepr(request.flow)} version ${request.version}.`);
  }
  await deployments.updateTags(target, {
    add: [DEPLOYMENT_TAG_MARKER, deploymentPublicTag(tag, exclusive)],
    remove: [deploymentPublicTag(tag, !exclusive)],
  });
  if (exclusive) {
    try {
      for (const other of all) {
        if (other.version === target.version) continue;
        const existing = other.tags[tag];
        if (existing === undefined) continue;
        await deployments.updateTags(other, { remove: [deploymentPublicTag(tag, existing)] });
      }
    } catch (error) {
      // Python only warns here (the tag is on the target already); warnings go to stderr.
      process.stderr.write(
        `UserWarning: Applied exclusive deployment tag ${pyRepr(tag)} to ${pyRepr(target.flow)} v${target.version}, ` +
          'but failed to remove that tag from older versions. The tag now exists on the target deployment, ' +
          `but older versions might still hold it. Cleanup error: ${(error as Error).message}\n`,
      );
    }
  }
  return serializeDeployment(await deployments.resolveRecord(request.flow, { version: request.version, tag: null }));
}

export async function untagDeployment(
  runtime: KitaruRuntime,
  request: { flow: string; version: number; tag: string },
  options: CallOptions = {},
): Promise<DeploymentPayload> {
  const tag = validateRemoveDeploymentTag(request.tag);
  const deployments = deploymentsApi(runtime, options);
  const record = await deployments.resolveRecord(request.flow, { version: request.version, tag: null });
  const existing = record.tags[tag];
  if (existing === undefined) return serializeDeployment(record);
  await deployments.updateTags(record, { remove: [deploymentPublicTag(tag, existing)] });
  return serializeDeployment(await deployments.resolveRecord(request.flow, { version: request.version, tag: null }));
}

export type InvokePayload = InvokeResult;

/** Python's kitaru_deployments_invoke: resolve, check the stack can run on the server, trigger, describe the run. */
export async function invokeDeployment(
  runtime: KitaruRuntime,
  request: { flow: string; version: number | null; tag: string | null; inputs: Json | null },
  options: CallOptions = {},
): Promise<InvokePayload> {
  const inputs = request.inputs ?? {};
  const selector = resolveDeploymentSelector({ version: request.version, tag: request.tag, defaultTag: DEFAULT_DEPLOYMENT_TAG });
  const deployments = deploymentsApi(runtime, options);
  const record = await deployments.resolveRecord(request.flow, selector, selector.source);
  const stack = await deployments.deploymentStack(record);
  await assertStackRunnableFromServer(deployments.api, stack, {
    operation: 'invoke',
    flow: record.flow,
    version: record.version,
    signal: options.signal,
  });
  const run = await deployments.runSnapshot(record, inputs);
  if (run === null || run === undefined) {
    throw new KitaruBackendError('Deployment invocation did not produce a pipeline run.');
  }
  const execId = String(run.id);
  let execution: Record<string, unknown> | null = null;
  let warning: string | null = null;
  try {
    execution = await getExecution(runtime, execId, options);
  } catch (error) {
    warning = `Execution started successfully, but details are not available yet: ${(error as Error).message}`;
  }
  return {
    exec_id: execId,
    flow: request.flow,
    selector: { version: selector.version, tag: selector.tag },
    execution,
    warning,
  };
}
