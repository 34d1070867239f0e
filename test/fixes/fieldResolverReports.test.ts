// Rule table of n-plus-one through GraphQL field resolvers: a query keyed by a property of the parent runs once per
// parent object of a list (resolver maps, NestJS `@ResolveField`, type-graphql `@FieldResolver`); root fields, queries
// not keyed by the parent and resolvers already going through a loader are not reported.
import { dedent, runRuleTests } from '../rules/ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

runRuleTests('n-plus-one', {
  valid: [
    {
      name: 'a root Query field runs once per request',
      code: dedent`
        ${prisma}
        export const resolvers = {
          Query: { post: (_root: unknown, args: { id: number }) => prisma.post.findUnique({ where: { id: args.id } }) },
        };
      `,
    },
    {
      name: 'a field resolver whose query does not depend on its parent',
      code: dedent`
        ${prisma}
        export const resolvers = {
          Query: { posts: () => prisma.post.findMany({ take: 20 }) },
          Post: { siteName: async () => (await prisma.setting.findFirst({ where: { key: 'site' } }))?.value },
        };
      `,
    },
    {
      name: 'a field resolver that already loads through a DataLoader',
      code: dedent`
        ${prisma}
        export const resolvers = {
          Query: { posts: () => prisma.post.findMany({ take: 20 }) },
          Post: {
            author: (post: { authorId: number }, _args: unknown, context: { users: { load(id: number): Promise<unknown> } }) =>
              context.users.load(post.authorId),
          },
        };
      `,
    },
  ],
  invalid: [
    {
      name: 'resolver map (JavaScript): the author of each post → a per-request DataLoader',
      filename: '/project/src/resolvers.js',
      code: dedent`
        const { PrismaClient } = require('@prisma/client');
        const prisma = new PrismaClient();

        module.exports.resolvers = {
          Query: { posts: () => prisma.post.findMany({ take: 20 }) },
          Post: {
            author: (post) => prisma.user.findUnique({ where: { id: post.authorId } }),
                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          },
        };
      `,
      errors: [
        {
          messageId: 'perParent',
          messageIncludes: [
            'resolver `Post.author` is a GraphQL field resolver',
            'for every `Post` of a list',
            'load(post.authorId)',
          ],
          fixes: [
            {
              title:
                'Batch `prisma.user.findUnique` per request with a DataLoader: one read for all parents of `author`',
              output: dedent`
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

            module.exports.resolvers = {
              Query: { posts: () => prisma.post.findMany({ take: 20 }) },
              Post: {
                author: (post, _args, context) => authorLoader(context).load(post.authorId),
              },
            };
          `,
              kind: 'suggestion',
            },
          ],
        },
      ],
    },
    {
      name: 'NestJS @ResolveField with @Parent(): reported; the client is `this`, so no module-level loader',
      code: dedent`
        import { Resolver, ResolveField, Parent, Query } from '@nestjs/graphql';
        import { PrismaClient } from '@prisma/client';

        @Resolver('Post')
        export class PostResolver {
          constructor(private readonly prisma: PrismaClient) {}
          @Query()
          posts() {
            return this.prisma.post.findMany({ take: 20 });
          }
          @ResolveField()
          author(@Parent() post: { authorId: number }) {
            return this.prisma.user.findUnique({ where: { id: post.authorId } });
                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [
        { messageId: 'perParent', messageIncludes: ['`this.prisma.user.findUnique` runs once per parent object'] },
      ],
    },
    {
      name: 'NestJS @ResolveField calling a service that queries by the parent’s key: reported at the call, no rewrite',
      files: {
        '/project/src/users.service.ts': dedent`
          import { PrismaClient } from '@prisma/client';
          const prisma = new PrismaClient();
          export class UsersService {
            findById(id: number) {
              return prisma.user.findUnique({ where: { id } });
            }
          }
        `,
      },
      code: dedent`
        import { Resolver, ResolveField, Parent, Query } from '@nestjs/graphql';
        import { UsersService } from './users.service';

        @Resolver('Post')
        export class PostResolver {
          constructor(private readonly users: UsersService) {}
          @Query()
          posts() {
            return [];
          }
          @ResolveField()
          author(@Parent() post: { authorId: number }) {
            return this.users.findById(post.authorId);
                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [
        {
          messageId: 'perParent',
          messageIncludes: ['via `UsersService.findById` → `prisma.user.findUnique`', 'load(post.authorId)'],
        },
      ],
    },
    {
      name: 'type-graphql @FieldResolver with @Root(), on a type a query lists whole',
      code: dedent`
        import { Resolver, FieldResolver, Query, Root } from 'type-graphql';
        import { PrismaClient } from '@prisma/client';
        const prisma = new PrismaClient();
        class Post {
          authorId!: number;
        }

        @Resolver(() => Post)
        export class PostResolver {
          @Query(() => [Post])
          posts() {
            return prisma.post.findMany({ where: { published: true } });
          }
          @FieldResolver()
          async author(@Root() post: { authorId: number }) {
            return prisma.user.findUnique({ where: { id: post.authorId } });
                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'perParent', messageIncludes: ['load(post.authorId)'] }],
    },
  ],
});
