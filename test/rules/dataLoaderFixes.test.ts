// The DataLoader fix for GraphQL field resolvers keyed by their parent: compiled (strict) against dataloader's, pg's and
// a generated Prisma client's declarations, and run on PostgreSQL the way graphql-js runs a list's field (every
// parent at once, one context per request): one query instead of one per parent, the same answers.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { batchedByRule } from './batchedByRule';
import { startFixSandbox, type FixSandbox } from './fixSandbox';
import { generatePrismaClient } from './prismaClient';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const ORIGINAL: Record<string, string> = {
  pg: `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.PA_PG_URL, max: 4 });

interface Post {
  id: number;
  authorId: number;
}
interface User {
  id: number;
  name: string;
}

export const resolvers = {
  Query: {
    posts: async () => (await pool.query<Post>('SELECT id, author_id AS "authorId" FROM posts ORDER BY id')).rows,
  },
  Post: {
    author: async (post: Post) => {
      const { rows } = await pool.query<User>('SELECT id, name FROM users WHERE id = $1', [post.authorId]);
      return rows[0] ?? null;
    },
  },
  User: {
    posts: async (user: User) => (await pool.query<{ id: number; author_id: number }>('SELECT id, author_id FROM posts WHERE author_id = $1 ORDER BY id', [user.id])).rows,
  },
};
`,
  prisma: `import { PrismaClient } from './generated/prisma-client';

const prisma = new PrismaClient();

export const resolvers = {
  Query: {
    posts: () => prisma.post.findMany(),
  },
  Post: {
    author: (post: { authorId: number }) => prisma.user.findUnique({ where: { id: post.authorId } }),
  },
};
`,
};

type Resolver = (parent: unknown, args?: unknown, context?: object) => Promise<unknown>;
interface Loaded {
  pool: Pool;
  resolvers: { Post: { author: Resolver }; User: { posts: Resolver } };
}

describe('n-plus-one DataLoader for GraphQL field resolvers', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  const fixed: Record<string, string> = {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled modules
  const load = (name: string) => require(join(sandbox.dir, `${name}.js`)) as Loaded;

  before(async () => {
    for (const [name, code] of Object.entries(ORIGINAL)) fixed[`${name}.ts`] = batchedByRule(code);
    sandbox = await startFixSandbox('pa-dataloader-', {
      ...fixed,
      ...Object.fromEntries(Object.entries(ORIGINAL).map(([name, code]) => [`${name}Resolvers.ts`, code])),
    });
    generatePrismaClient(sandbox.dir);
    postgres = await startPostgres();
    process.env.PA_PG_URL = postgres.url;
    const admin = new Pool({ connectionString: postgres.url });
    await admin.query(`
      CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO users VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger');
      CREATE TABLE posts (id int PRIMARY KEY, author_id int NOT NULL);
      INSERT INTO posts VALUES (10, 2), (11, 1), (12, 99), (13, 2), (14, 3), (15, 1);
    `);
    await admin.end();
  });

  after(async () => {
    for (const name of ['pg', 'pgResolvers']) await load(name).pool?.end();
    await sandbox?.stop();
    await postgres?.stop();
  });

  it('creates one loader per request context, batching with the library’s IN form', () => {
    const pg = fixed['pg.ts']!;
    assert.match(pg, /^import DataLoader from 'dataloader';$/m);
    assert.match(pg, /new DataLoader\(async \(keys: readonly Post\['authorId'\]\[\]\) => \{/);
    assert.match(pg, /WHERE id = ANY\(\$1\)', \[keyList\]\)\)\.rows/);
    assert.match(pg, /const authorLoaders = new WeakMap<object, ReturnType<typeof createAuthorLoader>>\(\);/);
    assert.match(pg, /author: async \(post: Post, _args: unknown, context: object\) => \{/);
    assert.match(pg, /const \{ rows \} = \{ rows: await authorLoader\(context\)\.load\(post\.authorId\) \};/);
    assert.match(fixed['prisma.ts']!, /prisma\.user\.findMany\(\{ where: \{ id: \{ in: keyList \} \} \}\)/);
    assert.match(fixed['prisma.ts']!, /=> authorLoader\(context\)\.load\(post\.authorId\)/);
  });

  it('compiles under strict TypeScript against dataloader, pg and the generated Prisma client', () => {
    const names = Object.keys(fixed);
    assert.deepEqual(sandbox.compile([...names, ...names.map((f) => f.replace('.ts', 'Resolvers.ts'))]), []);
  });

  /** Resolves `field` of every parent at once with one context, as graphql-js does for a list; counts the queries. */
  async function resolveList(name: string, type: 'Post' | 'User', field: string, parents: unknown[]) {
    const { pool, resolvers } = load(name);
    const resolver = (resolvers as unknown as Record<string, Record<string, Resolver>>)[type]![field]!;
    let queries = 0;
    const query = pool.query.bind(pool);
    pool.query = ((...args: Parameters<Pool['query']>) => {
      queries++;
      return (query as (...a: unknown[]) => unknown)(...args);
    }) as Pool['query'];
    try {
      const context = {};
      const values = await Promise.all(parents.map((parent) => resolver(parent, {}, context)));
      return { values, queries };
    } finally {
      pool.query = query;
    }
  }

  it('N parents → one query, the same authors as the per-parent resolver (duplicates and a missing author)', async () => {
    const posts = [10, 11, 12, 13, 14, 15].map((id, i) => ({ id, authorId: [2, 1, 99, 2, 3, 1][i]! }));
    const loop = await resolveList('pgResolvers', 'Post', 'author', posts);
    const batched = await resolveList('pg', 'Post', 'author', posts);
    assert.equal(loop.queries, 6);
    assert.equal(batched.queries, 1);
    assert.deepEqual(batched.values, loop.values);
    assert.deepEqual(
      batched.values.map((u) => (u as { name: string } | null)?.name ?? null),
      ['Grace', 'Ada', null, 'Grace', 'Edsger', 'Ada'],
    );
  });

  it('a list field per parent: one query, each parent’s rows in order, [] for a parent with none', async () => {
    const users = [{ id: 1 }, { id: 7 }, { id: 2 }, { id: 1 }];
    const loop = await resolveList('pgResolvers', 'User', 'posts', users);
    const batched = await resolveList('pg', 'User', 'posts', users);
    assert.equal(batched.queries, 1);
    assert.deepEqual(batched.values, loop.values);
    assert.deepEqual(
      batched.values.map((rows) => (rows as { id: number }[]).map((p) => p.id)),
      [[11, 15], [], [10, 13], [11, 15]],
    );
  });

  it('each request gets its own loader: a second context queries again (no answers cached across requests)', async () => {
    const posts = [{ id: 10, authorId: 2 }];
    assert.equal((await resolveList('pg', 'Post', 'author', posts)).queries, 1);
    assert.equal((await resolveList('pg', 'Post', 'author', posts)).queries, 1);
  });
});
