// `npm run conformance`: starts a real local Kitaru server with seeded executions,
// runs the pinned Python kitaru-mcp and our bundle against it, calls every case of
// test/conformance/cases.ts on both and writes docs/conformance.md (+ .json).
// Exits non-zero only with --strict and an unexplained difference.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { machineLine } from '../bench/machine.ts';
import { seedTies } from '../test/helpers/clone-runs.ts';
import { baseEnv, repoRoot, seedExecutions, startKitaruServer, venvPython } from '../test/helpers/kitaru-server.ts';
import { connectPython, connectStdio, type McpConnection } from '../test/helpers/mcp-clients.ts';
import { deployDepsInstalled, startRemoteStack, type RemoteStack } from '../test/helpers/remote-stack.ts';
import { CASES, FIXTURE_CONTEXTS, type CaseContext, type Context, type FixtureContext } from '../test/conformance/cases.ts';
import { type Fixture, openFixture } from '../test/conformance/fixtures.ts';
import { newCaseContext, listToolNames, runCase, type CaseResult, type Connections } from '../test/conformance/runner.ts';
import { renderReport, summarise, type ReportMeta } from '../test/conformance/report.ts';
import { runLocalDatabaseConformance } from './conformance-local-db.ts';

const log = (m: string) => process.stderr.write(`[conformance] ${m}\n`);
const t0 = Date.now();
const strict = process.argv.includes('--strict');
const only = process.env.CONFORMANCE_ONLY; // optional tool-name filter for quick iteration

/** The last local-database run's counts (scripts/conformance-local-db.ts), for a line in the server report. */
function localDatabaseSummary(): ReportMeta['localDatabase'] {
  try {
    const last = JSON.parse(readFileSync(path.join(repoRoot, 'docs', 'conformance-local-db.json'), 'utf8'));
    return { ...last.summary, date: last.meta.date };
  } catch {
    return undefined;
  }
}

// --from-json: re-render docs/conformance.md from the last run's results (after editing explanations.ts).
if (process.argv.includes('--from-json')) {
  const last = JSON.parse(readFileSync(path.join(repoRoot, 'docs', 'conformance.json'), 'utf8'));
  writeFileSync(
    path.join(repoRoot, 'docs', 'conformance.md'),
    renderReport(last.results, { ...last.meta, localDatabase: localDatabaseSummary() }) + '\n',
  );
  log('re-rendered docs/conformance.md from docs/conformance.json');
  process.exit(0);
}

