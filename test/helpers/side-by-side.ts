// A fresh real Kitaru server with the Python kitaru-mcp and ours connected to
// it: the setup every comparison test file starts from.
import { type KitaruServer, type SeededExecutions, seedExecutions, startKitaruServer, venvPython } from './kitaru-server.ts';
import { type McpConnection, connectBoth } from './mcp-clients.ts';

export interface SideBySide {
  server: KitaruServer;
  /** Set when opened with {seed: true}. */
  seeded: SeededExecutions;
  /** The server's env with KITARU_PYTHON pointing at the reference venv. */
  env: Record<string, string>;
  py: McpConnection;
  ts: McpConnection;
  /** Closes both clients and stops the server. */
  close(): Promise<void>;
}

export async function openSideBySide(options: { seed?: boolean } = {}): Promise<SideBySide> {
  const server = await startKitaruServer();
  try {
    const seeded = options.seed ? await seedExecutions(server) : ({} as SeededExecutions);
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
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
