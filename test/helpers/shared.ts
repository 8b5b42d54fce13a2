// One real Kitaru server for the whole test run. scripts/test.sh starts it once
// (test/helpers/start-shared.ts) and names a JSON file in KITARU_TEST_SHARED;
// a test file run on its own starts a private one instead. Either way a test
// file does `const fx = await useSharedServer()` in before() and
// `await fx.release()` in after().
import fs from 'node:fs';
import { type KitaruServer, type SeededExecutions, seedExecutions, startKitaruServer } from './kitaru-server.ts';

export interface SharedServer {
  server: KitaruServer;
  seeded: SeededExecutions;
  /** Stops the server only when this file started it. */
  release(): Promise<void>;
}

export interface SharedServerFile {
  server: Omit<KitaruServer, 'stop'>;
  seeded: SeededExecutions;
}

/**
 * `own: true` always starts a private seeded server: for files that run flows
 * (new executions) and so would change what the files sharing the server
 * compare; scripts/test.sh runs them in its own-server lane, beside the shared one.
 */
export async function useSharedServer(options: { own?: boolean } = {}): Promise<SharedServer> {
  const file = process.env.KITARU_TEST_SHARED;
  if (file && fs.existsSync(file) && options.own !== true) {
    const shared = JSON.parse(fs.readFileSync(file, 'utf8')) as SharedServerFile;
    return {
      server: { ...shared.server, stop: async () => {} },
      seeded: shared.seeded,
      release: async () => {},
    };
  }
  const server = await startKitaruServer();
  try {
    const seeded = await seedExecutions(server);
    return { server, seeded, release: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
