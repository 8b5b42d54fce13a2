// config.yaml written through a symlink (dotfile managers link it), atomically,
// as Python writes through the link: the link stays, its target changes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import YAML from 'yaml';
import { resolveConnection } from '../../src/config/connection.ts';
import { readYamlMap, updateYamlMap } from '../../src/config/yaml-files.ts';
import { recordActiveStack } from '../../src/kitaru/stack-management.ts';

function tree() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'w14-link-'));
  const dotfiles = path.join(root, 'dotfiles');
  const configDir = path.join(root, 'config');
  fs.mkdirSync(dotfiles);
  fs.mkdirSync(configDir);
  const target = path.join(dotfiles, 'kitaru-config.yaml');
  fs.writeFileSync(target, '# mine\nuser_id: u-1\nactive_stack_id: old\n', { mode: 0o600 });
  const link = path.join(configDir, 'config.yaml');
  fs.symlinkSync(path.relative(configDir, target), link);
  return { root, dotfiles, configDir, target, link };
}

test('a symlinked config.yaml is written through the link; the link, the comment, the other keys and the mode stay', () => {
  const t = tree();
  updateYamlMap(t.link, (doc) => doc.set('active_stack_id', 'new'));
  assert.ok(fs.lstatSync(t.link).isSymbolicLink(), 'still a link');
  const text = fs.readFileSync(t.target, 'utf8');
  assert.deepEqual(YAML.parse(text), { user_id: 'u-1', active_stack_id: 'new' });
  assert.match(text, /# mine/);
  assert.equal(fs.statSync(t.target).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(t.dotfiles), ['kitaru-config.yaml'], 'no temp file left beside the target');
  assert.deepEqual(fs.readdirSync(t.configDir), ['config.yaml'], 'no temp file left beside the link');
  fs.rmSync(t.root, { recursive: true, force: true });
});

test('recordActiveStack (manage_stack activate) keeps a linked global config a link', () => {
  const t = tree();
  const connection = resolveConnection({ KITARU_CONFIG_PATH: t.configDir, ZENML_REPOSITORY_PATH: path.join(t.root, 'no-repo') }, t.root);
  recordActiveStack(connection, 'stack-2');
  assert.ok(fs.lstatSync(t.link).isSymbolicLink());
  assert.equal(YAML.parse(fs.readFileSync(t.target, 'utf8')).active_stack_id, 'stack-2');
  fs.rmSync(t.root, { recursive: true, force: true });
});

test('a chain of links and a dangling link both end at the final target', () => {
  const t = tree();
  const second = path.join(t.root, 'second.yaml');
  fs.symlinkSync(t.link, second);
  updateYamlMap(second, (doc) => doc.set('x', 1));
  assert.equal(YAML.parse(fs.readFileSync(t.target, 'utf8')).x, 1);
  const dangling = path.join(t.root, 'dangling.yaml');
  fs.symlinkSync(path.join(t.dotfiles, 'later.yaml'), dangling);
  updateYamlMap(dangling, (doc) => doc.set('y', 2));
  assert.ok(fs.lstatSync(dangling).isSymbolicLink());
  assert.deepEqual(YAML.parse(fs.readFileSync(path.join(t.dotfiles, 'later.yaml'), 'utf8')), { y: 2 });
  fs.rmSync(t.root, { recursive: true, force: true });
});

/** A reader that returns the given texts in turn (the last one from then on) and counts its reads. */
function scriptedReads(texts: string[]) {
  let reads = 0;
  return {
    read: () => texts[Math.min(reads++, texts.length - 1)] as string,
    count: () => reads,
  };
}

test('config.yaml caught mid-rewrite (truncated to empty, or cut off) is read again until it is whole', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-mid-')), 'config.yaml');
  fs.writeFileSync(file, 'store:\n  url: http://127.0.0.1:8383\n');

  const emptyFirst = scriptedReads(['', 'store:\n  url: http://127.0.0.1:8383\n']);
  assert.deepEqual(readYamlMap(file, emptyFirst.read), { store: { url: 'http://127.0.0.1:8383' } });
  assert.equal(emptyFirst.count(), 2);

  const cutOff = scriptedReads(['store:\n  url: "http://127', 'store:\n  url: http://127.0.0.1:8383\n']);
  assert.deepEqual(readYamlMap(file, cutOff.read), { store: { url: 'http://127.0.0.1:8383' } });
  assert.equal(cutOff.count(), 2);

  // A file that stays empty is an empty mapping after a bounded number of reads.
  const alwaysEmpty = scriptedReads(['']);
  assert.deepEqual(readYamlMap(file, alwaysEmpty.read), {});
  assert.equal(alwaysEmpty.count(), 6);

  // A file that stays broken fails with the parser's error, also after a bounded number of reads.
  const alwaysBroken = scriptedReads(['store: [']);
  assert.throws(() => readYamlMap(file, alwaysBroken.read));
  assert.equal(alwaysBroken.count(), 6);

  // No file at all: one read, nothing to wait for.
  const missing = scriptedReads(['']);
  assert.deepEqual(readYamlMap(path.join(path.dirname(file), 'absent.yaml'), missing.read), {});
  assert.equal(missing.count(), 1);
});
