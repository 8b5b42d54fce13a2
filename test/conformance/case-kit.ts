// What a conformance case is, and the small constructors the case lists
// (cases.ts and the cases-<context>.ts files) are written with.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { CallOutcome, Side } from './compare.ts';

export type Phase = 'read' | 'validation' | 'mutating';
/**
 * Which MCP connections a case runs on: the seeded local server, a fresh config with
 * no server, or the seeded server once the remote test stack exists (its clients
 * also see the S3 packages a deploy needs; test/helpers/remote-stack.ts). The
 * fixture contexts (fixtures.ts) each bring a server of their own with the state
 * their cases need: `flows` (a fresh server where each side runs flows to their
 * end), `deployments` (twin deployments made with the reference Python) and
 * `auth` (a server with authentication on, reached with an API key); and `filters`,
 * the seeded server with more runs that stress the execution filters.
 */
export type Context = 'server' | 'noserver' | 'remote' | FixtureContext;
export type FixtureContext = 'flows' | 'deployments' | 'auth' | 'filters';
export const FIXTURE_CONTEXTS: readonly FixtureContext[] = ['flows', 'deployments', 'auth', 'filters'];

export interface CaseContext {
  ids: { completed: string; failed: string; waiting: string };
  /** From Python's kitaru_artifacts_list on the completed execution (fetchOutput: the `fetch` checkpoint's output). */
  artifacts: { json?: string; repr?: string; any?: string; fetchOutput?: string };
  flowsDir: string;
  /** Unique per conformance run, so names made by mutating cases never collide with leftovers. */
  runTag: string;
  /** Values captured from earlier mutating cases, per side (e.g. an execution each side started). */
  created: Record<Side, Record<string, string>>;
  /** The remotely executable test stack and its prebuilt image, once set up. */
  remote?: { stack: string; image: string; projectDir: string };
  /** The Kitaru server both sides talk to, when there is one (not in local-database mode). */
  server?: { url: string };
}

/** Calls a tool on one side's connection (for a capture that must ask the server). */
export type SideCall = (tool: string, args: Record<string, unknown>) => Promise<CallOutcome>;

export interface ConformanceCase {
  tool: string;
  name: string;
  phase: Phase;
  context?: Context;
  args: (ctx: CaseContext, side: Side) => Record<string, unknown>;
  /** The call creates objects: normalise their fresh ids and timestamps (see compare.ts). */
  creates?: boolean;
  /**
   * Each side acts on its own twin of an object the fixture made before the cases
   * (dep_flow_py / dep_flow_ts): as `creates`, and every id is renumbered, since
   * even the ids earlier reads saw differ between the twins.
   */
  twin?: boolean;
  /** Both sides act on objects of their own: call them at the same time (flow runs take seconds). */
  parallel?: boolean;
  /**
   * Part of the subset the normal test command runs: read-only cases and refusals on the
   * seeded state (test/integration/conformance-fast.test.ts), and the deploy-invoke path
   * of the remote cases (deployments-remote.test.ts). A fixture context's cases all run.
   */
  fast?: boolean;
  /** Tool Python does not have: run on ours only and reported, not compared. */
  oursOnly?: boolean;
  /** Changes the server's state before the call (both sides then see the same state). */
  prepare?: (ctx: CaseContext) => Promise<void>;
  /** Stores values from this call's result for later cases; `call` asks the same side's server. */
  capture?: (outcome: CallOutcome, ctx: CaseContext, side: Side, call: SideCall) => void | Promise<void>;
  /**
   * What each side's answer must also be, beyond matching the other side (throws as
   * node:assert does). A failed expectation is a difference at `expect`, never explained.
   */
  expect?: (outcome: CallOutcome, ctx: CaseContext, side: Side) => void;
}

/** A name that differs per side, normalised back to `conf-<tag>-<side>-…` by compare.ts. */
export const sideName = (ctx: CaseContext, side: Side, what: string) => `conf-${ctx.runTag}-${side}-${what}`;

export const need = (value: string | undefined, what: string): string => {
  if (!value) throw new Error(`prerequisite missing: ${what}`);
  return value;
};
export const created = (ctx: CaseContext, side: Side, key: string) => need(ctx.created[side][key], `${key} (${side})`);
export const target = (ctx: CaseContext, file: string, attr: string) => `${path.join(ctx.flowsDir, file)}:${attr}`;
export const captureExecId = (key: string) => (outcome: CallOutcome, ctx: CaseContext, side: Side) => {
  const sc = outcome.structured as { exec_id?: unknown } | undefined;
  if (!outcome.isError && typeof sc?.exec_id === 'string') ctx.created[side][key] = sc.exec_id;
};
/** A run that fails answers with an error, not its id: ask the same side for its newest execution with these filters. */
export const captureLatest =
  (key: string, filters: Record<string, unknown>) => async (_outcome: CallOutcome, ctx: CaseContext, side: Side, call: SideCall) => {
    const latest = await call('kitaru_executions_latest', filters);
    const sc = latest.structured as { exec_id?: unknown } | undefined;
    if (!latest.isError && typeof sc?.exec_id === 'string') ctx.created[side][key] = sc.exec_id;
  };

/** The payload as a client reads it: structuredContent (FastMCP's {result} unwrapped), else the text. */
export function payloadOf(outcome: CallOutcome): any {
  const sc = outcome.structured as Record<string, unknown> | undefined;
  if (sc !== undefined && sc !== null) {
    const keys = Object.keys(sc);
    return keys.length === 1 && keys[0] === 'result' ? sc.result : sc;
  }
  return outcome.blocks.join('\n');
}
/** The error text; fails when the call succeeded. */
export function errorOf(outcome: CallOutcome): string {
  assert.equal(outcome.isError, true, `expected an error, got ${outcome.blocks.join('\n').slice(0, 300)}`);
  return outcome.blocks.join('\n');
}
/** The payload; fails when the call was refused. */
export function okPayload(outcome: CallOutcome): any {
  assert.equal(outcome.isError, false, outcome.blocks.join('\n').slice(0, 500));
  return payloadOf(outcome);
}

export const UNKNOWN_EXEC = '00000000-0000-4000-8000-000000000000';
/** Also in the fast subset of `npm test`: refusals that change nothing. */
export const FAST = { fast: true } as const;

export const c = (
  tool: string,
  name: string,
  phase: Phase,
  args: ConformanceCase['args'] = () => ({}),
  extra: Partial<ConformanceCase> = {},
): ConformanceCase => ({ tool, name, phase, args, ...extra });
export const read = (tool: string, name: string, args: ConformanceCase['args'] = () => ({}), extra: Partial<ConformanceCase> = {}) =>
  c(tool, name, 'read', args, { fast: true, ...extra });
export const invalid = (tool: string, name: string, args: ConformanceCase['args'] = () => ({}), extra: Partial<ConformanceCase> = {}) =>
  c(tool, name, 'validation', args, extra);
export const mutate = (tool: string, name: string, args: ConformanceCase['args'], extra: Partial<ConformanceCase> = {}) =>
  c(tool, name, 'mutating', args, { creates: true, ...extra });
