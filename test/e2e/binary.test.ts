// CI builds the linux-x64 binary first (scripts/test.sh); elsewhere this file
// reports a skip that says how to build it.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/kitaru-server.ts';
import { e2eSuite } from './suite.ts';

const binary = path.join(repoRoot, 'dist', 'bin', `kitaru-mcp-${process.platform}-${process.arch}`);
if (fs.existsSync(binary)) e2eSuite(`the ${path.basename(binary)} binary`, binary, []);
else
  test('the native binary', { skip: `not built: run \`node build.mjs --binaries --only ${process.platform}-${process.arch}\`` }, () => {});
