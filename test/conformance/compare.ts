// Field-by-field comparison of one tool call made on the Python kitaru-mcp and on ours.
//
// Normaliser — the ONLY values rewritten before comparing, because they cannot be
// equal between two servers that each did the work themselves:
//  1. Side tokens: mutating cases name what they create per side (`…-py-…` / `…-ts-…`,
//     see sideName() in case-kit.ts) so the two servers never collide; both become `<side>`.
//     Twin cases (case-kit.ts) also turn the fixture's twin flows `dep_flow_py` /
//     `dep_flow_ts` into `dep_flow_<side>`, and renumber every id (2.).
//  2. Ids created during the run: in cases flagged `creates`, UUIDs that were not seen
//     before the mutating phase (the seeded executions, their artifacts, stacks…) are
//     numbered per side in order of first appearance (`<new-id-1>`, …).
//  3. Timestamps of objects created during the run: in `creates` cases only, ISO-8601
//     date-times (also inside strings such as log lines) become `<timestamp>`.
//  4. Backup file names in kitaru_clean_preview (`backup-<clock time>.db`): the name is
//     made from the clock at call time, always.
//  5. The order of artifact lists in `creates` cases: each side ran its own flow, and
//     within a checkpoint the server orders artifacts by their random version ids, so
//     both lists are compared sorted by (producing call, name).
// Read-only cases on seeded executions are compared raw: same server, same rows,
// so every timestamp and id must match exactly.

import { parseJson, stringifyJson } from '../../src/compat/json.ts';

export type Side = 'py' | 'ts';

export interface CallOutcome {
  isError: boolean;
  /** All text content blocks, in order. */
  blocks: string[];
  structured: unknown;
}

export interface Difference {
  path: string;
  python: unknown;
  ours: unknown;
}

// `conf-<tag>-py-…` names and the twin flows `conf_deploy_py` / `conf_deploy_ts`.
export const SIDE_TOKEN = /\b(conf[-_][a-z0-9]+)([-_])(py|ts)\b/g;
// The twin deployments of the `deployments` fixture (test/conformance/fixtures.ts).
const TWIN_FLOW = /\bdep_flow_(py|ts)\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const BACKUP_NAME = /\bbackup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}/g;
const ISO_TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;

export interface NormaliseOptions {
  creates: boolean;
  /** The case acts on the fixture's twin flows: `dep_flow_py` / `dep_flow_ts` become `dep_flow_<side>`. */
  twin?: boolean;
  /** UUIDs that existed before the mutating phase; never renumbered. */
  knownIds: ReadonlySet<string>;
}

export function normaliseOutcome(raw: CallOutcome, opts: NormaliseOptions): CallOutcome {
  // Sorted before the ids are numbered, so that the same artifact gets the same number on both sides.
  const outcome = opts.creates && !raw.isError ? sortOwnRuns(raw) : raw;
  const newIds = new Map<string, string>();
  const str = (s: string): string => {
    let out = s.replace(SIDE_TOKEN, '$1$2<side>').replace(BACKUP_NAME, 'backup-<timestamp>');
    if (opts.twin) out = out.replace(TWIN_FLOW, 'dep_flow_<side>');
    if (opts.creates) {
      out = out.replace(UUID, (id) => {
        const lower = id.toLowerCase();
        if (opts.knownIds.has(lower)) return id;
        if (!newIds.has(lower)) newIds.set(lower, `<new-id-${newIds.size + 1}>`);
        return newIds.get(lower)!;
      });
      out = out.replace(ISO_TIMESTAMP, '<timestamp>');
    }
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return str(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [str(k), walk(x)]));
    }
    return v;
  };
  // Blocks first, then structured, so ids are numbered in document order either way.
  return { isError: outcome.isError, blocks: outcome.blocks.map(str), structured: walk(outcome.structured) };
}

