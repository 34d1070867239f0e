// Table tests for unbounded-read's evidence: where the read runs (request, job, one-off, unknown), what it reads
// (small fixed tables, one parent's growing rows), who decides its filter, and eager relations that load growing rows.
import { dedent, runRuleTests } from './ruleTester';

const prisma = "'use server';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";
const plainPrisma = "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";
const typeorm =
  "'use server';\nimport { DataSource } from 'typeorm';\nconst dataSource = new DataSource({ type: 'postgres' });\n";
const knex = "'use server';\nimport knex from 'knex';\nconst db = knex({ client: 'pg' });\n";
const mongoose =
  "'use server';\nimport mongoose from 'mongoose';\nconst Guild = mongoose.model('Guild', new mongoose.Schema({}));\n";
const ioredis = "import Redis from 'ioredis';\nconst redis = new Redis();\n";

runRuleTests('unbounded-read', {
  valid: [
    {
      name: 'a migration reads every row once',
      filename: '/project/src/migrations/1700000000000-backfill.ts',
      code: dedent`
        ${plainPrisma}
        export async function up() {
          const orders = await prisma.order.findMany();
          return orders.length;
        }
      `,
    },
    {
      name: 'a read at module scope runs once, at load',
      code: dedent`
        ${plainPrisma}
        export const countries = await prisma.order.findMany();
      `,
    },
    {
      name: 'KEYS in start-up code runs once',
      code: dedent`
        ${ioredis}
        export async function initSessions() {
          return redis.keys('session:*');
        }
      `,
    },
    {
      name: 'no request or job is known to reach the read: too little evidence',
      code: dedent`
        ${plainPrisma}
        export async function allOrders() {
          return prisma.order.findMany();
        }
      `,
    },
    {
      name: 'a cron job that must see every expired row',
      code: dedent`
        import { PrismaClient } from '@prisma/client';
        import { CronJob } from 'cron';
        const prisma = new PrismaClient();
        async function purgeExpired() {
          const expired = await prisma.session.findMany({ where: { expiresAt: { lt: new Date() } } });
          await prisma.session.deleteMany({ where: { id: { in: expired.map((s) => s.id) } } });
        }
        new CronJob('0 0 * * *', purgeExpired).start();
      `,
    },
    {
      name: 'a small fixed table (roles) read whole per request',
      code: dedent`
        ${prisma}
        export async function roles() {
          return prisma.role.findMany();
        }
      `,
    },
    {
      name: "one user's few teams",
      code: dedent`
        ${prisma}
        export async function teams(userId: string) {
          return prisma.team.findMany({ where: { ownerId: userId } });
        }
      `,
    },
    {
      name: "the filter is the caller's (`where(match)`): it decides how many rows",
      code: dedent`
        ${knex}
        export async function find(match: Record<string, unknown>) {
          return db('links').select('*').where(match);
        }
      `,
    },
    {
      name: 'an eager relation to one row (`author`)',
      code: dedent`
        ${typeorm}
        export async function post(id: string) {
          return dataSource.getRepository('Post').findOne({ where: { id }, relations: ['author'] });
        }
      `,
    },
    {
      name: 'an included relation with its own page (`take`)',
      code: dedent`
        ${prisma}
        export async function post(id: string) {
          return prisma.post.findUnique({ where: { id }, include: { comments: { take: 20 } } });
        }
      `,
    },
  ],
  invalid: [
    {
      name: "one parent's rows that pile up with use (a post's comments) in a request",
      code: dedent`
        ${prisma}
        export async function comments(postId: string) {
          return prisma.comment.findMany({ where: { postId } });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'noBound',
          messageIncludes: ['(in server action `comments`)', 'and the `comment` rows of one `post` pile up with use'],
          fixes: [
            {
              output: dedent`
                ${prisma}
                export async function comments(postId: string) {
                  return prisma.comment.findMany({ where: { postId }, take: 100 });
                }
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: "knex: a column named by a constant, one owner's notes",
      code: dedent`
        ${knex}
        const Field = { ownerId: 'owner_id', id: 'id' } as const;
        export async function noteIds(userId: number) {
          return db('notes').select(Field.id).where(Field.ownerId, userId);
                 ~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'noBound',
          messageIncludes: ['and the `notes` rows of one `owner` pile up with use'],
          fixes: [
            {
              output: dedent`
                ${knex}
                const Field = { ownerId: 'owner_id', id: 'id' } as const;
                export async function noteIds(userId: number) {
                  return db('notes').limit(100).select(Field.id).where(Field.ownerId, userId);
                }
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: 'an eager relation that loads every follower with the row',
      code: dedent`
        ${typeorm}
        export async function follow(id: string) {
          return dataSource.getRepository('User').findOne({ where: { id }, relations: ['followers'] });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'growingRelation',
          messageIncludes: ["loads every one of the row's `followers` with it (in server action `follow`)"],
        },
      ],
    },
    {
      name: 'Mongoose: populate of a growing relation',
      code: dedent`
        ${mongoose}
        export async function guild(id: string) {
          return Guild.findOne({ id }).populate('members');
                 ~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [{ messageId: 'growingRelation', messageIncludes: ['`members`'] }],
    },
    {
      name: 'KEYS in a job that a hand-written BRPOP worker dispatches, started from the command line',
      code: dedent`
        ${ioredis}
        async function cleanupSessions() {
          const keys = await redis.keys('session:*');
                             ~~~~~~~~~~~~~~~~~~~~~~~
          if (keys.length > 0) await redis.del(...keys);
        }
        export async function runWorker(signal: AbortSignal) {
          while (!signal.aborted) {
            const popped = await redis.brpop('jobs', 5);
            if (popped && popped[1] === 'session-cleanup') await cleanupSessions();
          }
        }
        if (require.main === module) runWorker(new AbortController().signal);
      `,
      errors: [
        {
          messageId: 'wholeKeyspace',
          messageIncludes: ['worker loop'],
          fixes: [
            {
              output: dedent`
                ${ioredis}
                async function cleanupSessions() {
                  const keys = await (async (): Promise<string[]> => {
                    const found = new Set<string>();
                    for await (const batch of redis.scanStream({ match: 'session:*', count: 1000 })) for (const key of batch as string[]) found.add(key);
                    return [...found];
                  })();
                  if (keys.length > 0) await redis.del(...keys);
                }
                export async function runWorker(signal: AbortSignal) {
                  while (!signal.aborted) {
                    const popped = await redis.brpop('jobs', 5);
                    if (popped && popped[1] === 'session-cleanup') await cleanupSessions();
                  }
                }
                if (require.main === module) runWorker(new AbortController().signal);
              `,
            },
          ],
        },
      ],
    },
  ],
});
