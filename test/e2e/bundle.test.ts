import { bundle, e2eSuite } from './suite.ts';

e2eSuite('the bundle under node', process.execPath, [bundle]);
