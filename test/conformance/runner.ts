// Runs conformance cases against two live MCP connections (Python reference, ours)
// and classifies each: identical, differing, missing (tool absent from ours),
// blocked (a prerequisite from an earlier case is missing), ours-only.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { flowsDir } from '../helpers/kitaru-server.ts';
import { assertOutputMatches } from '../helpers/output-check.ts';
import type { McpConnection } from '../helpers/mcp-clients.ts';
import type { CaseContext, ConformanceCase, Context } from './case-kit.ts';
import { collectIds, compareOutcomes, normaliseOutcome, type CallOutcome, type Difference, type Side } from './compare.ts';

export type Verdict = 'identical' | 'differing' | 'missing' | 'blocked' | 'ours-only';

export interface CaseResult {
  tool: string;
  name: string;
  phase: string;
  context: Context;
  verdict: Verdict;
  args?: Record<string, unknown>;
  python?: CallOutcome;
  ours?: CallOutcome;
  differences: Difference[];
  note?: string;
}

export interface Connections {
  python: McpConnection;
  ours: McpConnection;
}

export async function callOutcome(conn: McpConnection, name: string, args: Record<string, unknown>): Promise<CallOutcome> {
  try {
    const res: any = await conn.client.callTool({ name, arguments: args }, undefined, { timeout: 300_000 });
    const blocks = (res.content ?? []).map((c: any) => (c.type === 'text' ? c.text : `<${c.type} block>`));
    if (conn.ours && !res.isError) {
      // Our payload must also match the output schema we declare: a mismatch shows up as a difference.
      try {
        assertOutputMatches(name, res.structuredContent);
      } catch (error) {
        blocks.push(`<output schema> ${(error as Error).message}`);
      }
    }
    return { isError: Boolean(res.isError), blocks, structured: res.structuredContent };
  } catch (e) {
    // JSON-RPC level errors (e.g. unknown tool) are results of the comparison too.
    return { isError: true, blocks: [`<protocol error> ${(e as Error).message}`], structured: undefined };
  }
}

// tools/list without the SDK's result validation: a malformed tool definition is a
// finding for the report, not a reason for the harness to stop.
const LooseToolList = z.object({ tools: z.array(z.object({ name: z.string() }).passthrough()) }).passthrough();
export async function listToolsRaw(conn: McpConnection) {
  return conn.client.request({ method: 'tools/list', params: {} }, LooseToolList);
}

export async function listToolNames(conn: McpConnection): Promise<Set<string>> {
  const { tools } = await listToolsRaw(conn);
  return new Set(tools.map((t) => t.name));
}

export interface RunOptions {
  /** The connections of each context these cases run in (a context left out blocks its cases). */
  connections: Partial<Record<Context, Connections>>;
  ourTools: ReadonlySet<string>;
  ctx: CaseContext;
  /** UUIDs existing before the mutating phase; grows as read cases run. */
  knownIds: Set<string>;
  onResult?: (r: CaseResult) => void;
}

