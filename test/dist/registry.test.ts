// The MCP Registry entry: server.json (and the one the release assembles, with
// the bundles' hashes) validates against the registry's schema (vendored in
// test/data/registry, source named there), and agrees with package.json.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { root } from './dist-files.ts';
import { ensureRelease } from './release-files.ts';

const schema = JSON.parse(readFileSync(path.join(root, 'test/data/registry/server.schema.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const serverJson = JSON.parse(readFileSync(path.join(root, 'server.json'), 'utf8'));
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addFormat('uri-template', true); // draft-07 format ajv-formats leaves out; the registry checks it server-side
const validate = ajv.compile(schema);
const errors = () => ajv.errorsText(validate.errors);
// Not the type guard ajv declares: a failed check must not narrow the document away.
const valid = (doc: unknown): boolean => validate(doc) as boolean;
const { repoUrl, tagUrl } = (await import(pathToFileURL(path.join(root, 'scripts/release/base-url.mjs')).href)) as { repoUrl(): string; tagUrl(v: string): string };

test('the vendored schema is the one server.json pins', () => {
  assert.equal(schema.$id, serverJson.$schema);
});

test('server.json validates and agrees with package.json (mcpName, version, npm identifier, repository)', () => {
  assert.ok(valid(serverJson), errors());
  assert.equal(serverJson.name, pkg.mcpName);
  assert.match(serverJson.name, /^io\.github\.[\w-]+\/[\w.-]+$/, 'an io.github.<owner>/ name, which the registry checks against the GitHub owner');
  assert.equal(serverJson.version, pkg.version);
  assert.equal(serverJson.repository.url, repoUrl());
  const [npm] = serverJson.packages;
  assert.deepEqual([npm.registryType, npm.identifier, npm.version], ['npm', pkg.name, pkg.version]);
});

test('the schema catches what the registry would refuse', () => {
  assert.ok(!valid({ ...serverJson, description: 'x'.repeat(101) }));
  assert.ok(!valid({ ...serverJson, name: 'no-slash' }));
  assert.ok(!valid({ ...serverJson, packages: [{ ...serverJson.packages[0], version: 'latest' }] }));
});

test('install.sh, install.ps1, README.md and server.json all point at the one base URL', () => {
  execFileSync(process.execPath, [path.join(root, 'scripts/release/base-url.mjs'), '--check'], { stdio: ['ignore', 'ignore', 'pipe'] });
});

const release = ensureRelease();
describe('the release server.json', { skip: release.skip }, () => {
  test('adds one mcpb package per bundle, pinned to the tag, with the bundle\'s real SHA-256', () => {
    const doc = JSON.parse(readFileSync(path.join(release.dir!, 'server.json'), 'utf8'));
    assert.ok(valid(doc), errors());
    const bundles = doc.packages.filter((p: { registryType: string }) => p.registryType === 'mcpb');
    assert.equal(bundles.length, 1);
    for (const b of bundles) {
      const file = path.join(release.dir!, path.basename(b.identifier));
      assert.ok(existsSync(file), b.identifier);
      assert.equal(b.identifier, `${tagUrl(pkg.version)}/${path.basename(file)}`);
      assert.match(b.identifier, /mcp/, 'the registry wants "mcp" in an MCPB URL');
      assert.equal(b.fileSha256, createHash('sha256').update(readFileSync(file)).digest('hex'));
    }
  });
});
