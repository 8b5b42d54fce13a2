// The fixture contexts of the case table: each a Kitaru server of its own, with the
// state its cases need, and the Python kitaru-mcp and ours connected to it. Opened
// by the integration file that runs the context's cases in `npm test` (flows,
// deployments, auth) and by `npm run conformance`.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { flowsDir, type KitaruServer, run, startKitaruServer, venvPython } from '../helpers/kitaru-server.ts';
import { connectOurs, connectPython, type McpConnection } from '../helpers/mcp-clients.ts';
import type { CaseContext, FixtureContext } from './case-kit.ts';
import type { Connections } from './runner.ts';

export interface Fixture {
  server: KitaruServer;
  /** The environment both MCP servers got. */
  env: Record<string, string>;
  connections: Connections;
  ctx: CaseContext;
  /** Ids the fixture's server held before the cases (none: what the cases see is theirs or the fixture's). */
  knownIds: Set<string>;
  close(): Promise<void>;
}

export interface Connectors {
  python(env: Record<string, string>): Promise<McpConnection>;
  ours(env: Record<string, string>): Promise<McpConnection>;
}
const fromSources: Connectors = { python: (env) => connectPython({ env }), ours: (env) => connectOurs({ env }) };

export async function openFixture(context: FixtureContext, connect: Connectors = fromSources): Promise<Fixture> {
  const server = await startKitaruServer({ auth: context === 'auth' });
  try {
    const env = { ...server.env, KITARU_PYTHON: venvPython, ...ENV[context] };
    if (context === 'deployments') await deployTwins(server);
    const [python, ours] = await Promise.all([connect.python(env), connect.ours(env)]);
    const ctx: CaseContext = {
      // No seeded executions here: the cases use what they or the fixture made.
      ids: { completed: '', failed: '', waiting: '' },
      artifacts: {},
      flowsDir,
      runTag: randomBytes(3).toString('hex'),
      created: { py: {}, ts: {} },
      server: { url: server.url },
    };
    return {
      server,
      env,
      connections: { python, ours },
      ctx,
      knownIds: new Set(),
      close: async () => {
        await Promise.allSettled([python.close(), ours.close()]);
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

const ENV: Record<FixtureContext, Record<string, string>> = {
  // Python runs a flow to its end within the call; ours hands off after the call bound
  // (tested in flows.test.ts). Comparisons must not depend on how loaded the machine is.
  flows: { KITARU_MCP_CALL_BOUND_SECONDS: '600' },
  deployments: {},
  // The API-key path: KITARU_AUTH_TOKEN (an API key) and the server URL come from the server's env.
  auth: { KITARU_PROJECT: 'default' },
};

/** A call to the server's REST API (the local server has no auth). */
export async function rest(url: string, method: string, route: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}/api/v1${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await res.json();
  if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status} ${JSON.stringify(payload)}`);
  return payload;
}

/** A stack component made through REST; its id. */
export const component = async (url: string, name: string, type: string, flavor: string, configuration: Record<string, unknown> = {}) =>
  (await rest(url, 'POST', '/components', { name, type, flavor, configuration })).id as string;

/** Deploys a flow of test/flows/deployment_flow.py with the reference Python (its guard against local stacks bypassed). */
export async function deployWithPython(server: KitaruServer, flow: string, tags: Record<string, boolean> | null = null, stack?: string) {
  const args = [path.join(flowsDir, 'deployment_flow.py'), flow, JSON.stringify(tags), ...(stack ? [stack] : [])];
  const res = await run(venvPython, args, { env: server.env, timeoutMs: 180_000 });
  const line = res.stdout.split('\n').find((l) => l.startsWith('DEPLOYED '));
  if (res.code !== 0 || line === undefined) throw new Error(`deploy of ${flow} failed (exit ${res.code}):\n${res.stderr.slice(-3000)}`);
  return JSON.parse(line.slice('DEPLOYED '.length)) as { flow: string; version: number; tags: Record<string, boolean> };
}

/**
 * Each twin flow (dep_flow_py for Python, dep_flow_ts for ours) gets v1 (default),
 * v2 (prod exclusive, beta shared), v3 (beta shared). dep_flow_shared is deployed on
 * its own local stack, `swap-stack`, whose components later cases swap for ones the
 * server would run remotely.
 */
async function deployTwins(server: KitaruServer): Promise<void> {
  await rest(server.url, 'POST', '/stacks', {
    name: 'swap-stack',
    components: {
      orchestrator: [await component(server.url, 'swap-orch', 'orchestrator', 'local')],
      artifact_store: [await component(server.url, 'swap-art', 'artifact_store', 'local')],
    },
  });
  await deployWithPython(server, 'dep_flow_shared', null, 'swap-stack');
  for (const flow of ['dep_flow_py', 'dep_flow_ts']) {
    await deployWithPython(server, flow);
    await deployWithPython(server, flow, { prod: true, beta: false });
    await deployWithPython(server, flow, { beta: false });
  }
}
