// The fixture contexts of the case table: each a Kitaru server with the state its
// cases need, and the Python kitaru-mcp and ours connected to it. Opened by the
// integration file that runs the context's cases in `npm test` (flows,
// deployments, auth, executions-filters) and by `npm run conformance`. Each starts
// a server of its own, except `filters`, which adds its runs to a seeded server
// it is given (the shared one in `npm test`, the conformance run's own).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { cloneRuns } from '../helpers/clone-runs.ts';
import { flowsDir, type KitaruServer, run, type SeededExecutions, startKitaruServer, venvPython } from '../helpers/kitaru-server.ts';
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

export interface FixtureOptions {
  connect?: Connectors;
  /** The seeded server `filters` adds its runs to (required there; left running on close). */
  seeded?: { server: KitaruServer; seeded: SeededExecutions };
}

export async function openFixture(context: FixtureContext, options: FixtureOptions = {}): Promise<Fixture> {
  const connect = options.connect ?? fromSources;
  const given = context === 'filters' ? options.seeded : undefined;
  if (context === 'filters' && !given) throw new Error('the filters fixture needs a seeded server');
  const server = given?.server ?? (await startKitaruServer({ auth: context === 'auth' }));
  const stop = () => (given ? Promise.resolve() : server.stop());
  try {
    const env = { ...server.env, KITARU_PYTHON: venvPython, ...ENV[context] };
    if (context === 'deployments') await deployTwins(server);
    if (given) cloneFilterRuns(server.configDir, given.seeded);
    const [python, ours] = await Promise.all([connect.python(env), connect.ours(env)]);
    return {
      server,
      env,
      connections: { python, ours },
      ctx: { ...serverContext(server), ...(given ? { ids: given.seeded } : {}) },
      knownIds: new Set(),
      close: async () => {
        await Promise.allSettled([python.close(), ours.close()]);
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Runs that stress the execution filters, cloned from the seeded ones straight into the
 * server's SQLite database (bench/bulk-runs.py) and dated 2001, so that they never become
 * anyone's "latest" on a server other files share.
 */
function cloneFilterRuns(configDir: string, { completed, failed, waiting }: SeededExecutions): void {
  // Ties: runs created in the same microsecond, which ZenML orders by id.
  cloneRuns(configDir, failed, 4, { created: '2001-01-01 00:00:00.000000' });
  cloneRuns(configDir, completed, 3, { created: '2001-01-01 00:00:00.000000' });
  // Running runs that hold a pending wait (Kitaru: waiting), tied with each other.
  cloneRuns(configDir, waiting, 2, { created: '2001-01-02 00:00:00.000000', status: 'running', waits: '1' });
  // A running run without a wait, and a paused run without one (still waiting, no pending_wait).
  cloneRuns(configDir, completed, 1, { created: '2001-01-03 00:00:00.000000', status: 'running' });
  cloneRuns(configDir, waiting, 1, { created: '2001-01-04 00:00:00.000000' });
}

/** A case context for a server without the seeded executions: the cases use what they or the fixture made. */
export function serverContext(server: { url: string }): CaseContext {
  return {
    ids: { completed: '', failed: '', waiting: '' },
    artifacts: {},
    flowsDir,
    runTag: randomBytes(3).toString('hex'),
    created: { py: {}, ts: {} },
    server: { url: server.url },
  };
}

const ENV: Record<FixtureContext, Record<string, string>> = {
  // Python runs a flow to its end within the call; ours hands off after the call bound
  // (tested in flows.test.ts). Comparisons must not depend on how loaded the machine is.
  flows: { KITARU_MCP_CALL_BOUND_SECONDS: '600' },
  deployments: {},
  filters: {},
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

/** One deployment of test/flows/deployment_flow.py: a flow, its tags, the stack to deploy on. */
type DeploySpec = [flow: string, tags: Record<string, boolean> | null, stack: string | null];

/** Deploys flows of test/flows/deployment_flow.py in order, in one reference Python process (its guard against local stacks bypassed). */
export async function deployWithPython(server: KitaruServer, specs: DeploySpec[]) {
  const res = await run(venvPython, [path.join(flowsDir, 'deployment_flow.py'), JSON.stringify(specs)], {
    env: server.env,
    timeoutMs: 300_000,
  });
  const lines = res.stdout.split('\n').filter((l) => l.startsWith('DEPLOYED '));
  if (res.code !== 0 || lines.length !== specs.length) {
    throw new Error(`deploying ${JSON.stringify(specs)} failed (exit ${res.code}, ${lines.length} made):\n${res.stderr.slice(-3000)}`);
  }
  return lines.map(
    (line) => JSON.parse(line.slice('DEPLOYED '.length)) as { flow: string; version: number; tags: Record<string, boolean> },
  );
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
  await deployWithPython(server, [
    ['dep_flow_shared', null, 'swap-stack'],
    ...['dep_flow_py', 'dep_flow_ts'].flatMap((flow): DeploySpec[] => [
      [flow, null, null],
      [flow, { prod: true, beta: false }, null],
      [flow, { beta: false }, null],
    ]),
  ]);
}
