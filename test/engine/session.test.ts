// The analysis session: command sites for the Redis panel, dependents for incremental re-analysis, bad input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisSession, analyzeFiles } from '../../server/engine';

const db = `import { Pool } from 'pg';\nimport Redis from 'ioredis';\nexport const pool = new Pool();\nexport const redis = new Redis();\n`;
const sessions = `import { pool, redis } from './db';\nexport async function load(id: string) {\n  const cached = await redis.hgetall(\`session:\${id}\`);\n  const all = await redis.keys('session:*');\n  const user = await pool.query('SELECT * FROM users WHERE id = $1', [id]);\n  return { cached, all, user };\n}\n`;

describe('AnalysisSession', () => {
  const session = new AnalysisSession();
  session.upsertFile('/app/src/db.ts', db);
  session.upsertFile('/app/src/sessions.ts', sessions);
  session.upsertFile(
    '/app/src/routes.ts',
    `import { load } from './sessions';\nexport const handler = (id: string) => load(id);\n`,
  );

  it('finds the code sites of a Redis command, case-insensitively', () => {
    const sites = session.commandSites({ command: 'HGETALL' });
    assert.deepEqual(
      sites.map((s) => [s.file, s.range.start.line]),
      [['/app/src/sessions.ts', 2]],
    );
  });
  it('narrows by a static key prefix, or matches every command on the prefix', () => {
    assert.equal(session.commandSites({ command: 'hgetall', keyPrefix: 'session:' }).length, 1);
    assert.equal(session.commandSites({ command: 'hgetall', keyPrefix: 'cart:' }).length, 0);
    assert.deepEqual(
      session.commandSites({ keyPrefix: 'session:' }).map((s) => s.range.start.line),
      [2, 3],
    );
  });
  it('finds the code that sends a SQL statement, whatever its placeholders', () => {
    const sites = session.commandSites({ sql: 'select *  from users where id = ?' });
    assert.deepEqual(
      sites.map((s) => s.range.start.line),
      [4],
    );
  });
  it('lists the importers of a file, transitively, as its dependents', () => {
    assert.deepEqual(session.dependentsOf('/app/src/db.ts').sort(), ['/app/src/routes.ts', '/app/src/sessions.ts']);
    assert.deepEqual(session.dependentsOf('/app/src/routes.ts'), []);
  });
  it('re-analyses a file when a file it depends on changes', () => {
    const loop = `import { pool } from './db';\nexport async function f() {\n  const { rows } = await pool.query('SELECT id FROM t');\n  for (const row of rows) await pool.query('SELECT * FROM u WHERE t_id = $1', [row.id]);\n}\n`;
    session.upsertFile('/app/src/loop.ts', loop);
    assert.equal(session.analyzeFile('/app/src/loop.ts').findings.filter((f) => f.ruleId === 'n-plus-one').length, 1);
    // db.ts now exports an in-memory stand-in: the loop's call is a local function with no round trip.
    session.upsertFile(
      '/app/src/db.ts',
      `export const pool = { query: async (_sql: string, _args?: unknown[]) => ({ rows: [{ id: 1 }] }) };\n`,
    );
    assert.equal(session.analyzeFile('/app/src/loop.ts').findings.filter((f) => f.ruleId === 'n-plus-one').length, 0);
  });
});

describe('incremental updates', () => {
  it('re-parses edits incrementally and finds exactly what a fresh analysis finds', () => {
    const base = `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() {\n  const { rows } = await pool.query('SELECT id FROM t');\n  for (const row of rows) {\n    await pool.query('SELECT * FROM u WHERE t_id = $1', [row.id]);\n  }\n}\n`;
    const edits = [
      base.replace('for (const row of rows) {', 'for (const row of rows.slice(0, 1000)) {'),
      base.replace("await pool.query('SELECT * FROM u WHERE t_id = $1', [row.id]);", 'console.log(row.id);'),
      base.replace('export async function f', '// a comment\nexport async function g'),
      base,
    ];
    // The base text has an N+1 (a loop over the rows of an unbounded read), so the edits change real findings.
    assert.equal(
      analyzeFiles([{ path: '/app/a.ts', text: base }]).findings.filter((f) => f.ruleId === 'n-plus-one').length,
      1,
    );
    const session = new AnalysisSession();
    session.upsertFile('/app/a.ts', base);
    for (const text of edits) {
      session.upsertFile('/app/a.ts', text);
      const incremental = session
        .analyzeFile('/app/a.ts')
        .findings.map((f) => [f.ruleId, f.span.start, f.span.end, f.message]);
      const fresh = analyzeFiles([{ path: '/app/a.ts', text }]).findings.map((f) => [
        f.ruleId,
        f.span.start,
        f.span.end,
        f.message,
      ]);
      assert.deepEqual(incremental, fresh);
    }
  });
  it('refreshes a factory file when a route that calls it changes', () => {
    const session = new AnalysisSession();
    session.upsertFile(
      '/app/redis.ts',
      `import Redis from 'ioredis';\nexport function newClient() {\n  return new Redis();\n}\n`,
    );
    const route = (call: string) =>
      `import express from 'express';\nimport { newClient } from './redis';\nconst app = express();\napp.get('/x', async (req, res) => {\n  ${call}\n  res.end();\n});\n`;
    session.upsertFile('/app/routes.ts', route('console.log(1);'));
    assert.equal(session.analyzeFile('/app/redis.ts').findings.length, 0);
    session.upsertFile('/app/routes.ts', route("await newClient().get('k');"));
    assert.deepEqual(
      session.analyzeFile('/app/redis.ts').findings.map((f) => f.messageId),
      ['perCallVia'],
    );
  });
});

describe('bad input', () => {
  it('skips minified, huge and binary files with a reason, and analyses an empty file', () => {
    const minified = 'var a=1;'.repeat(2000);
    const result = analyzeFiles([
      { path: '/x/bundle.js', text: minified },
      { path: '/x/bin.js', text: 'abc\u0000def' },
      { path: '/x/empty.ts', text: '' },
    ]);
    assert.deepEqual(result.skipped.map((s) => s.path).sort(), ['/x/bin.js', '/x/bundle.js']);
    assert.deepEqual(result.errors, []);
  });
  it('reports a file nested too deeply for the parser as a per-file error, and keeps the others', () => {
    const deep = 'export const x = ' + '('.repeat(20000) + '1' + ')'.repeat(20000) + ';\n';
    const result = analyzeFiles([
      { path: '/x/deep.ts', text: deep },
      {
        path: '/x/ok.ts',
        text: "import Redis from 'ioredis';\nconst r = new Redis();\nexport const k = () => r.keys('*');\n",
      },
    ]);
    assert.deepEqual(
      result.errors.map((e) => e.path),
      ['/x/deep.ts'],
    );
    assert.match(result.errors[0]!.message, /could not parse|stack/i);
    assert.ok(result.findings.some((f) => f.span.file === '/x/ok.ts'));
  });
  it('never throws on syntax it cannot parse', () => {
    const result = analyzeFiles([
      { path: '/x/broken.ts', text: 'export async function f( {\n for (const x of ) await db.query(\n' },
    ]);
    assert.deepEqual(result.errors, []);
  });
});
