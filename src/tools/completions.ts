// completion/complete: real values from the server for prompt arguments and
// resource template variables. A failed lookup (no server, say) offers nothing
// rather than an error: completion is a typing aid, never a blocker.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CompleteRequestSchema, type CompleteResult } from '@modelcontextprotocol/sdk/types.js';
import type { PublicStatus } from '../kitaru/execution-mapping.ts';
import type { KitaruRuntime } from '../kitaru/runtime.ts';
import { deploymentTags, flowNames, recentArtifactIds, recentExecutionIds, stackNames } from '../kitaru/suggestions.ts';
import type { PromptDefinition } from './prompts.ts';

export type CompletionSource =
  | { kind: 'executions'; status?: PublicStatus }
  | { kind: 'flows' }
  | { kind: 'stacks' }
  | { kind: 'deployment_tags' }
  | { kind: 'artifacts' };

/** The protocol's cap on values per answer. */
const MAX_VALUES = 100;

async function candidates(
  runtime: KitaruRuntime,
  source: CompletionSource,
  context: Record<string, string>,
  signal: AbortSignal,
): Promise<string[]> {
  switch (source.kind) {
    case 'executions':
      return recentExecutionIds(runtime, source.status === undefined ? {} : { status: source.status }, { signal });
    case 'flows':
      return flowNames(runtime, { signal });
    case 'stacks':
      return stackNames(runtime);
    case 'deployment_tags':
      return deploymentTags(runtime, context.flow?.trim() || null, { signal });
    case 'artifacts':
      return recentArtifactIds(runtime, { signal });
  }
}

/** Values that start with what was typed (case-insensitive), in the source's order. */
export async function complete(
  runtime: KitaruRuntime,
  source: CompletionSource | undefined,
  typed: string,
  context: Record<string, string>,
  signal: AbortSignal,
): Promise<CompleteResult['completion']> {
  if (source === undefined) return { values: [], total: 0, hasMore: false };
  let all: string[];
  try {
    all = await candidates(runtime, source, context, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    return { values: [], total: 0, hasMore: false };
  }
  const prefix = typed.toLowerCase();
  const matching = all.filter((value) => value.toLowerCase().startsWith(prefix));
  return { values: matching.slice(0, MAX_VALUES), total: matching.length, hasMore: matching.length > MAX_VALUES };
}

export function registerCompletions(
  server: Server,
  runtime: KitaruRuntime,
  prompts: PromptDefinition[],
  templateVariables: Map<string, Record<string, CompletionSource>>,
): void {
  server.setRequestHandler(CompleteRequestSchema, async (request, extra): Promise<CompleteResult> => {
    const { ref, argument } = request.params;
    const context = request.params.context?.arguments ?? {};
    let source: CompletionSource | undefined;
    if (ref.type === 'ref/prompt') {
      source = prompts.find((prompt) => prompt.name === ref.name)?.arguments.find((a) => a.name === argument.name)?.complete;
    } else {
      source = templateVariables.get(ref.uri)?.[argument.name];
    }
    return { completion: await complete(runtime, source, argument.value, context, extra.signal) };
  });
}
