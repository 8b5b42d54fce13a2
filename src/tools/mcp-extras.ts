// Everything our server offers beyond Python's tools: prompts, resources and
// argument completion. Registered in one call so the server's own dispatch
// stays about tools. Capabilities are declared here, for exactly what is
// registered: no subscriptions and no list-changed notifications.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { KitaruRuntime } from '../kitaru/runtime.ts';
import { registerCompletions } from './completions.ts';
import { registerPrompts, visiblePrompts } from './prompts.ts';
import { registerResources, templateVariables } from './resources.ts';

export function registerExtras(server: Server, runtime: KitaruRuntime, options: { readOnly: boolean }): void {
  server.registerCapabilities({
    prompts: { listChanged: false },
    resources: { subscribe: false, listChanged: false },
    completions: {},
  });
  // Read-only mode hides the prompts that end in a change, as it hides such tools.
  const prompts = visiblePrompts(options.readOnly);
  registerPrompts(server, prompts);
  registerResources(server, runtime);
  registerCompletions(server, runtime, prompts, templateVariables());
}

/** KITARU_MCP_READ_ONLY=1 (or true/yes/on): the environment twin of --read-only. */
export function readOnlyFromEnv(env: Record<string, string | undefined>): boolean {
  return ['1', 'true', 'yes', 'on'].includes((env.KITARU_MCP_READ_ONLY ?? '').trim().toLowerCase());
}
