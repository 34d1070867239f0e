// Cancellation inside one file: a superseded analysis stops between rules, reports itself cancelled and caches nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisSession, analyzeFiles } from '../../server/engine';

// The reads sit in a route handler: unbounded-read reports only code a request reaches.
const source = `import express from 'express';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst app = express();\napp.get('/t', async (req, res) => {\n  const ids: string[] = req.body.ids;\n  for (const id of ids) await pool.query('SELECT * FROM t WHERE id = $1', [id]);\n  res.json(await pool.query('SELECT * FROM t'));\n});\n`;

/** A token that turns cancelled after it has been checked `checks` times. */
function cancelledAfter(checks: number): { readonly isCancellationRequested: boolean; checked: number } {
  return {
    checked: 0,
    get isCancellationRequested() {
      return ++this.checked > checks;
    },
  };
}

describe('cancellation within a file', () => {
  it('stops between rules, returns no findings and marks the result cancelled', () => {
    const session = new AnalysisSession();
    session.upsertFile('/app/a.ts', source);
    const token = cancelledAfter(1);
    const result = session.analyzeFile('/app/a.ts', token);
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.findings, []);
    assert.equal(
      token.checked,
      2,
      'the rule loop checks the token before each rule and stops at the first cancelled check',
    );
  });

  it('does not cache a cancelled analysis: the next request computes the full result', () => {
    const session = new AnalysisSession();
    session.upsertFile('/app/a.ts', source);
    assert.equal(session.analyzeFile('/app/a.ts', cancelledAfter(2)).cancelled, true);
    const again = session.analyzeFile('/app/a.ts');
    const fresh = analyzeFiles([{ path: '/app/a.ts', text: source }]);
    assert.equal(again.cancelled, undefined);
    assert.ok(again.findings.length >= 2, 'the N+1 and the unbounded read are found');
    assert.deepEqual(
      again.findings.map((f) => [f.ruleId, f.span.start, f.message]),
      fresh.findings.map((f) => [f.ruleId, f.span.start, f.message]),
    );
  });

  it('marks a whole-session run cancelled when a file is cut short', () => {
    const session = new AnalysisSession();
    session.upsertFile('/app/a.ts', source);
    session.upsertFile('/app/b.ts', source);
    assert.equal(session.analyzeAll(cancelledAfter(3)).cancelled, true);
    assert.equal(session.analyzeAll().cancelled, undefined);
  });

  it('a token that is never cancelled changes nothing', () => {
    const session = new AnalysisSession();
    session.upsertFile('/app/a.ts', source);
    const token = cancelledAfter(Number.POSITIVE_INFINITY);
    const result = session.analyzeFile('/app/a.ts', token);
    assert.equal(result.cancelled, undefined);
    assert.ok(token.checked >= 5, 'checked once per rule');
    assert.ok(result.findings.length >= 2);
  });
});
