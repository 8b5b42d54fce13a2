// `npm run bench`: the bundle, the linux-x64 binary and the Python kitaru-mcp side by
// side against one real local Kitaru server, in one run on one machine. Writes
// bench/results.json and bench/results.md. Knobs (env):
//   BENCH_COLD_REPS (5)  cold starts per server     BENCH_CALL_REPS (15) timed calls per tool
//   BENCH_SCALE (1000,10000; 30000 when asked) execution counts   BENCH_SCALE_REPS (3) timed calls per size
//   BENCH_PYTHON_SCALE_REPS (1) Python's timed calls per size (a scan of 10,000 runs takes it a minute)
//   BENCH_MEM_CALLS (1000) calls in the memory run (RSS read after 200 and at the end)
//   BENCH_NO_BUILD=1 skip `node build.mjs`   BENCH_SHARED=<file> use a running seeded server (test/helpers/start-shared.ts)
//   BENCH_PY_REPS (5) later calls per Python-side tool (0 skips them)   BENCH_ONLY_PYTHON=1 only those rows
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { machineInfo } from './machine.ts';
import { replay, startProxy, type CountingProxy } from './proxy.ts';
import { FLOORS } from './floor.ts';
import { ms, stats } from './stats.ts';
import { renderMarkdown, renderPythonSide } from './render.ts';
import { repoRoot, seedExecutions, startKitaruServer, venvBin, venvPython, type KitaruServer } from '../test/helpers/kitaru-server.ts';
import { connectStdio, type McpConnection } from '../test/helpers/mcp-clients.ts';
import { listToolsRaw } from '../test/conformance/runner.ts';

