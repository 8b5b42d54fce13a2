// Starts the run-wide Kitaru server, seeds it, writes its description to the
// file named on the command line, and keeps it until SIGTERM or SIGINT.
import fs from 'node:fs';
import { seedExecutions, startKitaruServer } from './kitaru-server.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: start-shared.ts <output.json>');

const server = await startKitaruServer();
let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    fs.rmSync(file as string, { force: true });
    await server.stop();
  }
  process.exit(code);
}
// Our handlers run instead of the helper's quick-kill ones, so stop() can clean up.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void stop(0));
}

try {
  const seeded = await seedExecutions(server);
  const { stop: _stop, ...description } = server;
  fs.writeFileSync(file, JSON.stringify({ server: description, seeded }));
  process.stderr.write(`[shared-server] ready at ${server.url}\n`);
} catch (error) {
  process.stderr.write(`[shared-server] failed: ${(error as Error).stack}\n`);
  await stop(1);
}
setInterval(() => {}, 1 << 30); // stay alive until signalled
