// What our handlers really return, held against the output schema each tool
// declares: the zod schema the kitaru layer writes once (src/kitaru/payloads),
// strict where Python's serializers are. Every callTool on our server goes
// through it, so a payload that drifts from its declaration fails the test
// that produced it.
import { stringifyJson } from '../../src/compat/json.ts';
import { resultKind } from '../../src/mcp/schemas.ts';
import { ALL_TOOLS } from '../../src/tools/index.ts';

const byName = new Map(ALL_TOOLS.map((tool) => [tool.name, tool]));

/** Throws when `structured` (a tools/call structuredContent) does not parse as the tool's declared output. */
export function assertOutputMatches(toolName: string, structured: unknown): void {
  const tool = byName.get(toolName);
  if (tool === undefined) return; // a tool made up by the test
  // A lossless client hands back PyInt/PyFloat objects; the schemas speak plain JSON numbers.
  const plain = structured === undefined ? undefined : plainJson(structured);
  const value = resultKind(tool.output) === 'object' ? plain : (plain as { result?: unknown } | undefined)?.result;
  const parsed = tool.output.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${toolName} returned a payload that does not match its declared output schema:\n  ${issues.join('\n  ')}`);
  }
}

function plainJson(value: unknown): unknown {
  try {
    return JSON.parse(stringifyJson(value) ?? 'null');
  } catch {
    return value; // NaN or Infinity inside: leave the value as it came
  }
}
