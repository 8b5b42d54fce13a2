// Stacks: listing with the active and managed marks, and resolving the active
// stack the way ZenML's Client does (env id, repo config, global config, then
// the server's default stack when the configured one is gone).
import type { Connection } from '../config/connection.ts';
import type { ZenmlHttpClient } from '../http/client.ts';
import { type StackModel, StackResponse } from './zenml/models.ts';

const MANAGED_LABEL = 'kitaru.managed';

export interface StackSummary {
  id: string;
  name: string;
  is_active: boolean;
  is_managed: boolean;
}

/** A stack Kitaru created for the user (labelled kitaru.managed=true). */
export function isManaged(stack: StackModel): boolean {
  const value = stack.metadata?.labels?.[MANAGED_LABEL];
  return value !== undefined && value !== null && String(value).trim().toLowerCase() === 'true';
}

/** The active stack model; falls back to the stack named "default" like ZenML. */
export async function activeStack(api: ZenmlHttpClient, connection: Connection): Promise<StackModel> {
  if (connection.stackId !== null) {
    try {
      return await api.get(`/api/v1/stacks/${encodeURIComponent(connection.stackId)}`, { model: StackResponse });
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
  }
  const [fallback] = await api.list('/api/v1/stacks', { query: { name: 'default' }, limit: 1, model: StackResponse });
  if (fallback === undefined) throw new Error('No active stack is configured and the server has no default stack.');
  return fallback;
}

/**
 * One hydrated listing has everything: metadata.labels carries the managed
 * mark, and the active stack is found in it the way activeStack() finds it
 * (the configured id, else the stack named "default"), so no second request.
 */
export async function listStacks(api: ZenmlHttpClient, connection: Connection): Promise<StackSummary[]> {
  const stacks = await api.list('/api/v1/stacks', { query: { hydrate: true, sort_by: 'asc:created' }, model: StackResponse });
  const configured = connection.stackId === null ? undefined : stacks.find((stack) => sameId(stack.id, connection.stackId!));
  const active = configured ?? stacks.find((stack) => stack.name === 'default');
  // A configured stack missing from the listing and no default: ask as before, for its exact error.
  const activeId = active?.id ?? (await activeStack(api, connection)).id;
  return stacks.map((stack) => ({
    id: stack.id,
    name: String(stack.name ?? '').trim(),
    is_active: stack.id === activeId,
    is_managed: isManaged(stack),
  }));
}

/** Ids as ZenML compares them (UUIDs, case and hyphens aside). */
function sameId(a: string, b: string): boolean {
  const norm = (id: string) =>
    id
      .toLowerCase()
      .replace(/[{}-]/g, '')
      .replace(/^urn:uuid:/, '');
  return norm(a) === norm(b);
}
