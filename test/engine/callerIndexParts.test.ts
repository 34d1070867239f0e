// The caller index kept per file across edits: after edits to a callee's file, its caller's file and an unrelated file, findings equal a fresh analysis.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisSession, analyzeFiles, type AnalysisResult } from '../../server/engine';

const REPO = `import { Pool } from 'pg';
const pool = new Pool();
export async function loadUser(id: string) {
  return pool.query('SELECT * FROM users WHERE id = $1', [id]);
}
`;
const ROUTES = `import express from 'express';
import { loadUser } from './repo';
const app = express();
app.get('/users', async (req, res) => {
  const out = [];
  for (const id of req.body.ids) out.push(await loadUser(id));
  res.json(out);
});
`;
const OTHER = `export function add(a: number, b: number) { return a + b; }\n`;

function canonical(result: AnalysisResult): string {
  return JSON.stringify(
    result.findings
      .map((f) => `${f.span.file}:${f.span.start}:${f.ruleId}:${f.message}`)
      .sort((a, b) => a.localeCompare(b)),
  );
}

describe('caller index parts kept across edits', () => {
  it('edits of the callee, the caller and an unrelated file give the findings of a fresh analysis', () => {
    const files = new Map([
      ['/p/src/repo.ts', REPO],
      ['/p/src/routes.ts', ROUTES],
      ['/p/src/other.ts', OTHER],
    ]);
    const session = new AnalysisSession();
    for (const [path, text] of files) session.upsertFile(path, text);
    const first = session.analyzeAll();
    assert.ok(
      first.findings.some((f) => f.ruleId === 'n-plus-one' && f.span.file === '/p/src/routes.ts'),
      'the loop in the route calls a query per id: the comparison means something',
    );
    const edits: [string, (text: string) => string][] = [
      ['/p/src/other.ts', (t) => `${t}// note\n`],
      ['/p/src/repo.ts', (t) => t.replace("pool.query('SELECT * FROM users WHERE id = $1', [id])", 'id')],
      ['/p/src/routes.ts', (t) => ` ${t}`],
      ['/p/src/repo.ts', () => REPO],
      ['/p/src/repo.ts', (t) => t.replace('loadUser', 'loadUsers')],
      ['/p/src/routes.ts', (t) => t.replaceAll('loadUser', 'loadUsers')],
      ['/p/src/repo.ts', (t) => `\n${t}`],
    ];
    for (const [k, [path, edit]] of edits.entries()) {
      files.set(path, edit(files.get(path)!));
      session.upsertFile(path, files.get(path)!);
      session.analyzeFile(path);
      const fresh = analyzeFiles([...files].map(([p, text]) => ({ path: p, text })));
      assert.equal(canonical(session.analyzeAll()), canonical(fresh), `after edit ${k} of ${path}`);
    }
  });
});
