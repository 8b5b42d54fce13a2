// Run, replay, retry, resume and deploy: operations that execute user flow
// code, so they happen in the user's Python (through a bundled helper that
// makes the same Kitaru calls as the Python kitaru-mcp and returns the same
// payload).
//
// On a local orchestrator a flow runs inside that helper (a child of the warm
// worker), so a call lasts as long as the flow. While it waits, the call sends
// progress notifications (when the client asked for them). A call that would
// outlast the bound below returns the execution id and its current state
// instead, and the flow goes on in the background. When this server exits
// (the client went away), a flow still running is killed and its execution
// marked stopped with a reason, so none stays `running` forever.
//
// The bound is 45 s: MCP clients commonly give up on a request after 60 s
// (the TypeScript SDK's default request timeout), so the reply must land
// before that, with room for one REST call to report the current state.
// KITARU_MCP_CALL_BOUND_SECONDS overrides it (tests use a small value).
import type { HelperHandle } from '../python/run.ts';
import { getExecution } from './executions.ts';
import type { Deployed } from './payloads/deployments.ts';
import type { Execution as ExecutionPayload, ReplayResult, RunResult } from './payloads/executions.ts';
import { startKitaruHelper } from './python.ts';
import type { CallContext, KitaruRuntime } from './runtime.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_CALL_BOUND_SECONDS = 45;
const PROGRESS_INTERVAL_MS = 2000;

export function callBoundMs(runtime: KitaruRuntime): number {
  const raw = runtime.env.KITARU_MCP_CALL_BOUND_SECONDS;
  const seconds = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_CALL_BOUND_SECONDS) * 1000;
}

type Payload = Record<string, unknown>;

/**
 * Kitaru ends run, replay, retry and resume by reading the execution back
 * (Python's `executions.get`, about ten requests). The helpers stop short of
 * that read and return the execution's id; we read the same payload over REST
 * (three requests), once the flow has ended, as Python would.
 */
interface ReadLater {
  read_later: string;
}

function isReadLater(value: unknown): value is ReadLater {
  return value !== null && typeof value === 'object' && typeof (value as ReadLater).read_later === 'string';
}

/** The execution's payload over REST: after a helper returned its id, or at the bound. */
function readExecution(context: CallContext, execId: string): Promise<ExecutionPayload> {
  return getExecution(context.runtime, execId, { signal: context.signal });
}

interface Supervision<T> {
  /** What the helper is doing before an execution exists, for progress messages. */
  starting?: string;
  /** What to answer when the bound passes: null means "keep waiting". */
  onBound(execId: string, boundSeconds: number): Promise<T | null>;
}

/**
 * Waits for a flow helper, reporting progress, and hands the flow off to the
 * background when the bound passes and an execution id is known.
 */
async function superviseFlowHelper<T>(
  started: Promise<HelperHandle<T>>,
  context: Pick<CallContext, 'progress' | 'runtime'>,
  supervision: Supervision<T>,
): Promise<T> {
  const handle = await started;
  const startedAt = Date.now();
  const boundMs = callBoundMs(context.runtime);
  let settled = false;
  const done = handle.result.finally(() => {
    settled = true;
  });
  // The caller may stop listening (bound passed); a late failure must not become an unhandled rejection.
  done.catch(() => undefined);
  let boundTried = false;
  while (!settled) {
    await Promise.race([done.catch(() => undefined), sleep(PROGRESS_INTERVAL_MS, undefined, { ref: false })]);
    if (settled) break;
    const elapsed = Date.now() - startedAt;
    const execId = handle.announcedExecId();
    const seconds = Math.round(elapsed / 1000);
    await context
      .progress({
        progress: seconds,
        message:
          execId === null
            ? `${supervision.starting ?? 'Starting the flow'} (${seconds} s)`
            : `Execution ${execId} is running (${seconds} s)`,
      })
      .catch(() => undefined);
    if (execId !== null && elapsed >= boundMs && !boundTried) {
      boundTried = true;
      const early = await supervision.onBound(execId, Math.round(boundMs / 1000)).catch(() => null);
      if (early !== null && !settled) {
        handle.detach();
        done.catch((error: unknown) => {
          process.stderr.write(`kitaru-mcp: background execution ${execId} ended with an error: ${(error as Error).message}\n`);
        });
        return early;
      }
    }
  }
  return done;
}

/**
 * Flow files loaded by our calls, by generated module name. Python's
 * kitaru-mcp keeps these modules loaded in its one process, which is what lets
 * it replay, retry or resume an execution it started from a file target. Each
 * of our calls runs in its own forked child (and the worker itself may be
 * replaced), so we keep the names and paths for as long as this server runs.
 */
