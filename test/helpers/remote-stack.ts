// A stack the Kitaru server accepts as remotely executable, on a local test
// server, without any cloud: built-in non-local flavors (airflow orchestrator,
// S3 artifact store on a local moto emulator, a container registry whose URI
// never resolves) and a registered build of a "prebuilt" image, so deploys reuse
// it instead of needing Docker. test/flows/remote_stack.py says why each piece
// is there. Needs .venv-deploy/ (scripts/setup-deploy-deps.sh).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { flowsDir, freePort, repoRoot, run, venvPython, type KitaruServer } from './kitaru-server.ts';

export const deployDepsDir = path.join(repoRoot, '.venv-deploy');
export const REMOTE_STACK = 'remote';
/** Never pulled: the registered build says this image already holds everything. */
export const REMOTE_IMAGE = 'registry.kitaru-test.invalid/kitaru:prebuilt';

export interface RemoteStack {
  stack: string;
  image: string;
  /** The id of the build that every deploy with `image` reuses. */
  build: string;
  /**
   * A project folder (holding `.kitaru/`, as `kitaru init` leaves it) with a copy of
   * test/flows/remote_deploy_flows.py. Deploy archives the source root and uploads
   * it; without a project that root is the folder of the MCP server's own script
   * (for Python's, .venv-ref/bin, all git-ignored here, so ZenML refuses the empty archive).
   */
  projectDir: string;
  /** server.env plus PYTHONPATH for the S3 packages and the project: give it to both MCP servers. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const log = (msg: string) => process.stderr.write(`[remote-stack] ${msg}\n`);

export const deployDepsInstalled = () => existsSync(path.join(deployDepsDir, '.stamp'));

async function waitForMoto(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto at ${url} not ready after ${timeoutMs}ms`);
}

export async function startRemoteStack(server: KitaruServer): Promise<RemoteStack> {
  if (!deployDepsInstalled()) throw new Error('.venv-deploy/ is missing: run scripts/setup-deploy-deps.sh');
  const t0 = Date.now();
  const projectDir = mkdtempSync(path.join(tmpdir(), 'kitaru-remote-project-'));
  mkdirSync(path.join(projectDir, '.kitaru'));
  copyFileSync(path.join(flowsDir, 'remote_deploy_flows.py'), path.join(projectDir, 'remote_deploy_flows.py'));
  const env = { ...server.env, PYTHONPATH: deployDepsDir, ZENML_REPOSITORY_PATH: projectDir };
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = spawn(venvPython, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const stopMoto = async () => {
    if (moto.exitCode !== null || moto.signalCode !== null) return;
    const exited = new Promise((r) => moto.once('exit', r));
    moto.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (moto.exitCode === null && moto.signalCode === null) moto.kill('SIGKILL');
    rmSync(projectDir, { recursive: true, force: true });
  };
  process.once('exit', () => moto.kill('SIGKILL'));
  try {
    await waitForMoto(endpoint, moto, 120_000); // a bound: under heavy load its import alone has taken 30 s
    // The build is the same whatever the source root, so the setup script runs as itself.
    const res = await run(venvPython, [path.join(flowsDir, 'remote_stack.py'), REMOTE_STACK, endpoint, REMOTE_IMAGE], {
      env: { ...server.env, PYTHONPATH: deployDepsDir },
      timeoutMs: 300_000,
    });
    const line = res.stdout.split('\n').find((l) => l.startsWith('REMOTE_STACK '));
    if (res.code !== 0 || line === undefined) {
      throw new Error(`remote_stack.py failed (exit ${res.code}):\n${res.stderr.slice(-3000)}`);
    }
    const made = JSON.parse(line.slice('REMOTE_STACK '.length)) as { stack: string; build: string; image: string };
    log(`stack ${made.stack} (build ${made.build}, S3 at ${endpoint}) ready in ${Date.now() - t0}ms`);
    return { ...made, projectDir, env, stop: stopMoto };
  } catch (e) {
    await stopMoto();
    throw e;
  }
}
