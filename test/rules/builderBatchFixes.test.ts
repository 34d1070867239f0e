// The batch rewrites of query builders (knex `whereIn`, kysely `in`, drizzle `inArray`) and of Redis hash fields and
// node-redis `mGet`: compiled (strict) against each library's own typings, and run on a real PostgreSQL and Redis
// against the loop they replace — same answers, missing ids undefined/null/[], duplicates and order kept.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { startFixSandbox, type FixSandbox } from './fixSandbox';
import { batchedByRule } from './batchedByRule';
import { routeCallers } from './origins';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const ORIGINAL: Record<string, string> = {
  knex: `import knex from 'knex';\n\nexport const db = knex({ client: 'pg', connection: process.env.PA_PG_URL, pool: { min: 0, max: 2 } });\n\nexport async function names(ids: number[]) {\n  const out: (string | undefined)[] = [];\n  for (const id of ids) {\n    const row = await db('customers').where({ id }).first();\n    out.push(row?.name);\n  }\n  return out;\n}\n\nexport async function carriers(orderIds: number[]) {\n  return Promise.all(orderIds.map(async (orderId) => db('shipments').select('id', 'order_id', 'carrier').where('order_id', orderId).orderBy('id')));\n}\n`,
  kysely: `import { Kysely, PostgresDialect } from 'kysely';\nimport { Pool } from 'pg';\n\ninterface Tables {\n  customers: { id: number; name: string };\n}\nexport const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: process.env.PA_PG_URL, max: 2 }) }) });\n\nexport async function names(ids: number[]) {\n  const out: (string | undefined)[] = [];\n  for (const id of ids) {\n    const customer = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();\n    out.push(customer?.name);\n  }\n  return out;\n}\n`,
  drizzle: `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq } from 'drizzle-orm';\nimport { pgTable, integer, serial, text } from 'drizzle-orm/pg-core';\nimport { Pool } from 'pg';\n\nconst shipments = pgTable('shipments', { id: serial('id').primaryKey(), orderId: integer('order_id').notNull(), carrier: text('carrier').notNull() });\nexport const pool = new Pool({ connectionString: process.env.PA_PG_URL, max: 2 });\nconst db = drizzle(pool);\n\nexport async function carriers(orderIds: number[]) {\n  const out: string[][] = [];\n  for (const orderId of orderIds) {\n    const rows = await db.select().from(shipments).where(eq(shipments.orderId, orderId)).orderBy(shipments.id);\n    out.push(rows.map((r) => r.carrier));\n  }\n  return out;\n}\n`,
  nodeRedis: `import { createClient } from 'redis';\n\nexport const client = createClient({ url: \`redis://127.0.0.1:\${process.env.PA_REDIS_PORT}\` });\n\nexport async function names(ids: string[]) {\n  const out: (string | null)[] = [];\n  for (const id of ids) out.push(await client.get(\`user:\${id}:name\`));\n  return out;\n}\n\nexport async function fields(names: string[]) {\n  const out: (string | null)[] = [];\n  for (const name of names) out.push(await client.hGet('profile:1', name));\n  return out;\n}\n`,
  ioredisHash: `import Redis from 'ioredis';\n\nexport const redis = new Redis(Number(process.env.PA_REDIS_PORT));\n\nexport async function fields(names: string[]) {\n  const out: (string | null)[] = [];\n  for (const name of names) out.push(await redis.hget('profile:1', name));\n  return out;\n}\n`,
};

