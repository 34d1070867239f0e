// Rule tests for unpooled-connection: per-call creation, client factories, and pool checkouts not released.
import { runRuleTests } from './ruleTester';

const express = `import express from 'express';\nconst app = express();\n`;

runRuleTests('unpooled-connection', {
  valid: [
    // Module scope: created once at load
    {
      code: `import { Pool } from 'pg';\nexport const pool = new Pool({ max: 20 });\nexport async function f() { return pool.query('SELECT 1'); }`,
    },
    // Lazy singleton with ??=
    {
      code: `import Redis from 'ioredis';\nlet client: Redis | undefined;\nexport function redis() {\n  client ??= new Redis();\n  return client;\n}`,
    },
    // Lazy singleton with if (!x)
    {
      code: `import { Pool } from 'pg';\nlet pool: Pool | undefined;\nexport function getPool() {\n  if (!pool) pool = new Pool();\n  return pool;\n}`,
    },
    // Prisma singleton guard on globalThis
    {
      code: `import { PrismaClient } from '@prisma/client';\nconst globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };\nexport function prisma() {\n  const client = globalForPrisma.prisma ?? new PrismaClient();\n  globalForPrisma.prisma = client;\n  return client;\n}`,
    },
    // Start-up code runs once
    {
      code: `import mongoose from 'mongoose';\nexport async function bootstrap() {\n  await mongoose.connect(process.env.MONGO_URL!);\n}`,
    },
    // A promise of the connection memoised on the instance
    {
      code: `import { MongoClient } from 'mongodb';\nexport class FilesAdapter {\n  private ready?: Promise<unknown>;\n  connect(url: string) {\n    if (!this.ready) {\n      this.ready = MongoClient.connect(url).then((client) => client.db('files'));\n    }\n    return this.ready;\n  }\n}`,
    },
    // Constructor of a service built once
    {
      code: `import Redis from 'ioredis';\nexport class CacheService {\n  private readonly redis: Redis;\n  constructor() { this.redis = new Redis(); }\n}`,
    },
    // A factory called only at module scope
    {
      code: `import Redis from 'ioredis';\nfunction makeClient() { return new Redis({ maxRetriesPerRequest: 3 }); }\nexport const redis = makeClient();`,
    },
    // A pg client held for LISTEN, and one for a session advisory lock: each needs its own connection
    {
      code: `${express}import { Client } from 'pg';\napp.get('/events', async (req, res) => {\n  const listener = new Client();\n  await listener.connect();\n  await listener.query('LISTEN orders');\n  listener.on('notification', (n) => res.write(n.payload));\n});`,
    },
    {
      code: `${express}import { Client } from 'pg';\napp.post('/migrate', async (req, res) => {\n  const locker = new Client();\n  await locker.connect();\n  await locker.query('SELECT pg_try_advisory_lock(42)');\n  res.end();\n});`,
    },
    // A dedicated subscriber connection
    {
      code: `${express}import Redis from 'ioredis';\napp.get('/events', async (req, res) => {\n  const sub = new Redis();\n  await sub.subscribe('events');\n  sub.on('message', (_c, m) => res.write(m));\n});`,
    },
    // Blocking pop on its own connection
    {
      code: `import Redis from 'ioredis';\nexport async function worker() {\n  const blocking = new Redis();\n  for (;;) { await blocking.brpop('jobs', 0); }\n}\nworker();`,
    },
    // A pool factory passed to a pool library
    {
      code: `import Redis from 'ioredis';\nimport { createPool } from 'generic-pool';\nexport const pool = createPool({ create: async () => new Redis(), destroy: async (c: Redis) => { await c.quit(); } }, { max: 10 });`,
    },
    // Checkout released in finally
    {
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function transfer() {\n  const client = await pool.connect();\n  try {\n    await client.query('BEGIN');\n    await client.query('COMMIT');\n  } finally {\n    client.release();\n  }\n}`,
    },
    // Checkout handed to the caller, who releases it
    {
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function checkout() {\n  const client = await pool.connect();\n  return client;\n}`,
    },
    // Pool checkout: not a new connection
    {
      code: `${express}import { Pool } from 'pg';\nconst pool = new Pool();\napp.get('/x', async (req, res) => {\n  const c = await pool.connect();\n  try { res.json((await c.query('SELECT 1')).rows); } finally { c.release(); }\n});`,
    },
  ],
  invalid: [
    {
      name: 'new Client() inside a route handler',
      code: `${express}import { Client } from 'pg';\napp.get('/users/:id', async (req, res) => {\n  const client = new Client();\n  await client.connect();\n  const r = await client.query('SELECT * FROM users WHERE id = $1', [req.params.id]);\n  await client.end();\n  res.json(r.rows[0]);\n});`,
      errors: [
        {
          messageId: 'perCall',
          line: 5,
          column: 18,
          messageIncludes: [
            '`new Client()` opens a new connection on every request (route `GET /users/:id handler`)',
            'pool: 20 connections',
          ],
        },
      ],
    },
    {
      name: 'new PrismaClient() per call',
      code: `import { PrismaClient } from '@prisma/client';\nexport async function countUsers() {\n  const prisma = new PrismaClient();\n  return prisma.user.count();\n}`,
      errors: [
        {
          messageId: 'perCall',
          line: 3,
          messageIncludes: ['opens a new connection pool on every call of `countUsers`'],
        },
      ],
    },
    {
      name: 'mysql createConnection in a bot command',
      code: `import mysql from 'mysql2/promise';\nexport async function onCommand(userId: string) {\n  const conn = await mysql.createConnection({ host: 'db' });\n  const [rows] = await conn.query('SELECT * FROM points WHERE user_id = ?', [userId]);\n  await conn.end();\n  return rows;\n}`,
      errors: [{ messageId: 'perCall', line: 3 }],
    },
    {
      name: 'a connection per bot command (a handler method of an exported object)',
      code: `import mysql from 'mysql2/promise';\nexport default {\n  name: 'balance',\n  async execute(interaction: { user: { id: string } }) {\n    const connection = await mysql.createConnection(process.env.DB_URL!);\n    const [rows] = await connection.execute('SELECT money FROM balances WHERE user = ?', [interaction.user.id]);\n    await connection.end();\n    return rows;\n  },\n};`,
      errors: [{ messageId: 'perCall', line: 5, messageIncludes: ['on every call of `execute`'] }],
    },
    {
      name: 'a Redis factory called from a route',
      files: {
        '/project/src/routes.ts': `${express}import { newRedisClient } from './redis';\napp.get('/hits', async (req, res) => {\n  const redis = newRedisClient();\n  res.json(await redis.incr('hits'));\n});\n`,
      },
      code: `import Redis from 'ioredis';\nexport function newRedisClient() {\n  return new Redis();\n}\n`,
      filename: '/project/src/redis.ts',
      errors: [
        {
          messageId: 'perCallVia',
          line: 3,
          column: 10,
          messageIncludes: [
            '`new Redis()` in `newRedisClient` opens a new connection on every call, and `newRedisClient` runs on every request (route `GET /hits handler`)',
          ],
        },
      ],
    },
    {
      name: 'checkout released outside finally',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function transfer() {\n  const client = await pool.connect();\n  await client.query('BEGIN');\n  await client.query('COMMIT');\n  client.release();\n}`,
      errors: [{ messageId: 'releaseNotInFinally', line: 4, messageIncludes: ['after 20 such errors'] }],
    },
    {
      name: 'checkout never released',
      code: `import mysql from 'mysql2/promise';\nconst pool = mysql.createPool({ host: 'db' });\nexport async function load(id: number) {\n  const conn = await pool.getConnection();\n  const [rows] = await conn.query('SELECT * FROM t WHERE id = ?', [id]);\n  return rows;\n}`,
      errors: [{ messageId: 'neverReleased', line: 4, messageIncludes: ['`conn.release()`'] }],
    },
  ],
});
