// The end-to-end suite on the bundle under node. In `npm test` (scripts/test.sh)
// every other test file already starts our server from this same bundle
// (KITARU_TEST_BUNDLE), and binary.test.ts runs this suite on the binary made
// from it, so the suite runs here only when that is not so (a file run alone,
// or no binary built): the same checks three times over cost a Python
// kitaru-mcp, a worker and a server's worth of CPU for nothing new.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/kitaru-server.ts';
import { bundle, e2eSuite } from './suite.ts';

const binary = path.join(repoRoot, 'dist', 'bin', `kitaru-mcp-${process.platform}-${process.arch}`);
const coveredElsewhere = process.env.KITARU_TEST_BUNDLE === bundle && fs.existsSync(binary);
if (coveredElsewhere)
  test('the bundle under node', {
    skip: 'every test file runs this bundle, and binary.test.ts runs this suite on the binary made from it',
  }, () => {});
else e2eSuite('the bundle under node', process.execPath, [bundle]);
