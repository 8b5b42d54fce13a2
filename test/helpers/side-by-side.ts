// A real Kitaru server with the Python kitaru-mcp and ours connected to it: the
// setup every comparison test file starts from. By default the run-wide seeded
// server (shared.ts); {own: true} starts a private one for a file whose changes
// would leak into others (the active stack lives in the client config).
import { type KitaruServer, type SeededExecutions, seedExecutions, startKitaruServer, venvPython } from './kitaru-server.ts';
import { type McpConnection, connectBoth } from './mcp-clients.ts';
import { useSharedServer } from './shared.ts';

export interface SideBySide {
  server: KitaruServer;
  /** The seeded executions (empty for {own: true}). */
  seeded: SeededExecutions;
  /** The server's env with KITARU_PYTHON pointing at the reference venv. */
  env: Record<string, string>;
  py: McpConnection;
  ts: McpConnection;
  /** Closes both clients and releases the server. */
  close(): Promise<void>;
}

export async function openSideBySide(options: { own?: boolean; seed?: boolean } = {}): Promise<SideBySide> {
  const { server, seeded, release } = options.own ? await ownServer(options.seed === true) : await useSharedServer();
  try {
    const env = { ...server.env, KITARU_PYTHON: venvPython };
    const { py, ts } = await connectBoth({ env });
    return {
      server,
      seeded,
      env,
      py,
      ts,
      close: async () => {
        await Promise.allSettled([py.close(), ts.close()]);
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/** A private server for a file whose checks need a server no other file writes to. */
async function ownServer(seed: boolean): Promise<{ server: KitaruServer; seeded: SeededExecutions; release: () => Promise<void> }> {
  const server = await startKitaruServer();
  try {
    const seeded = seed ? await seedExecutions(server) : ({} as SeededExecutions);
    return { server, seeded, release: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