const knownFlowModules = new Map<string, string>();

function rememberFlowModules<T>(handle: HelperHandle<T>): void {
  const modules = handle.events().modules;
  if (modules === null || typeof modules !== 'object') return;
  for (const [name, file] of Object.entries(modules as Record<string, unknown>)) {
    if (typeof file === 'string') knownFlowModules.set(name, file);
  }
}

async function launch<T>(runtime: KitaruRuntime, helper: string, args: object, signal: AbortSignal): Promise<HelperHandle<T>> {
  const handle = await startKitaruHelper<T>(runtime, helper, { ...args, known_modules: Object.fromEntries(knownFlowModules) }, { signal });
  // Also when it fails: a failed run is exactly what retry needs to load again.
  const remember = () => rememberFlowModules(handle);
  handle.result.then(remember, remember);
  return handle;
}

export interface RunFlowArgs {
  target: string;
  args: Payload | null;
  stack: string | null;
}

/** Python's kitaru_executions_run: `{exec_id, target, execution, warning}`. */
export async function runFlow(context: CallContext, args: RunFlowArgs): Promise<RunResult> {
  const handle = launch<ReadLater>(context.runtime, 'flows.run_flow', args, context.signal);
  const outcome = await superviseFlowHelper<ReadLater | RunResult>(handle, context, {
    onBound: async (execId, boundSeconds) => {
      const note =
        `The execution is still running after ${boundSeconds} s and goes on in the background. ` +
        `Follow it with kitaru_executions_get(exec_id="${execId}") or get_execution_logs.`;
      try {
        const execution = await readExecution(context, execId);
        return { exec_id: execId, target: args.target, execution, warning: note };
      } catch (error) {
        return {
          exec_id: execId,
          target: args.target,
          execution: null,
          warning: `${note} Details are not available yet: ${(error as Error).message}`,
        };
      }
    },
  });
  if (!isReadLater(outcome)) return outcome;
  // As resolve_started_execution_details: best effort, a failed read becomes the warning.
  try {
    const execution = await readExecution(context, outcome.read_later);
    return { exec_id: outcome.read_later, target: args.target, execution, warning: null };
  } catch (error) {
    if (context.signal.aborted) throw error;
    return {
      exec_id: outcome.read_later,
      target: args.target,
      execution: null,
      warning: `Execution started successfully, but details are not available yet: ${(error as Error).message}`,
    };
  }
}

export interface ReplayArgs {
  exec_id: string;
  from_: string;
  overrides: Payload | null;
  flow_inputs: Payload | null;
}

/** Python's kitaru_executions_replay: `{available: true, operation: "replay", execution}`. */
export async function replayExecution(context: CallContext, args: ReplayArgs): Promise<ReplayResult> {
  const handle = launch<ReadLater>(context.runtime, 'flows.replay_execution', args, context.signal);
  const outcome = await superviseFlowHelper<ReadLater | ExecutionPayload>(handle, context, {
    onBound: (execId) => readExecution(context, execId),
  });
  const execution = isReadLater(outcome) ? await readExecution(context, outcome.read_later) : outcome;
  return { available: true, operation: 'replay', execution };
}

/** Retry (a failed execution) or resume (a paused one whose waits are resolved): the same execution continues. */
export async function restartExecution(context: CallContext, operation: 'retry' | 'resume', execId: string): Promise<ExecutionPayload> {
  const handle = launch<ReadLater>(context.runtime, 'flows.restart_execution', { operation, exec_id: execId }, context.signal);
  const outcome = await superviseFlowHelper<ReadLater | ExecutionPayload>(handle, context, {
    onBound: (id) => readExecution(context, id),
  });
  return isReadLater(outcome) ? readExecution(context, outcome.read_later) : outcome;
}

export interface DeployArgs {
  target: string;
  inputs: Payload | null;
  tag: string;
  exclusive: boolean;
  stack: string | null;
  image: string | Payload | null;
  cache: boolean | null;
  retries: number | null;
}

/**
 * Python's kitaru_deployments_deploy: the serialized deployment. Deploying runs
 * no execution, so there is nothing to hand off at the bound, but an image
 * build can take minutes: progress keeps flowing meanwhile.
 */
export function deployFlow(context: CallContext, args: DeployArgs): Promise<Deployed> {
  const handle = launch<Deployed>(context.runtime, 'flows.deploy_flow', args, context.signal);
  return superviseFlowHelper(handle, context, { starting: 'Deploying the flow', onBound: async () => null });
}
