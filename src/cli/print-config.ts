// Client configuration for `kitaru-mcp --print-config <client>`: the file's own
// content on stdout (JSON, or TOML for Codex) so `> file` gives a valid file,
// and where it goes on stderr. The command is what is running now, so the entry
// works as pasted, whether this is a SEA binary, `node kitaru-mcp.cjs` or npx.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { VERSION } from '../version.ts';

export const CLIENTS = ['claude', 'claude-desktop', 'cursor', 'vscode', 'codex', 'gemini', 'windsurf'] as const;
export type Client = (typeof CLIENTS)[number];
export const SERVER_NAME = 'kitaru';
export const PACKAGE_NAME = 'kitaru-mcp';

export interface Launch {
  command: string;
  args: string[];
}

type Writable = { write(s: string): unknown };

export const isClient = (name: string): name is Client => (CLIENTS as readonly string[]).includes(name);

/**
 * Inside a SEA, process.execPath is this server itself (never spawn it as
 * node), so it is the whole command. Under npx, npm may prune its cache folder,
 * so the entry asks npx again, for the exact package we were started from.
 * Otherwise it is node plus the absolute path of the bundle.
 */
export function resolveSelfCommand(script = process.argv[1], sea = isSea()): Launch {
  if (sea) return { command: process.execPath, args: [] };
  const spec = script ? npxSpec(path.resolve(script)) : undefined;
  if (spec) return { command: 'npx', args: ['-y', spec] };
  return { command: process.execPath, args: script ? [path.resolve(script)] : [] };
}

/**
 * What `npx -y <spec>` should name to start this very version again, or
 * undefined when we are not running from npx's cache. npx records what the user
 * asked for in <cache>/_npx/<hash>/package.json; a registry name or range
 * becomes this exact version (it exists: we are it), a tarball or URL stays.
 */
export function npxSpec(script: string): string | undefined {
  const parts = script.split(path.sep);
  const at = parts.lastIndexOf('_npx');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const pinned = `${PACKAGE_NAME}@${VERSION}`;
  try {
    const manifest = JSON.parse(readFileSync([...parts.slice(0, at + 2), 'package.json'].join(path.sep), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    const asked = manifest.dependencies?.[PACKAGE_NAME];
    if (asked && /^(file:|https?:|git\+|github:)/.test(asked)) return asked.startsWith('file:') ? asked.slice(5) : asked;
  } catch {
    // No readable record: the registry package at our version is the safe answer.
  }
  return pinned;
}

function isSea(): boolean {
  try {
    // node:sea exists from Node 20.12 / 21.7; older nodes are never a SEA.
    const req = createRequire(path.join(process.cwd(), 'noop.js'));
    return (req('node:sea') as { isSea(): boolean }).isSea();
  } catch {
    return false;
  }
}

/** The value each client keeps under the server's name (its documented shape). */
export function serverEntry(client: Client, launch: Launch): Record<string, unknown> {
  const { command, args } = launch;
  switch (client) {
    case 'claude': // Claude Code's .mcp.json names the transport
      return { type: 'stdio', command, args, env: {} };
    case 'vscode': // VS Code requires the transport type
      return { type: 'stdio', command, args };
    default:
      return { command, args };
  }
}

/** The top-level key holding the servers in each client's file. */
export const serversKey = (client: Client): string => (client === 'vscode' ? 'servers' : client === 'codex' ? 'mcp_servers' : 'mcpServers');

/** Where each client reads its configuration (project files relative to cwd). */
export function configPath(
  client: Client,
  where: { cwd: string; home?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform },
): string {
  const env = where.env ?? process.env;
  const home = where.home ?? os.homedir();
  const platform = where.platform ?? process.platform;
  switch (client) {
    case 'claude':
      return path.join(where.cwd, '.mcp.json');
    case 'vscode':
      return path.join(where.cwd, '.vscode', 'mcp.json');
    case 'claude-desktop':
      if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
      if (platform === 'win32')
        return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json');
      return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'Claude', 'claude_desktop_config.json');
    case 'cursor':
      return path.join(home, '.cursor', 'mcp.json');
    case 'codex':
      return path.join(env.CODEX_HOME || path.join(home, '.codex'), 'config.toml');
    case 'gemini':
      return path.join(home, '.gemini', 'settings.json');
    case 'windsurf':
      return path.join(home, '.codeium', 'windsurf', 'mcp_config.json');
  }
}

/** TOML basic string: JSON's escapes are a subset TOML accepts. */
export const tomlString = (s: string): string => JSON.stringify(s).replace(/\u007f/g, '\\u007f');

export function codexTable(launch: Launch, name = SERVER_NAME): string {
  return `[mcp_servers.${name}]\ncommand = ${tomlString(launch.command)}\nargs = [${launch.args.map(tomlString).join(', ')}]\n`;
}

/** The whole file content for a client holding only our server. */
export function renderClientConfig(client: Client, launch: Launch): string {
  if (client === 'codex') return codexTable(launch);
  return `${JSON.stringify({ [serversKey(client)]: { [SERVER_NAME]: serverEntry(client, launch) } }, null, 2)}\n`;
}

/** POSIX-shell quoting, only where needed, for the `claude mcp add` line. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Human guidance for stderr: where the printed content goes, and the shortcut. */
export function renderHint(client: Client, launch: Launch): string {
  const file = configPath(client, { cwd: '.', home: '~' });
  const lines = [`# ${client}: save the output as ${file} (or merge it in), or run: kitaru-mcp install ${client}`];
  if (client === 'claude') {
    const add = ['claude', 'mcp', 'add', SERVER_NAME, '--', launch.command, ...launch.args].map(shellQuote).join(' ');
    lines.push(`# or: ${add}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--python` as the entry should carry it: a path made absolute (clients start us elsewhere), a bare command name kept. */
export function pythonArgs(python: string | undefined): string[] {
  if (python === undefined) return [];
  return ['--python', /[\\/]/.test(python) ? path.resolve(python) : python];
}

/** The `--print-config` command: content to stdout, hint to stderr. */
export function runPrintConfig(
  name: string,
  python: string | undefined,
  out: Writable = process.stdout,
  err: Writable = process.stderr,
): number {
  if (!isClient(name)) {
    err.write(`kitaru-mcp: --print-config takes one of: ${CLIENTS.join(', ')}.\n`);
    return 2;
  }
  const self = resolveSelfCommand();
  const launch = { command: self.command, args: [...self.args, ...pythonArgs(python)] };
  err.write(renderHint(name, launch));
  out.write(renderClientConfig(name, launch));
  return 0;
}
