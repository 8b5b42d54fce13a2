// Client configuration snippets for `kitaru-mcp --print-config claude|cursor|vscode`.
// The command is the absolute path of what is running now, so the snippet works
// as pasted, whether this is a SEA binary or `node dist/kitaru-mcp.cjs`.
import { createRequire } from 'node:module';
import path from 'node:path';

export type Client = 'claude' | 'cursor' | 'vscode';
export const CLIENTS: readonly Client[] = ['claude', 'cursor', 'vscode'];
const SERVER_NAME = 'kitaru';

/**
 * Inside a SEA, process.execPath is this server itself (never spawn it as
 * node), so it is the whole command. Otherwise it is node plus the bundle.
 */
export function resolveSelfCommand(): { command: string; args: string[] } {
  if (isSea()) return { command: process.execPath, args: [] };
  const script = process.argv[1];
  // npx runs us from a cache folder that npm may prune; let npx find us again.
  if (script && path.resolve(script).split(path.sep).includes('_npx')) return { command: 'npx', args: ['-y', 'kitaru-mcp'] };
  return { command: process.execPath, args: script ? [path.resolve(script)] : [] };
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

/** POSIX-shell quoting, only where needed, for the `claude mcp add` line. */
function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function renderClientConfig(client: Client, command: string, args: string[]): string {
  const server = { command, args };
  switch (client) {
    case 'claude': {
      const add = ['claude', 'mcp', 'add', SERVER_NAME, '--', command, ...args].map(shellQuote).join(' ');
      const json = JSON.stringify({ mcpServers: { [SERVER_NAME]: server } }, null, 2);
      return `# Claude Code: run\n${add}\n\n# or put this in .mcp.json at the project root:\n${json}\n`;
    }
    case 'cursor':
      return `// .cursor/mcp.json (project) or ~/.cursor/mcp.json (global)\n${JSON.stringify({ mcpServers: { [SERVER_NAME]: server } }, null, 2)}\n`;
    case 'vscode':
      return `// .vscode/mcp.json\n${JSON.stringify({ servers: { [SERVER_NAME]: { type: 'stdio', ...server } } }, null, 2)}\n`;
    default: {
      const never: never = client;
      throw new Error(`unknown client ${String(never)}; expected one of ${CLIENTS.join(', ')}`);
    }
  }
}
