// `npm run conformance -- --local-db`: the conformance cases in Kitaru's
// local-database mode (SQLite store, no server; test/conformance/local-db.ts).
// Writes docs/conformance-local-db.md (+ .json) and puts the counts into
// docs/conformance.md (re-rendered from docs/conformance.json).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { machineLine } from '../bench/machine.ts';
import { baseEnv, repoRoot, venvPython } from '../test/helpers/kitaru-server.ts';
import { connectPython, type McpConnection } from '../test/helpers/mcp-clients.ts';
import type { CaseContext, Context } from '../test/conformance/cases.ts';
import { LOCAL_DB_CASES, seedLocalDatabase, type LocalDatabase } from '../test/conformance/local-db.ts';
import { renderReport, summarise, type ReportMeta } from '../test/conformance/report.ts';
import { newCaseContext, listToolNames, runCase, type CaseResult, type Connections } from '../test/conformance/runner.ts';

interface Options {
  connectOurs(env: Record<string, string>): Promise<McpConnection>;
  log(message: string): void;
  only: string | undefined;
  strict: boolean;
}

const docs = (name: string) => path.join(repoRoot, 'docs', name);

export async function runLocalDatabaseConformance({ connectOurs, log, only, strict }: Options): Promise<number> {
  const t0 = Date.now();
  const emptyDir = mkdtempSync(path.join(tmpdir(), 'kitaru-conformance-localdb-empty-'));
  const opened: McpConnection[] = [];
  let db: LocalDatabase | undefined;
  try {
    db = await seedLocalDatabase('kitaru-conformance-localdb-');
    log(`seeded the local database ${db.configDir}: ${JSON.stringify(db.ids)}`);
    const emptyEnv = baseEnv(path.join(emptyDir, 'config'));
    const [python, ours, pyEmpty, ourEmpty] = await Promise.all([
      connectPython({ env: db.env }, { lossless: true }),
      connectOurs(db.env),
      connectPython({ env: emptyEnv }, { lossless: true }),
      connectOurs(emptyEnv),
    ]);
    opened.push(python, ours, pyEmpty, ourEmpty);
    const ourTools = await listToolNames(ours);
    const ctx: CaseContext = await newCaseContext(python, db.ids);
    const connections: Partial<Record<Context, Connections>> = {
      server: { python, ours },
      noserver: { python: pyEmpty, ours: ourEmpty },
      // Runs, replays and retries on the seeded store too (on a server they get one of their own).
      flows: { python, ours },
    };
    const knownIds = new Set<string>(Object.values(db.ids).map((id) => id.toLowerCase()));
    const results: CaseResult[] = [];
    for (const kase of LOCAL_DB_CASES) {
      if (only && !only.split(',').includes(kase.tool)) continue;
      const started = Date.now();
      const result = await runCase(kase, { connections, ourTools, ctx, knownIds });
      results.push(result);
      log(`${result.verdict.padEnd(10)} ${kase.tool} / ${kase.name} (${Date.now() - started} ms)`);
    }

    const durationSeconds = (Date.now() - t0) / 1000;
    const meta: ReportMeta = {
      date: new Date().toISOString(),
      durationSeconds,
      pythonPackage: 'kitaru 0.15.0 (zenml 0.94.6) from .venv-ref',
      machine: machineLine(venvPython),
      setting:
        "**Local-database mode**: no server; both servers open Kitaru's local SQLite store (config.yaml `store: type: sql`), " +
        'seeded by the test flows, and the no-server cases run on a fresh empty one. The deployment cases of the remote ' +
        "test stack do not apply. Ours answers each tool with the installed kitaru's own tool function in its warm Python worker",
    };
    const summary = summarise(results);
    writeFileSync(
      docs('conformance-local-db.md'),
      renderReport(results, meta).replace(/^# Conformance: /, '# Conformance, local-database mode: ') + '\n',
    );
    writeFileSync(docs('conformance-local-db.json'), JSON.stringify({ meta, summary, results }, null, 1) + '\n');
    if (!only && existsSync(docs('conformance.json'))) {
      const last = JSON.parse(readFileSync(docs('conformance.json'), 'utf8'));
      const serverMeta: ReportMeta = { ...last.meta, localDatabase: { ...summary, date: meta.date } };
      writeFileSync(docs('conformance.md'), renderReport(last.results, serverMeta) + '\n');
    }
    log(
      `local database: ${summary.cases} cases: ${summary.identical} identical, ${summary.differing} differing (${summary.unexplained} unexplained), ` +
        `${summary.missing} missing, ${summary.blocked} blocked, ${summary.oursOnly} ours-only; ${durationSeconds.toFixed(0)} s`,
    );
    return strict && summary.unexplained > 0 ? 1 : 0;
  } catch (error) {
    log(`failed: ${(error as Error).stack ?? error}`);
    return 2;
  } finally {
    await Promise.allSettled(opened.map((connection) => connection.close()));
    db?.remove();
    rmSync(emptyDir, { recursive: true, force: true });
  }
}
