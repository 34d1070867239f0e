// What makes a scan helper's share cheap: files parsed only when reached, importers found by a text scan that never misses a real import, and contiguous shares per helper.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisSession, defaultConfig } from '../../server/engine';
import { analyzeProject } from '../../server/cli/analyze';
import { FileSet } from '../../rules/analysis/fileSet';
import { isParsed } from '../../rules/analysis/sourceFile';
import { RangeQueue } from '../../server/scan/partition';
import { crossFileProject } from './crossFileProject';

describe('scan helper shares', () => {
  it('parses only the files the analysed file reaches (its imports and importers), not the rest of the project', () => {
    const session = new AnalysisSession(undefined, { lazyParse: true });
    const files = new FileSet({ lazy: true });
    const texts: Record<string, string> = {
      '/p/src/db.ts': `import { Pool } from 'pg';\nexport const pool = new Pool();\n`,
      '/p/src/repo.ts': `import { pool } from './db';\nexport async function load(id: string) {\n  return pool.query('SELECT * FROM users WHERE id = $1', [id]);\n}\n`,
      '/p/src/routes.ts': `import express from 'express';\nimport { load } from './repo';\nconst app = express();\napp.post('/users', async (req, res) => {\n  const out = [];\n  for (const id of req.body.ids) out.push(await load(id));\n  res.json(out);\n});\n`,
      '/p/src/unrelated.ts': `export function add(a: number, b: number) { return a + b; }\n`,
      '/p/src/other.ts': `import { add } from './unrelated';\nexport const three = add(1, 2);\n`,
    };
    for (const [path, text] of Object.entries(texts)) {
      session.upsertFile(path, text);
      files.upsert(path, text);
    }
    assert.ok(session.analyzeFile('/p/src/routes.ts').findings.some((f) => f.ruleId === 'n-plus-one'));
    const held = (session as unknown as { files: FileSet }).files;
    const parsed = [...held.all()].filter(isParsed).map((f) => f.path);
    assert.deepEqual(parsed.sort(), ['/p/src/db.ts', '/p/src/repo.ts', '/p/src/routes.ts']);
    // A file no one asked about keeps its text and is parsed when it is needed.
    assert.equal(isParsed(files.get('/p/src/other.ts')!), false);
    assert.equal(files.get('/p/src/other.ts')!.imports.get('add')?.module, './unrelated');
    assert.equal(isParsed(files.get('/p/src/other.ts')!), true);
  });

  it('finds by text every importer the parser finds (a superset), quotes in comments and strings notwithstanding', () => {
    const texts: Record<string, string> = {
      ...Object.fromEntries(Object.entries(crossFileProject(6)).map(([path, text]) => [`/q/${path}`, text])),
      '/q/src/lib/db.ts': `export const db = 1;\n`,
      '/q/src/lib/index.ts': `export * from './db';\n`,
      '/q/src/a.ts': `// don't "forget" it's here\nimport { db } from "./lib";\nconst x = require('./lib/db');\nexport { db as other } from '@/lib/db';\n`,
      '/q/src/b.js': `const y = 'it\\'s'; const { db } = require("./lib/index.ts");\n`,
    };
    const set = new FileSet();
    for (const [path, text] of Object.entries(texts)) set.upsert(path, text);
    const byText = set.importersByText();
    for (const file of set.all()) {
      const specifiers = [
        ...[...file.imports.values()].map((b) => b.module),
        ...file.starExports,
        ...[...file.exports.values()].flatMap((e) => (e.kind === 'reexport' ? [e.module] : [])),
      ];
      for (const specifier of specifiers) {
        const target = set.resolveModule(file.path, specifier);
        if (target) assert.ok(byText.get(target.path)?.has(file.path), `${file.path} → ${specifier} (${target.path})`);
      }
    }
    assert.ok(byText.get('/q/src/lib/index.ts')?.has('/q/src/a.ts'));
    assert.ok(byText.get('/q/src/lib/db.ts')?.has('/q/src/lib/index.ts'));
  });

  it('gives on 2 threads the one-thread result when a file the parser gives up on is imported (the helper hands back)', async () => {
    const files = [
      { path: '/d/src/deep.ts', text: 'export const x = ' + '('.repeat(20000) + '1' + ')'.repeat(20000) + ';\n' },
      {
        path: '/d/src/uses.ts',
        text: "import { x } from './deep';\nimport Redis from 'ioredis';\nconst r = new Redis();\nexport const k = () => r.keys(String(x));\n",
      },
      {
        path: '/d/src/ok.ts',
        text: "import Redis from 'ioredis';\nconst r = new Redis();\nexport const k = () => r.keys('*');\n",
      },
    ];
    const session = new AnalysisSession(undefined, { lazyParse: true });
    for (const file of files) session.upsertFile(file.path, file.text);
    session.analyzeFile('/d/src/uses.ts');
    assert.equal(session.lazyParseFailed(), true, 'the lazy session notices');
    const one = await analyzeProject(files, defaultConfig, { jobs: 1 });
    const two = await analyzeProject(files, defaultConfig, { jobs: 2 });
    assert.deepEqual(
      JSON.parse(JSON.stringify({ ...two, threads: 0 })),
      JSON.parse(JSON.stringify({ ...one, threads: 0 })),
    );
    assert.deepEqual(
      one.errors.map((e) => e.path),
      ['/d/src/deep.ts'],
    );
  });

  it('gives each helper a contiguous range and lets a helper that is done take from the end of the longest other', () => {
    const paths = Array.from({ length: 10 }, (_, i) => `f${i}`);
    const queue = new RangeQueue(paths, 2);
    assert.deepEqual(queue.take(0, 2), ['f0', 'f1']);
    assert.deepEqual(queue.take(1, 2), ['f5', 'f6']);
    assert.deepEqual(queue.take(0, 3), ['f2', 'f3', 'f4']);
    assert.deepEqual(queue.take(0, 2), ['f8', 'f9'], 'its range is done: it takes the end of the other');
    queue.putBack(1, ['f5']);
    assert.deepEqual(queue.steal(1), ['f7']);
    assert.equal(queue.length, 1);
    assert.deepEqual(queue.drain(), ['f5']);
    assert.equal(queue.length, 0);
  });
});
