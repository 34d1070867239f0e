// unbounded-read's pagination suggestion: which page parameter it threads (an existing one, or `page = 0` added), and
// the explanation-only action where adding one would be wrong (a framework's handler, a function passed as a value).
import { dedent, runRuleTests } from './ruleTester';

const prisma = "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";
const mysql = "import mysql from 'mysql2/promise';\nconst db = mysql.createPool(process.env.DB_URL!);\n";
const pg = "import { Pool } from 'pg';\nconst pool = new Pool();\n";
const firstPage = 'Add `take: 100` (first page only; add cursor or offset pagination)';
const paginateFromNew = 'Paginate: `take: 100, skip` from a `page = 0` parameter (offset pagination)';
const whyCallback =
  'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)';

/** An Express route making `call`: unbounded-read reports only reads a request reaches. */
const route = (call: string) =>
  `import express from 'express';\nconst app = express();\napp.get('/x', async (req, res) => {\n  res.json(await ${call});\n});\n`;

runRuleTests('unbounded-read', {
  valid: [],
  invalid: [
    {
      name: 'an existing optional page parameter is used, undefined meaning the first page',
      code: dedent`
        ${prisma}
        export const list = (q: string, page?: number) => prisma.user.findMany({ where: { name: q } });
                                                          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        ${route('list(String(req.query.q))')}
      `,
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title: firstPage,
              output: dedent`
                ${prisma}
                export const list = (q: string, page?: number) => prisma.user.findMany({ where: { name: q }, take: 100 });
                ${route('list(String(req.query.q))')}
              `,
            },
            {
              title: 'Paginate: `take: 100, skip` from `page` (offset pagination)',
              output: dedent`
                ${prisma}
                export const list = (q: string, page?: number) => prisma.user.findMany({ where: { name: q }, take: 100, skip: (page ?? 0) * 100 });
                ${route('list(String(req.query.q))')}
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a page field of an options parameter',
      code: dedent`
        ${prisma}
        export async function search(opts: { q: string; page?: number }) {
          return prisma.user.findMany({ where: { name: opts.q } });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
        ${route('search({ q: String(req.query.q) })')}
      `,
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title: firstPage,
              output: dedent`
                ${prisma}
                export async function search(opts: { q: string; page?: number }) {
                  return prisma.user.findMany({ where: { name: opts.q }, take: 100 });
                }
                ${route('search({ q: String(req.query.q) })')}
              `,
            },
            {
              title: 'Paginate: `take: 100, skip` from `opts.page` (offset pagination)',
              output: dedent`
                ${prisma}
                export async function search(opts: { q: string; page?: number }) {
                  return prisma.user.findMany({ where: { name: opts.q }, take: 100, skip: (opts.page ?? 0) * 100 });
                }
                ${route('search({ q: String(req.query.q) })')}
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a destructured offset counts rows: used as it is',
      code: dedent`
        ${prisma}
        export const list = ({ offset }: { offset?: number }) => prisma.user.findMany({});
                                                                 ~~~~~~~~~~~~~~~~~~~~~~~~
        ${route('list({})')}
      `,
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title: firstPage,
              output: dedent`
                ${prisma}
                export const list = ({ offset }: { offset?: number }) => prisma.user.findMany({ take: 100 });
                ${route('list({})')}
              `,
            },
            {
              title: 'Paginate: `take: 100, skip` from `offset` (offset pagination)',
              output: dedent`
                ${prisma}
                export const list = ({ offset }: { offset?: number }) => prisma.user.findMany({ take: 100, skip: offset ?? 0 });
                ${route('list({})')}
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'an arrow with a bare parameter gets parentheses',
      code: dedent`
        ${prisma}
        export const byRole = async (role) => prisma.user.findMany({ where: { role } });
                                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        const recent = async days => prisma.post.findMany({ where: { age: days } });
                                     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        export const recentUsers = () => recent(7);
        ${route('Promise.all([byRole(req.query.role), recentUsers()])')}
      `,
      filename: '/project/src/case.js',
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title: firstPage,
              output: dedent`
                ${prisma}
                export const byRole = async (role) => prisma.user.findMany({ where: { role }, take: 100 });
                const recent = async days => prisma.post.findMany({ where: { age: days } });
                export const recentUsers = () => recent(7);
                ${route('Promise.all([byRole(req.query.role), recentUsers()])')}
              `,
            },
            {
              title: paginateFromNew,
              output: dedent`
                ${prisma}
                export const byRole = async (role, page = 0) => prisma.user.findMany({ where: { role }, take: 100, skip: page * 100 });
                const recent = async days => prisma.post.findMany({ where: { age: days } });
                export const recentUsers = () => recent(7);
                ${route('Promise.all([byRole(req.query.role), recentUsers()])')}
              `,
            },
          ],
        },
        {
          messageId: 'noBound',
          fixes: [
            {
              title: firstPage,
              output: dedent`
                ${prisma}
                export const byRole = async (role) => prisma.user.findMany({ where: { role } });
                const recent = async days => prisma.post.findMany({ where: { age: days }, take: 100 });
                export const recentUsers = () => recent(7);
                ${route('Promise.all([byRole(req.query.role), recentUsers()])')}
              `,
            },
            {
              title: paginateFromNew,
              output: dedent`
                ${prisma}
                export const byRole = async (role) => prisma.user.findMany({ where: { role } });
                const recent = async (days, page = 0) => prisma.post.findMany({ where: { age: days }, take: 100, skip: page * 100 });
                export const recentUsers = () => recent(7);
                ${route('Promise.all([byRole(req.query.role), recentUsers()])')}
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a function passed as a callback gets no parameter: its caller would fill it (map passes the index)',
      code: dedent`
        ${prisma}
        async function usersNamed(name: string) {
          return prisma.user.findMany({ where: { name } });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
        export const all = (names: string[]) => Promise.all(names.map(usersNamed));
        ${route('all([String(req.query.name)])')}
      `,
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title: firstPage,
              output: dedent`
                ${prisma}
                async function usersNamed(name: string) {
                  return prisma.user.findMany({ where: { name }, take: 100 });
                }
                export const all = (names: string[]) => Promise.all(names.map(usersNamed));
                ${route('all([String(req.query.name)])')}
              `,
            },
            { title: whyCallback, explanation: '#paginating-by-hand' },
          ],
        },
      ],
    },
    {
      name: 'a route handler gets its arguments from the framework: explanation only',
      code: dedent`
        import express from 'express';
        ${prisma}
        const app = express();
        app.get('/users', async (req, res) => {
          res.json(await prisma.user.findMany({ where: { active: true } }));
                         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        });
      `,
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title: firstPage,
              output: dedent`
                import express from 'express';
                ${prisma}
                const app = express();
                app.get('/users', async (req, res) => {
                  res.json(await prisma.user.findMany({ where: { active: true }, take: 100 }));
                });
              `,
            },
            { title: whyCallback, explanation: '#paginating-by-hand' },
          ],
        },
      ],
    },
    {
      name: 'mysql2 query: LIMIT and a ? bound after the query’s own values',
      code: dedent`
        ${mysql}
        export async function byStatus(status: string) {
          const [rows] = await db.query('SELECT * FROM orders WHERE status = ? ORDER BY id', [status]);
                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return rows;
        }
        ${route('byStatus(String(req.query.status))')}
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',
          fixes: [
            {
              title: 'Add `LIMIT 100` (first page only; add keyset or offset pagination)',
              output: dedent`
                ${mysql}
                export async function byStatus(status: string) {
                  const [rows] = await db.query('SELECT * FROM orders WHERE status = ? ORDER BY id LIMIT 100', [status]);
                  return rows;
                }
                ${route('byStatus(String(req.query.status))')}
              `,
            },
            {
              title: 'Paginate: `LIMIT 100 OFFSET` from a `page = 0` parameter (offset pagination)',
              output: dedent`
                ${mysql}
                export async function byStatus(status: string, page = 0) {
                  const [rows] = await db.query('SELECT * FROM orders WHERE status = ? ORDER BY id LIMIT 100 OFFSET ?', [status, page * 100]);
                  return rows;
                }
                ${route('byStatus(String(req.query.status))')}
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'pg: the OFFSET parameter is numbered after the highest one the query uses, whatever their order',
      code: dedent`
        ${pg}
        export const either = (a: string, b: string) => pool.query('SELECT * FROM orders WHERE status = $2 OR kind = $1', [a, b]);
                                                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        ${route("either('a', 'b')")}
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',
          fixes: [
            {
              title: 'Add `LIMIT 100` (first page only; add keyset or offset pagination)',
              output: dedent`
                ${pg}
                export const either = (a: string, b: string) => pool.query('SELECT * FROM orders WHERE status = $2 OR kind = $1 LIMIT 100', [a, b]);
                ${route("either('a', 'b')")}
              `,
            },
            {
              title: 'Paginate: `LIMIT 100 OFFSET` from a `page = 0` parameter (offset pagination)',
              output: dedent`
                ${pg}
                export const either = (a: string, b: string, page = 0) => pool.query('SELECT * FROM orders WHERE status = $2 OR kind = $1 LIMIT 100 OFFSET $3', [a, b, page * 100]);
                ${route("either('a', 'b')")}
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'pg: values passed as a variable cannot be extended safely: explanation only',
      code: dedent`
        ${pg}
        export const byStatus = (values: string[]) => pool.query('SELECT * FROM orders WHERE status = $1', values);
                                                      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        ${route('byStatus([String(req.query.status)])')}
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',
          fixes: [
            {
              title: 'Add `LIMIT 100` (first page only; add keyset or offset pagination)',
              output: dedent`
                ${pg}
                export const byStatus = (values: string[]) => pool.query('SELECT * FROM orders WHERE status = $1 LIMIT 100', values);
                ${route('byStatus([String(req.query.status)])')}
              `,
            },
            {
              title:
                'Why no pagination rewrite: the options, parameters or SQL text are built in a way the fix cannot extend safely (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: 'the page size is the pageSize option',
      config: { rules: { 'unbounded-read': { options: { pageSize: 25 } } } },
      code: dedent`
        ${pg}
        export const all = () => pool.query('SELECT * FROM orders');
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        ${route('all()')}
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',
          fixes: [
            {
              title: 'Add `LIMIT 25` (first page only; add keyset or offset pagination)',
              output: dedent`
                ${pg}
                export const all = () => pool.query('SELECT * FROM orders LIMIT 25');
                ${route('all()')}
              `,
            },
            {
              title: 'Paginate: `LIMIT 25 OFFSET` from a `page = 0` parameter (offset pagination)',
              output: dedent`
                ${pg}
                export const all = (page = 0) => pool.query('SELECT * FROM orders LIMIT 25 OFFSET $1', [page * 25]);
                ${route('all()')}
              `,
            },
          ],
        },
      ],
    },
  ],
});
