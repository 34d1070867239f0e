// The session's import graph, kept across edits that leave every import as it is, follows edits that add, change or drop one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisSession } from '../../server/engine';

describe('import graph across edits', () => {
  it('follows imports added, redirected and removed by edits, and files added and removed', () => {
    const session = new AnalysisSession();
    session.upsertFile('/app/db.ts', `export const db = { query: async (_sql: string) => [] };\n`);
    session.upsertFile('/app/cache.ts', `export const cache = new Map<string, unknown>();\n`);
    session.upsertFile('/app/users.ts', `export async function users() {\n  return 1;\n}\n`);
    assert.deepEqual(session.dependentsOf('/app/db.ts'), []);

    session.upsertFile(
      '/app/users.ts',
      `import { db } from './db';\nexport async function users() {\n  return db.query('SELECT 1');\n}\n`,
    );
    assert.deepEqual(session.dependentsOf('/app/db.ts'), ['/app/users.ts']);
    // Body edits keep the graph (and its answers).
    session.upsertFile(
      '/app/users.ts',
      `import { db } from './db';\nexport async function users() {\n  return db.query('SELECT 2');\n}\n`,
    );
    assert.deepEqual(session.dependentsOf('/app/db.ts'), ['/app/users.ts']);
    assert.deepEqual(session.dependenciesOf('/app/users.ts'), ['/app/db.ts']);

    session.upsertFile(
      '/app/users.ts',
      `import { cache } from './cache';\nexport async function users() {\n  return cache.get('x');\n}\n`,
    );
    assert.deepEqual(session.dependentsOf('/app/db.ts'), []);
    assert.deepEqual(session.dependentsOf('/app/cache.ts'), ['/app/users.ts']);

    session.upsertFile('/app/routes.ts', `export * from './users';\n`);
    assert.deepEqual(session.dependentsOf('/app/cache.ts').sort(), ['/app/routes.ts', '/app/users.ts']);
    session.removeFile('/app/users.ts');
    assert.deepEqual(session.dependentsOf('/app/cache.ts'), []);
    // A file that appears resolves an import that named it before it existed.
    session.upsertFile('/app/users.ts', `import { db } from './db';\nexport const n = 1;\n`);
    assert.deepEqual(session.dependentsOf('/app/db.ts').sort(), ['/app/routes.ts', '/app/users.ts']);
  });
});
