// Rule tests for unpooled-connection: per-call creation, client factories, and pool checkouts not released.
import { dedent, runRuleTests } from './ruleTester';

const express = `import express from 'express';\nconst app = express();\n`;

runRuleTests('unpooled-connection', {
  valid: [
    // Module scope: created once at load
    {
      code: dedent`
        import { Pool } from 'pg';
        export const pool = new Pool({ max: 20 });
        export async function f() { return pool.query('SELECT 1'); }
      `,
    },
    // Lazy singleton with ??=
    {
      code: dedent`
        import Redis from 'ioredis';
        let client: Redis | undefined;
        export function redis() {
          client ??= new Redis();
          return client;
        }
      `,
    },
    // Lazy singleton with if (!x)
    {
      code: dedent`
        import { Pool } from 'pg';
        let pool: Pool | undefined;
        export function getPool() {
          if (!pool) pool = new Pool();
          return pool;
        }
      `,
    },
    // Prisma singleton guard on globalThis
    {
      code: dedent`
        import { PrismaClient } from '@prisma/client';
        const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
        export function prisma() {
          const client = globalForPrisma.prisma ?? new PrismaClient();
          globalForPrisma.prisma = client;
          return client;
        }
      `,
    },
    // Start-up code runs once
    {
      code: dedent`
        import mongoose from 'mongoose';
        export async function bootstrap() {
          await mongoose.connect(process.env.MONGO_URL!);
        }
      `,
    },
    // A promise of the connection memoised on the instance
    {
      code: dedent`
        import { MongoClient } from 'mongodb';
        export class FilesAdapter {
          private ready?: Promise<unknown>;
          connect(url: string) {
            if (!this.ready) {
              this.ready = MongoClient.connect(url).then((client) => client.db('files'));
            }
            return this.ready;
          }
        }
      `,
    },
    // Constructor of a service built once
    {
      code: dedent`
        import Redis from 'ioredis';
        export class CacheService {
          private readonly redis: Redis;
          constructor() { this.redis = new Redis(); }
        }
      `,
    },
    // A factory called only at module scope
    {
      code: dedent`
        import Redis from 'ioredis';
        function makeClient() { return new Redis({ maxRetriesPerRequest: 3 }); }
        export const redis = makeClient();
      `,
    },
    // A pg client held for LISTEN, and one for a session advisory lock: each needs its own connection
    {
      code: dedent`
        ${express}
        import { Client } from 'pg';
        app.get('/events', async (req, res) => {
          const listener = new Client();
          await listener.connect();
          await listener.query('LISTEN orders');
          listener.on('notification', (n) => res.write(n.payload));
        });
      `,
    },
    {
      code: dedent`
        ${express}
        import { Client } from 'pg';
        app.post('/migrate', async (req, res) => {
          const locker = new Client();
          await locker.connect();
          await locker.query('SELECT pg_try_advisory_lock(42)');
          res.end();
        });
      `,
    },
    // A dedicated subscriber connection
    {
      code: dedent`
        ${express}
        import Redis from 'ioredis';
        app.get('/events', async (req, res) => {
          const sub = new Redis();
          await sub.subscribe('events');
          sub.on('message', (_c, m) => res.write(m));
        });
      `,
    },
    // Blocking pop on its own connection
    {
      code: dedent`
        import Redis from 'ioredis';
        export async function worker() {
          const blocking = new Redis();
          for (;;) { await blocking.brpop('jobs', 0); }
        }
        worker();
      `,
    },
    // A pool factory passed to a pool library
    {
      code: dedent`
        import Redis from 'ioredis';
        import { createPool } from 'generic-pool';
        export const pool = createPool({ create: async () => new Redis(), destroy: async (c: Redis) => { await c.quit(); } }, { max: 10 });
      `,
    },
    // Checkout released in finally
    {
      code: dedent`
        import { Pool } from 'pg';
        const pool = new Pool();
        export async function transfer() {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        }
      `,
    },
    // Checkout handed to the caller, who releases it
    {
      code: dedent`
        import { Pool } from 'pg';
        const pool = new Pool();
        export async function checkout() {
          const client = await pool.connect();
          return client;
        }
      `,
    },
    // Pool checkout: not a new connection
    {
      code: dedent`
        ${express}
        import { Pool } from 'pg';
        const pool = new Pool();
        app.get('/x', async (req, res) => {
          const c = await pool.connect();
          try { res.json((await c.query('SELECT 1')).rows); } finally { c.release(); }
        });
      `,
    },
    // A one-off script: one connection per run
    {
      filename: '/project/scripts/report.ts',
      code: dedent`
        import { Client } from 'pg';
        async function report() {
          const client = new Client();
          await client.connect();
          console.log((await client.query('SELECT count(*) FROM orders')).rows);
          await client.end();
        }
        report();
      `,
    },
    // A manager whose connect() keeps a pool on this, built once at start-up
    {
      code: dedent`
        import { Pool } from 'pg';
        class DbManager {
          pool?: Pool;
          async connect() {
            this.pool = new Pool({ max: 10 });
            return true;
          }
        }
        export async function bootstrap() {
          const db = new DbManager();
          await db.connect();
          return db;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'a fresh manager per request whose connect() keeps a new pool on this',
      code: dedent`
        \${express}
        import { Pool } from 'pg';
        class DbManager {
          pool?: Pool;
          async connect() {
            this.pool = new Pool({ max: 10 });
            return true;
          }
        }
        app.get('/summary', async (req, res) => {
          const db = new DbManager();
          const ok = await db.connect();
                           ~~~~~~~~~~~~
          res.json({ ok });
        });
      `,
      errors: [
        {
          messageId: 'perInstance',
          messageIncludes: [
            '`DbManager.connect` creates `new Pool({ max: 10 })` (a new connection pool)',
            'route `GET /summary handler`',
          ],
        },
      ],
    },
    {
      name: 'a script that creates a client per batch, in a loop',
      filename: '/project/scripts/backfill.ts',
      code: dedent`
        import { PrismaClient } from '@prisma/client';
        async function backfillBatch(ids: string[]) {
          const prisma = new PrismaClient();
                         ~~~~~~~~~~~~~~~~~~
          await prisma.post.updateMany({ where: { id: { in: ids } }, data: { checked: true } });
        }
        async function run(all: string[]) {
          for (let i = 0; i < all.length; i += 100) await backfillBatch(all.slice(i, i + 100));
        }
        run([]);
      `,
      errors: [
        {
          messageId: 'perCall',
          messageIncludes: ['once per pass of a loop in `run`'],
        },
      ],
    },
    {
      name: 'new Client() inside a route handler',
      code: dedent`
        ${express}
        import { Client } from 'pg';
        app.get('/users/:id', async (req, res) => {
          const client = new Client();
                         ~~~~~~~~~~~~
          await client.connect();
          const r = await client.query('SELECT * FROM users WHERE id = $1', [req.params.id]);
          await client.end();
          res.json(r.rows[0]);
        });
      `,
      errors: [
        {
          messageId: 'perCall',
          fixes: [
            {
              title: 'Create one shared `Pool` at module scope (pool 20, acquire timeout 30 s) and reuse it',
              output: dedent`
                import express from 'express';
                const app = express();
                import { Pool } from 'pg';
                const pool = new Pool({ max: 20, connectionTimeoutMillis: 30_000, idleTimeoutMillis: 30_000, maxLifetimeSeconds: 1800 });
                app.get('/users/:id', async (req, res) => {
                  const r = await pool.query('SELECT * FROM users WHERE id = $1', [req.params.id]);
                  res.json(r.rows[0]);
                });
              `,
            },
          ],

          messageIncludes: [
            '`new Client()` opens a new connection on every request (route `GET /users/:id handler`)',
            'Create one `new Pool({ max: 20, connectionTimeoutMillis: 30_000',
          ],
        },
      ],
    },
    {
      name: 'new PrismaClient() per call',
      code: dedent`
        import { PrismaClient } from '@prisma/client';
        export async function countUsers() {
          const prisma = new PrismaClient();
                         ~~~~~~~~~~~~~~~~~~
          return prisma.user.count();
        }
      `,
      errors: [
        {
          messageId: 'perCall',
          fixes: [
            {
              title: 'Create one shared `PrismaClient` at module scope (pool 20, acquire timeout 30 s) and reuse it',
              output: dedent`
                import { PrismaClient } from '@prisma/client';
                const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
                const prisma = globalForPrisma.prisma ?? new PrismaClient();
                if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;
                export async function countUsers() {
                  return prisma.user.count();
                }
              `,
            },
          ],

          messageIncludes: ['opens a new connection pool on every call of `countUsers`'],
        },
      ],
    },
    {
      name: 'mysql createConnection in a bot command',
      code: dedent`
        import mysql from 'mysql2/promise';
        export async function onCommand(userId: string) {
          const conn = await mysql.createConnection({ host: 'db' });
                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          const [rows] = await conn.query('SELECT * FROM points WHERE user_id = ?', [userId]);
          await conn.end();
          return rows;
        }
      `,
      errors: [
        {
          messageId: 'perCall',
          fixes: [
            {
              title: 'Create one shared `createPool()` at module scope (pool 20, acquire timeout 30 s) and reuse it',
              output: dedent`
            import mysql from 'mysql2/promise';
            const pool = mysql.createPool({ host: 'db', connectionLimit: 20, waitForConnections: true, enableKeepAlive: true });
            export async function onCommand(userId: string) {
              const [rows] = await pool.query('SELECT * FROM points WHERE user_id = ?', [userId]);
              return rows;
            }
          `,
            },
          ],
        },
      ],
    },
    {
      name: 'a connection per bot command (a handler method of an exported object)',
      code: dedent`
        import mysql from 'mysql2/promise';
        export default {
          name: 'balance',
          async execute(interaction: { user: { id: string } }) {
            const connection = await mysql.createConnection(process.env.DB_URL!);
                                     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            const [rows] = await connection.execute('SELECT money FROM balances WHERE user = ?', [interaction.user.id]);
            await connection.end();
            return rows;
          },
        };
      `,
      errors: [
        {
          messageId: 'perCall',
          messageIncludes: ['on every request (command `execute`)'],
          fixes: [
            {
              title: 'Create one shared `createPool()` at module scope (pool 20, acquire timeout 30 s) and reuse it',
              output: dedent`
            import mysql from 'mysql2/promise';
            const pool = mysql.createPool({ uri: process.env.DB_URL!, connectionLimit: 20, waitForConnections: true, enableKeepAlive: true });
            export default {
              name: 'balance',
              async execute(interaction: { user: { id: string } }) {
                const [rows] = await pool.execute('SELECT money FROM balances WHERE user = ?', [interaction.user.id]);
                return rows;
              },
            };
          `,
            },
          ],
        },
      ],
    },
    {
      name: 'a Redis factory called from a route',
      files: {
        '/project/src/routes.ts': dedent`
          ${express}
          import { newRedisClient } from './redis';
          app.get('/hits', async (req, res) => {
            const redis = newRedisClient();
            res.json(await redis.incr('hits'));
          });

        `,
      },
      code: dedent`
        import Redis from 'ioredis';
        export function newRedisClient() {
          return new Redis();
                 ~~~~~~~~~~~
        }

      `,
      filename: '/project/src/redis.ts',
      errors: [
        {
          messageId: 'perCallVia',
          fixes: [
            {
              title: 'Create one shared `Redis` at module scope (pool 20, acquire timeout 30 s) and reuse it',
              output: dedent`
                import Redis from 'ioredis';
                const newRedisClientInstance = new Redis({ maxRetriesPerRequest: 3, retryStrategy: (times) => Math.min(1000 * 2 ** (times - 1), 30_000) });
                export function newRedisClient() {
                  return newRedisClientInstance;
                }

              `,
            },
          ],

          messageIncludes: [
            '`new Redis()` in `newRedisClient` opens a new connection on every call, and `newRedisClient` runs on every request (route `GET /hits handler`)',
          ],
        },
      ],
    },
    {
      name: 'checkout released outside finally',
      code: dedent`
        import { Pool } from 'pg';
        const pool = new Pool();
        export async function transfer() {
          const client = await pool.connect();
                               ~~~~~~~~~~~~~~
          await client.query('BEGIN');
          await client.query('COMMIT');
          client.release();
        }
      `,
      errors: [
        {
          messageId: 'releaseNotInFinally',
          messageIncludes: ['after 20 such errors'],
          fixes: [
            {
              title: 'Release `client.release` in `finally`',
              kind: 'fix',
              output: dedent`
            import { Pool } from 'pg';
            const pool = new Pool();
            export async function transfer() {
              const client = await pool.connect();
              try {
                await client.query('BEGIN');
                await client.query('COMMIT');
              } finally {
                client.release();
              }
            }
          `,
            },
          ],
        },
      ],
    },
    {
      name: 'checkout never released',
      code: dedent`
        import mysql from 'mysql2/promise';
        const pool = mysql.createPool({ host: 'db' });
        export async function load(id: number) {
          const conn = await pool.getConnection();
                             ~~~~~~~~~~~~~~~~~~~~
          const [rows] = await conn.query('SELECT * FROM t WHERE id = ?', [id]);
          return rows;
        }
      `,
      errors: [
        {
          messageId: 'neverReleased',
          messageIncludes: ['`conn.release()`'],
          fixes: [
            {
              title: 'Add `conn.release()` in `finally`',
              kind: 'suggestion',
              output: dedent`
            import mysql from 'mysql2/promise';
            const pool = mysql.createPool({ host: 'db' });
            export async function load(id: number) {
              const conn = await pool.getConnection();
              try {
                const [rows] = await conn.query('SELECT * FROM t WHERE id = ?', [id]);
                return rows;
              } finally {
                conn.release();
              }
            }
          `,
            },
          ],
        },
      ],
    },
  ],
});
