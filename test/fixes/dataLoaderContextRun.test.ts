// The DataLoader fix in a file that starts Apollo Server 4: compiled (strict) against dataloader's and pg's declarations
// and a declaration of `startStandaloneServer` as Apollo publishes it (the package is not installed here), then run on
// PostgreSQL the way the server runs a request: the context factory once, every parent of the list with that context.
import assert from 'node:assert/strict';
import Module from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { batchedByRule } from '../rules/batchedByRule';
import { startFixSandbox, type FixSandbox } from '../rules/fixSandbox';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const SERVER = `import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Pool } from 'pg';

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
    posts: async () => (await pool.query<Post>('SELECT id, author_id AS "authorId" FROM posts ORDER BY id LIMIT 20')).rows,
  },
  Post: {
    author: async (post: Post) => {
      const { rows } = await pool.query<User>('SELECT id, name FROM users WHERE id = $1', [post.authorId]);
      return rows[0] ?? null;
    },
  },
};

const server = new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', resolvers });
export const started = startStandaloneServer(server, {
  context: async ({ req }) => ({ token: req.headers.authorization }),
  listen: { port: 0 },
});
`;

// The signatures the fixed file uses, as @apollo/server 4 declares them (TContext inferred from the resolvers).
const APOLLO_DECLARATIONS = `declare module '@apollo/server' {
  export interface BaseContext {}
  export class ApolloServer<TContext extends BaseContext = BaseContext> {
    constructor(config: { typeDefs: string; resolvers?: Record<string, Record<string, (parent: any, args: any, context: TContext) => unknown>> });
  }
}
declare module '@apollo/server/standalone' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { ApolloServer, BaseContext } from '@apollo/server';
  export interface StandaloneServerContextFunctionArgument {
    req: IncomingMessage;
    res: ServerResponse;
  }
  export function startStandaloneServer<TContext extends BaseContext>(
    server: ApolloServer<TContext>,
    options?: { context?: (arg: StandaloneServerContextFunctionArgument) => Promise<TContext>; listen?: { port?: number } },
  ): Promise<{ url: string }>;
}
`;

type ContextFunction = (arg: { req: { headers: Record<string, string> } }) => Promise<object>;
type Resolver = (parent: unknown, args: unknown, context: object) => Promise<unknown>;

describe('n-plus-one DataLoader created by the Apollo Server 4 context factory', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  let fixed: string;
  let contextFunction: ContextFunction | undefined;
  let loaded: { pool: Pool; resolvers: { Post: { author: Resolver } } };

  before(async () => {
    fixed = batchedByRule(SERVER);
    sandbox = await startFixSandbox('pa-dataloader-context-', {
      'server.ts': fixed,
      'apollo.d.ts': APOLLO_DECLARATIONS,
    });
    postgres = await startPostgres();
    process.env.PA_PG_URL = postgres.url;
    const admin = new Pool({ connectionString: postgres.url });
    await admin.query(`
      CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO users VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger');
    `);
    await admin.end();
  });

  after(async () => {
    await loaded?.pool.end();
    await sandbox?.stop();
    await postgres?.stop();
  });

  it('puts the loader into the context the factory returns, and reads it from the resolver’s context', () => {
    assert.match(
      fixed,
      /context: async \(\{ req \}\) => \(\{ token: req\.headers\.authorization, authorLoader: createAuthorLoader\(\) \}\),/,
    );
    assert.match(fixed, /const \{ rows \} = \{ rows: await context\.authorLoader\.load\(post\.authorId\) \};/);
    assert.doesNotMatch(fixed, /WeakMap/);
  });

  it('compiles under strict TypeScript against dataloader, pg and Apollo’s signatures', () => {
    assert.deepEqual(sandbox.compile(['server.ts', 'apollo.d.ts']), []);
  });

  /** Loads the compiled file with Apollo's two modules replaced: the standalone server keeps its context function. */
  function loadServer(): void {
    const stubs: Record<string, unknown> = {
      '@apollo/server': { ApolloServer: class {} },
      '@apollo/server/standalone': {
        startStandaloneServer: async (_server: unknown, options: { context: ContextFunction }) => {
          contextFunction = options.context;
          return { url: 'http://127.0.0.1/' };
        },
      },
    };
    const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const original = loader._load;
    loader._load = (request, ...rest) =>
      Object.hasOwn(stubs, request) ? stubs[request] : original.call(Module, request, ...rest);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled module
      loaded = require(join(sandbox.dir, 'server.js')) as typeof loaded;
    } finally {
      loader._load = original;
    }
  }

  /** One request: the server's context factory, then `author` of every post at once (graphql-js on a list). */
  async function request(posts: { id: number; authorId: number }[]) {
    const { pool, resolvers } = loaded;
    const context = await contextFunction!({ req: { headers: { authorization: 'token' } } });
    let queries = 0;
    const query = pool.query.bind(pool);
    pool.query = ((...args: Parameters<Pool['query']>) => {
      queries++;
      return (query as (...a: unknown[]) => unknown)(...args);
    }) as Pool['query'];
    try {
      const values = await Promise.all(posts.map((post) => resolvers.Post.author(post, {}, context)));
      return { values, queries, context };
    } finally {
      pool.query = query;
    }
  }

  it('6 parents resolved → 1 query, each its author (duplicates and a missing one), a new loader per request', async () => {
    loadServer();
    assert.ok(contextFunction, 'the server was started with a context function');
    const posts = [2, 1, 99, 2, 3, 1].map((authorId, i) => ({ id: 10 + i, authorId }));
    const first = await request(posts);
    assert.equal(first.queries, 1);
    assert.deepEqual(
      first.values.map((u) => (u as { name: string } | null)?.name ?? null),
      ['Grace', 'Ada', null, 'Grace', 'Edsger', 'Ada'],
    );
    assert.equal((first.context as { token?: string }).token, 'token', 'the user’s own context is kept');
    const second = await request(posts.slice(0, 1));
    assert.equal(second.queries, 1, 'a second request does not reuse the first one’s loader');
  });
});
