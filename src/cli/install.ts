// `kitaru-mcp install <client>`: merges our server entry into that client's
// configuration file. Everything else in the file stays as it was (other
// servers, other settings, and keys the user added to our own entry such as
// `env`); the write is atomic (temp file + rename) and a second run that would
// change nothing writes nothing.
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import {
  CLIENTS,
  type Client,
  type Launch,
  SERVER_NAME,
  configPath,
  isClient,
  pythonArgs,
  resolveSelfCommand,
  serverEntry,
  serversKey,
  tomlString,
} from './print-config.ts';

const MAX_CONFIG_BYTES = 4 << 20; // a client config past this is not one we should rewrite

export class InstallError extends Error {}

export type Outcome = 'created' | 'updated' | 'unchanged';

/** The new text of a JSON client config with our entry merged in. */
export function mergeJson(client: Client, text: string | undefined, launch: Launch, file: string): string {
  let doc: Record<string, unknown> = {};
  if (text !== undefined && text.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new InstallError(
        `${file} is not valid JSON (${(e as Error).message}); fix or move it, then run this again. Nothing was changed.`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new InstallError(`${file} does not hold a JSON object; nothing was changed.`);
    doc = parsed as Record<string, unknown>;
  }
  const key = serversKey(client);
  const servers = doc[key] ?? {};
  if (servers === null || typeof servers !== 'object' || Array.isArray(servers))
    throw new InstallError(`"${key}" in ${file} is not an object; nothing was changed.`);
  const existing = (servers as Record<string, unknown>)[SERVER_NAME];
  const previous =
    existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Record<string, unknown>) : {};
  const ours = serverEntry(client, launch);
  // The user's own env (a server URL, an API key) survives a re-install.
  const merged = { ...previous, ...ours, ...('env' in previous ? { env: previous.env } : {}) };
  const next = { ...doc, [key]: { ...(servers as Record<string, unknown>), [SERVER_NAME]: merged } };
  const indent = /^\{\s*\n([ \t]+)"/.exec(text ?? '')?.[1] ?? 2;
  return `${JSON.stringify(next, null, indent)}\n`;
}

/** A TOML table header's dotted key with quotes and spaces removed, or undefined. */
function tableKey(line: string): string | undefined {
  const m = /^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$/.exec(line);
  return m
    ? m[1]!
        .split('.')
        .map((part) => part.trim().replace(/^"(.*)"$|^'(.*)'$/, '$1$2'))
        .join('.')
    : undefined;
}

/**
 * Codex's config.toml with `[mcp_servers.kitaru]` holding our command and args.
 * Line-based on purpose (no TOML library in the bundle): only our table's
 * `command` and `args` lines are replaced; its other keys, its subtables
 * (`[mcp_servers.kitaru.env]`) and every other line are kept byte for byte.
 */
export function mergeToml(text: string | undefined, launch: Launch): string {
  const ours = [`command = ${tomlString(launch.command)}`, `args = [${launch.args.map(tomlString).join(', ')}]`];
  const lines = (text ?? '').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const header = `mcp_servers.${SERVER_NAME}`;
  const out: string[] = [];
  let inOurs = false;
  let found = false;
  let multiline: string | null = null; // the delimiter of an open multi-line string
  let arrayDepth = 0; // skipping the rest of an old multi-line `args = [` value
  for (const line of lines) {
    if (multiline === null && arrayDepth === 0) {
      const key = tableKey(line);
      if (key !== undefined) {
        inOurs = key === header;
        out.push(line);
        if (inOurs) {
          found = true;
          out.push(...ours);
        }
        continue;
      }
    }
    if (arrayDepth > 0) {
      arrayDepth += depthChange(line);
      continue;
    }
    if (inOurs && multiline === null && /^\s*(command|args|"command"|"args")\s*=/.test(line)) {
      arrayDepth = Math.max(0, depthChange(line.slice(line.indexOf('=') + 1)));
      continue;
    }
    for (const delim of ['"""', "'''"]) {
      const count = line.split(delim).length - 1;
      if (count % 2 === 1 && (multiline === null || multiline === delim)) multiline = multiline === null ? delim : null;
    }
    out.push(line);
  }
  if (!found) {
    if (out.length > 0 && out[out.length - 1]!.trim() !== '') out.push('');
    out.push(`[${header}]`, ...ours);
  }
  return `${out.join('\n')}\n`;
}

/** Net bracket depth of a line outside strings, for skipping a multi-line array. */
function depthChange(line: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') break;
    else if (c === '[') depth += 1;
    else if (c === ']') depth -= 1;
  }
  return depth;
}

/** Writes `text` to `file` through a temp file in the same folder, keeping its mode. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // a new file
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function readConfig(file: string): string | undefined {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return undefined;
  }
  if (size > MAX_CONFIG_BYTES)
    throw new InstallError(`${file} is larger than ${MAX_CONFIG_BYTES} bytes; not a client config we will rewrite. Nothing was changed.`);
  return readFileSync(file, 'utf8');
}

/** Merges our entry into `file` (the client's default when omitted). */
export function installInto(client: Client, launch: Launch, file: string): Outcome {
  // Write through a symlink (dotfile managers) rather than replacing it.
  let target = file;
  try {
    if (lstatSync(file).isSymbolicLink()) target = realpathSync(file);
  } catch {
    // does not exist yet
  }
  const before = readConfig(target);
  const after = client === 'codex' ? mergeToml(before, launch) : mergeJson(client, before, launch, file);
  if (after === before) return 'unchanged';
  writeAtomic(target, after);
  return before === undefined ? 'created' : 'updated';
}

const USAGE = `usage: kitaru-mcp install <client> [--python PATH] [--config FILE]
  client: ${CLIENTS.join(', ')}
  --python PATH   the Python that has kitaru installed, written into the entry
  --config FILE   the client's config file (default: where that client reads it)
`;

/** The `install` subcommand; returns the exit code. */
export function runInstall(argv: string[], err: NodeJS.WritableStream = process.stderr): number {
  let client: string | undefined;
  let python: string | undefined;
  let config: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => {
      const v = inline ?? argv[++i];
      return v === undefined || v === '' ? undefined : v;
    };
    if (name === '--help' || name === '-h') {
      err.write(USAGE);
      return 0;
    } else if (name === '--python' || name === '--config') {
      const v = value();
      if (v === undefined) {
        err.write(`kitaru-mcp install: ${name} needs a value\n`);
        return 2;
      }
      if (name === '--python') python = v;
      else config = v;
    } else if (!name.startsWith('-') && client === undefined) client = name;
    else {
      err.write(`kitaru-mcp install: unexpected argument ${arg}\n${USAGE}`);
      return 2;
    }
  }
  if (client === undefined || !isClient(client)) {
    err.write(`kitaru-mcp install: name a client: ${CLIENTS.join(', ')}\n${USAGE}`);
    return 2;
  }
  const self = resolveSelfCommand();
  const launch = { command: self.command, args: [...self.args, ...pythonArgs(python)] };
  const file = path.resolve(config ?? configPath(client, { cwd: process.cwd() }));
  try {
    const outcome = installInto(client, launch, file);
    const said = { created: 'created', updated: 'added the kitaru server to', unchanged: 'already up to date:' }[outcome];
    err.write(`kitaru-mcp install: ${said} ${file}\n`);
    if (outcome !== 'unchanged') err.write(`Restart ${client} (or reload its MCP servers) to pick it up.\n`);
    return 0;
  } catch (e) {
    err.write(`kitaru-mcp install: ${e instanceof InstallError ? e.message : `cannot write ${file}: ${(e as Error).message}`}\n`);
    return 1;
  }
}
