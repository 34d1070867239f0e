// unbounded-read's pagination suggestion compiles (strict, against each library's own typings) and pages for real: on a
// PostgreSQL started here, page 0, 1, 2 of the fixed pg, postgres.js, knex, kysely and Sequelize code are the
// original's rows
// 1–100, 101–200 and 201–250, in the same order, and a call without a page still returns the first page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { analyseCaseInSession, applyFix, editsOf } from './ruleTester';
import { startFixSandbox, type FixSandbox } from './fixSandbox';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const FILE = '/project/src/case.ts';

/** The code after the pagination suggestion of the only unbounded-read finding; the rule is silent on the result. */
function paginated(code: string): string {
  const { session, findings } = analyseCaseInSession({ code }, 'unbounded-read');
  assert.equal(findings.length, 1, `one finding expected in:\n${code}`);
  const fix = findings[0]!.fixes.find((f) => f.title.startsWith('Paginate:'));
  assert.ok(fix, `a pagination fix is offered for:\n${code}`);
  const output = applyFix(code, editsOf(session, FILE, fix), FILE);
  assert.deepEqual(
    analyseCaseInSession({ code: output }, 'unbounded-read').findings.map((f) => f.message),
    [],
  );
  return output;
}

/** The module plus a Request handler that calls its read: unbounded-read reports only reads a request reaches. */
function calledByRequest(code: string): string {
  const [, fn, fnParams, arrow, arrowParams] = [
    ...code.matchAll(/export (?:async function (\w+)\(([^)]*)\)|const (\w+) = (?:async )?\(([^)]*)\))/g),
  ].at(-1)!;
  const call = (fnParams ?? arrowParams)!.trim()
    ? `(request: Request) => ${fn ?? arrow}(request.url)`
    : `(_request: Request) => ${fn ?? arrow}()`;
  return `${code}\nexport const handleRequest = ${call};\n`;
}

/** Reads of the `orders` table that return the ids, in id order. */
const RUNNABLE = {
  pg: `import { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: process.env.PA_PG_URL });\n\nexport async function orderIds(status: string): Promise<number[]> {\n  const { rows } = await pool.query<{ id: number }>('SELECT id FROM orders WHERE status = $1 ORDER BY id', [status]);\n  return rows.map((row) => row.id);\n}\n`,
  postgresJs: `import postgres from 'postgres';\n\nexport const sql = postgres(process.env.PA_PG_URL!);\n\nexport async function orderIds(status: string): Promise<number[]> {\n  const rows = await sql<{ id: number }[]>\`select id from orders where status = \${status} order by id\`;\n  return rows.map((row) => row.id);\n}\n`,
  knex: `import knex from 'knex';\n\nexport const db = knex({ client: 'pg', connection: process.env.PA_PG_URL });\n\nexport async function orderIds(status: string): Promise<number[]> {\n  const rows: { id: number }[] = await db('orders').where('status', status).orderBy('id').select('id');\n  return rows.map((row) => row.id);\n}\n`,
  sequelize: `import { DataTypes, Model, Sequelize } from 'sequelize';\n\nexport const sequelize = new Sequelize(process.env.PA_PG_URL!, { logging: false });\n\nclass Order extends Model {\n  declare id: number;\n  declare status: string;\n}\nOrder.init({ id: { type: DataTypes.INTEGER, primaryKey: true }, status: DataTypes.STRING }, { sequelize, tableName: 'orders', timestamps: false });\n\nexport async function orderIds(status: string): Promise<number[]> {\n  const rows = await Order.findAll({ where: { status }, order: [['id', 'ASC']] });\n  return rows.map((row) => row.id);\n}\n`,
  kysely: `import { Kysely, PostgresDialect } from 'kysely';\nimport { Pool } from 'pg';\n\ninterface Database {\n  orders: { id: number; status: string };\n}\n\nexport const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: process.env.PA_PG_URL }) }) });\n\nexport async function orderIds(status: string): Promise<number[]> {\n  const rows = await db.selectFrom('orders').select('id').where('status', '=', status).orderBy('id').execute();\n  return rows.map((row) => row.id);\n}\n`,
};

/** Compiled against the typings only (no server of theirs here). */
const COMPILED = {
  typeorm: `import { DataSource } from 'typeorm';\n\nconst dataSource = new DataSource({ type: 'postgres' });\nconst orders = dataSource.getRepository<{ id: number; status: string }>('Order');\n\nexport const paid = () => orders.find({ where: { status: 'paid' }, order: { id: 'ASC' } });\n`,
  typeormBuilder: `import { DataSource } from 'typeorm';\n\nconst dataSource = new DataSource({ type: 'postgres' });\nconst orders = dataSource.getRepository<{ id: number; status: string }>('Order');\n\nexport const paid = () => orders.createQueryBuilder('o').where('o.status = :s', { s: 'paid' }).getMany();\n`,
  mongodb: `import { MongoClient } from 'mongodb';\n\nconst orders = new MongoClient(process.env.MONGO_URL!).db('shop').collection<{ status: string }>('orders');\n\nexport const paid = () => orders.find({ status: 'paid' }).toArray();\n`,
  mongoose: `import mongoose from 'mongoose';\n\nconst Order = mongoose.model('Order', new mongoose.Schema({ status: String }));\n\nexport const paid = (status: string) => Order.find({ status }).sort({ _id: 1 }).lean();\n`,
  mysql2: `import mysql from 'mysql2/promise';\n\nconst db = mysql.createPool(process.env.DB_URL!);\n\nexport async function paid(status: string) {\n  const [rows] = await db.query('SELECT id FROM orders WHERE status = ? ORDER BY id', [status]);\n  return rows;\n}\n`,
};

