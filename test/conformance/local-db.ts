// Local-database mode: Kitaru on its SQLite store, no server anywhere. The
// seeded executions are made by the same test flows (test/flows/seed.py) with
// the pinned .venv-ref Python in a temporary config dir whose config.yaml
// says `store: type: sql`; both MCP servers then open that store. The case
// table is the server mode's: the `server` cases run on the seeded local
// database, the `noserver` ones on a fresh empty one (also the local
// database), the `flows` ones (runs, replays, retries) on the seeded local
// database as well; the `remote` deployment cases and the `deployments` and
// `auth` fixtures (each a server of its own) do not apply and are left out.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedTies } from '../helpers/clone-runs.ts';
import { baseEnv, seedExecutions, venvPython, type KitaruServer, type SeededExecutions } from '../helpers/kitaru-server.ts';
import { CASES, type ConformanceCase } from './cases.ts';

export interface LocalDatabase {
  /** The environment both MCP servers get: KITARU_CONFIG_PATH on the seeded store. */
  env: Record<string, string>;
  configDir: string;
  ids: SeededExecutions;
  remove(): void;
}

/** The cases that apply in local-database mode (the server, no-server and flows contexts). */
export const LOCAL_DB_CASES: ConformanceCase[] = CASES.filter((kase) => ['server', 'noserver', 'flows'].includes(kase.context ?? 'server'));

/** A fresh local database with the seeded executions (completed, failed, waiting) and the tied runs. */
export async function seedLocalDatabase(prefix = 'kitaru-localdb-'): Promise<LocalDatabase> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const configDir = path.join(root, 'config');
  const env = baseEnv(configDir);
  try {
    const ids = await seedExecutions({ python: venvPython, env } as unknown as KitaruServer);
    const config = fs.readFileSync(path.join(configDir, 'config.yaml'), 'utf8');
    if (!/^\s+type: sql$/m.test(config)) throw new Error(`the seeded config is not on the local database:\n${config}`);
    seedTies(configDir, ids);
    return { env, configDir, ids, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
