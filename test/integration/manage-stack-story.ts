// manage_stack, ours against Python's, on one real local server: the local stack
// lifecycle (create, activate, refusals, recursive and forced delete) run by each
// server on its own stack names, the whole story by one side and then by the
// other (each step changes the active stack the next one starts from), with
// payloads compared after swapping the name and the new stack's id; and the
// active stack recorded inside a repository. The refusals (the validation cases
// of test/unit/manage-stack-cases.ts, remote creates without cloud integrations) are cases
// of the conformance table (test/conformance/cases-manage-stack.ts).
// Run by deployments.test.ts on its server once the deployments cases are done
// (one server for both: those cases never change the active stack).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import YAML from 'yaml';
import type { KitaruServer } from '../helpers/kitaru-server.ts';
import { callToolRaw, connectStdio, type McpConnection, type ToolAnswer, ourServerArgs } from '../helpers/mcp-clients.ts';
import { venvPython } from '../helpers/kitaru-server.ts';

/** The tests, on `given()`: a local server whose active stack is `default`, and one connection to each server (Python's, ours). */
export function manageStackTests(given: () => { server: KitaruServer; py: McpConnection; ts: McpConnection }): void {
  describe('manage_stack, beside Python, on this server', () => {
    let server: KitaruServer;
    let both: { py: McpConnection; ts: McpConnection };
    before(() => {
      ({ server, ...both } = given());
    });

    const globalConfig = () => YAML.parse(readFileSync(path.join(server.configDir, 'config.yaml'), 'utf8'));

    async function stackId(name: string): Promise<string | undefined> {
      const res = await fetch(`${server.url}/api/v1/stacks?name=${encodeURIComponent(name)}`);
      const page = (await res.json()) as { items: { id: string }[] };
      return page.items[0]?.id;
    }

    async function componentCount(name: string): Promise<number> {
      const res = await fetch(`${server.url}/api/v1/components?name=${encodeURIComponent(name)}`);
      return ((await res.json()) as { total: number }).total;
    }

    describe('local stack lifecycle', () => {
      // Each side runs the same story on its own names; Python first, then ours, so
      // both start from the same active stack ("default").
      const story = async (conn: McpConnection, side: 'py' | 'ts') => {
        const n = (base: string) => `${side}-${base}`;
        const out: Record<string, ToolAnswer> = {};
        const call = async (key: string, args: Record<string, unknown>) => {
          out[key] = await callToolRaw(conn, 'manage_stack', args);
        };
        await call('create', { action: 'create', name: n('dev') });
        out.activeAfterCreate = {
          isError: false,
          text: '',
          structured: { active: globalConfig().active_stack_id === (await stackId(n('dev'))) },
        };
        await call('createAgain', { action: 'create', name: n('dev') });
        await call('deleteActive', { action: 'delete', name: n('dev') });
        await call('createInactive', { action: 'create', name: n('keep'), activate: false });
        await call('deleteKeep', { action: 'delete', name: n('keep') });
        out.keepComponentsLeft = { isError: false, text: '', structured: { count: await componentCount(n('keep')) } };
        await call('createKeepAgain', { action: 'create', name: n('keep'), activate: false });
        await call('deleteForced', { action: 'delete', name: n('dev'), recursive: true, force: true });
        out.devComponentsLeft = { isError: false, text: '', structured: { count: await componentCount(n('dev')) } };
        out.activeAfterDelete = {
          isError: false,
          text: '',
          structured: { active: globalConfig().active_stack_id === (await stackId('default')) },
        };
        await call('deleteMissing', { action: 'delete', name: n('missing') });
        await call('overrides', { action: 'create', name: n('ovr'), activate: false, extra: { artifact_store: { pth: '/tmp/x' } } });
        return out;
      };

      let py: Record<string, ToolAnswer>;
      let ts: Record<string, ToolAnswer>;
      before(async () => {
        py = await story(both.py, 'py');
        ts = await story(both.ts, 'ts');
      });

      const normalize = (value: unknown) =>
        JSON.parse(
          JSON.stringify(value ?? null)
            .replaceAll('py-', '<side>-')
            .replaceAll('ts-', '<side>-')
            .replace(/"id":"[0-9a-f-]{36}"/g, '"id":"<id>"'),
        );

      test('every step has the same outcome and payload', () => {
        assert.deepEqual(Object.keys(ts), Object.keys(py));
        for (const key of Object.keys(py)) {
          const [p, t] = [py[key] as ToolAnswer, ts[key] as ToolAnswer];
          assert.equal(t.isError, p.isError, `${key}: isError differs\npy: ${p.text}\nts: ${t.text}`);
          if (p.isError) assert.equal(normalize(t.text), normalize(p.text), key);
          else assert.deepEqual(normalize(t.structured), normalize(p.structured), key);
        }
      });

      test('the story did what it says', () => {
        assert.deepEqual(normalize(ts.create?.structured), {
          id: '<id>',
          name: '<side>-dev',
          is_active: true,
          previous_active_stack: 'default',
          components_created: ['<side>-dev (orchestrator)', '<side>-dev (artifact_store)'],
          stack_type: 'local',
        });
        assert.deepEqual(ts.activeAfterCreate?.structured, { active: true });
        assert.match(ts.createAgain?.text ?? '', /A stack named "ts-dev" already exists/);
        assert.match(ts.deleteActive?.text ?? '', /Cannot delete the active stack/);
        assert.equal(ts.createInactive?.structured.is_active, false);
        assert.deepEqual(ts.deleteKeep?.structured, {
          deleted_stack: 'ts-keep',
          components_deleted: [],
          new_active_stack: null,
          recursive: false,
        });
        assert.deepEqual(ts.keepComponentsLeft?.structured, { count: 2 });
        assert.match(ts.createKeepAgain?.text ?? '', /a orchestrator named 'ts-keep' already exists/);
        assert.deepEqual(ts.deleteForced?.structured, {
          deleted_stack: 'ts-dev',
          components_deleted: ['ts-dev (orchestrator)', 'ts-dev (artifact_store)'],
          new_active_stack: 'default',
          recursive: true,
        });
        assert.deepEqual(ts.devComponentsLeft?.structured, { count: 0 });
        assert.deepEqual(ts.activeAfterDelete?.structured, { active: true });
        assert.match(ts.deleteMissing?.text ?? '', /Stack 'ts-missing' not found\./);
        assert.match(ts.overrides?.text ?? '', /Did you mean `path`\?/);
      });
    });

    describe('activation inside a repository', () => {
      test('ours records the active stack in .kitaru/config.yaml, keeping its other keys, like Python', async () => {
        const repos = mkdtempSync(path.join(tmpdir(), 'kitaru-repo-'));
        try {
          const results: Record<string, { repo: any; globalStack: string }> = {};
          for (const side of ['py', 'ts'] as const) {
            const repo = path.join(repos, side);
            mkdirSync(path.join(repo, '.kitaru'), { recursive: true });
            writeFileSync(path.join(repo, '.kitaru', 'config.yaml'), 'custom_key: keep-me\n');
            const globalBefore = globalConfig().active_stack_id;
            const conn =
              side === 'py'
                ? await connectStdio(path.join(path.dirname(venvPython), 'kitaru-mcp'), [], server.env, { cwd: repo })
                : await connectStdio(process.execPath, ourServerArgs(), { ...server.env, KITARU_PYTHON: venvPython }, { cwd: repo });
            try {
              const created = await callToolRaw(conn, 'manage_stack', { action: 'create', name: `${side}-repo` });
              assert.equal(created.isError, false, created.text);
              assert.equal(globalConfig().active_stack_id, globalBefore, `${side}: the global config must not change`);
              results[side] = {
                repo: YAML.parse(readFileSync(path.join(repo, '.kitaru', 'config.yaml'), 'utf8')),
                globalStack: globalBefore,
              };
              const deleted = await callToolRaw(conn, 'manage_stack', {
                action: 'delete',
                name: `${side}-repo`,
                recursive: true,
                force: true,
              });
              assert.equal(deleted.isError, false, deleted.text);
            } finally {
              await conn.close();
            }
          }
          const tsRepo = results.ts?.repo;
          assert.equal(tsRepo.custom_key, 'keep-me');
          assert.equal(typeof tsRepo.active_stack_id, 'string');
          assert.equal(results.py?.repo.custom_key, 'keep-me');
          assert.equal(typeof results.py?.repo.active_stack_id, 'string');
          // Same keys as Python's rewrite of the file (ZenML also names the active project).
          assert.deepEqual(Object.keys(tsRepo).sort(), Object.keys(results.py?.repo ?? {}).sort());
          assert.equal(tsRepo.active_project_id, results.py?.repo.active_project_id);
        } finally {
          rmSync(repos, { recursive: true, force: true });
        }
      });
    });
  });
}
