// What the config directory says about the local Kitaru server (ZenML's
// daemon), read from its files without Python: registered or not, where, and
// whether it answers. Used by status, and by the supervisor.
import fs from 'node:fs';
import path from 'node:path';
import { isAlive, readPid } from '../supervisor/daemon.ts';

export interface LocalServerRegistration {
  daemonDir: string;
  url: string;
  port: number;
  pid: number | null;
  provider: string;
}

export function daemonDir(configDir: string): string {
  return path.join(configDir, 'zen_server', 'daemon');
}

/** The registered local server, or null when service.json is absent. */
export function readRegistration(configDir: string): LocalServerRegistration | null {
  const dir = daemonDir(configDir);
  // biome-ignore lint/suspicious/noExplicitAny: ZenML's service.json, read field by field with fallbacks below
  let service: Record<string, any>;
  try {
    service = JSON.parse(fs.readFileSync(path.join(dir, 'service.json'), 'utf8'));
  } catch {
    return null;
  }
  const server = service.config?.server ?? {};
  const endpoint = service.endpoint?.config ?? {};
  const port = Number(server.port ?? endpoint.port ?? 8383);
  const host = String(server.ip_address ?? endpoint.ip_address ?? '127.0.0.1');
  const protocol = String(endpoint.protocol ?? 'http');
  const pid = readPid(path.join(dir, 'service.pid'));
  return { daemonDir: dir, url: `${protocol}://${host}:${port}`, port, pid, provider: String(server.provider ?? 'daemon') };
}

/** ZenML's liveness rule: a live pid and a 200 from /health. */
export async function isRunning(registration: LocalServerRegistration, timeoutMs = 3000): Promise<boolean> {
  if (registration.pid === null || !isAlive(registration.pid)) return false;
  try {
    const response = await fetch(`${registration.url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

const LOCALHOST = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Localhost aliases compare equal; only the port matters (Python's _localhost_url_identity). */
export function sameLocalServer(a: string | null, b: string | null): boolean {
  const identity = (url: string | null): string | null => {
    if (!url) return null;
    try {
      const parsed = new URL(url);
      if (!LOCALHOST.has(parsed.hostname)) return null;
      return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
    } catch {
      return null;
    }
  };
  const left = identity(a);
  return left !== null && left === identity(b);
}
