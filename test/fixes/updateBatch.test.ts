// Rule table of the n-plus-one update batch: the same data for every row becomes one update of all keys; per-row data
// (`data: { orderIndex: i }`) is never turned into `updateMany`: it keeps each row's values in one round trip, or the
// action only explains why no batch is safe.
import { calledFromRoute } from '../rules/origins';
import { dedent, runRuleTests } from '../rules/ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const pg = `import { Pool } from 'pg';\nconst pool = new Pool();\n`;
const sequelize = `import { Model } from 'sequelize';\nclass User extends Model {}\n`;
const mongoose = `import mongoose from 'mongoose';\nconst User = mongoose.model('User', new mongoose.Schema({ name: String }));\n`;
const typeorm = `import { DataSource } from 'typeorm';\nimport { User } from './user';\nconst users = new DataSource({ type: 'postgres' }).getRepository(User);\n`;

runRuleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'Prisma: the same data for every row → one updateMany of all keys',
      files: calledFromRoute('deactivate', 'deactivate(req.body.users)'),
      code: dedent`
        ${prisma}
        export async function deactivate(users: { id: string }[]) {
          for (const u of users) {
            await prisma.user.update({ where: { id: u.id }, data: { active: false } });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Batch `prisma.user.update`: one `updateMany` of all keys of `users` (the data is the same for every row; a missing row is skipped)',
              kind: 'suggestion',
              output: dedent`
                ${prisma}
                export async function deactivate(users: { id: string }[]) {
                  const userIds = Array.from(users, (u) => u.id);
                  if (userIds.length > 0) await prisma.user.updateMany({ where: { id: { in: userIds } }, data: { active: false } });
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'Prisma: per-row data (the index) → one $transaction of the updates, never updateMany',
      files: calledFromRoute('reorder', 'reorder(req.body.items)'),
      code: dedent`
        ${prisma}
        export async function reorder(items: { id: string }[]) {
          await Promise.all(items.map((item, i) => prisma.item.update({ where: { id: item.id }, data: { orderIndex: i } })));
                                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'concurrent',
          fixes: [
            {
              title:
                'Batch `prisma.item.update`: the per-row updates of `items` in one `$transaction` (one round trip, all or nothing)',
              kind: 'suggestion',
              output: dedent`
                ${prisma}
                export async function reorder(items: { id: string }[]) {
                  const itemUpdates = [];
                  for (const [i, item] of items.entries()) itemUpdates.push(prisma.item.update({ where: { id: item.id }, data: { orderIndex: i } }));
                  await prisma.$transaction(itemUpdates);
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'Prisma: per-row data inside an interactive transaction → explanation only',
      files: calledFromRoute('rename', 'rename(req.body.files)'),
      code: dedent`
        ${prisma}
        export async function rename(files: { id: string; path: string }[]) {
          await prisma.$transaction(async (tx) => {
            for (const f of files) await tx.file.update({ where: { id: f.id }, data: { path: f.path } });
                                         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          });
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Not batched: the updates run inside an interactive transaction, where their order and results matter (see the docs)',
              explanation: '#batching-updates-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: 'pg: per-row values → one UPDATE … FROM a typed record set',
      files: calledFromRoute('rename', 'rename(req.body.users)'),
      code: dedent`
        ${pg}
        export async function rename(users: { id: number; name: string }[]) {
          for (const u of users) await pool.query('UPDATE users SET name = $1, updated_at = now() WHERE id = $2', [u.name, u.id]);
                                       ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Batch `pool.query`: one `UPDATE … FROM` a record set of all rows of `users` (each row keeps its own values)',
              kind: 'suggestion',
              output: dedent`
                ${pg}
                export async function rename(users: { id: number; name: string }[]) {
                  const userRows = Array.from(users, (u) => ({ id: u.id, name: u.name }));
                  if (userRows.length > 0) await pool.query('UPDATE users SET name = v.name, updated_at = now() FROM (SELECT DISTINCT ON (id) * FROM json_populate_recordset(NULL::users, $1) WITH ORDINALITY ORDER BY id, ordinality DESC) AS v WHERE users.id = v.id', [JSON.stringify(userRows)]);
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'pg: the same values for every row → WHERE id = ANY($2)',
      files: calledFromRoute('activate', 'activate(req.body.ids)'),
      code: dedent`
        ${pg}
        export async function activate(ids: number[]) {
          for (const id of ids) await pool.query('UPDATE users SET active = $1 WHERE id = $2', [true, id]);
                                      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Batch `pool.query`: one `UPDATE … WHERE id = ANY(…)` of all keys of `ids` (the values are the same for every row)',
              kind: 'suggestion',
              output: dedent`
                ${pg}
                export async function activate(ids: number[]) {
                  const userKeys = Array.from(ids);
                  if (userKeys.length > 0) await pool.query('UPDATE users SET active = $1 WHERE id = ANY($2)', [true, userKeys]);
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'pg: a SET that reads the row (n = n + $1) → no rewrite',
      files: calledFromRoute('bump', 'bump(req.body.rows)'),
      code: dedent`
        ${pg}
        export async function bump(rows: { id: number; by: number }[]) {
          for (const r of rows) await pool.query('UPDATE counters SET n = n + $1 WHERE id = $2', [r.by, r.id]);
                                      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'Sequelize: the same data → one update with Op.in',
      files: calledFromRoute('archive', 'archive(req.body.users)'),
      code: dedent`
        ${sequelize}
        export async function archive(users: { id: number }[]) {
          for (const u of users) await User.update({ archived: true }, { where: { id: u.id } });
                                       ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Batch `User.update`: one `update` of all keys of `users` (the data is the same for every row; a missing row is skipped)',
              kind: 'suggestion',
              output: dedent`
                import { Model, Op } from 'sequelize';
                class User extends Model {}
                export async function archive(users: { id: number }[]) {
                  const userIds = Array.from(users, (u) => u.id);
                  if (userIds.length > 0) await User.update({ archived: true }, { where: { id: { [Op.in]: userIds } } });
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'Sequelize: per-row data → explanation only',
      files: calledFromRoute('rename', 'rename(req.body.users)'),
      code: dedent`
        ${sequelize}
        export async function rename(users: { id: number; name: string }[]) {
          for (const u of users) await User.update({ name: u.name }, { where: { id: u.id } });
                                       ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Not batched: each row gets its own data and this library has no one-round-trip form that keeps it (see the docs)',
              explanation: '#batching-updates-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: 'Mongoose: per-row data → one bulkWrite of updateOne operations',
      files: calledFromRoute('rename', 'rename(req.body.users)'),
      code: dedent`
        ${mongoose}
        export async function rename(users: { id: string; name: string }[]) {
          for (const u of users) await User.updateOne({ _id: u.id }, { name: u.name });
                                       ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title: 'Batch `User.updateOne`: the per-row updates of `users` in one `bulkWrite`',
              kind: 'suggestion',
              output: dedent`
                ${mongoose}
                export async function rename(users: { id: string; name: string }[]) {
                  const userUpdates = Array.from(users, (u) => ({ updateOne: { filter: { _id: u.id }, update: { name: u.name } } }));
                  if (userUpdates.length > 0) await User.bulkWrite(userUpdates);
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'TypeORM: the same data → one update of In(ids)',
      files: {
        ...calledFromRoute('activate', 'activate(req.body.list)'),
        '/project/src/user.ts': 'export class User { id!: number; active!: boolean }\n',
      },
      code: dedent`
        ${typeorm}
        export async function activate(list: { id: number }[]) {
          for (const item of list) await users.update({ id: item.id }, { active: true });
                                         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Batch `users.update`: one `update` of all keys of `list` (the data is the same for every row; a missing row is skipped)',
              kind: 'suggestion',
              output: dedent`
                import { DataSource, In } from 'typeorm';
                import { User } from './user';
                const users = new DataSource({ type: 'postgres' }).getRepository(User);
                export async function activate(list: { id: number }[]) {
                  const userIds = Array.from(list, (item) => item.id);
                  if (userIds.length > 0) await users.update({ id: In(userIds) }, { active: true });
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});
