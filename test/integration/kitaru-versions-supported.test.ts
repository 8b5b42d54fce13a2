// The supported Kitaru versions we drive: a short smoke set (run, replay,
// retry, an artifact value) per version, each in its own cached venv
// (scripts/setup-kitaru-versions.sh), on a server of this file's own (the
// smokes run flows) that needs no seeded executions. The pinned reference,
// kitaru 0.15.0, has no smoke here: the same calls run on it, compared with
// Python's answers, in flows.test.ts (the `flows` cases) and in the artifacts
// cases of the conformance table.
import { after, before, describe, test } from 'node:test';
import { type KitaruServer, startKitaruServer } from '../helpers/kitaru-server.ts';
import { VersionClients, missing, smoke, venv } from './kitaru-versions.ts';

let server: KitaruServer;
const clients = new VersionClients();

before(async () => {
  server = await startKitaruServer();
});

after(async () => {
  await clients.closeAll();
  await server?.stop();
});

const smokeOn = async (python: string, version: string) => smoke(await clients.connect(server, python), version);

describe('supported Kitaru versions: run, replay, retry, artifact value', () => {
  test('kitaru 0.11.0 (the oldest supported)', { skip: missing('0.11') }, () => smokeOn(venv('0.11'), '0.11'));
  test('kitaru 0.18.0 (the newest supported)', { skip: missing('0.18') }, () => smokeOn(venv('0.18'), '0.18'));
});
