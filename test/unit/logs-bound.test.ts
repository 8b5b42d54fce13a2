// get_execution_logs results are bounded in entries and characters: Python's
// text below the bounds, a cut at a whole entry above them that says where and
// how to read on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundedLogText } from '../../src/kitaru/logs.ts';

const entries = (names: string[]) => names.map((checkpoint_name) => ({ checkpoint_name }));
const args = { checkpoint: null, source: 'step' };

describe('boundedLogText', () => {
  it('is the plain join below both bounds, and exactly at them', () => {
    const lines = ['a', 'bb', 'ccc'];
    assert.equal(boundedLogText(lines, entries(['x', 'x', 'y']), args, { entries: 3, chars: 8 }), 'a\nbb\nccc');
  });

  it('cuts at an entry past the character bound and names the checkpoints left out', () => {
    const text = boundedLogText(['a', 'bb', 'ccc', 'dddd'], entries(['x', 'x', 'y', 'z']), args, { entries: 10, chars: 7 });
    const [shown, note] = [text.slice(0, text.lastIndexOf('\n')), text.slice(text.lastIndexOf('\n') + 1)];
    assert.equal(shown, 'a\nbb');
    assert.match(note!, /cut at 2 of 4 entries \(4 of 13 characters/);
    assert.match(note!, /one checkpoint at a time with `checkpoint` \(not shown: y, z\)/);
  });

  it('cuts past the entry bound; with a checkpoint chosen it points at `limit`', () => {
    const text = boundedLogText(['a', 'b', 'c'], entries(['x', 'x', 'x']), { checkpoint: 'x', source: 'step' }, { entries: 2, chars: 100 });
    assert.match(text, /^a\nb\n\[kitaru-mcp: log output cut at 2 of 3 entries/);
    assert.match(text, /ask for fewer entries with `limit`/);
  });

  it('shows the start of a single entry larger than the character bound', () => {
    const text = boundedLogText(['x'.repeat(50)], entries(['a']), args, { entries: 10, chars: 10 });
    assert.equal(text.split('\n')[0], 'x'.repeat(10));
  });
});
