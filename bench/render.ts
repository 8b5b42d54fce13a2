// bench/results.md and bench/results-python.md from the figures bench/run.ts
// measured (or from bench/results.json, with --from-json).
import { fmt, ms, ratio, type Stats } from './stats.ts';

export function renderMarkdown(r: any): string {
  const m = r.machine;
  const cs = r.coldStart as Record<string, Stats & { label: string }>;
  const L: string[] = [];
  L.push('# Benchmarks: ours vs the Python `kitaru-mcp`', '');
  L.push(
    `Measured by \`npm run bench\` on ${r.date.slice(0, 16).replace('T', ' ')} UTC — ${m.os}, ${m.cpu}, nproc ${m.nproc}, ${m.memoryGiB} GiB RAM, node ${m.node}, Python ${m.python}. ` +
      `One run, one machine, one real local Kitaru server (kitaru 0.15.0 / zenml 0.94.6, SQLite). Times in ms: median (p25–p75). ` +
      `Repetitions: cold start ${r.settings.COLD_REPS}, per call ${r.settings.CALL_REPS}, scale ${r.settings.SCALE_REPS}. Total bench time ${r.durationSeconds.toFixed(0)} s.`,
    '',
  );
  const pc = r.perCall;
  const head: string[] = [];
  head.push(`| | ours | Python | Python / ours |`, `|---|---:|---:|---:|`);
  head.push(
    `| cold start to \`tools/list\` (bundle) | ${ms(cs.bundle!.median)} ms | ${ms(cs.python!.median)} ms | **${ratio(cs.python!.median, cs.bundle!.median)}** |`,
  );
  if (cs.binary)
    head.push(
      `| cold start to \`tools/list\` (binary) | ${ms(cs.binary.median)} ms | ${ms(cs.python!.median)} ms | **${ratio(cs.python!.median, cs.binary.median)}** |`,
    );
  for (const tool of Object.keys(pc))
    head.push(
      `| \`${tool}\` | ${ms(pc[tool].ours.median)} ms | ${ms(pc[tool].python.median)} ms | **${ratio(pc[tool].python.median, pc[tool].ours.median)}** |`,
    );
  const big = r.scale?.[r.scale.length - 1];
  if (big)
    for (const [label, c] of Object.entries<any>(big.calls))
      head.push(
        `| ${label}, ${big.executions} executions | ${ms(c.ours.median)} ms | ${c.python?.n ? `${ms(c.python.median)} ms` : '—'} | **${c.python?.n ? ratio(c.python.median, c.ours.median) : '—'}** |`,
      );
  if (r.memory?.bundle && r.memory?.python)
    head.push(
      `| peak RSS over ${r.settings.MEM_CALLS} calls | ${r.memory.bundle.peakRssMiB.toFixed(0)} MiB | ${r.memory.python.peakRssMiB.toFixed(0)} MiB | **${ratio(r.memory.python.peakRssMiB, r.memory.bundle.peakRssMiB)}** |`,
    );
  L.push('## Headline', '', ...head, '');

  L.push('## Cold start (spawn → `initialize` → `tools/list` answered)', '', '| server | ms | vs floor |', '|---|---:|---:|');
  for (const [k, s] of Object.entries(cs))
    L.push(`| ${s.label} | ${fmt(s)} | ${k === 'floor' ? '—' : ratio(s.median, cs.floor!.median)} |`);
  if (!cs.binary)
    L.push(
      '',
      '_linux-x64 binary not measured: dist/bin/kitaru-mcp-linux-x64 absent (build it with `node build.mjs --binaries`) or not a linux-x64 host._',
    );
  L.push('');

  L.push(
    '## Per call (warm servers, seeded executions)',
    '',
    'Floor: the same REST requests our server made for that call, replayed one after another by a bare `fetch` client. Requests counted by a proxy in front of the Kitaru server.',
    '',
  );
  L.push('| tool | ours | Python | floor | HTTP requests ours / Python |', '|---|---:|---:|---:|---:|');
  for (const [tool, c] of Object.entries<any>(pc))
    L.push(`| \`${tool}\` | ${fmt(c.ours)} | ${fmt(c.python)} | ${fmt(c.floor)} | ${c.requests.ours} / ${c.requests.python} |`);
  L.push('');

  if (r.pythonSide) L.push(...renderPythonSide(r.pythonSide));
  L.push('## Scale', '', r.scaleMethod, '');
  L.push(
    '| executions | call | ours | Python | floor | ours / floor | Python / ours | HTTP requests ours / Python / floor |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
  );
  const cell = (c: any, side: string) =>
    c.errors?.[side]
      ? `error: ${String(c.errors[side])
          .replace(/^.*?: /, '')
          .slice(0, 90)}`
      : c[side]?.n
        ? fmt(c[side])
        : '—';
  for (const row of r.scale ?? []) {
    for (const [label, c] of Object.entries<any>(row.calls)) {
      const f = c.floor?.median;
      L.push(
        `| ${row.executions} | ${label} | ${cell(c, 'ours')} | ${cell(c, 'python')} | ${c.floor?.n ? fmt(c.floor) : '—'} | ${f ? ratio(c.ours.median, f) : '—'} | ${c.python?.n ? ratio(c.python.median, c.ours.median) : '—'} | ${c.requests.ours} / ${c.python?.n ? c.requests.python : '—'} / ${c.requests.floor ?? '—'} |`,
      );
    }
  }
  L.push('');

  L.push(
    `## Memory (peak RSS, /proc/<pid>/status VmHWM, after ${r.settings.MEM_CALLS} calls cycling the four per-call tools, ${r.scale?.length ? r.scale[r.scale.length - 1].executions : 'seeded'} executions)`,
    '',
  );
  L.push('| server | peak RSS MiB | RSS after 200 calls MiB | RSS at end MiB |', '|---|---:|---:|---:|');
  for (const v of Object.values<any>(r.memory ?? {}))
    L.push(
      v.error
        ? `| ${v.label} | not measured: ${v.error.slice(0, 100)} | | |`
        : `| ${v.label} | ${v.peakRssMiB.toFixed(0)} | ${Number(v.rssAt200MiB).toFixed(0)} | ${v.rssMiB.toFixed(0)} |`,
    );
  L.push(
    '',
    '_Only the server process itself is measured; Python helper processes ours may spawn for some tools are not included (none of the four tools above spawns one unless noted in the implementation)._',
    '',
  );
  return L.join('\n');
}

