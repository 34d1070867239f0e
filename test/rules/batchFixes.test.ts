// The n-plus-one batch rewrite compiles (strict, real typings) and returns what the loop returned on the same data —
// missing ids, duplicates and order included — on a real PostgreSQL (pg, postgres.js, Sequelize), SQLite and Redis.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { batchedByRule as batched } from './batchedByRule';
import { routeCallers } from './origins';
import { startFixSandbox, STRICT_COMMONJS, type FixSandbox } from './fixSandbox';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const ORIGINAL: Record<string, string> = {
  pg: `import { Pool } from 'pg';\n\nconst pool = new Pool({ connectionString: process.env.PA_PG_URL });\n\nexport async function shipmentsOf(orderIds: number[]) {\n  return Promise.all(\n    orderIds.map(async (id) => (await pool.query<{ id: number; order_id: number; carrier: string }>('SELECT * FROM shipments WHERE order_id = $1 ORDER BY id', [id])).rows),\n  );\n}\n\nexport async function customerNames(orders: { customerId: number }[]) {\n  const names: (string | undefined)[] = [];\n  for (const order of orders) {\n    const { rows } = await pool.query<{ id: number; name: string }>('SELECT id, name FROM customers WHERE id = $1', [order.customerId]);\n    names.push(rows[0]?.name);\n  }\n  return names;\n}\n\nexport async function close() {\n  await pool.end();\n}\n`,
  postgresJs: `import postgres from 'postgres';\n\nconst sql = postgres(process.env.PA_PG_URL!, { max: 2 });\n\nexport async function owners(ids: number[]) {\n  const out = [];\n  for (const id of ids) {\n    const [row] = await sql<{ id: number; name: string }[]>\`select id, name from customers where id = \${id}\`;\n    out.push(row?.name ?? null);\n  }\n  return out;\n}\n\nexport async function close() {\n  await sql.end();\n}\n`,
  sequelize: `import { Sequelize, DataTypes, Model } from 'sequelize';\n\nexport const sequelize = new Sequelize(process.env.PA_PG_URL!, { logging: false });\nclass Customer extends Model {\n  declare id: number;\n  declare name: string;\n}\nCustomer.init({ id: { type: DataTypes.INTEGER, primaryKey: true }, name: DataTypes.STRING }, { sequelize, tableName: 'customers', timestamps: false });\n\nexport async function names(orders: { customerId: number }[]) {\n  const out: (string | null)[] = [];\n  for (const order of orders) {\n    const customer = await Customer.findOne({ where: { id: order.customerId } });\n    out.push(customer ? customer.name : null);\n  }\n  return out;\n}\n`,
  sqlite: `import Database from 'better-sqlite3';\n\nexport const db = new Database(':memory:');\ndb.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'a'), (2, 'b'), (3, 'c');");\n\nexport function bodies(ids: number[]) {\n  const out: (string | undefined)[] = [];\n  for (const id of ids) {\n    const note = db.prepare('SELECT * FROM notes WHERE id = ?').get(id) as { body: string } | undefined;\n    out.push(note?.body);\n  }\n  return out;\n}\n`,
  redis: `import Redis from 'ioredis';\n\nconst redis = new Redis(Number(process.env.PA_REDIS_PORT));\n\nexport async function names(ids: string[]) {\n  const out: (string | null)[] = [];\n  for (const id of ids) out.push(await redis.get(\`user:\${id}:name\`));\n  return out;\n}\n\nexport function close() {\n  redis.disconnect();\n}\n`,
  typeorm: `import { DataSource, Entity, PrimaryColumn, Column } from 'typeorm';\n\n@Entity()\nexport class User {\n  @PrimaryColumn() id!: string;\n  @Column() name!: string;\n}\nconst dataSource = new DataSource({ type: 'postgres', entities: [User] });\nconst users = dataSource.getRepository(User);\n\nexport async function owners(teams: { ownerId: string }[]) {\n  const out: (User | null)[] = [];\n  for (const team of teams) out.push(await users.findOneBy({ id: team.ownerId }));\n  return out;\n}\n`,
  mongoose: `import mongoose from 'mongoose';\n\nconst Review = mongoose.model('Review', new mongoose.Schema({ product: String, stars: Number }));\n\nexport async function reviewsOf(products: { id: string }[]) {\n  return Promise.all(products.map(async (p) => Review.find({ product: p.id }).lean()));\n}\n`,
  mongodb: `import { MongoClient } from 'mongodb';\n\nconst client = new MongoClient(process.env.MONGO_URL!);\nconst products = client.db('shop').collection<{ _id: string; title: string }>('products');\n\nexport async function titles(ids: string[]) {\n  return Promise.all(ids.map(async (id) => (await products.findOne({ _id: id }))?.title));\n}\n`,
  mysql2: `import mysql from 'mysql2/promise';\n\nconst pool = mysql.createPool({ uri: process.env.DB_URL });\n\nexport async function balances(users: { id: number }[]) {\n  const out = [];\n  for (const user of users) {\n    const [rows] = await pool.query('SELECT * FROM balances WHERE user_id = ?', [user.id]);\n    out.push(rows);\n  }\n  return out;\n}\n`,
};

