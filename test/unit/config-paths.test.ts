import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { clickAppDir, defaultSqliteUrl, resolveConfigDir } from '../../src/config/paths.ts';

test('click.get_app_dir("kitaru") on each OS', () => {
  assert.equal(clickAppDir('linux', {}, '/home/ada'), '/home/ada/.config/kitaru');
  assert.equal(clickAppDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ada'), '/xdg/kitaru');
  // click uses an empty XDG_CONFIG_HOME as-is: a relative "kitaru".
  assert.equal(clickAppDir('linux', { XDG_CONFIG_HOME: '' }, '/home/ada'), 'kitaru');
  assert.equal(clickAppDir('darwin', { XDG_CONFIG_HOME: '/ignored' }, '/Users/ada'), '/Users/ada/Library/Application Support/kitaru');
  assert.equal(
    clickAppDir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada'),
    'C:\\Users\\ada\\AppData\\Roaming\\kitaru',
  );
  // Without APPDATA click falls back to the home folder, not AppData\Roaming.
  assert.equal(clickAppDir('win32', {}, 'C:\\Users\\ada'), 'C:\\Users\\ada\\kitaru');
});

test('KITARU_CONFIG_PATH beats ZENML_CONFIG_PATH beats the app dir; blank values are ignored', () => {
  assert.equal(resolveConfigDir({ KITARU_CONFIG_PATH: '/a', ZENML_CONFIG_PATH: '/b' }, '/', 'linux', '/h'), '/a');
  assert.equal(resolveConfigDir({ KITARU_CONFIG_PATH: '  ', ZENML_CONFIG_PATH: '/b' }, '/', 'linux', '/h'), '/b');
  assert.equal(resolveConfigDir({ ZENML_CONFIG_PATH: '' }, '/', 'linux', '/h'), '/h/.config/kitaru');
  assert.equal(resolveConfigDir({ KITARU_CONFIG_PATH: 'rel/dir' }, '/work', 'linux', '/h'), '/work/rel/dir');
});

test('symlinked config dirs resolve like Python Path.resolve()', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kmcp-paths-'));
  try {
    fs.mkdirSync(path.join(base, 'real'));
    fs.symlinkSync(path.join(base, 'real'), path.join(base, 'link'));
    assert.equal(
      resolveConfigDir({ KITARU_CONFIG_PATH: path.join(base, 'link') }, '/', 'linux', '/h'),
      fs.realpathSync(path.join(base, 'real')),
    );
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('default SQLite URL has four slashes for an absolute path, as ZenML writes it', () => {
  assert.equal(defaultSqliteUrl('/tmp/cfg'), 'sqlite:////tmp/cfg/local_stores/default_zen_store/zenml.db');
});