if (!process.env.CONFORMANCE_NO_BUILD)
  execFileSync(process.execPath, ['build.mjs'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
const bundle = path.join(repoRoot, 'dist', 'kitaru-mcp.cjs');
const connectOurs = (env: Record<string, string>) =>
  connectStdio(process.execPath, [bundle], { ...env, KITARU_PYTHON: venvPython }, { lossless: true });

// --local-db: the cases in Kitaru's local-database mode (no server at all).
if (process.argv.includes('--local-db')) process.exit(await runLocalDatabaseConformance({ connectOurs, log, only, strict }));

// The workload manager (test-only, records and runs nothing) lets invoke start executions.
const server = await startKitaruServer({ workloadManager: true });
let remote: RemoteStack | undefined;
let fixture: { context: FixtureContext; open: Fixture } | undefined;
const noserverTmp = mkdtempSync(path.join(tmpdir(), 'kitaru-conformance-noserver-'));
const opened: McpConnection[] = [];
let exitCode = 0;
try {
  const noserverEnv = baseEnv(path.join(noserverTmp, 'config'));
  const [ids, python, ours, pyNo, ourNo] = await Promise.all([
    seedExecutions(server),
    connectPython(server, { lossless: true }),
    connectOurs(server.env),
    connectPython({ env: noserverEnv }, { lossless: true }),
    connectOurs(noserverEnv),
  ]);
  opened.push(python, ours, pyNo, ourNo);
  // Runs tied in creation time, for the cases that check ZenML's tiebreak.
  seedTies(server.configDir, ids);
  log(`seeded ${JSON.stringify(ids)}`);

  const [pyTools, ourTools] = await Promise.all([listToolNames(python), listToolNames(ours)]);
  log(`python has ${pyTools.size} tools, ours ${ourTools.size}`);
  const ctx: CaseContext = await newCaseContext(python, ids, server);
  const connections: Partial<Record<Context, Connections>> = {
    server: { python, ours },
    noserver: { python: pyNo, ours: ourNo },
  };
  // Built only when the first deployment case comes (after the other cases ran on
  // the seeded state), since it registers a stack and a build on the server.
  let remoteTried = false;
  const ensureRemote = async () => {
    if (remoteTried) return;
    remoteTried = true;
    if (!deployDepsInstalled()) {
      log('no .venv-deploy/ (scripts/setup-deploy-deps.sh): deployment cases on the remote stack are blocked');
      return;
    }
    remote = await startRemoteStack(server);
    const [pyRemote, ourRemote] = await Promise.all([connectPython({ env: remote.env }), connectOurs(remote.env)]);
    opened.push(pyRemote, ourRemote);
    connections.remote = { python: pyRemote, ours: ourRemote };
    ctx.remote = { stack: remote.stack, image: remote.image, projectDir: remote.projectDir };
  };
  const knownIds = new Set<string>(Object.values(ids).map((i) => i.toLowerCase()));
  // A fixture context's cases run on a server with the state they need
  // (test/conformance/fixtures.ts), opened when its first case comes and closed
  // when the next context starts.
  const useFixture = async (context: FixtureContext): Promise<Fixture> => {
    if (fixture?.context === context) return fixture.open;
    await fixture?.open.close();
    fixture = undefined;
    log(`opening the ${context} fixture`);
    const open = await openFixture(context, {
      connect: { python: (env) => connectPython({ env }, { lossless: true }), ours: connectOurs },
      // `filters` adds its runs to this run's seeded server (its cases come after every server case).
      seeded: { server, seeded: ids },
    });
    fixture = { context, open };
    return open;
  };
  const results: CaseResult[] = [];
  for (const kase of CASES) {
    if (only && !only.split(',').includes(kase.tool)) continue;
    if (!kase.oursOnly && !pyTools.has(kase.tool)) throw new Error(`case ${kase.tool}/${kase.name}: Python has no such tool`);
    if (kase.context === 'remote') await ensureRemote();
    const started = Date.now();
    const inFixture = (FIXTURE_CONTEXTS as readonly string[]).includes(kase.context ?? 'server');
    const own = inFixture ? await useFixture(kase.context as FixtureContext) : undefined;
    const r = own
      ? await runCase(kase, {
          connections: { [kase.context as FixtureContext]: own.connections },
          ourTools,
          ctx: own.ctx,
          knownIds: own.knownIds,
        })
      : await runCase(kase, { connections, ourTools, ctx, knownIds });
    results.push(r);
    log(`${r.verdict.padEnd(10)} ${kase.tool} / ${kase.name} (${Date.now() - started} ms)`);
  }

  const durationSeconds = (Date.now() - t0) / 1000;
  const meta = {
    date: new Date().toISOString(),
    durationSeconds,
    pythonPackage: 'kitaru 0.15.0 (zenml 0.94.6) from .venv-ref',
    machine: machineLine(venvPython),
  };
  mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
  writeFileSync(
    path.join(repoRoot, 'docs', 'conformance.md'),
    renderReport(results, { ...meta, localDatabase: localDatabaseSummary() }) + '\n',
  );
  writeFileSync(
    path.join(repoRoot, 'docs', 'conformance.json'),
    JSON.stringify({ meta, summary: summarise(results), results }, null, 1) + '\n',
  );
  const s = summarise(results);
  log(
    `${s.cases} cases: ${s.identical} identical, ${s.differing} differing (${s.unexplained} unexplained), ${s.missing} missing, ${s.blocked} blocked, ${s.oursOnly} ours-only; ${durationSeconds.toFixed(0)} s`,
  );
  log('wrote docs/conformance.md');
  if (strict && s.unexplained > 0) exitCode = 1;
} catch (e) {
  log(`failed: ${(e as Error).stack ?? e}`);
  exitCode = 2;
} finally {
  await Promise.allSettled(opened.map((c) => c.close()));
  await fixture?.open.close();
  await remote?.stop();
  await server.stop();
  rmSync(noserverTmp, { recursive: true, force: true });
}
process.exit(exitCode);
