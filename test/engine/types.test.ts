// With types on, the TypeScript checker places receivers that syntax cannot (interfaces from a library's .d.ts, generics,
// aliases), against the real declarations of pg, ioredis and mongoose in node_modules; with types off they stay
// unknown.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { dedent } from '../rules/ruleTester';
import { AnalysisSession, analyzeFiles, type AnalysisResult } from '../../server/engine';
import { declaringPackage } from '../../server/engine/typeChecker';
import { handleTypeFor } from '../../rules/analysis/typeOracle';
import { loadKnowledge } from '../../rules/knowledge';
import type { LibraryInput } from '../../rules/knowledge/schema';

const projectModules = resolve(__dirname, '../../node_modules');
const roots: string[] = [];

/** A project folder with a tsconfig and, unless told otherwise, the real node_modules of this repository. */
function project(options: { modules?: boolean; tsconfig?: string } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'pa-types-'));
  roots.push(root);
  writeFileSync(
    join(root, 'tsconfig.json'),
    options.tsconfig ?? JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'es2022' } }),
  );
  if (options.modules !== false) symlinkSync(projectModules, join(root, 'node_modules'), 'dir');
  return root;
}
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Findings of one rule as `line: receiver.method`, with and without types. */
function nPlusOne(root: string, files: Record<string, string>, types: boolean): string[] {
  const inputs = Object.entries(files).map(([name, text]) => ({ path: join(root, name), text }));
  const result = analyzeFiles(inputs, undefined, undefined, { types });
  assert.deepEqual(result.errors, []);
  return lines(result, 'n-plus-one');
}

/**
 * `routes.ts`: an express route that awaits `call` with what the client sent, so the loop's collection has an origin
 * that grows (a loop over a parameter no caller fills is silent by default). `head` holds its imports and declarations.
 */
function route(head: string[], call: string): string {
  return [
    "import express from 'express';",
    ...head,
    'const app = express();',
    `app.post('/x', async (req, res) => res.json(await ${call}));`,
    '',
  ].join('\n');
}

