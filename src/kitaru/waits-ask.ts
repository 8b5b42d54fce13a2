// Answering a pending wait by asking a person: find the wait, ask its question
// with its schema as a form (through a callback the caller supplies, so this
// layer knows nothing of how the asking happens), then submit the answer as
// kitaru_executions_input would. Declined or cancelled: nothing is submitted.
// No way to ask: the caller gets the question and schema back, never a guess.
import { KitaruStateError } from './errors.ts';
import { mapPendingWait, runFlowName } from './execution-mapping.ts';
import {
  type ExecutionPayload,
  executionScope,
  getExecutionFromRun,
  listPendingWaitConditions,
  loadRun,
  provideExecutionInput,
  selectPendingWait,
} from './executions.ts';
import type { CallContext, KitaruRuntime } from './runtime.ts';
import { type WaitForm, formForWait, valueFromForm } from './wait-form.ts';

/** Ten minutes: a person has to notice the dialog, think, and type. */
export const DEFAULT_ASK_SECONDS = 600;
const ASK_HEARTBEAT_MS = 5000;

export interface HumanQuestion {
  message: string;
  requestedSchema: WaitForm['requestedSchema'];
}

export interface HumanAnswer {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, unknown>;
}

export type AskHuman = (question: HumanQuestion, options: { timeoutMs: number; signal: AbortSignal }) => Promise<HumanAnswer>;

export type AskOutcome = 'submitted' | 'declined' | 'cancelled' | 'not_asked';

export interface PendingWaitPayload {
  wait_id: string;
  name: string | null;
  question: string | null;
  schema: Record<string, unknown> | null;
}

export interface AskResult {
  outcome: AskOutcome;
  submitted: boolean;
  exec_id: string;
  wait: PendingWaitPayload;
  /** The value submitted (null unless outcome is "submitted"). */
  value: unknown;
  /** How the schema was asked: one field, one field per property, or JSON text; null when not asked. */
  form: WaitForm['mode'] | null;
  execution: ExecutionPayload;
}

/** KITARU_MCP_ASK_TIMEOUT_SECONDS, else ten minutes. */
export function askTimeoutMs(runtime: KitaruRuntime): number {
  const raw = runtime.env.KITARU_MCP_ASK_TIMEOUT_SECONDS;
  const seconds = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_ASK_SECONDS) * 1000;
}

function questionText(execId: string, flow: string | null, wait: PendingWaitPayload): string {
  const where = `Kitaru execution ${execId}${flow ? ` (flow ${flow})` : ''} is waiting for input${wait.name ? ` at '${wait.name}'` : ''}.`;
  return wait.question ? `${wait.question}\n\n${where}` : where;
}

export async function askForWaitInput(
  context: CallContext,
  args: { execId: string; wait: string | null },
  askHuman: AskHuman | undefined,
): Promise<AskResult> {
  const { runtime, signal } = context;
  const scope = executionScope(runtime, { signal });
  const run = await loadRun(scope, args.execId);
  const conditions = await listPendingWaitConditions(scope, run);
  if (conditions.length === 0) throw new KitaruStateError(`Execution '${args.execId}' has no pending waits to resolve.`);
  const condition = args.wait === null ? conditions[0]! : selectPendingWait(run, args.wait, conditions);
  const mapped = mapPendingWait(condition);
  const wait: PendingWaitPayload = {
    wait_id: String(mapped.wait_id),
    name: (mapped.name as string | null) ?? null,
    question: typeof mapped.question === 'string' ? mapped.question : null,
    schema: (mapped.schema as Record<string, unknown> | null) ?? null,
  };
  const base = { exec_id: String(run.id), wait, value: null };

  if (askHuman === undefined) {
    return { ...base, outcome: 'not_asked', submitted: false, form: null, execution: await getExecutionFromRun(scope, run) };
  }

  const form = formForWait(wait.schema, wait.question);
  let answer: HumanAnswer;
  // While the person thinks, progress keeps clients that reset their request timer on it waiting.
  let beats = 0;
  const heartbeat = setInterval(() => {
    beats += 1;
    void context.progress({ progress: beats, message: 'waiting for the user to answer' }).catch(() => {});
  }, ASK_HEARTBEAT_MS);
  try {
    answer = await askHuman(
      { message: questionText(String(run.id), runFlowName(run), wait), requestedSchema: form.requestedSchema },
      {
        timeoutMs: askTimeoutMs(runtime),
        signal,
      },
    );
  } catch (error) {
    if (signal.aborted) throw error;
    throw new KitaruStateError(`The question could not be asked or was not answered (${(error as Error).message}); nothing was submitted.`);
  } finally {
    clearInterval(heartbeat);
  }
  if (answer.action !== 'accept') {
    const outcome = answer.action === 'decline' ? 'declined' : 'cancelled';
    return { ...base, outcome, submitted: false, form: form.mode, execution: await getExecutionFromRun(scope, run) };
  }
  const value = valueFromForm(form, answer.content);
  // The wait id selects exactly the wait that was asked, whatever its name.
  const execution = await provideExecutionInput(runtime, { execId: String(run.id), wait: wait.wait_id, value }, { signal });
  return { ...base, outcome: 'submitted', submitted: true, value, form: form.mode, execution };
}
