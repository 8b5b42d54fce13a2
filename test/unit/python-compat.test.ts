// The cases that once went wrong, without Python (the generated comparison
// against CPython is test/integration/python-compat.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pyCompare, pyFloatRepr, pyRepr, pySplitLines, pyStrip, pyTypeName } from '../../src/compat/python.ts';

test('repr() escapes what CPython escapes: controls, C1, separators, unassigned and newer code points', () => {
  assert.equal(pyRepr('a\x01b'), "'a\\x01b'");
  assert.equal(pyRepr('\x85\xa0\xad'), "'\\x85\\xa0\\xad'");
  assert.equal(pyRepr('\u2028\u2029'), "'\\u2028\\u2029'");
  assert.equal(pyRepr('\u{11f00}'), "'\\U00011f00'", 'Kawi is Unicode 15: Python 3.11 escapes it');
  assert.equal(pyRepr('é\u{1f600}'), "'é\u{1f600}'");
  assert.equal(pyRepr("it's"), '"it\'s"');
  assert.equal(pyRepr('\'"'), "'\\'\"'");
  assert.equal(pyRepr('\ud800'), "'\\ud800'");
});

test('strip, splitlines, ordering, floats and type names follow Python', () => {
  assert.equal(pyStrip('\x1c\ufeff x \u3000'), '\ufeff x');
  assert.deepEqual(pySplitLines('a\r\nb\x85c\n'), ['a', 'b', 'c']);
  assert.deepEqual(pySplitLines(''), []);
  assert.ok(pyCompare('\uffff', '\u{10000}') < 0, 'by code point, not UTF-16 unit');
  assert.deepEqual([1e-5, 1e16, 0.1, 123.0e20, -0].map(pyFloatRepr), ['1e-05', '1e+16', '0.1', '1.23e+22', '-0.0']);
  assert.deepEqual(['x', 1, 1.5, 1e22, null, [], {}, true].map(pyTypeName), [
    'str',
    'int',
    'float',
    'float',
    'NoneType',
    'list',
    'dict',
    'bool',
  ]);
});
