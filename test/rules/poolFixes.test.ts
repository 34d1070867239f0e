// The unpooled-connection fixes compile (strict, against each library's own typings) and pool for real: on PostgreSQL
// and Redis started here, 200 concurrent calls of the fixed code hold ≤ 20 server connections where the original opened
// 200.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { analyseCaseInSession, applyFix, editsOf } from './ruleTester';
import { startFixSandbox, type FixSandbox } from './fixSandbox';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const FILE = '/project/src/case.ts';

/** The code after the first fix of the only unpooled-connection finding. */
function fixed(code: string): string {
  const { session, findings } = analyseCaseInSession({ code }, 'unpooled-connection');
  assert.equal(findings.length, 1, `one finding expected in:\n${code}`);
  const fix = findings[0]!.fixes[0];
  assert.ok(fix, 'a fix is offered');
  const output = applyFix(code, editsOf(session, FILE, fix), FILE);
  // The rule is silent on the result.
  assert.deepEqual(
    analyseCaseInSession({ code: output }, 'unpooled-connection').findings.map((f) => f.message),
    [],
  );
  return output;
}

const ORIGINAL = {
  pg: `import { Client } from 'pg';\n\nexport async function orderTotal(id: number): Promise<number> {\n  const client = new Client({ connectionString: process.env.PA_PG_URL });\n  await client.connect();\n  try {\n    const { rows } = await client.query<{ total: number }>('SELECT $1::int * 2 AS total, pg_sleep(0.05)', [id]);\n    return rows[0]!.total;\n  } finally {\n    await client.end();\n  }\n}\n`,
  ioredis: `import Redis from 'ioredis';\n\nfunction rateLimitClient() {\n  return new Redis(Number(process.env.PA_REDIS_PORT), { connectionName: 'pa-pool-test', connectTimeout: 30_000, retryStrategy: () => null });\n}\n\nexport async function hit(user: string): Promise<number> {\n  return rateLimitClient().incr(\`hits:\${user}\`);\n}\n`,
  ioredisDefault: `import Redis from 'ioredis';\n\nfunction newRedisClient() {\n  return new Redis(process.env.REDIS_URL!);\n}\n\nexport async function ping(): Promise<string> {\n  return newRedisClient().ping();\n}\n`,
  mysql2: `import mysql from 'mysql2/promise';\n\nexport async function balance(user: string) {\n  const conn = await mysql.createConnection(process.env.DB_URL!);\n  const [rows] = await conn.execute('SELECT money FROM balances WHERE user = ?', [user]);\n  await conn.end();\n  return rows;\n}\n`,
  nodeRedis: `import { createClient } from 'redis';\n\nexport async function visits(page: string): Promise<number> {\n  const client = createClient({ url: process.env.REDIS_URL });\n  await client.connect();\n  const count = await client.incr(\`visits:\${page}\`);\n  await client.quit();\n  return count;\n}\n`,
  mongodb: `import { MongoClient } from 'mongodb';\n\nexport async function findUser(email: string) {\n  const client = new MongoClient(process.env.MONGO_URL!);\n  await client.connect();\n  const user = await client.db('app').collection('users').findOne({ email });\n  await client.close();\n  return user;\n}\n`,
  knex: `import knex from 'knex';\n\nexport async function countUsers(): Promise<number> {\n  const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });\n  const [row] = await db('users').count<{ count: string }[]>('* as count');\n  await db.destroy();\n  return Number(row?.count ?? 0);\n}\n`,
  sequelize: `import { Sequelize, QueryTypes } from 'sequelize';\n\nexport async function ping() {\n  const sequelize = new Sequelize(process.env.DATABASE_URL!, { logging: false });\n  const rows = await sequelize.query('SELECT 1 AS ok', { type: QueryTypes.SELECT });\n  await sequelize.close();\n  return rows;\n}\n`,
};

