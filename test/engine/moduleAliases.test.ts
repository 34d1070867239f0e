// Module specifiers resolved to project files without tsconfig: relative paths, prefix aliases (`@/`, `~/`, `#`),
// monorepo package paths (`@scope/pkg/x` → `libs/pkg/src/x`, `@scope/pkg/lib/x` → `pkg/src/x`); of several matches the
// one under the importer's alias root, else none; the text scan of importers finds every file resolveModule can pick.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileSet } from '../../rules/analysis/fileSet';

function fileSet(files: Record<string, string>): FileSet {
  const set = new FileSet();
  for (const [path, text] of Object.entries(files)) set.upsert(path, text);
  return set;
}

const resolved = (set: FileSet, from: string, specifier: string) => set.resolveModule(from, specifier)?.path;

describe('module aliases', () => {
  it('resolves a relative path, a prefix alias and a path from src', () => {
    const set = fileSet({
      '/p/src/db/client.ts': 'export const db = 1;',
      '/p/src/lib/index.ts': 'export const lib = 1;',
      '/p/src/app.ts': "import { db } from './db/client';",
    });
    assert.equal(resolved(set, '/p/src/app.ts', './db/client'), '/p/src/db/client.ts');
    assert.equal(resolved(set, '/p/src/app.ts', '@/db/client'), '/p/src/db/client.ts');
    assert.equal(resolved(set, '/p/src/app.ts', '~/lib'), '/p/src/lib/index.ts');
    assert.equal(resolved(set, '/p/src/app.ts', 'src/db/client'), '/p/src/db/client.ts');
    assert.equal(resolved(set, '/p/src/app.ts', 'pg'), undefined);
  });

  it("resolves a monorepo package path inside the package's src (@scope/pkg/x → libraries/pkg/src/x)", () => {
    const set = fileSet({
      '/p/libraries/nest-libs/src/database/integration.service.ts': 'export class IntegrationService {}',
      '/p/libraries/helpers/src/utils/index.ts': 'export const x = 1;',
      '/p/apps/backend/src/main.ts': '',
    });
    const from = '/p/apps/backend/src/main.ts';
    assert.equal(
      resolved(set, from, '@gitroom/nest-libs/database/integration.service'),
      '/p/libraries/nest-libs/src/database/integration.service.ts',
    );
    assert.equal(resolved(set, from, '@gitroom/helpers/utils'), '/p/libraries/helpers/src/utils/index.ts');
    // The scope's own package with no such file: unresolved, never a file of another package.
    assert.equal(resolved(set, from, '@gitroom/other/database/integration.service'), undefined);
  });

  it('prefers the path as written over the src layout, and leaves two equal matches unresolved', () => {
    const set = fileSet({
      '/p/packages/core/db.ts': 'export const a = 1;',
      '/p/packages/core/src/db.ts': 'export const b = 1;',
      '/p/apps/a/users/repo.ts': '',
      '/p/apps/b/users/repo.ts': '',
    });
    assert.equal(resolved(set, '/p/x.ts', '@acme/core/db'), '/p/packages/core/db.ts');
    assert.equal(resolved(set, '/p/apps/c/x.ts', '@/users/repo'), undefined);
  });

  it("a package's build folder stands for its src (@vendure/common/lib/x → packages/common/src/x)", () => {
    const set = fileSet({
      '/p/packages/common/src/generated-types.ts': 'export type A = 1;',
      '/p/packages/dev-server/plugins/reviews/generated-types.ts': 'export type B = 1;',
      '/p/packages/core/src/service.ts': '',
    });
    assert.equal(
      resolved(set, '/p/packages/core/src/service.ts', '@vendure/common/lib/generated-types'),
      '/p/packages/common/src/generated-types.ts',
    );
  });

  it("of several matches, the one under the importer's outermost ancestor (the alias root), else none", () => {
    const set = fileSet({
      '/p/lib/types.ts': 'export type A = 1;',
      '/p/ee/features/workflows/lib/types.ts': 'export type B = 1;',
      '/p/apps/web/lib/db.ts': 'export const web = 1;',
      '/p/apps/admin/lib/db.ts': 'export const admin = 1;',
    });
    // A feature folder with its own lib/ is not where `@/` points, even from inside that feature.
    assert.equal(resolved(set, '/p/app/page.tsx', '@/lib/types'), '/p/lib/types.ts');
    assert.equal(resolved(set, '/p/ee/features/workflows/api/route.ts', '@/lib/types'), '/p/lib/types.ts');
    // Each app's `@/lib/db` is its own.
    assert.equal(resolved(set, '/p/apps/web/app/page.tsx', '@/lib/db'), '/p/apps/web/lib/db.ts');
    assert.equal(resolved(set, '/p/apps/admin/app/page.tsx', '@/lib/db'), '/p/apps/admin/lib/db.ts');
    // From outside both apps nothing says which one.
    assert.equal(resolved(set, '/p/scripts/seed.ts', '@/lib/db'), undefined);
  });

  it('the text scan of importers finds the importer of a package path', () => {
    const set = fileSet({
      '/p/libraries/nest-libs/src/database/posts.service.ts': 'export class PostsService {}',
      '/p/apps/backend/src/posts.controller.ts':
        "import { PostsService } from '@gitroom/nest-libs/database/posts.service';",
    });
    const importers = set.importersByText().get('/p/libraries/nest-libs/src/database/posts.service.ts');
    assert.deepEqual([...(importers ?? [])], ['/p/apps/backend/src/posts.controller.ts']);
  });
});