type OrderIds = { orderIds(status: string, page?: number): Promise<number[]> };

describe('unbounded-read pagination fixes', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  const fixed: Record<string, string> = {};

  before(async () => {
    for (const [name, code] of Object.entries({ ...RUNNABLE, ...COMPILED }))
      fixed[name] = paginated(calledByRequest(code));
    sandbox = await startFixSandbox('pa-paginate-fixes-', {
      ...Object.fromEntries(Object.entries(fixed).map(([name, code]) => [`${name}.ts`, code])),
      ...Object.fromEntries(Object.entries(RUNNABLE).map(([name, code]) => [`${name}Original.ts`, code])),
    });
    postgres = await startPostgres();
    process.env.PA_PG_URL = postgres.url;
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    await client.query('CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL)');
    // 250 paid orders among others, inserted out of id order.
    await client.query(
      "INSERT INTO orders SELECT i, CASE WHEN i % 3 = 0 THEN 'new' ELSE 'paid' END FROM generate_series(375, 1, -1) AS i",
    );
    await client.end();
  });

  after(async () => {
    const modules = Object.keys(RUNNABLE).flatMap((name) => [name, `${name}Original`]);
    for (const name of modules) {
      const loaded = load<{
        pool?: { end(): Promise<void> };
        sql?: { end(): Promise<void> };
        db?: { destroy(): Promise<void> };
        sequelize?: { close(): Promise<void> };
      }>(name);
      await loaded.pool?.end();
      await loaded.sql?.end();
      await loaded.db?.destroy();
      await loaded.sequelize?.close();
    }
    await sandbox?.stop();
    await postgres?.stop();
  });

  function load<T>(name: string): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled module
    return require(join(sandbox.dir, `${name}.js`)) as T;
  }

  it('threads the page into each library’s own offset', () => {
    assert.match(fixed.pg!, /orderIds\(status: string, page = 0\)/);
    assert.match(fixed.pg!, /ORDER BY id LIMIT 100 OFFSET \$2', \[status, page \* 100\]\)/);
    assert.match(fixed.postgresJs!, /order by id LIMIT 100 OFFSET \$\{page \* 100\}`/);
    assert.match(fixed.kysely!, /\.orderBy\('id'\)\.limit\(100\)\.offset\(page \* 100\)\.execute\(\)/);
    assert.match(fixed.knex!, /db\('orders'\)\.limit\(100\)\.offset\(page \* 100\)\.where/);
    assert.match(fixed.sequelize!, /order: \[\['id', 'ASC'\]\], limit: 100, offset: page \* 100 \}/);
    assert.match(fixed.typeorm!, /order: \{ id: 'ASC' \}, take: 100, skip: page \* 100 \}/);
    assert.match(fixed.typeormBuilder!, /\.take\(100\)\.skip\(page \* 100\)\.getMany\(\)/);
    assert.match(fixed.mongodb!, /find\(\{ status: 'paid' \}, \{ limit: 100, skip: page \* 100 \}\)/);
    assert.match(fixed.mongoose!, /find\(\{ status \}\)\.limit\(100\)\.skip\(page \* 100\)\.sort/);
    assert.match(fixed.mysql2!, /LIMIT 100 OFFSET \?', \[status, page \* 100\]/);
  });

  it('compiles (strict) against pg, postgres, knex, kysely, sequelize, typeorm, mongodb, mongoose and mysql2 typings', () => {
    const names = [...Object.keys(fixed), ...Object.keys(RUNNABLE).map((name) => `${name}Original`)];
    assert.deepEqual(sandbox.compile(names.map((name) => `${name}.ts`)), []);
  });

  for (const name of Object.keys(RUNNABLE)) {
    it(`${name}: pages 0, 1, 2 are the original's rows in order; no page is the first page`, async () => {
      const all = await load<OrderIds>(`${name}Original`).orderIds('paid');
      assert.equal(all.length, 250);
      const pages = load<OrderIds>(name);
      assert.deepEqual(await pages.orderIds('paid', 0), all.slice(0, 100));
      assert.deepEqual(await pages.orderIds('paid', 1), all.slice(100, 200));
      assert.deepEqual(await pages.orderIds('paid', 2), all.slice(200));
      assert.deepEqual(await pages.orderIds('paid', 3), []);
      assert.deepEqual(await pages.orderIds('paid'), all.slice(0, 100));
    });
  }
});