describe('unpooled-connection fixes', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  const fixedFiles: Record<string, string> = {};

  before(async () => {
    for (const [name, code] of Object.entries(ORIGINAL)) fixedFiles[`${name}.ts`] = fixed(code);
    sandbox = await startFixSandbox('pa-pool-fixes-', {
      ...fixedFiles,
      // What an application adds for its shutdown hook: the shared pool, to end it.
      'pg.ts': `${fixedFiles['pg.ts']}export { pool };\n`,
      ...Object.fromEntries(Object.entries(ORIGINAL).map(([name, code]) => [`${name}Original.ts`, code])),
    });
    postgres = await startPostgres();
    process.env.PA_PG_URL = `${postgres.url}?application_name=pa-pool-test`;
    process.env.PA_REDIS_PORT = String(sandbox.server.port);
  });

  after(async () => {
    await sandbox?.stop();
    await postgres?.stop();
  });

  it('inserts the pooled forms with the skill settings in each library’s option names', () => {
    assert.match(
      fixedFiles['pg.ts']!,
      /const pool = new Pool\(\{ connectionString: process\.env\.PA_PG_URL, max: 20, connectionTimeoutMillis: 30_000, idleTimeoutMillis: 30_000, maxLifetimeSeconds: 1800 \}\);/,
    );
    assert.match(
      fixedFiles['mysql2.ts']!,
      /mysql\.createPool\(\{ uri: process\.env\.DB_URL!, connectionLimit: 20, waitForConnections: true, enableKeepAlive: true \}\)/,
    );
    assert.match(
      fixedFiles['ioredisDefault.ts']!,
      /new Redis\(process\.env\.REDIS_URL!, \{ maxRetriesPerRequest: 3, retryStrategy: \(times\) => Math\.min\(1000 \* 2 \*\* \(times - 1\), 30_000\) \}\)/,
    );
    // The user's own retry strategy is kept; only what is missing is added.
    assert.match(fixedFiles['ioredis.ts']!, /retryStrategy: \(\) => null, maxRetriesPerRequest: 3 \}/);
    assert.match(fixedFiles['nodeRedis.ts']!, /const clientReady = client\.connect\(\);/);
    assert.match(
      fixedFiles['mongodb.ts']!,
      /new MongoClient\(process\.env\.MONGO_URL!, \{ maxPoolSize: 20, waitQueueTimeoutMS: 30_000, maxIdleTimeMS: 1_800_000 \}\)/,
    );
    assert.match(
      fixedFiles['knex.ts']!,
      /pool: \{ min: 0, max: 20, acquireTimeoutMillis: 30_000, idleTimeoutMillis: 30_000 \}/,
    );
    assert.match(
      fixedFiles['sequelize.ts']!,
      /pool: \{ max: 20, min: 0, acquire: 30_000, idle: 10_000, evict: 1000 \}/,
    );
  });

  it('every fixed file compiles under strict TypeScript against the library’s own typings', () => {
    assert.deepEqual(sandbox.compile(Object.keys(fixedFiles)), []);
  });

  it('pg: 200 concurrent calls use at most 20 server connections (the original opened one per call)', async () => {
    type PgModule = { orderTotal(id: number): Promise<number>; pool?: { end(): Promise<void> } };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled module
    const module = (name: string) => require(join(sandbox.dir, `${name}.js`)) as PgModule;
    const load = (name: string) => module(name).orderTotal;
    const observer = new Client({ connectionString: postgres.url });
    await observer.connect();
    const sessions = async () => {
      await observer.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await observer.query<{ n: number }>(
        "SELECT sessions::int AS n FROM pg_stat_database WHERE datname = 'postgres'",
      );
      return rows[0]!.n;
    };
    /** Sessions opened while `run` runs, and the most connections open at once (sampled). */
    const measure = async (run: () => Promise<number[]>) => {
      const opened = await sessions();
      let peak = 0;
      let done = false;
      const results = run().finally(() => (done = true));
      while (!done) {
        const { rows } = await observer.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pa-pool-test'",
        );
        peak = Math.max(peak, rows[0]!.n);
      }
      const answers = await results;
      return { peak, opened: (await sessions()) - opened, results: answers };
    };
    try {
      const ids = Array.from({ length: 200 }, (_, i) => i);
      const original = await measure(() => Promise.all(ids.map((id) => load('pgOriginal')(id))));
      const pooled = await measure(() => Promise.all(ids.map((id) => load('pg')(id))));
      assert.deepEqual(pooled.results, original.results, 'same answers');
      assert.deepEqual(pooled.results.slice(0, 3), [0, 2, 4]);
      assert.ok(original.opened >= 200, `the per-call version opened ${original.opened} sessions`);
      assert.ok(pooled.opened <= 20 && pooled.opened > 0, `the pool opened ${pooled.opened} sessions`);
      assert.ok(pooled.peak <= 20, `pooled peak ${pooled.peak} connections at once`);
    } finally {
      await module('pg').pool?.end();
      await observer.end();
    }
  });

  it('ioredis: 200 concurrent calls share one connection (CLIENT LIST), with the same counts', async () => {
    const clientsNamed = async () =>
      String(await sandbox.client.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line: string) => line.includes('name=pa-pool-test')).length;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled modules
    const original = require(join(sandbox.dir, 'ioredisOriginal.js')) as { hit(user: string): Promise<number> };
    const users = Array.from({ length: 200 }, (_, i) => `u${i % 50}`);
    const before = await Promise.all(users.map((u) => original.hit(u)));
    const openedByOriginal = await clientsNamed();
    // The original never closes its clients: end them (they do not reconnect: retryStrategy returns null).
    await sandbox.client.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    await sandbox.client.del(...new Set(users.map((u) => `hits:${u}`)));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded now: its shared client connects on load
    const pooled = require(join(sandbox.dir, 'ioredis.js')) as { hit(user: string): Promise<number> };
    const after = await Promise.all(users.map((u) => pooled.hit(u)));
    assert.deepEqual([...after].sort(), [...before].sort(), 'the same counters');
    assert.ok(openedByOriginal >= 100, `the per-call factory opened ${openedByOriginal} connections`);
    assert.equal(await clientsNamed(), 1);
  });
});
