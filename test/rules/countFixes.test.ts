// unbounded-read's count rewrite: rows read only for their length become the library's count. Exact output per shape,
// compiled strict against the real typings, and on a real PostgreSQL the pg and Sequelize counts equal the lengths.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { analyseCaseInSession, applyFix, dedent, editsOf, runRuleTests } from './ruleTester';
import { startFixSandbox, type FixSandbox } from './fixSandbox';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const FILE = '/project/src/case.ts';
const prisma = "'use server';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";
const pg = "'use server';\nimport { Pool } from 'pg';\nconst pool = new Pool();\n";
const countTitle = (what: string) => `Count on the server with ${what} instead of reading every row for its length`;

runRuleTests('unbounded-read', {
  valid: [],
  invalid: [
    {
      name: 'Prisma: a variable used only for .length becomes a count with the same where',
      code: dedent`
        ${prisma}
        export async function activeUsers(active: boolean) {
          const users = await prisma.user.findMany({ where: { active } });
                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return { total: users.length, label: \`\${users.length} users\` };
        }
      `,
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title: countTitle('`count()`'),
              output: dedent`
                ${prisma}
                export async function activeUsers(active: boolean) {
                  const usersCount = await prisma.user.count({ where: { active } });
                  return { total: usersCount, label: \`\${usersCount} users\` };
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'pg: (await query).rows.length becomes COUNT(*) around the same query and parameters',
      code: dedent`
        ${pg}
        export const paid = async () => (await pool.query('SELECT * FROM orders WHERE status = $1', ['paid'])).rows.length;
                                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',
          fixes: [
            {
              title: countTitle('`COUNT(*)`'),
              output: dedent`
                ${pg}
                export const paid = async () => (await pool.query<{ count: number }>('SELECT COUNT(*)::int AS count FROM (SELECT * FROM orders WHERE status = $1) AS counted', ['paid'])).rows[0]!.count;
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'rows used for more than their length are not counted (a helper a server action calls: it can take a page)',
      code: dedent`
        ${prisma}
        async function activeUsers() {
          const users = await prisma.user.findMany({ where: { active: true } });
                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return users.length > 0 ? users[0] : null;
        }
        export const firstActive = () => activeUsers();
      `,
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title: 'Add `take: 100` (first page only; add cursor or offset pagination)',
              output: dedent`
                ${prisma}
                async function activeUsers() {
                  const users = await prisma.user.findMany({ where: { active: true }, take: 100 });
                  return users.length > 0 ? users[0] : null;
                }
                export const firstActive = () => activeUsers();
              `,
            },
            {
              title: 'Paginate: `take: 100, skip` from a `page = 0` parameter (offset pagination)',
              output: dedent`
                ${prisma}
                async function activeUsers(page = 0) {
                  const users = await prisma.user.findMany({ where: { active: true }, take: 100, skip: page * 100 });
                  return users.length > 0 ? users[0] : null;
                }
                export const firstActive = () => activeUsers();
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'an include changes what a count would count: explanation only, and no bound (it would change the number)',
      code: dedent`
        ${prisma}
        export const withPosts = async () => (await prisma.user.findMany({ include: { posts: true } })).length;
                                                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title:
                'Why no count rewrite: these rows are only counted, but this read has no count that gives the same number (docs)',
              explanation: '#counting-by-hand',
            },
          ],
        },
      ],
    },
  ],
});

/** The code after the count fix of the only unbounded-read finding. */
function counted(code: string): string {
  const { session, findings } = analyseCaseInSession({ code }, 'unbounded-read');
  assert.equal(findings.length, 1, `one finding expected in:\n${code}`);
  const fix = findings[0]!.fixes[0]!;
  assert.match(fix.title, /^Count on the server/);
  const output = applyFix(code, editsOf(session, FILE, fix), FILE);
  assert.deepEqual(
    analyseCaseInSession({ code: output }, 'unbounded-read').findings.map((f) => f.message),
    [],
  );
  return output;
}

// Server-action modules ('use server'): unbounded-read reports reads a request reaches.
const RUNNABLE = {
  pg: `'use server';\nimport { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: process.env.PA_PG_URL });\n\nexport async function paidCount(status: string): Promise<number> {\n  const { rows } = await pool.query('SELECT o.id FROM orders o JOIN orders p ON p.id = o.id WHERE o.status = $1', [status]);\n  return rows.length;\n}\n`,
  sequelize: `'use server';\nimport { DataTypes, Model, Sequelize } from 'sequelize';\n\nexport const sequelize = new Sequelize(process.env.PA_PG_URL!, { logging: false });\n\nclass Order extends Model {\n  declare id: number;\n  declare status: string;\n}\nOrder.init({ id: { type: DataTypes.INTEGER, primaryKey: true }, status: DataTypes.STRING }, { sequelize, tableName: 'orders', timestamps: false });\n\nexport async function paidCount(status: string): Promise<number> {\n  return (await Order.findAll({ where: { status } })).length;\n}\n`,
};

const COMPILED = {
  typeorm: `'use server';\nimport { DataSource } from 'typeorm';\n\nconst dataSource = new DataSource({ type: 'postgres' });\nconst orders = dataSource.getRepository<{ id: number; status: string }>('Order');\n\nexport const paidCount = async (): Promise<number> => (await orders.find({ where: { status: 'paid' } })).length;\n`,
  mongodb: `'use server';\nimport { MongoClient } from 'mongodb';\n\nconst orders = new MongoClient(process.env.MONGO_URL!).db('shop').collection<{ status: string }>('orders');\n\nexport const paidCount = async (): Promise<number> => (await orders.find({ status: 'paid' }).toArray()).length;\n`,
  mongoose: `'use server';\nimport mongoose from 'mongoose';\n\nconst Order = mongoose.model('Order', new mongoose.Schema({ status: String }));\n\nexport async function paidCount(status: string): Promise<number> {\n  const orders = await Order.find({ status }).lean();\n  return orders.length;\n}\n`,
};

type Counter = { paidCount(status: string): Promise<number> };

describe('unbounded-read count fixes', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  const fixed: Record<string, string> = {};

  before(async () => {
    for (const [name, code] of Object.entries({ ...RUNNABLE, ...COMPILED })) fixed[name] = counted(code);
    sandbox = await startFixSandbox('pa-count-fixes-', {
      ...Object.fromEntries(Object.entries(fixed).map(([name, code]) => [`${name}.ts`, code])),
      ...Object.fromEntries(Object.entries(RUNNABLE).map(([name, code]) => [`${name}Original.ts`, code])),
    });
    postgres = await startPostgres();
    process.env.PA_PG_URL = postgres.url;
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    await client.query('CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL)');
    await client.query(
      "INSERT INTO orders SELECT i, CASE WHEN i % 3 = 0 THEN 'new' ELSE 'paid' END FROM generate_series(1, 375) AS i",
    );
    await client.end();
  });

  after(async () => {
    for (const name of Object.keys(RUNNABLE).flatMap((n) => [n, `${n}Original`])) {
      const loaded = load<{ pool?: { end(): Promise<void> }; sequelize?: { close(): Promise<void> } }>(name);
      await loaded.pool?.end();
      await loaded.sequelize?.close();
    }
    await sandbox?.stop();
    await postgres?.stop();
  });

  function load<T>(name: string): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled module
    return require(join(sandbox.dir, `${name}.js`)) as T;
  }

  it('uses each library’s count', () => {
    assert.match(
      fixed.pg!,
      /const rowsCount = \(await pool\.query<\{ count: number \}>\('SELECT COUNT\(\*\)::int AS count FROM \(SELECT o\.id FROM orders o JOIN orders p ON p\.id = o\.id WHERE o\.status = \$1\) AS counted', \[status\]\)\)\.rows\[0\]!\.count;/,
    );
    assert.match(fixed.sequelize!, /return \(await Order\.count\(\{ where: \{ status \} \}\)\);/);
    assert.match(fixed.typeorm!, /\(await orders\.count\(\{ where: \{ status: 'paid' \} \}\)\)/);
    assert.match(fixed.mongodb!, /\(await orders\.countDocuments\(\{ status: 'paid' \}\)\)/);
    assert.match(
      fixed.mongoose!,
      /const ordersCount = await Order\.countDocuments\(\{ status \}\);\n  return ordersCount;/,
    );
  });

  it('compiles (strict) against pg, sequelize, typeorm, mongodb and mongoose typings', () => {
    const names = [...Object.keys(fixed), ...Object.keys(RUNNABLE).map((name) => `${name}Original`)];
    assert.deepEqual(sandbox.compile(names.map((name) => `${name}.ts`)), []);
  });

  for (const name of Object.keys(RUNNABLE)) {
    it(`${name}: the count is the number of rows the original read`, async () => {
      for (const status of ['paid', 'new', 'none']) {
        const before = await load<Counter>(`${name}Original`).paidCount(status);
        assert.equal(await load<Counter>(name).paidCount(status), before, status);
      }
      assert.equal(await load<Counter>(name).paidCount('paid'), 250);
    });
  }
});
