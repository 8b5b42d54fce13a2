// Where Python Kitaru keeps its config directory, reproduced exactly.
//
// Python resolves KITARU_CONFIG_PATH, then ZENML_CONFIG_PATH, then
// click.get_app_dir("kitaru"). We do not use env-paths for this: its `config`
// folder is ~/Library/Preferences/kitaru on macOS and %APPDATA%\kitaru\Config on
// Windows, neither of which is where Python writes. click's rule is short, so we
// implement it directly and keep env-paths for our own cache folders only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

/** click.get_app_dir("kitaru") with roaming=True, force_posix=False. */
export function clickAppDir(platform: NodeJS.Platform, env: Env, home: string): string {
  if (platform === 'win32') {
    // click falls back to the home folder (not AppData\Roaming) when APPDATA is unset.
    return path.win32.join(env.APPDATA ?? home, 'kitaru');
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', 'kitaru');
  }
  // `??`, not `||`: click uses an empty XDG_CONFIG_HOME as-is (a relative path).
  return path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(home, '.config'), 'kitaru');
}

/** An environment value that says something: unset and all-blank values count as absent. */
export function nonBlank(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** The config directory Python Kitaru and ZenML both use, absolute and symlink-resolved. */
export function resolveConfigDir(env: Env, cwd: string, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  const chosen = nonBlank(env.KITARU_CONFIG_PATH) ?? nonBlank(env.ZENML_CONFIG_PATH) ?? clickAppDir(platform, env, home);
  const absolute = path.resolve(cwd, chosen);
  try {
    return fs.realpathSync(absolute); // ZenML calls Path.resolve(), which follows symlinks
  } catch {
    return absolute;
  }
}

/** ZenML's default SQLite store URL for a config directory. */
export function defaultSqliteUrl(configDir: string): string {
  return `sqlite:///${path.join(configDir, 'local_stores', 'default_zen_store', 'zenml.db')}`;
}