function lines(result: AnalysisResult, ruleId: string): string[] {
  return result.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.span.range.start.line + 1}: ${f.message.split('`')[1]}`);
}

describe('types: receivers only the checker can place', () => {
  it('a pg Pool reached through an interface property (the statement in a variable, so no shape tells)', () => {
    const root = project();
    const files = {
      'deps.ts': dedent`
        import type { Pool } from 'pg';
        export interface Deps { db: Pool }
      `,
      'users.ts': dedent`
        import type { Deps } from './deps';
        const byId = 'select * from users where id = $1';
        export async function load(deps: Deps, ids: string[]) {
          for (const id of ids) await deps.db.query(byId, [id]);
        }
      `,
      'routes.ts': route(["import { load } from './users';"], 'load(req.app.locals.deps, req.body.ids)'),
    };
    assert.deepEqual(nPlusOne(root, files, false), []);
    assert.deepEqual(nPlusOne(root, files, true), ['4: deps.db.query']);
  });

  it('an injected ioredis client typed by a generic (a container `get<T>()`, a constraint)', () => {
    const root = project();
    const files = {
      'container.ts': dedent`
        export interface Container { get<T>(token: string): T }
      `,
      'cart.ts': dedent`
        import Redis from 'ioredis';
        import type { Container } from './container';
        export class CartService<C extends Redis> {
          private readonly redis = this.container.get<Redis>('redis');
          constructor(private readonly container: Container, private readonly cache: C) {}
          async prices(skus: string[]) {
            for (const sku of skus) await this.redis.hget('prices', sku);
            return Promise.all(skus.map((sku) => this.cache.get(sku)));
          }
        }
      `,
      'routes.ts': route(
        ["import type { CartService } from './cart';", 'declare const cart: CartService<never>;'],
        'cart.prices(req.body.skus)',
      ),
    };
    assert.deepEqual(nPlusOne(root, files, false), []);
    assert.deepEqual(nPlusOne(root, files, true), ['7: this.redis.hget', '8: this.cache.get']);
  });

  it('a mongoose Model behind a type alias, and a Pool subclass declared in the project', () => {
    const root = project();
    const files = {
      'models.ts': dedent`
        import { Model, Schema } from 'mongoose';
        import { Pool } from 'pg';
        export interface IUser { name: string }
        export type UserModel = Model<IUser>;
        export class AuditPool extends Pool {}
        export const schema = new Schema<IUser>({ name: String });
      `,
      'service.ts': dedent`
        import type { AuditPool, UserModel } from './models';
        export async function names(users: UserModel, audit: () => AuditPool, ids: string[]) {
          const sql = 'insert into audit(id) values ($1)';
          for (const id of ids) {
            await users.findById(id);
            await audit().query(sql, [id]);
          }
        }
      `,
      'routes.ts': route(
        ["import { names } from './service';"],
        'names(req.app.locals.users, req.app.locals.audit, req.body.ids)',
      ),
    };
    assert.deepEqual(nPlusOne(root, files, false), []);
    assert.deepEqual(nPlusOne(root, files, true), ['5: users.findById', '6: audit().query']);
  });

  it('without the library installed, the annotation the checker leads to is read syntactically', () => {
    const root = project({ modules: false });
    const files = {
      'deps.ts': dedent`
        import { Pool } from 'pg';
        export type Services = { readonly db: Pool; readonly name: string };
      `,
      'jobs.ts': dedent`
        import type { Services } from './deps';
        export async function touch(services: Services, ids: number[], sql: string) {
          for (const id of ids) await services.db.query(sql, [id]);
        }
      `,
      'routes.ts': route(
        ["import { touch } from './jobs';"],
        'touch(req.app.locals.services, req.body.ids, req.app.locals.sql)',
      ),
    };
    assert.deepEqual(nPlusOne(root, files, false), []);
    assert.deepEqual(nPlusOne(root, files, true), ['3: services.db.query']);
  });

  it('a receiver the checker types as a project class or a plain object stays silent', () => {
    const root = project();
    const files = {
      'store.ts': dedent`
        export interface Store { get(key: string): string | undefined; query(sql: string): number }
        export class MemoryStore implements Store {
          private readonly map = new Map<string, string>();
          get(key: string) { return this.map.get(key); }
          query(sql: string) { return sql.length; }
        }
      `,
      'use.ts': dedent`
        import type { Store } from './store';
        export function read(store: Store, keys: string[], sql: string) {
          for (const key of keys) { store.get(key); store.query(sql); }
        }
      `,
      'routes.ts': route(
        ["import { read } from './use';"],
        'read(req.app.locals.store, req.body.keys, req.app.locals.sql)',
      ),
    };
    assert.deepEqual(nPlusOne(root, files, true), []);
  });
});

describe('types: the checker as a runner part', () => {
  it('is off by default and says so; on, it reports what it asked and placed', () => {
    const root = project();
    const text = dedent`
      import type { Pool } from 'pg';
      export async function f(holder: { pool: Pool }, ids: string[], sql: string) {
        for (const id of ids) await holder.pool.query(sql, [id]);
      }
    `;
    const caller = route(["import { f } from './a';"], 'f(req.app.locals, req.body.ids, req.app.locals.sql)');
    const off = new AnalysisSession();
    off.upsertFile(join(root, 'a.ts'), text);
    off.upsertFile(join(root, 'routes.ts'), caller);
    assert.equal(off.analyzeAll().types, undefined);
    assert.deepEqual(off.typesSummary(), { enabled: false });
    const on = new AnalysisSession(undefined, { types: true });
    on.upsertFile(join(root, 'a.ts'), text);
    on.upsertFile(join(root, 'routes.ts'), caller);
    const result = on.analyzeAll();
    assert.equal(result.findings.length, 1);
    assert.ok(result.types?.enabled);
    assert.equal(result.types.resolved, 1);
    assert.ok(result.types.asked >= 1);
    assert.deepEqual(result.types.projects, [join(root, 'tsconfig.json')]);
    assert.deepEqual(result.types.problems, []);
  });

  it('a tsconfig that extends a package that is not installed is a problem reported, not a failed file', () => {
    const root = project({ modules: false, tsconfig: JSON.stringify({ extends: '@tsconfig/not-installed' }) });
    const result = analyzeFiles(
      [{ path: join(root, 'a.ts'), text: 'export const f = (x: { get(k: string): void }) => x.get("k");\n' }],
      undefined,
      undefined,
      { types: true },
    );
    assert.deepEqual(result.errors, []);
    assert.ok(result.types?.enabled);
    assert.match(result.types.problems.join('\n'), /not-installed/);
  });

  it('odd names from user code never reach a table lookup as Object.prototype members', () => {
    const knowledge = loadKnowledge();
    for (const typeName of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])
      for (const staticSide of [false, true])
        assert.equal(handleTypeFor(knowledge, { packageName: 'pg', typeName, staticSide }), undefined, typeName);
    const root = project();
    const text = dedent`
      import type { Pool } from 'pg';
      export function f(pool: Pool, o: { constructor: Pool; toString: Pool }, ids: string[]) {
        for (const id of ids) { o.constructor.query(id); o.toString.query(id); pool.constructor.name; }
      }
    `;
    const caller = route(["import { f } from './odd';"], 'f(req.app.locals.pool, req.app.locals.o, req.body.ids)');
    const result = analyzeFiles(
      [
        { path: join(root, 'odd.ts'), text },
        { path: join(root, 'routes.ts'), text: caller },
      ],
      undefined,
      undefined,
      { types: true },
    );
    assert.deepEqual(result.errors, []);
    assert.deepEqual(lines(result, 'n-plus-one'), ['3: o.constructor.query', '3: o.toString.query']);
  });

  it('a table whose declarations name an unknown handle type or a bad pattern is rejected, naming the field', () => {
    const table = (declarations: LibraryInput['declarations']): LibraryInput[] => [
      { id: 'wrapper', modules: ['wrapper'], types: { Db: { methods: { run: { effect: 'read' } } } }, declarations },
    ];
    assert.throws(
      () => loadKnowledge(table({ types: { Database: 'Nope' } })),
      /declarations\.types\.Database: unknown type "Nope"/,
    );
    assert.throws(
      () => loadKnowledge(table({ patterns: [{ match: '(', type: 'Db' }] })),
      /declarations\.patterns\.0\.match/,
    );
    const knowledge = loadKnowledge(table({ packages: ['@acme/db-types'], patterns: [{ match: '^Db', type: 'Db' }] }));
    assert.deepEqual(
      handleTypeFor(knowledge, { packageName: '@acme/db-types', typeName: 'DbClient', staticSide: false })?.typeName,
      'Db',
    );
  });

  it('names the package that declares a type from its declaration file path', () => {
    assert.equal(declaringPackage('/p/node_modules/@types/pg/index.d.ts'), 'pg');
    assert.equal(declaringPackage('/p/node_modules/@types/scope__lib/x.d.ts'), '@scope/lib');
    assert.equal(declaringPackage('/p/node_modules/ioredis/built/Redis.d.ts'), 'ioredis');
    assert.equal(declaringPackage('/p/node_modules/a/node_modules/@prisma/client/index.d.ts'), '@prisma/client');
    assert.equal(declaringPackage('/p/node_modules/.prisma/client/index.d.ts'), '.prisma/client');
    assert.equal(declaringPackage('C:\\p\\node_modules\\mongoose\\types\\models.d.ts'), 'mongoose');
    assert.equal(declaringPackage('/p/src/db.ts'), undefined);
  });
});
