// Incremental re-parsing: change range and line starts match a fresh parse; the memory it keeps of old versions is bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { AnalysisSession, analyzeFiles } from '../../server/engine';
import { REPARSE_BUDGET, changeRange, parseFile } from '../../rules/analysis/sourceFile';

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
        if (
          JSON.stringify(model.lineStarts) !==
          JSON.stringify(ts.createSourceFile('/b.js', text, ts.ScriptTarget.Latest).getLineStarts())
        )
          mismatches++;
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

describe('memory of incremental parsing', () => {
  it('parses from scratch once the re-parsed text exceeds the budget, and the tree stays right', () => {
    const text = 'let a = 1;\n'.repeat(1000);
    const budget = 5 * text.length; // a fresh parse every 5 edits or so
    let model = parseFile('/big.js', text);
    let current = text;
    let fresh = 0;
    for (let k = 0; k < 40; k++) {
      const at = (k * 7919) % current.length;
      current = `${current.slice(0, at)}\n${current.slice(at)}`;
      model = parseFile('/big.js', current, model, budget);
      if (model.incrementalChars === 0) fresh++;
      assert.ok(model.incrementalChars <= budget);
      assert.equal(model.sourceFile.text, current);
      assert.equal(
        model.sourceFile.statements.length,
        ts.createSourceFile('/b.js', current, ts.ScriptTarget.Latest).statements.length,
      );
    }
    assert.ok(fresh >= 5, `re-parsed from scratch ${fresh} times`);
    assert.ok(
      REPARSE_BUDGET >= 16 * 1024 * 1024,
      'the default budget leaves ordinary files incremental for thousands of edits',
    );
  });

  it('compacting a file in a session keeps its findings and drops the incremental history', () => {
    const source = `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() {\n  const { rows } = await pool.query('SELECT id FROM t');\n  for (const row of rows) await pool.query('SELECT * FROM u WHERE t_id = $1', [row.id]);\n}\n`;
    const session = new AnalysisSession();
    let text = source;
    session.upsertFile('/app/a.ts', text);
    for (let k = 0; k < 5; k++) {
      text = `// edit ${k}\n${text}`;
      session.upsertFile('/app/a.ts', text);
    }
    const before = session.analyzeFile('/app/a.ts').findings;
    assert.ok(session.incrementalCharsOf('/app/a.ts') > 0);
    session.compactFile('/app/a.ts');
    assert.equal(session.incrementalCharsOf('/app/a.ts'), 0);
    const after = session.analyzeFile('/app/a.ts').findings;
    const fresh = analyzeFiles([{ path: '/app/a.ts', text }]).findings;
    const key = (f: (typeof fresh)[number]) => [f.ruleId, f.span.start, f.span.end, f.message];
    assert.equal(after.length, 1);
    assert.deepEqual(after.map(key), before.map(key));
    assert.deepEqual(after.map(key), fresh.map(key));
  });
});