/** A failed `expect` on either side, as a difference (explanations.ts never covers the path `expect`). */
function expectations(kase: ConformanceCase, ctx: CaseContext, outcomes: Partial<Record<Side, CallOutcome>>): Difference[] {
  if (!kase.expect) return [];
  const check = (side: Side): string | undefined => {
    const outcome = outcomes[side];
    if (!outcome) return undefined;
    try {
      kase.expect?.(outcome, ctx, side);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
  const python = check('py');
  const ours = check('ts');
  return python === undefined && ours === undefined ? [] : [{ path: 'expect', python: python ?? 'met', ours: ours ?? 'met' }];
}

export async function runCase(kase: ConformanceCase, opts: RunOptions): Promise<CaseResult> {
  const context = kase.context ?? 'server';
  const base = { tool: kase.tool, name: kase.name, phase: kase.phase, context, differences: [] as Difference[] };
  const conns = opts.connections[context];
  if (!conns) return { ...base, verdict: 'blocked', note: `no connections for context ${context}` };
  const argsFor = (side: Side) => {
    try {
      return kase.args(opts.ctx, side);
    } catch (e) {
      return new Error((e as Error).message);
    }
  };
  const pyArgs = argsFor('py');
  const tsArgs = argsFor('ts');
  const implemented = opts.ourTools.has(kase.tool);
  const conn = { py: conns.python, ts: conns.ours };
  /** One side's call, then what the case captures from it. */
  const callSide = async (side: Side, args: Record<string, unknown>) => {
    let outcome = await callOutcome(conn[side], kase.tool, args);
    // Under load the local log store fails a read now and then; our server asks
    // again by itself, Python's reports "the server log endpoint is
    // incompatible". That is the server failing, not an answer to compare:
    // Python is asked again, a bounded number of times.
    for (let i = 0; i < 3 && side === 'py' && isTransientLogFailure(kase.tool, outcome); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      outcome = await callOutcome(conn[side], kase.tool, args);
    }
    await kase.capture?.(outcome, opts.ctx, side, (tool, toolArgs) => callOutcome(conn[side], tool, toolArgs));
    return outcome;
  };

  if (kase.oursOnly) {
    if (!implemented) return { ...base, verdict: 'missing', note: 'not implemented in ours' };
    if (tsArgs instanceof Error) return { ...base, verdict: 'blocked', note: tsArgs.message };
    await kase.prepare?.(opts.ctx);
    const ours = await callSide('ts', tsArgs);
    const differences = expectations(kase, opts.ctx, { ts: ours });
    return { ...base, verdict: differences.length ? 'differing' : 'ours-only', args: tsArgs, ours, differences };
  }
  if (pyArgs instanceof Error || tsArgs instanceof Error) {
    return { ...base, verdict: 'blocked', note: (pyArgs instanceof Error ? pyArgs : (tsArgs as Error)).message };
  }
  await kase.prepare?.(opts.ctx);
  if (!implemented) {
    const python = await callSide('py', pyArgs);
    return { ...base, verdict: 'missing', args: pyArgs, python, note: 'not implemented in ours' };
  }
  const creates = Boolean(kase.creates || kase.twin);
  const [python, ours] = kase.parallel
    ? await Promise.all([callSide('py', pyArgs), callSide('ts', tsArgs)])
    : [await callSide('py', pyArgs), await callSide('ts', tsArgs)];
  if (!creates) {
    collectIds(python.structured, opts.knownIds);
    for (const b of python.blocks) collectIds(b, opts.knownIds);
  }
  const norm = { creates, twin: kase.twin, knownIds: kase.twin ? new Set<string>() : opts.knownIds };
  const differences = [
    ...compareOutcomes(normaliseOutcome(python, norm), normaliseOutcome(ours, norm)),
    ...expectations(kase, opts.ctx, { py: python, ts: ours }),
  ];
  return { ...base, verdict: differences.length ? 'differing' : 'identical', args: pyArgs, python, ours, differences };
}

/** Picks the seeded completed execution's artifacts that load as JSON and as repr. */
export async function discoverArtifacts(python: McpConnection, completedExecId: string): Promise<CaseContext['artifacts']> {
  const list = await callOutcome(python, 'kitaru_artifacts_list', { exec_id: completedExecId });
  const items =
    (list.structured as { result?: { artifact_id: string; name: string; producing_call: string | null; save_type: string }[] })?.result ??
    [];
  const found: CaseContext['artifacts'] = {
    any: items[0]?.artifact_id,
    fetchOutput: items.find((i) => i.producing_call === 'fetch' && i.save_type === 'step_output')?.artifact_id,
  };
  for (const item of items) {
    const got = await callOutcome(python, 'kitaru_artifacts_get', { artifact_id: item.artifact_id });
    const format = (got.structured as { value_format?: string } | undefined)?.value_format;
    if (format === 'json' && !found.json) found.json = item.artifact_id;
    if (format === 'repr' && !found.repr) found.repr = item.artifact_id;
  }
  return found;
}

/** A fresh case context: the seeded ids, the artifacts Python lists for the completed run, a tag for names this run creates, the server (none for the local database). */
export async function newCaseContext(python: McpConnection, ids: CaseContext['ids'], server?: { url: string }): Promise<CaseContext> {
  return {
    ...(server ? { server: { url: server.url } } : {}),
    ids,
    artifacts: await discoverArtifacts(python, ids.completed),
    flowsDir,
    runTag: randomBytes(3).toString('hex'),
    created: { py: {}, ts: {} },
  };
}

function isTransientLogFailure(tool: string, outcome: CallOutcome): boolean {
  return tool === 'get_execution_logs' && outcome.isError && outcome.blocks.some((b) => b.includes('server log endpoint is incompatible'));
}
