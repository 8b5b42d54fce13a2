// Artifact tools beyond the case table (test/conformance/cases.ts, which holds
// the list filters and the refusals): every artifact of the completed, failed
// and waiting executions compared with Python, and JSON values read without
// Python. Nothing is normalised: both servers read the same stored artifacts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getArtifactWithValue } from '../../src/kitaru/artifacts.ts';
import { KitaruRuntime } from '../../src/kitaru/runtime.ts';
import { type SideBySide, openSideBySide } from '../helpers/side-by-side.ts';
import type { KitaruServer, SeededExecutions } from '../helpers/kitaru-server.ts';
import { type McpConnection, callTool, repoRoot } from '../helpers/mcp-clients.ts';
import { bothAnswers } from './compare-helpers.ts';

let server: KitaruServer;
let seeded: SeededExecutions;
let py: McpConnection;
let ts: McpConnection;

let sides: SideBySide;

before(async () => {
  sides = await openSideBySide();
  ({ server, seeded, py, ts } = sides);
});

after(() => sides?.close());

async function assertSame(name: string, args: Record<string, unknown>): Promise<any> {
  const { python, ours } = await bothAnswers(py, ts, name, args);
  assert.deepStrictEqual(ours, python, `${name} ${JSON.stringify(args)}`);
  return python;
}

async function artifactIds(execId: string): Promise<string[]> {
  const rows = (await callTool(py, 'kitaru_artifacts_list', { exec_id: execId })) as Array<{ artifact_id: string }>;
  return rows.map((r) => r.artifact_id);
}

describe('artifact tools', () => {
  it('gets every artifact with the same value, format and type', async () => {
    const ids = [...(await artifactIds(seeded.completed)), ...(await artifactIds(seeded.failed)), ...(await artifactIds(seeded.waiting))];
    assert.equal(ids.length >= 6, true);
    const formats = new Set<string>();
    for (const id of ids) {
      const got = await assertSame('kitaru_artifacts_get', { artifact_id: id });
      formats.add(got.result.value_format);
    }
    // The seed flows hold JSON values and one bytes value (repr).
    assert.deepStrictEqual([...formats].sort(), ['json', 'repr']);
  });

  it('reads plain JSON values from the server, without Python', async () => {
    // An interpreter that does not exist: any value needing Python fails, JSON ones must not.
    const runtime = new KitaruRuntime({ env: { ...server.env }, cwd: repoRoot, python: '/nonexistent/python' });
    const ids = await artifactIds(seeded.completed);
    let jsonValues = 0;
    let needPython = 0;
    for (const id of ids) {
      const expected = await callTool(py, 'kitaru_artifacts_get', { artifact_id: id });
      if (expected.value_format === 'json') {
        assert.deepStrictEqual(await getArtifactWithValue(runtime, id), expected);
        jsonValues += 1;
      } else {
        await assert.rejects(getArtifactWithValue(runtime, id));
        needPython += 1;
      }
    }
    assert.equal(jsonValues >= 3, true);
    assert.equal(needPython, 1);
  });
});
