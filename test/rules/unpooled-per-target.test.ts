// Rule tests for unpooled-connection: a connection to a target the call names, opened and closed in one function; a
// creation guarded by an empty shared slot that it fills.
import { dedent, runRuleTests } from './ruleTester';

runRuleTests('unpooled-connection', {
  valid: [
    {
      name: 'a client created only while the global slot is empty, and the branch fills the slot (Next.js hot reload)',
      code: dedent`
        import { MongoClient } from 'mongodb';
        export async function getMongoClient() {
          if (!(globalThis as any).mongoClientPromise) {
            const client = new MongoClient(String(process.env.MONGODB_URI));
            (globalThis as any).mongoClientPromise = client.connect().then((connected) => connected);
          }
          return (globalThis as any).mongoClientPromise;
        }
        export default async function handler(req: unknown, res: { json(v: unknown): void }) {
          const client = await getMongoClient();
          res.json(await client.db().collection('posts').find().limit(10).toArray());
        }
      `,
    },
    {
      name: "a health probe connects to the monitor's own database and closes it again",
      code: dedent`
        import express from 'express';
        import { MongoClient } from 'mongodb';
        const app = express();
        export async function probe(connectionString: string) {
          const client = await MongoClient.connect(connectionString);
          const result = await client.db().command({ ping: 1 });
          await client.close();
          return result;
        }
        app.post('/monitors/:id/check', async (req, res) => {
          res.json(await probe(String(req.body.connectionString)));
        });
      `,
    },
    {
      name: 'a pg client built from the target the caller passes, ended in its callback',
      code: dedent`
        import express from 'express';
        import { Client } from 'pg';
        const app = express();
        export function check(target: { host: string; database: string }) {
          const client = new Client({ host: target.host, database: target.database });
          return client.connect().then(() => client.query('SELECT 1')).finally(() => client.end());
        }
        app.get('/targets/:host', async (req, res) => {
          res.json(await check({ host: req.params.host, database: 'postgres' }));
        });
      `,
    },
    {
      name: 'a mysql2 connection to the DSN the caller passes, ended in the query callback (end inherited by the type)',
      code: dedent`
        import express from 'express';
        import mysql from 'mysql2';
        const app = express();
        export function rowCount(connectionString: string, sql: string) {
          return new Promise((resolve, reject) => {
            const connection = mysql.createConnection({ uri: connectionString });
            connection.query(sql, (err, rows) => {
              connection.end();
              if (err) reject(err);
              else resolve(Array.isArray(rows) ? rows.length : 0);
            });
          });
        }
        app.post('/monitors/check', async (req, res) => {
          res.json(await rowCount(String(req.body.dsn), 'SELECT 1'));
        });
      `,
    },
  ],
  invalid: [
    {
      name: 'the same configured database opened and closed on every request: a pool serves that',
      code: dedent`
        import express from 'express';
        import { Client } from 'pg';
        const app = express();
        app.get('/games', async (req, res) => {
          const client = new Client({ connectionString: process.env.DATABASE_URL });
                         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          await client.connect();
          const { rows } = await client.query('SELECT * FROM games LIMIT 20');
          await client.end();
          res.json(rows);
        });
      `,
      errors: [
        {
          messageId: 'perCall',
          messageIncludes: ['Create one `new Pool({ max: 20'],
          fixes: [
            {
              output: dedent`
                import express from 'express';
                import { Pool } from 'pg';
                const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, connectionTimeoutMillis: 30_000, idleTimeoutMillis: 30_000, maxLifetimeSeconds: 1800 });
                const app = express();
                app.get('/games', async (req, res) => {
                  const { rows } = await pool.query('SELECT * FROM games LIMIT 20');
                  res.json(rows);
                });
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a per-target client that is never closed: connections pile up',
      code: dedent`
        import express from 'express';
        import { MongoClient } from 'mongodb';
        const app = express();
        export async function probe(connectionString: string) {
          const client = await MongoClient.connect(connectionString);
                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return client.db().command({ ping: 1 });
        }
        app.post('/monitors/:id/check', async (req, res) => {
          res.json(await probe(String(req.body.connectionString)));
        });
      `,
      errors: [{ messageId: 'perTargetNeverClosed', messageIncludes: ['never closes it'] }],
    },
  ],
});
