// Deploy and invoke succeed end to end, ours beside Python's, on a real local
// server with the remote test stack (test/helpers/remote-stack.ts) and the
// recording workload manager: the fast `remote` cases of the conformance table
// (deploy, invoke, the invoked execution; the full deployment sequence runs in
// `npm run conformance`), then what is not a comparison: the server starts one
// runner workload per invoke.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type CaseContext, casesIn } from '../conformance/cases.ts';
import { assertCasesMatchPython } from '../conformance/fast-cases.ts';
import { serverContext } from '../conformance/fixtures.ts';
import { startKitaruServer, type KitaruServer } from '../helpers/kitaru-server.ts';
import { connectBoth, type McpConnection } from '../helpers/mcp-clients.ts';
import { deployDepsInstalled, startRemoteStack, type RemoteStack } from '../helpers/remote-stack.ts';

const skip = deployDepsInstalled() ? false : '.venv-deploy/ missing: run scripts/setup-deploy-deps.sh';
let server: KitaruServer;
let remote: RemoteStack;
let both: { py: McpConnection; ts: McpConnection };
let ctx: CaseContext;

before(async () => {
  if (skip) return;
  server = await startKitaruServer({ workloadManager: true });
  remote = await startRemoteStack(server);
  both = await connectBoth({ env: remote.env });
  ctx = { ...serverContext(server), remote: { stack: remote.stack, image: remote.image, projectDir: remote.projectDir } };
});

after(async () => {
  await Promise.allSettled([both?.py.close(), both?.ts.close()]);
  await remote?.stop();
  await server?.stop();
});

// The manager writes its file on the first workload only.
const workloads = () =>
  (existsSync(server.workloadLog as string) ? readFileSync(server.workloadLog as string, 'utf8') : '')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; arguments?: string[] });

test('deploy, invoke and the invoked execution answer exactly like the Python kitaru-mcp', { skip }, async (t) => {
  const cases = casesIn('remote').filter((kase) => kase.fast);
  assert.deepEqual(
    cases.map((kase) => kase.tool),
    ['kitaru_deployments_deploy', 'kitaru_deployments_invoke', 'kitaru_executions_get'],
  );
  await assertCasesMatchPython(t, cases, { python: both.py, ours: both.ts }, ctx, { context: 'remote' });
});

test('each invoke starts one runner workload through the server', { skip }, async () => {
  const { invoked: py } = ctx.created.py;
  const { invoked: ts } = ctx.created.ts;
  assert.ok(py && ts, 'both sides invoked in the cases above');
  const invoked = { py, ts };
  // One runner workload per invoke, each naming its run; the server does this after answering.
  const naming = (id: string) => workloads().filter((w) => w.event === 'run' && (w.arguments ?? []).includes(id)).length;
  const deadline = Date.now() + 30_000;
  while ((naming(invoked.py) < 1 || naming(invoked.ts) < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  for (const side of ['py', 'ts'] as const) assert.equal(naming(invoked[side]), 1, `runner workloads for ${side}'s run ${invoked[side]}`);
});
