// Incremental re-parsing: the change range and the line starts kept across edits match what a fresh parse computes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { changeRange, parseFile } from '../../server/engine/sourceFile';

/** A small deterministic generator, so a failure replays. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

const PIECES = ['\n', '\r', '\r\n', '\u2028', 'a', ' ', 'x = 1;', '{', '}', '// c\n', '"s"'];

describe('incremental parse', () => {
  it('keeps line starts equal to TypeScript’s after random edits (CR, LF, CRLF split or joined, U+2028)', () => {
    const next = random(7);
    const piece = () => PIECES[next(PIECES.length)]!;
    let mismatches = 0;
    for (let trial = 0; trial < 400; trial++) {
      let text = Array.from({ length: next(30) }, piece).join('');
      let model = parseFile('/a.js', text);
      for (let k = 0; k < 15; k++) {
        const start = next(text.length + 1);
        const end = start + next(Math.min(4, text.length - start) + 1);
        text = text.slice(0, start) + Array.from({ length: next(3) }, piece).join('') + text.slice(end);
        model = parseFile('/a.js', text, model);
        if (JSON.stringify(model.lineStarts) !== JSON.stringify(ts.createSourceFile('/b.js', text, ts.ScriptTarget.Latest).getLineStarts())) mismatches++;
        assert.equal(model.sourceFile.text, text);
      }
    }
    assert.equal(mismatches, 0);
  });

  it('finds the changed span of long texts', () => {
    const base = 'x'.repeat(10_000);
    const cases: [string, string, [number, number, number]][] = [
      [base, `${base.slice(0, 5000)}y${base.slice(5000)}`, [5000, 0, 1]],
      [base, base.slice(0, 9999), [9999, 1, 0]],
      [`a${base}`, `b${base}`, [0, 1, 1]],
      [`${base}a${base}`, `${base}bc${base}`, [10_000, 1, 2]],
      [base, base, [10_000, 0, 0]],
    ];
    for (const [before, after, [start, length, newLength]] of cases) {
      const range = changeRange(before, after);
      assert.deepEqual([range.span.start, range.span.length, range.newLength], [start, length, newLength]);
    }
  });
});
