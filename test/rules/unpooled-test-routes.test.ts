// Rule tests for unpooled-connection: routes that only tests or development builds serve are not request paths.
import { dedent, runRuleTests } from './ruleTester';

runRuleTests('unpooled-connection', {
  valid: [
    {
      name: 'a reconnect reached only from an end-to-end test route (/_e2e/…)',
      code: dedent`
        import express from 'express';
        import mysql from 'mysql2/promise';
        const app = express();
        export async function reconnect() {
          const connection = await mysql.createConnection({ host: 'db' });
          await connection.query('CREATE DATABASE IF NOT EXISTS app');
          await connection.end();
        }
        app.get('/_e2e/reset', async (req, res) => {
          await reconnect();
          res.send('ok');
        });
      `,
    },
    {
      name: 'a reconnect reached only from a route registered under if (isDev)',
      code: dedent`
        import express from 'express';
        import mysql from 'mysql2/promise';
        const app = express();
        const isDev = process.env.NODE_ENV === 'development';
        export async function reconnect() {
          const connection = await mysql.createConnection({ host: 'db' });
          await connection.end();
        }
        if (isDev) {
          app.get('/debug/reset', async (req, res) => {
            await reconnect();
            res.send('ok');
          });
        }
      `,
    },
  ],
  // The production-route look-alike (a client created in a function a route calls) is in unpooled-connection.test.ts.
  invalid: [],
});
