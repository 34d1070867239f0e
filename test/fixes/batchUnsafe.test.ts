// Rule table of the explanation-only N+1 actions: shapes no batch keeps (per-row locks, a table per element, a loop
// that also writes, inside an interactive transaction) get an action whose title says why and which opens the docs.
import { calledFromRoute } from '../rules/origins';
import { dedent, runRuleTests } from '../rules/ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const pg = `import { Pool } from 'pg';\nconst pool = new Pool();\n`;
const knex = `import knex from 'knex';\nconst db = knex({ client: 'pg' });\n`;
const typeorm = `import { DataSource } from 'typeorm';\nimport { Account } from './account';\nconst accounts = new DataSource({ type: 'postgres' }).getRepository(Account);\n`;

runRuleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'pg: SELECT … FOR UPDATE per element → explanation (per-row locks)',
      files: calledFromRoute('reserve', 'reserve(req.body.ids)'),
      code: dedent`
        ${pg}
        export async function reserve(ids: number[]) {
          for (const id of ids) {
            const { rows } = await pool.query('SELECT * FROM accounts WHERE id = $1 FOR UPDATE', [id]);
                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            console.log(rows);
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Not batched: each row is locked on its own (`FOR UPDATE`), and one read would lock them all at once (see the docs)',
              explanation: '#per-row-locks',
            },
          ],
        },
      ],
    },
    {
      name: 'TypeORM: a `lock:` option per element → explanation, not a batch that drops the lock',
      files: {
        ...calledFromRoute('reserve', 'reserve(req.body.ids)'),
        '/project/src/account.ts': 'export class Account { id!: number }\n',
      },
      code: dedent`
        ${typeorm}
        export async function reserve(ids: number[]) {
          for (const id of ids) {
            const a = await accounts.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            console.log(a);
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Not batched: each row is locked on its own (`FOR UPDATE`), and one read would lock them all at once (see the docs)',
              explanation: '#per-row-locks',
            },
          ],
        },
      ],
    },
    {
      name: 'knex: a different table per element → explanation',
      files: calledFromRoute('resolve', 'resolve(req.body.refs)'),
      code: dedent`
        ${knex}
        export async function resolve(refs: { table: string; id: number }[]) {
          for (const ref of refs) {
            const row = await db(ref.table).where({ id: ref.id }).first();
                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            console.log(row);
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Not batched: the table or model differs per element, so there is no one read of all keys (see the docs)',
              explanation: '#different-tables-per-element',
            },
          ],
        },
      ],
    },
    {
      name: 'Prisma: a loop that reads and then writes → explanation for the read',
      files: calledFromRoute('audit', 'audit(req.body.ids)'),
      code: dedent`
        ${prisma}
        export async function audit(ids: string[]) {
          for (const id of ids) {
            const user = await prisma.user.findUnique({ where: { id } });
                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            if (user) await prisma.audit.create({ data: { userId: user.id } });
                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Not batched: the loop also writes, and a read moved before the loop could miss those writes (see the docs)',
              explanation: '#queries-that-depend-on-each-other',
            },
          ],
        },
        { messageId: 'sequential' },
      ],
    },
    {
      name: 'Prisma: read then write in an interactive transaction → explanation',
      files: calledFromRoute('take', 'take(req.body.ids)'),
      code: dedent`
        ${prisma}
        export async function take(ids: string[]) {
          await prisma.$transaction(async (tx) => {
            for (const id of ids) {
              const stock = await tx.stock.findUnique({ where: { id } });
                                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
              await tx.stock.update({ where: { id }, data: { n: stock!.n - 1 } });
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            }
          });
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Not batched: the loop reads and writes inside an interactive transaction, where each step may depend on the one before (see the docs)',
              explanation: '#queries-that-depend-on-each-other',
            },
          ],
        },
        { messageId: 'sequential' },
      ],
    },
  ],
});
