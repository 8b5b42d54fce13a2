// The end-to-end suite on the bundle under node. In `npm test` (scripts/test.sh)
// every other test file already starts our server from this same bundle
// (KITARU_TEST_BUNDLE), and binary.test.ts runs this suite on the binary made
// from it, so the suite runs here only when that is not so (a file run alone,
// or no binary built): the same checks three times over cost a Python
// kitaru-mcp, a worker and a server's worth of CPU for nothing new.
import fs from 'node:fs';
import { test } from 'node:test';
import { bundle, e2eSuite, nativeBinary } from './suite.ts';

const coveredElsewhere = process.env.KITARU_TEST_BUNDLE === bundle && fs.existsSync(nativeBinary);
if (coveredElsewhere)
  test('the bundle under node', {
    skip: 'every test file runs this bundle, and binary.test.ts runs this suite on the binary made from it',
  }, () => {});
else e2eSuite('the bundle under node', process.execPath, [bundle]);