const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const COLD_REPS = num('BENCH_COLD_REPS', 5);
const CALL_REPS = num('BENCH_CALL_REPS', 15);
const SCALE = (process.env.BENCH_SCALE ?? '1000,10000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const SCALE_REPS = num('BENCH_SCALE_REPS', 3);
const PY_SCALE_REPS = num('BENCH_PYTHON_SCALE_REPS', 1);
// Python scans every run for a filtered list (a minute at 10,000): skip it above this size when short of time.
const PY_MAX_EXECUTIONS = num('BENCH_PYTHON_MAX_EXECUTIONS', Number.POSITIVE_INFINITY);
const MEM_CALLS = num('BENCH_MEM_CALLS', 1000);
const PY_REPS = num('BENCH_PY_REPS', 5);
const FIRST_REPS = num('BENCH_PY_FIRST_REPS', 4);
const ONLY_PYTHON = process.env.BENCH_ONLY_PYTHON === '1';
/** BENCH_ONLY_PYTHON=1: stop after the Python-side rows (written to bench/results-python.md). */
class OnlyPython extends Error {}
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const t0 = Date.now();

// --from-json: re-render bench/results.md from bench/results.json.
if (process.argv.includes('--from-json')) {
  writeFileSync(
    path.join(repoRoot, 'bench', 'results.md'),
    renderMarkdown(JSON.parse(readFileSync(path.join(repoRoot, 'bench', 'results.json'), 'utf8'))),
  );
  process.exit(0);
}

if (!process.env.BENCH_NO_BUILD) execFileSync(process.execPath, ['build.mjs'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
const bundle = path.join(repoRoot, 'dist', 'kitaru-mcp.cjs');
const binary = path.join(repoRoot, 'dist', 'bin', 'kitaru-mcp-linux-x64');
const hasBinary = process.platform === 'linux' && process.arch === 'x64' && existsSync(binary);

// The floor of "a process that answers tools/list": node, no MCP SDK, no tools.
const FLOOR_SCRIPT = `
let buf='';process.stdin.on('data',d=>{buf+=d;let i;while((i=buf.indexOf('\\n'))>=0){const line=buf.slice(0,i);buf=buf.slice(i+1);if(!line.trim())continue;const m=JSON.parse(line);if(m.id===undefined)continue;
const result=m.method==='initialize'?{protocolVersion:m.params.protocolVersion,capabilities:{tools:{}},serverInfo:{name:'floor',version:'0'}}:m.method==='tools/list'?{tools:[]}:{};
process.stdout.write(JSON.stringify({jsonrpc:'2.0',id:m.id,result})+'\\n');}});`;

interface Variant {
  key: string;
  label: string;
  command: string;
  args: string[];
  env: (env: Record<string, string>) => Record<string, string>;
}
const withPython = (env: Record<string, string>) => ({ ...env, KITARU_PYTHON: venvPython });
const VARIANTS: Variant[] = [
  { key: 'bundle', label: 'ours: node dist/kitaru-mcp.cjs', command: process.execPath, args: [bundle], env: withPython },
  ...(hasBinary ? [{ key: 'binary', label: 'ours: linux-x64 binary', command: binary, args: [], env: withPython }] : []),
  { key: 'python', label: 'Python kitaru-mcp 0.15.0', command: path.join(venvBin, 'kitaru-mcp'), args: [], env: (e) => e },
  {
    key: 'floor',
    label: 'floor: bare `node -e` answering tools/list',
    command: process.execPath,
    args: ['-e', FLOOR_SCRIPT],
    env: (e) => e,
  },
];
const connect = (v: Variant, env: Record<string, string>) => connectStdio(v.command, v.args, v.env(env));
const pidOf = (c: McpConnection) => (c.client as any).transport?.pid as number | undefined;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}

async function call(conn: McpConnection, name: string, args: Record<string, unknown>) {
  const res: any = await conn.client.callTool({ name, arguments: args }, undefined, { timeout: 600_000 });
  if (res.isError) throw new Error(`${name} failed: ${res.content?.[0]?.text}`);
  return res;
}

/** A copy of the server's client config whose store URL goes through the counting proxy. */
function proxiedEnv(server: KitaruServer, proxy: CountingProxy, dir: string): Record<string, string> {
  const configDir = path.join(dir, 'config');
  cpSync(server.configDir, configDir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}local_stores${path.sep}`) || !src.endsWith('.db'),
  });
  const file = path.join(configDir, 'config.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(server.url, proxy.url));
  return { ...server.env, KITARU_CONFIG_PATH: configDir };
}

const results: any = {
  date: new Date().toISOString(),
  machine: machineInfo(venvPython),
  settings: { COLD_REPS, CALL_REPS, SCALE, SCALE_REPS, PY_SCALE_REPS, MEM_CALLS },
};
// BENCH_SHARED=<file written by test/helpers/start-shared.ts>: use that running,
// seeded server (on a loaded machine a fresh one may not start in time).
const shared = (() => {
  const file = process.env.BENCH_SHARED ?? process.env.KITARU_TEST_SHARED;
  return file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
})();
const server: KitaruServer = shared ? { ...shared.server, stop: async () => {} } : await startKitaruServer();
const tmp = mkdtempSync(path.join(tmpdir(), 'kitaru-bench-'));
const proxy = await startProxy(server.url);
const open: McpConnection[] = [];
try {
  const ids = shared ? shared.seeded : await seedExecutions(server);
  const env = proxiedEnv(server, proxy, tmp);

  // ------------------------------------------------------------ Python side
  // Tools that run the user's Python. "First call": a fresh server's first
  // Python-side call (worker start and kitaru import included). "Later": the
  // same server afterwards. Each server replays and retries runs it started
  // itself (Python can only re-import flow files it loaded). Python has no
  // resume tool, so that row is ours alone.
  if (PY_REPS > 0) results.pythonSide = await benchPythonSide(env);
  if (ONLY_PYTHON) throw new OnlyPython();

  // ------------------------------------------------------------ cold start
  log(`cold start x${COLD_REPS}: ${VARIANTS.map((v) => v.key).join(', ')}`);
  const cold: Record<string, number[]> = Object.fromEntries(VARIANTS.map((v) => [v.key, []]));
  for (let i = 0; i < COLD_REPS; i++) {
    for (const v of VARIANTS) {
      const [dt, conn] = await timed(async () => {
        const c = await connect(v, env);
        await listToolsRaw(c);
        return c;
      });
      await conn.close();
      cold[v.key]!.push(dt);
    }
  }
  results.coldStart = Object.fromEntries(VARIANTS.map((v) => [v.key, { label: v.label, ...stats(cold[v.key]!) }]));

  // ------------------------------------------------------------ per call
  const ours = await connect(VARIANTS[0]!, env);
  const python = await connect(VARIANTS.find((v) => v.key === 'python')!, env);
  open.push(ours, python);
  const CALLS: [string, Record<string, unknown>][] = [
    ['kitaru_status', {}],
    ['kitaru_executions_list', { limit: 50 }],
    ['kitaru_executions_get', { exec_id: ids.completed }],
    ['get_execution_logs', { exec_id: ids.completed }],
  ];
  const perCall: any = {};
  for (const [tool, args] of CALLS) {
    log(`per call x${CALL_REPS}: ${tool}`);
    const samples = { ours: [] as number[], python: [] as number[], floor: [] as number[] };
    const requests = { ours: 0, python: 0 };
    for (const conn of [ours, python]) await call(conn, tool, args); // warm caches and imports
    proxy.reset();
    await call(ours, tool, args);
    const recorded = [...proxy.requests];
    for (let i = 0; i < CALL_REPS; i++) {
      for (const [side, conn] of [
        ['ours', ours],
        ['python', python],
      ] as const) {
        proxy.reset();
        const [dt] = await timed(() => call(conn, tool, args));
        samples[side].push(dt);
        requests[side] = proxy.requests.length;
      }
      samples.floor.push(await replay(server.url, recorded));
    }
    perCall[tool] = {
      args,
      ours: stats(samples.ours),
      python: stats(samples.python),
      floor: stats(samples.floor),
      requests: { ...requests, floor: recorded.length },
      floorRequests: recorded.map((r) => `${r.method} ${r.path.split('?')[0]}`),
    };
  }
  results.perCall = perCall;

  // ------------------------------------------------------------ scale
  const db = path.join(server.configDir, 'local_stores', 'default_zen_store', 'zenml.db');
  const scale: any[] = [];
  let total = Number(
    execFileSync(venvPython, [path.join(repoRoot, 'bench', 'bulk-runs.py'), db, ids.completed, '0'], { encoding: 'utf8' }).trim(),
  );
  const SCALE_CALLS: [string, string, Record<string, unknown>][] = [
    ['list limit=50', 'kitaru_executions_list', { limit: 50 }],
    ['list status=failed', 'kitaru_executions_list', { status: 'failed' }],
    ['list flow=failing_flow', 'kitaru_executions_list', { flow: 'failing_flow' }],
    ['latest flow=failing_flow', 'kitaru_executions_latest', { flow: 'failing_flow' }],
    ['latest status=waiting', 'kitaru_executions_latest', { status: 'waiting' }],
    ['get', 'kitaru_executions_get', { exec_id: ids.completed }],
  ];
  // Clones on top of the seeded runs, so totals are not exact multiples of the page size.
  const seeded = total;
  for (const clones of SCALE) {
    const target = seeded + clones;
    if (target > total) {
      const [dt] = await timed(async () => {
        total = Number(
          execFileSync(venvPython, [path.join(repoRoot, 'bench', 'bulk-runs.py'), db, ids.completed, String(target - total)], {
            encoding: 'utf8',
          }).trim(),
        );
      });
      log(`scale: ${total} executions (bulk insert ${ms(dt)} ms)`);
    }
    const row: any = { executions: total, calls: {} };
    for (const [label, tool, args] of SCALE_CALLS) {
      log(`scale ${total}: ${label}`);
      const s = { ours: [] as number[], python: [] as number[], floor: [] as number[] };
      const req = { ours: 0, python: 0, floor: 0 };
      const errors: Record<string, string> = {};
      // The floor: hand-written minimal REST, or a replay of what ours asked for (get).
      proxy.reset();
      await call(ours, tool, args);
      const recorded = [...proxy.requests];
      const floor =
        FLOORS[label] ??
        (async (base: string) => {
          await replay(base, recorded);
          return recorded.length;
        });
      for (let i = 0; i < Math.max(SCALE_REPS, PY_SCALE_REPS); i++) {
        const sides: Array<['ours' | 'python', McpConnection]> = [];
        if (i < SCALE_REPS) sides.push(['ours', ours]);
        if (i < PY_SCALE_REPS && total <= PY_MAX_EXECUTIONS) sides.push(['python', python]);
        for (const [side, conn] of sides) {
          proxy.reset();
          try {
            const [dt] = await timed(() => call(conn, tool, args));
            s[side].push(dt);
          } catch (e) {
            errors[side] = (e as Error).message;
          }
          req[side] = proxy.requests.length;
        }
        if (i < SCALE_REPS) {
          proxy.reset();
          const [dt] = await timed(() => floor(proxy.url));
          s.floor.push(dt);
          req.floor = proxy.requests.length;
        }
      }
      row.calls[label] = { tool, args, ours: stats(s.ours), python: stats(s.python), floor: stats(s.floor), requests: req, errors };
    }
    scale.push(row);
  }
  results.scale = scale;
  results.scaleMethod =
    "Extra executions are clones of the seeded completed run inserted straight into the server's SQLite " +
    '`pipeline_run` table by bench/bulk-runs.py (fresh id, name, orchestrator_run_id and creation time; same ' +
    'snapshot/pipeline/stack/project; no step runs), because creating runs through the REST API costs ~90 ms each. ' +
    'Floor: the same answer from the fewest direct REST requests with plain fetch (bench/floor.ts; for `get`, a replay ' +
    'of the requests ours made). All three go through the same counting proxy.';

  // ------------------------------------------------------------ memory
  log(`memory: ${MEM_CALLS} calls per server`);
  const memory: any = {};
  for (const v of VARIANTS.filter((x) => x.key !== 'floor')) {
    const conn = await connect(v, env);
    open.push(conn);
    const pid = pidOf(conn);
    const rssAt = () => Number(/VmRSS:\s+(\d+)/.exec(pid ? readFileSync(`/proc/${pid}/status`, 'utf8') : '')?.[1] ?? NaN) / 1024;
    let rssAt200 = NaN;
    try {
      for (let i = 0; i < MEM_CALLS; i++) {
        const [tool, args] = CALLS[i % CALLS.length]!;
        await call(conn, tool, args);
        if (i === 199) rssAt200 = rssAt();
      }
    } catch (e) {
      // e.g. a stale binary built before a tool existed: report it, keep the rest.
      memory[v.key] = { label: v.label, error: (e as Error).message };
      await conn.close();
      continue;
    }
    const status = pid ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    memory[v.key] = {
      label: v.label,
      peakRssMiB: kib('VmHWM') / 1024,
      rssMiB: kib('VmRSS') / 1024,
      rssAt200MiB: rssAt200,
      calls: MEM_CALLS,
    };
    await conn.close();
  }
  results.memory = memory;
} catch (error) {
  if (!(error instanceof OnlyPython)) throw error;
} finally {
  await Promise.allSettled(open.map((c) => c.close()));
  await proxy.close();
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}
results.durationSeconds = (Date.now() - t0) / 1000;
if (ONLY_PYTHON) {
  const text = renderPythonSide(results.pythonSide).join('\n');
  writeFileSync(
    path.join(repoRoot, 'bench', 'results-python.md'),
    `# Python-side tools (BENCH_ONLY_PYTHON=1, ${results.date.slice(0, 16)} UTC)\n\n${text}\n`,
  );
  process.stdout.write(text + '\n');
  process.exit(0);
}
writeFileSync(path.join(repoRoot, 'bench', 'results.json'), JSON.stringify(results, null, 1) + '\n');
writeFileSync(path.join(repoRoot, 'bench', 'results.md'), renderMarkdown(results));
log(`wrote bench/results.md in ${results.durationSeconds.toFixed(0)} s`);
process.exit(0);

/** The sides in turn: round i starts with a different side, so neither always meets the warmer server. */
function inTurn<T>(entries: T[], round: number): T[] {
  return round % 2 === 0 ? entries : [...entries].reverse();
}

async function callLoose(conn: McpConnection, name: string, args: Record<string, unknown>): Promise<any> {
  return conn.client.callTool({ name, arguments: args }, undefined, { timeout: 600_000 });
}

async function benchPythonSide(env: Record<string, string>): Promise<any> {
  const COMPLETED = 'test/flows/completed_flow.py:completed_flow';
  const FAILING = 'test/flows/failing_flow.py:failing_flow';
  const WAITING = 'test/flows/waiting_flow.py:waiting_flow';
  const sides = { ours: VARIANTS[0]!, python: VARIANTS.find((v) => v.key === 'python')! };
  const out: any = { reps: PY_REPS, firstReps: FIRST_REPS, first: {}, firstAfterInit: {}, later: {} };
  const payloadOf = (res: any) => res.structuredContent ?? JSON.parse(res.content?.[0]?.text ?? 'null');

  // The bytes artifact of a completed run: its value needs Python (repr).
  const probe = await connect(sides.python, env);
  const seededRun = payloadOf(await call(probe, 'kitaru_executions_run', { target: COMPLETED, args: { topic: 'bench-artifact' } })).exec_id;
  const listed = payloadOf(await call(probe, 'kitaru_artifacts_list', { exec_id: seededRun, producing_call: 'raw_bytes' }));
  const artifactId = (listed.result ?? listed)[0].artifact_id as string;
  await probe.close();

  for (const [label, tool, args] of [
    ['run', 'kitaru_executions_run', { target: COMPLETED, args: { topic: 'bench-first' } }],
    ['artifacts_get (value via Python)', 'kitaru_artifacts_get', { artifact_id: artifactId }],
  ] as const) {
    // From spawn: what the user waits for between starting the client and the
    // first answer. Python imports kitaru before it answers initialize; we
    // answer at once and start the worker on this call. Both figures are kept.
    const fromSpawn: Record<string, number[]> = { ours: [], python: [] };
    const afterInit: Record<string, number[]> = { ours: [], python: [] };
    for (let i = 0; i < FIRST_REPS; i++) {
      for (const [side, variant] of inTurn(Object.entries(sides), i)) {
        const [spawnDt, conn] = await timed(() => connect(variant, env));
        const [dt] = await timed(() => call(conn, tool, args));
        fromSpawn[side]!.push(spawnDt + dt);
        afterInit[side]!.push(dt);
        await conn.close();
      }
    }
    out.first[label] = { ours: stats(fromSpawn.ours!), python: stats(fromSpawn.python!) };
    out.firstAfterInit[label] = { ours: stats(afterInit.ours!), python: stats(afterInit.python!) };
    log(
      `python side, first ${label} from spawn: ours ${ms(out.first[label].ours.median)} ms, Python ${ms(out.first[label].python.median)} ms`,
    );
  }

  const conns: Record<string, McpConnection> = {};
  for (const [side, variant] of Object.entries(sides)) {
    conns[side] = await connect(variant, env);
    open.push(conns[side]!);
  }
  const own: Record<string, { completed: string; failed: string }> = {};
  for (const [side, conn] of Object.entries(conns)) {
    const completed = payloadOf(await call(conn, 'kitaru_executions_run', { target: COMPLETED, args: { topic: 'bench' } })).exec_id;
    await callLoose(conn, 'kitaru_executions_run', { target: FAILING });
    const failed = payloadOf(await call(conn, 'kitaru_executions_latest', { flow: 'failing_flow', status: 'failed' })).exec_id;
    own[side] = { completed, failed };
  }
  const samples: Record<string, Record<string, number[]>> = {};
  const add = (label: string, side: string, dt: number) => {
    const bySide = samples[label] ?? {};
    samples[label] = bySide;
    bySide[side] = [...(bySide[side] ?? []), dt];
  };
  for (let i = 0; i < PY_REPS; i++) {
    for (const [side, conn] of inTurn(Object.entries(conns), i)) {
      add('run', side, (await timed(() => call(conn, 'kitaru_executions_run', { target: COMPLETED, args: { topic: `bench-${i}` } })))[0]);
      add(
        'replay',
        side,
        (await timed(() => call(conn, 'kitaru_executions_replay', { exec_id: own[side]!.completed, from_: 'summarize' })))[0],
      );
      // The flow fails on purpose, so each retry fails again (an error result, timed all the same).
      add('retry', side, (await timed(() => callLoose(conn, 'kitaru_executions_retry', { exec_id: own[side]!.failed })))[0]);
      add(
        'artifacts_get (value via Python)',
        side,
        (await timed(() => call(conn, 'kitaru_artifacts_get', { artifact_id: artifactId })))[0],
      );
      if (side === 'ours') {
        const waiting = payloadOf(await call(conn, 'kitaru_executions_run', { target: WAITING, args: { topic: `bench-${i}` } })).exec_id;
        await call(conn, 'kitaru_executions_input', { exec_id: waiting, wait: 'approve_draft', value: true });
        add('resume', side, (await timed(() => call(conn, 'kitaru_executions_resume', { exec_id: waiting })))[0]);
      }
    }
    log(`python side, later calls: round ${i + 1}/${PY_REPS}`);
  }
  for (const [label, bySide] of Object.entries(samples)) {
    out.later[label] = Object.fromEntries(Object.entries(bySide).map(([side, values]) => [side, stats(values)]));
  }
  return out;
}