describe('n-plus-one batch rewrites of query builders and Redis hashes', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  const fixed: Record<string, string> = {};
  type Loaded = Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled modules
  const load = (name: string) => require(join(sandbox.dir, `${name}.js`)) as Loaded;
  const fn = (name: string, exported: string) => load(name)[exported] as (arg: unknown[]) => Promise<unknown>;

  before(async () => {
    for (const [name, code] of Object.entries(ORIGINAL))
      fixed[`${name}.ts`] = batchedByRule(code, 'Batch', routeCallers(code));
    sandbox = await startFixSandbox('pa-builder-batch-', {
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
    await sandbox.client.hset('profile:1', 'name', 'Ada', 'city', 'London');
    for (const name of ['nodeRedis', 'nodeRedisLoop'])
      await (load(name).client as { connect(): Promise<unknown> }).connect();
  });

  after(async () => {
    for (const name of ['knex', 'knexLoop', 'kysely', 'kyselyLoop'])
      await (load(name).db as { destroy(): Promise<void> } | undefined)?.destroy();
    for (const name of ['drizzle', 'drizzleLoop']) await (load(name).pool as Pool | undefined)?.end();
    for (const name of ['nodeRedis', 'nodeRedisLoop'])
      await (load(name).client as { quit(): Promise<unknown> } | undefined)?.quit();
    for (const name of ['ioredisHash', 'ioredisHashLoop']) (load(name).redis as { disconnect(): void })?.disconnect();
    await sandbox?.stop();
    await postgres?.stop();
  });

  it('every batched file compiles under strict TypeScript against the library’s own typings', () => {
    const names = Object.keys(fixed);
    assert.deepEqual(sandbox.compile([...names, ...names.map((f) => f.replace('.ts', 'Loop.ts'))]), []);
  });

  it('writes each library’s own list filter', () => {
    assert.match(fixed['knex.ts']!, /await db\('customers'\)\.whereIn\('id', customerKeys\);/);
    assert.match(
      fixed['knex.ts']!,
      /db\('shipments'\)\.select\('id', 'order_id', 'carrier'\)\.whereIn\('order_id', shipmentKeys\)\.orderBy\('id'\)/,
    );
    assert.match(fixed['kysely.ts']!, /\.where\('id', 'in', customerKeys\)\.execute\(\)/);
    assert.match(
      fixed['drizzle.ts']!,
      /\.where\(inArray\(shipments\.orderId, shipmentKeys\)\)\.orderBy\(shipments\.id\)/,
    );
    assert.match(fixed['drizzle.ts']!, /import \{ eq, inArray \} from 'drizzle-orm';/);
    assert.match(fixed['nodeRedis.ts']!, /await client\.mGet\(userNameKeys\)/);
    assert.match(fixed['nodeRedis.ts']!, /await client\.hmGet\('profile:1', profileFieldKeys\)/);
    assert.match(fixed['ioredisHash.ts']!, /await redis\.hmget\('profile:1', \.\.\.profileFieldKeys\)/);
  });

  const ids = [3, 1, 4, 1, 2, 99];
  const orderIds = [12, 10, 13, 10, 11];

  it('knex: the same rows as the loop (first row or undefined; groups in order)', async () => {
    const answers = await fn('knex', 'names')(ids);
    assert.deepEqual(answers, await fn('knexLoop', 'names')(ids));
    assert.deepEqual(answers, ['Edsger', 'Ada', undefined, 'Ada', 'Grace', undefined]);
    assert.deepEqual(await fn('knex', 'carriers')(orderIds), await fn('knexLoop', 'carriers')(orderIds));
    assert.deepEqual(await fn('knex', 'names')([]), []);
  });

  it('kysely: the same answers as the loop', async () => {
    const answers = await fn('kysely', 'names')(ids);
    assert.deepEqual(answers, await fn('kyselyLoop', 'names')(ids));
    assert.deepEqual(answers, ['Edsger', 'Ada', undefined, 'Ada', 'Grace', undefined]);
  });

  it('drizzle: the same groups as the loop, missing order ids empty', async () => {
    const answers = await fn('drizzle', 'carriers')(orderIds);
    assert.deepEqual(answers, await fn('drizzleLoop', 'carriers')(orderIds));
    assert.deepEqual(answers, [['DHL'], ['DHL', 'FedEx', 'UPS'], [], ['DHL', 'FedEx', 'UPS'], ['UPS']]);
  });

  it('node-redis: mGet and hmGet give what one GET / HGET per element gave, missing null', async () => {
    const keys = ['b', 'x', 'a', 'b'];
    assert.deepEqual(await fn('nodeRedis', 'names')(keys), await fn('nodeRedisLoop', 'names')(keys));
    assert.deepEqual(await fn('nodeRedis', 'names')(keys), ['Grace', null, 'Ada', 'Grace']);
    const fields = ['city', 'age', 'name', 'city'];
    assert.deepEqual(await fn('nodeRedis', 'fields')(fields), await fn('nodeRedisLoop', 'fields')(fields));
    assert.deepEqual(await fn('nodeRedis', 'fields')(fields), ['London', null, 'Ada', 'London']);
  });

  it('ioredis: HMGET gives what one HGET per field gave', async () => {
    const fields = ['city', 'age', 'name', 'city'];
    assert.deepEqual(await fn('ioredisHash', 'fields')(fields), await fn('ioredisHashLoop', 'fields')(fields));
    assert.deepEqual(await fn('ioredisHash', 'fields')(fields), ['London', null, 'Ada', 'London']);
  });
});
