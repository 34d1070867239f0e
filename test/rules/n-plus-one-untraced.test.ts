// n-plus-one on loops over a parameter no caller in the project fills, in code no entry point is known to reach:
// silent by default (on real code mostly small by domain), `info` with "possible: …" under `untracedParameters:
// 'possible'`; a function a framework calls stays silent either way; traced origins that grow are reported by default.
import { UNTRACED_POSSIBLE } from './origins';
import { dedent, runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const express = `import express from 'express';\nconst app = express();\n`;

const postsByUser = dedent`
  export async function postsByUser(users: { id: string }[]) {
    const out = [];
    for (const u of users) out.push(await prisma.post.findMany({ where: { authorId: u.id } }));
    return out;
  }
`;

runRuleTests('n-plus-one', {
  valid: [
    {
      name: 'default: a parameter no caller fills, in code no entry reaches, is silent',
      code: prisma + postsByUser,
    },
    {
      name: 'default: a caller in a test file does not count, so the parameter is still untraced',
      files: {
        '/project/test/posts.test.ts': dedent`
          import { postsByUser } from '../src/case';
          const users = Array.from({ length: 500 }, (_, i) => ({ id: String(i) }));
          void postsByUser(users);
        `,
      },
      code: prisma + postsByUser,
    },
    {
      name: "'possible': a listener the emitter calls gets the event's arguments, not an unseen caller's: silent",
      config: UNTRACED_POSSIBLE,
      code: dedent`
        ${prisma}
        import { EventEmitter } from 'node:events';
        export const events = new EventEmitter();
        events.on('users.imported', async (source: string, batchId: string, userIds: string[]) => {
          for (const id of userIds) await prisma.post.findMany({ where: { authorId: id } });
        });
      `,
    },
    {
      name: "'possible' is about untraced parameters only: a caller's small literal list stays silent",
      config: UNTRACED_POSSIBLE,
      code: dedent`
        ${prisma}
        ${postsByUser}
        export async function featured() {
          return postsByUser([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
        }
      `,
    },
  ],
  invalid: [
    {
      name: "'possible': the same loop is reported at info, saying why it is only possible; the batch fix is offered",
      config: UNTRACED_POSSIBLE,
      code: dedent`
        ${prisma}
        export async function postsByUser(users: { id: string }[]) {
          const out = [];
          for (const u of users) out.push(await prisma.post.findMany({ where: { authorId: u.id } }));
                                                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return out;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          severity: 'info',
          messageIncludes: [
            '`prisma.post.findMany` runs once per element of `users` (possible: `users`, a parameter no caller in the project fills)',
          ],
          fixes: [
            {
              title: 'Batch `prisma.post.findMany`: one read for all of `users`, then a lookup map',
              output: dedent`
                ${prisma}
                export async function postsByUser(users: { id: string }[]) {
                  const out = [];
                  const postKeys = [...new Set(users.map((u) => u.id))];
                  const postRows = postKeys.length === 0 ? [] : await prisma.post.findMany({ where: { authorId: { in: postKeys } } });
                  const postByAuthorId = new Map<string, (typeof postRows)[number][]>();
                  for (const row of postRows) {
                    const group = postByAuthorId.get(String(row.authorId));
                    if (group) group.push(row);
                    else postByAuthorId.set(String(row.authorId), [row]);
                  }
                  for (const u of users) out.push(postByAuthorId.get(String(u.id)) ?? []);
                  return out;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: "'possible': a helper's round trip reached from the loop is reported at info too",
      config: UNTRACED_POSSIBLE,
      code: dedent`
        ${prisma}
        async function postsOf(id: string) {
          const posts = await prisma.post.findMany({ where: { authorId: id } });
          return posts;
        }
        export async function postsByUser(users: { id: string }[]) {
          for (const u of users) await postsOf(u.id);
                                       ~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'via',
          severity: 'info',
          messageIncludes: ['(via `postsOf` → `prisma.post.findMany`)', 'possible: `users`, a parameter no caller'],
        },
      ],
    },
    {
      name: 'default: a route passes what the client sent: reported at warning',
      code: dedent`
        ${prisma}
        ${express}
        export async function countPosts(users: { id: string; posts?: number }[]) {
          for (const u of users) u.posts = await prisma.post.count({ where: { authorId: u.id } });
                                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return users;
        }
        app.post('/posts/counts', async (req, res) => res.json(await countPosts(req.body.users)));
      `,
      errors: [
        {
          messageId: 'sequential',
          severity: 'warning',
          messageIncludes: ['what the client sent (`req.body.users`)', 'POST /posts/counts'],
        },
      ],
    },
    {
      name: 'default: rows of an unbounded read, in code no entry reaches: reported at warning',
      code: dedent`
        ${prisma}
        export async function countPostsOfActiveUsers() {
          const users: { id: string; posts?: number }[] = await prisma.user.findMany({ where: { active: true } });
          for (const u of users) u.posts = await prisma.post.count({ where: { authorId: u.id } });
                                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return users;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          severity: 'warning',
          messageIncludes: ['every matching row of `prisma.user.findMany`'],
        },
      ],
    },
    {
      name: "default: a caller fills the parameter with an unbounded read's rows: traced, reported at warning",
      code: dedent`
        ${prisma}
        export async function countPosts(users: { id: string; posts?: number }[]) {
          for (const u of users) u.posts = await prisma.post.count({ where: { authorId: u.id } });
                                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return users;
        }
        export async function countPostsOfActiveUsers() {
          return countPosts(await prisma.user.findMany({ where: { active: true } }));
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          severity: 'warning',
          messageIncludes: ['every matching row of `prisma.user.findMany`'],
        },
      ],
    },
    {
      name: "'possible' leaves traced origins alone: rows of an unbounded read stay at warning",
      config: UNTRACED_POSSIBLE,
      code: dedent`
        ${prisma}
        export async function countPostsOfActiveUsers() {
          const users: { id: string; posts?: number }[] = await prisma.user.findMany({ where: { active: true } });
          for (const u of users) u.posts = await prisma.post.count({ where: { authorId: u.id } });
                                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return users;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          severity: 'warning',
          messageIncludes: ['every matching row of `prisma.user.findMany`'],
        },
      ],
    },
  ],
});