/** Item 5: the artifact lists of a result sorted, in structuredContent and in the JSON text blocks. */
function sortOwnRuns(outcome: CallOutcome): CallOutcome {
  const blocks = outcome.blocks.map((block) => {
    const parsed = parseBlock(block);
    return typeof parsed === 'string' ? block : (stringifyJson(sortArtifactLists(parsed)) ?? block);
  });
  return { ...outcome, blocks, structured: sortArtifactLists(outcome.structured) };
}

/** Every UUID inside a value (for building NormaliseOptions.knownIds). */
export function collectIds(value: unknown, into: Set<string>): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  for (const m of text.matchAll(UUID)) into.add(m[0].toLowerCase());
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Structural diff: key sets, array lengths, types and leaf values. Key order is not compared. */
export function diffValues(python: unknown, ours: unknown, path = '$', out: Difference[] = []): Difference[] {
  const tp = typeName(python);
  const to = typeName(ours);
  if (tp !== to) {
    out.push({ path, python, ours });
    return out;
  }
  if (tp === 'array') {
    const a = python as unknown[];
    const b = ours as unknown[];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length) out.push({ path: `${path}[${i}]`, python: '<absent>', ours: b[i] });
      else if (i >= b.length) out.push({ path: `${path}[${i}]`, python: a[i], ours: '<absent>' });
      else diffValues(a[i], b[i], `${path}[${i}]`, out);
    }
    return out;
  }
  if (tp === 'object') {
    const a = python as Record<string, unknown>;
    const b = ours as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const sub = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (!(key in a)) out.push({ path: sub, python: '<absent>', ours: b[key] });
      else if (!(key in b)) out.push({ path: sub, python: a[key], ours: '<absent>' });
      else diffValues(a[key], b[key], sub, out);
    }
    return out;
  }
  if (!Object.is(python, ours)) out.push({ path, python, ours });
  return out;
}

const parseBlock = (text: string): unknown => {
  try {
    // Losslessly: a 2.0 or a 20-digit integer that differs must show as a difference.
    return parseJson(text);
  } catch {
    return text;
  }
};

/**
 * Errors compare by their full text; results by structuredContent, then by the
 * text blocks (parsed as JSON where they are JSON, since Python and JS format
 * numbers and non-ASCII differently inside otherwise equal documents).
 */
export function compareOutcomes(python: CallOutcome, ours: CallOutcome): Difference[] {
  if (python.isError !== ours.isError) {
    return [
      { path: 'isError', python: python.isError ? python.blocks.join('\n') : 'ok', ours: ours.isError ? ours.blocks.join('\n') : 'ok' },
    ];
  }
  if (python.isError) {
    const a = python.blocks.join('\n');
    const b = ours.blocks.join('\n');
    return a === b ? [] : [{ path: 'error', python: a, ours: b }];
  }
  const diffs = diffValues(python.structured, ours.structured, 'structuredContent');
  diffValues(python.blocks.map(parseBlock), ours.blocks.map(parseBlock), 'content', diffs);
  return diffs;
}

/** Every list of artifacts (items with an artifact_id) sorted by producing call, then name (item 5 above). */
export function sortArtifactLists(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(sortArtifactLists);
    const isArtifacts = items.length > 0 && items.every((i) => i !== null && typeof i === 'object' && 'artifact_id' in i);
    if (!isArtifacts) return items;
    const key = (i: any) => `${i.producing_call}\u0000${i.name}`;
    return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
  if (value !== null && typeof value === 'object' && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sortArtifactLists(v)]));
  }
  return value;
}

/** Short one-line rendering of a value for reports. */
export function brief(v: unknown, max = 160): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** For two strings, the stretch around where they first differ (errors are long and share a prefix). */
export function firstDivergence(a: string, b: string, context = 60): [string, string] {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const start = Math.max(0, i - 20);
  const cut = (s: string) => (start > 0 ? '…' : '') + s.slice(start, i + context) + (s.length > i + context ? '…' : '');
  return [cut(a), cut(b)];
}
