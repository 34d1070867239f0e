// Rule table of the DataLoader fix where the file starts a GraphQL server: the loader is created by the server's
// context factory (Apollo Server 2–4, graphql-yoga, mercurius), one per request; a context given as one object for
// every request keeps the WeakMap keyed on the context object.
import { dedent, runRuleTests } from '../rules/ruleTester';

runRuleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'Apollo Server 4 `startStandaloneServer` (TypeScript): the loader joins the object the context function returns',
      filename: '/project/src/server.ts',
      code: dedent`
        import { ApolloServer } from '@apollo/server';
        import { startStandaloneServer } from '@apollo/server/standalone';
        import { Pool } from 'pg';

        const pool = new Pool();

        interface Post {
          id: number;
          authorId: number;
        }

        const resolvers = {
          Query: { posts: async () => (await pool.query<Post>('SELECT id, author_id AS "authorId" FROM posts LIMIT 20')).rows },
          Post: {
            author: async (post: Post) => (await pool.query('SELECT id, name FROM users WHERE id = $1', [post.authorId])).rows[0] ?? null,
                                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          },
        };

        const server = new ApolloServer({ typeDefs: '', resolvers });
        startStandaloneServer(server, {
          context: async ({ req }) => ({ token: req.headers.authorization }),
          listen: { port: 4000 },
        });
      `,
      errors: [
        {
          messageId: 'perParent',
          fixes: [
            {
              title: 'Batch `pool.query` per request with a DataLoader: one read for all parents of `author`',
              output: dedent`
                import { ApolloServer } from '@apollo/server';
                import { startStandaloneServer } from '@apollo/server/standalone';
                import { Pool } from 'pg';
                import DataLoader from 'dataloader';

                const pool = new Pool();

                interface Post {
                  id: number;
                  authorId: number;
                }

                /** Batches \`author\` of all parents a request resolves into one read (DataLoader: order kept). */
                function createAuthorLoader() {
                  return new DataLoader(async (keys: readonly Post['authorId'][]) => {
                    const keyList = [...keys];
                    const userRows = (await pool.query('SELECT id, name FROM users WHERE id = ANY($1)', [keyList])).rows;
                    const byKey = new Map<string, (typeof userRows)[number][]>();
                    for (const row of userRows) {
                      const group = byKey.get(String(row.id));
                      if (group) group.push(row);
                      else byKey.set(String(row.id), [row]);
                    }
                    return keyList.map((key) => byKey.get(String(key)) ?? []);
                  });
                }

                const resolvers = {
                  Query: { posts: async () => (await pool.query<Post>('SELECT id, author_id AS "authorId" FROM posts LIMIT 20')).rows },
                  Post: {
                    author: async (post: Post, _args: unknown, context: { authorLoader: ReturnType<typeof createAuthorLoader> }) => (await context.authorLoader.load(post.authorId))[0] ?? null,
                  },
                };

                const server = new ApolloServer({ typeDefs: '', resolvers });
                startStandaloneServer(server, {
                  context: async ({ req }) => ({ token: req.headers.authorization, authorLoader: createAuthorLoader() }),
                  listen: { port: 4000 },
                });
              `,
              kind: 'suggestion',
            },
          ],
        },
      ],
    },
    {
      name: 'Apollo Server 2–3 `new ApolloServer` without a context (CommonJS): a context function is added that creates the loader',
      filename: '/project/src/server.js',
      code: dedent`
        const { ApolloServer } = require('apollo-server');
        const { PrismaClient } = require('@prisma/client');
        const prisma = new PrismaClient();

        const resolvers = {
          Query: { posts: () => prisma.post.findMany({ take: 20 }) },
          Post: {
            author: (post) => prisma.user.findUnique({ where: { id: post.authorId } }),
                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          },
        };

        const server = new ApolloServer({ typeDefs: '', resolvers });
        server.listen();
      `,
      errors: [
        {
          messageId: 'perParent',
          fixes: [
            {
              title:
                'Batch `prisma.user.findUnique` per request with a DataLoader: one read for all parents of `author`',
              output: dedent`
                const { ApolloServer } = require('apollo-server');
                const { PrismaClient } = require('@prisma/client');
                const DataLoader = require('dataloader');
                const prisma = new PrismaClient();

                /** Batches \`author\` of all parents a request resolves into one read (DataLoader: order kept). */
                function createAuthorLoader() {
                  return new DataLoader(async (keys) => {
                    const keyList = [...keys];
                    const userRows = await prisma.user.findMany({ where: { id: { in: keyList } } });
                    const byKey = new Map();
                    for (const row of userRows) if (!byKey.has(String(row.id))) byKey.set(String(row.id), row);
                    return keyList.map((key) => byKey.get(String(key)) ?? null);
                  });
                }

                const resolvers = {
                  Query: { posts: () => prisma.post.findMany({ take: 20 }) },
                  Post: {
                    author: (post, _args, context) => context.authorLoader.load(post.authorId),
                  },
                };

                const server = new ApolloServer({ typeDefs: '', resolvers, context: async () => ({ authorLoader: createAuthorLoader() }) });
                server.listen();
              `,
              kind: 'suggestion',
            },
          ],
        },
      ],
    },
    {
      name: 'graphql-yoga `createYoga` whose context function has two returns: each context gets its loader',
      filename: '/project/src/yoga.js',
      code: dedent`
        import { createYoga, createSchema } from 'graphql-yoga';
        import { PrismaClient } from '@prisma/client';
        const prisma = new PrismaClient();

        export const yoga = createYoga({
          schema: createSchema({
            typeDefs: '',
            resolvers: {
              Query: { posts: () => prisma.post.findMany({ take: 20 }) },
              Post: {
                author: (post, _args, ctx) => prisma.user.findUnique({ where: { id: post.authorId } }),
                                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
              },
            },
          }),
          context: async ({ request }) => {
            const token = request.headers.get('authorization');
            if (!token) return {};
            return { token };
          },
        });
      `,
      errors: [
        {
          messageId: 'perParent',
          fixes: [
            {
              title:
                'Batch `prisma.user.findUnique` per request with a DataLoader: one read for all parents of `author`',
              output: dedent`
                import { createYoga, createSchema } from 'graphql-yoga';
                import { PrismaClient } from '@prisma/client';
                import DataLoader from 'dataloader';
                const prisma = new PrismaClient();

                /** Batches \`author\` of all parents a request resolves into one read (DataLoader: order kept). */
                function createAuthorLoader() {
                  return new DataLoader(async (keys) => {
                    const keyList = [...keys];
                    const userRows = await prisma.user.findMany({ where: { id: { in: keyList } } });
                    const byKey = new Map();
                    for (const row of userRows) if (!byKey.has(String(row.id))) byKey.set(String(row.id), row);
                    return keyList.map((key) => byKey.get(String(key)) ?? null);
                  });
                }

                export const yoga = createYoga({
                  schema: createSchema({
                    typeDefs: '',
                    resolvers: {
                      Query: { posts: () => prisma.post.findMany({ take: 20 }) },
                      Post: {
                        author: (post, _args, ctx) => ctx.authorLoader.load(post.authorId),
                      },
                    },
                  }),
                  context: async ({ request }) => {
                    const token = request.headers.get('authorization');
                    if (!token) return { authorLoader: createAuthorLoader() };
                    return { token, authorLoader: createAuthorLoader() };
                  },
                });
              `,
              kind: 'suggestion',
            },
          ],
        },
      ],
    },
    {
      name: 'mercurius `app.register(mercurius, { context })` naming a function of the file: its returned object gets the loader',
      filename: '/project/src/app.js',
      code: dedent`
        import Fastify from 'fastify';
        import mercurius from 'mercurius';
        import { PrismaClient } from '@prisma/client';
        const prisma = new PrismaClient();

        const resolvers = {
          Query: { posts: () => prisma.post.findMany({ take: 20 }) },
          Post: {
            author: (post) => prisma.user.findUnique({ where: { id: post.authorId } }),
                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          },
        };

        function buildContext(request) {
          return { user: request.user };
        }

        const app = Fastify();
        app.register(mercurius, { schema: '', resolvers, context: buildContext });
      `,
      errors: [
        {
          messageId: 'perParent',
          fixes: [
            {
              title:
                'Batch `prisma.user.findUnique` per request with a DataLoader: one read for all parents of `author`',
              output: dedent`
                import Fastify from 'fastify';
                import mercurius from 'mercurius';
                import { PrismaClient } from '@prisma/client';
                import DataLoader from 'dataloader';
                const prisma = new PrismaClient();

                /** Batches \`author\` of all parents a request resolves into one read (DataLoader: order kept). */
                function createAuthorLoader() {
                  return new DataLoader(async (keys) => {
                    const keyList = [...keys];
                    const userRows = await prisma.user.findMany({ where: { id: { in: keyList } } });
                    const byKey = new Map();
                    for (const row of userRows) if (!byKey.has(String(row.id))) byKey.set(String(row.id), row);
                    return keyList.map((key) => byKey.get(String(key)) ?? null);
                  });
                }

                const resolvers = {
                  Query: { posts: () => prisma.post.findMany({ take: 20 }) },
                  Post: {
                    author: (post, _args, context) => context.authorLoader.load(post.authorId),
                  },
                };

                function buildContext(request) {
                  return { user: request.user, authorLoader: createAuthorLoader() };
                }

                const app = Fastify();
                app.register(mercurius, { schema: '', resolvers, context: buildContext });
              `,
              kind: 'suggestion',
            },
          ],
        },
      ],
    },
    {
      name: 'Apollo Server 2–3 with one context object for all requests: no per-request place, so the WeakMap keyed on the context',
      filename: '/project/src/shared.js',
      code: dedent`
        const { ApolloServer } = require('apollo-server');
        const { PrismaClient } = require('@prisma/client');
        const prisma = new PrismaClient();

        const resolvers = {
          Query: { posts: () => prisma.post.findMany({ take: 20 }) },
          Post: {
            author: (post) => prisma.user.findUnique({ where: { id: post.authorId } }),
                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          },
        };

        const server = new ApolloServer({ typeDefs: '', resolvers, context: { prisma } });
        server.listen();
      `,
      errors: [
        {
          messageId: 'perParent',
          fixes: [
            {
              title:
                'Batch `prisma.user.findUnique` per request with a DataLoader: one read for all parents of `author`',
              output: dedent`
                const { ApolloServer } = require('apollo-server');
                const { PrismaClient } = require('@prisma/client');
                const DataLoader = require('dataloader');
                const prisma = new PrismaClient();

                /** Batches \`author\` of all parents a request resolves into one read (DataLoader: order kept). */
                function createAuthorLoader() {
                  return new DataLoader(async (keys) => {
                    const keyList = [...keys];
                    const userRows = await prisma.user.findMany({ where: { id: { in: keyList } } });
                    const byKey = new Map();
                    for (const row of userRows) if (!byKey.has(String(row.id))) byKey.set(String(row.id), row);
                    return keyList.map((key) => byKey.get(String(key)) ?? null);
                  });
                }

                /** One loader per request, keyed on its context object: its cache lives and dies with the request. */
                const authorLoaders = new WeakMap();
                function authorLoader(context) {
                  let loader = authorLoaders.get(context);
                  if (!loader) {
                    loader = createAuthorLoader();
                    authorLoaders.set(context, loader);
                  }
                  return loader;
                }

                const resolvers = {
                  Query: { posts: () => prisma.post.findMany({ take: 20 }) },
                  Post: {
                    author: (post, _args, context) => authorLoader(context).load(post.authorId),
                  },
                };

                const server = new ApolloServer({ typeDefs: '', resolvers, context: { prisma } });
                server.listen();
              `,
              kind: 'suggestion',
            },
          ],
        },
      ],
    },
  ],
});