describe('n-plus-one batch rewrites', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  const fixed: Record<string, string> = {};
  type Loaded = Record<string, (...args: never[]) => unknown>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled modules
  const load = (name: string) => require(join(sandbox.dir, `${name}.js`)) as Loaded;

  before(async () => {
    for (const [name, code] of Object.entries(ORIGINAL))
      fixed[`${name}.ts`] = batched(code, 'Batch', routeCallers(code));
    sandbox = await startFixSandbox('pa-batch-fixes-', {
      ...fixed,
      ...Object.fromEntries(Object.entries(ORIGINAL).map(([name, code]) => [`${name}Loop.ts`, code])),
    });
    postgres = await startPostgres();
    process.env.PA_PG_URL = postgres.url;
    process.env.PA_REDIS_PORT = String(sandbox.server.port);
    const admin = new Pool({ connectionString: postgres.url });
    await admin.query(`
      CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger');
      CREATE TABLE shipments (id serial PRIMARY KEY, order_id int NOT NULL, carrier text NOT NULL);
      INSERT INTO shipments (order_id, carrier) VALUES (10, 'DHL'), (11, 'UPS'), (10, 'FedEx'), (12, 'DHL'), (10, 'UPS');
    `);
    await admin.end();
    await sandbox.client.mset('user:a:name', 'Ada', 'user:b:name', 'Grace');
  });

  after(async () => {
    for (const name of ['pg', 'pgLoop', 'postgresJs', 'postgresJsLoop'])
      await (load(name).close as () => Promise<void>)?.();
    for (const name of ['redis', 'redisLoop']) (load(name).close as () => void)?.();
    await (load('sequelize').sequelize as unknown as { close(): Promise<void> })?.close();
    await (load('sequelizeLoop').sequelize as unknown as { close(): Promise<void> })?.close();
    await sandbox?.stop();
    await postgres?.stop();
  });

  it('every batched file compiles under strict TypeScript against the library’s own typings', () => {
    assert.deepEqual(
      sandbox.compile(Object.keys(fixed).concat(Object.keys(fixed).map((f) => f.replace('.ts', 'Loop.ts'))), {
        ...STRICT_COMMONJS,
        experimentalDecorators: true,
      }),
      [],
    );
  });

  it('writes the library’s batch form', () => {
    assert.match(fixed['pg.ts']!, /WHERE order_id = ANY\(\$1\) ORDER BY id', \[shipmentKeys\]\)\)\.rows/);
    assert.match(fixed['postgresJs.ts']!, /where id = ANY\(\$\{customerKeys\}\)/);
    assert.match(fixed['sequelize.ts']!, /Customer\.findAll\(\{ where: \{ id: \{ \[Op\.in\]: customerKeys \} \} \}\)/);
    assert.match(
      fixed['sqlite.ts']!,
      /IN \(SELECT value FROM json_each\(\?\)\)'\)\.all\(JSON\.stringify\(noteKeys\)\)/,
    );
    assert.match(fixed['redis.ts']!, /await redis\.mget\(userNameKeys\)/);
    assert.match(fixed['typeorm.ts']!, /users\.findBy\(\{ id: In\(userKeys\) \}\)/);
    assert.match(fixed['mongoose.ts']!, /Review\.find\(\{ product: \{ \$in: reviewKeys \} \}\)\.lean\(\)/);
    assert.match(fixed['mongodb.ts']!, /products\.find\(\{ _id: \{ \$in: productKeys \} \}\)\.toArray\(\)/);
    assert.match(
      fixed['mysql2.ts']!,
      /pool\.query<RowDataPacket\[\]>\('SELECT \* FROM balances WHERE user_id IN \(\?\)', \[balanceKeys\]\)/,
    );
  });

  // Missing ids (4, 99), duplicates (1 twice, 10 twice) and a deliberate order.
  const customerOrders = [3, 1, 4, 1, 2, 99].map((customerId) => ({ customerId }));

  it('pg: the same rows per element as the loop, in the same order (groups, missing ids, duplicates)', async () => {
    const args = [12, 10, 13, 10, 11];
    assert.deepEqual(await load('pg').shipmentsOf!(args as never), await load('pgLoop').shipmentsOf!(args as never));
    const names = await load('pg').customerNames!(customerOrders as never);
    assert.deepEqual(names, await load('pgLoop').customerNames!(customerOrders as never));
    assert.deepEqual(names, ['Edsger', 'Ada', undefined, 'Ada', 'Grace', undefined]);
  });

  it('postgres.js: the same answers as the loop', async () => {
    const ids = [2, 2, 7, 1];
    assert.deepEqual(
      await load('postgresJs').owners!(ids as never),
      await load('postgresJsLoop').owners!(ids as never),
    );
    assert.deepEqual(await load('postgresJs').owners!(ids as never), ['Grace', 'Grace', null, 'Ada']);
  });

  it('Sequelize: the same answers as the loop', async () => {
    const answers = await load('sequelize').names!(customerOrders as never);
    assert.deepEqual(answers, await load('sequelizeLoop').names!(customerOrders as never));
    assert.deepEqual(answers, ['Edsger', 'Ada', null, 'Ada', 'Grace', null]);
  });

  it('better-sqlite3: the same answers as the loop, missing ids undefined', () => {
    const ids = [3, 3, 5, 1];
    assert.deepEqual(load('sqlite').bodies!(ids as never), load('sqliteLoop').bodies!(ids as never));
    assert.deepEqual(load('sqlite').bodies!(ids as never), ['c', 'c', undefined, 'a']);
  });

  it('Redis: MGET gives the same values as one GET per id, missing keys null', async () => {
    const ids = ['b', 'x', 'a', 'b'];
    assert.deepEqual(await load('redis').names!(ids as never), await load('redisLoop').names!(ids as never));
    assert.deepEqual(await load('redis').names!(ids as never), ['Grace', null, 'Ada', 'Grace']);
    assert.deepEqual(await load('redis').names!([] as never), []);
  });
});