export function renderPythonSide(ps: any): string[] {
  const L: string[] = [];
  L.push(
    "## Python-side tools (run the user's Python)",
    '',
    `First call: a freshly started server's first Python-side call, ${ps.firstReps ?? 1} fresh servers each, median (p25–p75) ms. "From spawn" counts from starting the process to the first answer, which is what a user waits for: Python imports kitaru before it answers \`initialize\`, we answer at once and start the worker (kitaru import included) on that call. "After initialize" counts the call alone. Later calls: ${ps.reps} each on one server, after a first call. Replay and retry act on a run that server started; the retried flow fails on purpose each time. Python has no resume tool.`,
    '',
  );
  L.push('| call | ours | Python | ours / Python |', '|---|---:|---:|---:|');
  const first = (prefix: string, table: Record<string, any> | undefined) => {
    for (const [label, t] of Object.entries<any>(table ?? {})) {
      // Older results hold one number per side.
      const cell = (v: number | Stats) => (typeof v === 'number' ? ms(v) : fmt(v));
      const median = (v: number | Stats) => (typeof v === 'number' ? v : v.median);
      L.push(`| ${prefix} \`${label}\` | ${cell(t.ours)} | ${cell(t.python)} | ${(median(t.ours) / median(t.python)).toFixed(2)}× |`);
    }
  };
  first('first, from spawn,', ps.first);
  first('first, after initialize,', ps.firstAfterInit);
  for (const [label, t] of Object.entries<any>(ps.later))
    L.push(
      `| later \`${label}\` | ${fmt(t.ours)} | ${t.python ? fmt(t.python) : '—'} | ${t.python ? (t.ours.median / t.python.median).toFixed(2) + '×' : '—'} |`,
    );
  L.push('');
  return L;
}
