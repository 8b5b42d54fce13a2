// CI builds the linux-x64 binary first (scripts/test.sh); elsewhere this file
// reports a skip that says how to build it.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { e2eSuite, nativeBinary as binary } from './suite.ts';

if (fs.existsSync(binary)) e2eSuite(`the ${path.basename(binary)} binary`, binary, []);
else
  test('the native binary', { skip: `not built: run \`node build.mjs --binaries --only ${process.platform}-${process.arch}\`` }, () => {});
