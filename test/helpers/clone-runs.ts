// Extra runs without running flows: clones of a real run written into a local
// server's SQLite database by bench/bulk-runs.py (10,000 in about a second).
// Options: created (one fixed creation time: ties), status, waits ('1' copies
// the source's pending wait conditions). Returns the number of runs afterwards.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot, venvPython } from './kitaru-server.ts';

export function serverDatabase(configDir: string): string {
  return path.join(configDir, 'local_stores', 'default_zen_store', 'zenml.db');
}

export function cloneRuns(configDir: string, source: string, count: number, options: Record<string, string> = {}): number {
  const args = Object.entries(options).map(([key, value]) => `${key}=${value}`);
  const script = path.join(repoRoot, 'bench', 'bulk-runs.py');
  const out = execFileSync(venvPython, [script, serverDatabase(configDir), source, String(count), ...args], { encoding: 'utf8' });
  return Number(out.trim());
}

/** The conformance run's extra state: runs tied in creation time (dated 2001, so never anyone's latest). */
export function seedTies(configDir: string, ids: { completed: string; failed: string }): void {
  cloneRuns(configDir, ids.failed, 3, { created: '2001-01-01 00:00:00.000000' });
  cloneRuns(configDir, ids.completed, 3, { created: '2001-01-01 00:00:00.000000', status: 'stopped' });
}
