// n-plus-one on a query a helper builds and returns without awaiting it, awaited once per element in the loop: the key
// reaches the query through the helper's parameter, so it is a query per element (not an invariant to hoist), the
// message names the helper and the query, and no batch rewrite is offered (it cannot reach the helper's arguments).
import { dedent, runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

const repo = dedent`
  ${prisma}
  export function findPosts(authorId: string) {
    return prisma.post.findMany({ where: { authorId }, take: 20 });
  }
`;

runRuleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'a helper in another file returns the query; the loop passes the element: a query per element',
      files: { '/project/src/repo.ts': repo },
      code: dedent`
        ${prisma}
        import { findPosts } from './repo';
        export async function feed() {
          const users = await prisma.user.findMany({ where: { active: true } });
          const all = [];
          for (const user of users) all.push(await findPosts(user.id));
                                                   ~~~~~~~~~~~~~~~~~~
          return all;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          messageIncludes: ['`findPosts → prisma.post.findMany` runs once per element of `users`'],
        },
      ],
    },
    {
      name: 'a helper in the same file returns the query: a query per element too',
      code: dedent`
        ${prisma}
        function findPosts(authorId: string) {
          return prisma.post.findMany({ where: { authorId }, take: 20 });
        }
        export async function feed() {
          const users = await prisma.user.findMany({ where: { active: true } });
          return Promise.all(users.map((user) => findPosts(user.id)));
                                                 ~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'concurrent',
          messageIncludes: ['`findPosts → prisma.post.findMany` is sent once per element of `users`'],
        },
      ],
    },
    {
      name: 'the loop passes the helper nothing of its own: the same query every time, hoisted',
      files: { '/project/src/repo.ts': repo },
      code: dedent`
        ${prisma}
        import { findPosts } from './repo';
        export async function feed(ownerId: string) {
          const users = await prisma.user.findMany({ where: { active: true } });
          const all = [];
          for (const user of users) {
            const posts = await findPosts(ownerId);
                                ~~~~~~~~~~~~~~~~~~
            all.push({ user, posts });
          }
          return all;
        }
      `,
      errors: [
        {
          messageId: 'invariant',
          messageIncludes: ['`findPosts → prisma.post.findMany` sends the same query'],
          fixes: [
            {
              title: 'Hoist the invariant query above the loop',
              output: dedent`
                ${prisma}
                import { findPosts } from './repo';
                export async function feed(ownerId: string) {
                  const users = await prisma.user.findMany({ where: { active: true } });
                  const all = [];
                  const posts = await findPosts(ownerId);
                  for (const user of users) {
                    all.push({ user, posts });
                  }
                  return all;
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});
