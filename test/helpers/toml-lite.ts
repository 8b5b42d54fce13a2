// Parses TOML with a real parser (Python 3.11's tomllib), so tests check what
// Codex would read rather than what our own line-based writer assumes.
import { execFileSync } from 'node:child_process';

export function parseToml(text: string): Record<string, unknown> {
  const out = execFileSync('python3', ['-c', 'import json,sys,tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], {
    input: text,
  });
  return JSON.parse(out.toString()) as Record<string, unknown>;
}

/** Just the `mcp_servers` part, as the print-config shape check wants it. */
export const parseCodexServers = (text: string) => ({ mcp_servers: parseToml(text).mcp_servers });
