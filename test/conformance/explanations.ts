// Known, justified differences between the Python kitaru-mcp and ours, keyed by
// `<tool>/<case name>` or `<tool>/*`. An entry covers the differences whose path
// matches `paths` (all of them when `paths` is absent), and says why ours is right,
// why the value cannot match, or what is still missing. docs/conformance.md marks
// every difference not covered here as UNEXPLAINED.
import type { Difference } from './compare.ts';

export interface Explanation {
  why: string;
  paths?: RegExp;
}

// The clean preview sizes the config directory, which holds the live server's daemon
// log; the server logs every request, so the directory grows between the two calls.
const configDirGrows: Explanation = {
  why: 'Sizes differ by the bytes the live server appended to its daemon log (inside the config directory) between the Python call and ours; not comparable.',
  paths: /(size_bytes|total_bytes)$/,
};

// With no server, Python opens the local SQLite store in-process; ours does not embed
// ZenML, so its server-backed tools refuse plainly and name the way out.
const noServer: Explanation = {
  why:
    'By design: with no server configured Python opens the local SQLite store in-process; ours cannot, so the tool ' +
    'refuses with a message naming the local database and `kitaru_start_local_server` instead of failing obscurely.',
};

// pydantic echoes the offending input (input_value=...), secret values included; ours
// never shows the value of a secret argument, nor the arguments object that holds one.
const secretNotEchoed: Explanation = {
  why: 'On purpose: Python echoes the secret values in its validation error; ours names the field and the expected type but never shows a secret.',
  paths: /^error$/,
};

export const EXPLANATIONS: Record<string, Explanation[]> = {
  // The number arrives exactly on both sides (2^64 as an int): the difference is what a limit above
  // 10000 does. Python hands it to ZenML's PipelineRunFilter as the page size and fails there.
  'kitaru_executions_list/limit 2^64': [
    {
      why:
        'Not a number difference: both read 18446744073709551616 as an int. Python passes any limit above 10000 to ' +
        "ZenML's PipelineRunFilter as the page size and fails ('size: Input should be less than or equal to 10000'); " +
        'ours pages through the executions, so a limit that large lists them all (same for any limit above 10000).',
    },
  ],
  'kitaru_executions_list/no server': [noServer],
  'get_execution_logs/no server': [noServer],
  'kitaru_secrets_create/values not object': [secretNotEchoed],
  'kitaru_secrets_create/missing values': [secretNotEchoed],
  'kitaru_secrets_create/canary: values a string': [secretNotEchoed],
  'kitaru_secrets_create/canary: values a list': [secretNotEchoed],
  'kitaru_secrets_create/canary: values a number': [secretNotEchoed],
  'kitaru_status/over an API key': [
    {
      why:
        "On purpose: Python's status masks the API key in KITARU_AUTH_TOKEN after its first 8 characters (`ZENKEY_e***`); " +
        'ours shows none of a secret (`***`).',
      paths: /environment\[\d+\]\.value$/,
    },
  ],
  'kitaru_clean_preview/global': [configDirGrows],
  'kitaru_clean_preview/all': [configDirGrows],
  'kitaru_status/no server': [
    {
      why:
        'By design: with no server configured Python opens the local SQLite store in-process; ours does not embed ZenML, ' +
        'so it reports the local database without querying it and its warning points to kitaru_start_local_server.',
    },
  ],
  'kitaru_stacks_list/no server': [
    {
      why: 'By design (as kitaru_status / no server): ours cannot open the local SQLite store and says so, naming the way out (start the local server).',
    },
  ],
};

export function explainDifferences(tool: string, caseName: string, diffs: Difference[]) {
  const entries = [...(EXPLANATIONS[`${tool}/${caseName}`] ?? []), ...(EXPLANATIONS[`${tool}/*`] ?? [])];
  const explained: { diff: Difference; why: string }[] = [];
  const unexplained: Difference[] = [];
  for (const diff of diffs) {
    // A case's own expectation is never explained away.
    const hit = diff.path === 'expect' ? undefined : entries.find((e) => !e.paths || e.paths.test(diff.path));
    if (hit) explained.push({ diff, why: hit.why });
    else unexplained.push(diff);
  }
  return { explained, unexplained, whys: [...new Set(explained.map((e) => e.why))] };
}
