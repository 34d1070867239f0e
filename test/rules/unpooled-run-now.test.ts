// Rule tests for unpooled-connection: callbacks of retry helpers and promise chains belong to the function around
// them, and a checkout released on the very next statement cannot leak.
import { dedent, runRuleTests } from './ruleTester';

const retryConnect = dedent`
  import promiseRetry from 'promise-retry';
  import { MongoClient } from 'mongodb';
  export default function connectWithRetry(url: string) {
    return promiseRetry((retry: (e: unknown) => never) =>
      MongoClient.connect(url)
        .then((client) => client)
        .catch((error) => retry(error)),
    );
  }
`;

runRuleTests('unpooled-connection', {
  valid: [
    {
      name: 'a retrying connect factory called once at start-up',
      code: dedent`
        ${retryConnect}
        export async function bootstrap() {
          const client = await connectWithRetry(process.env.MONGO_URL!);
          return client.db();
        }
      `,
    },
    {
      name: 'a retrying connect factory called from a function that memoises what it builds',
      code: dedent`
        import express from 'express';
        ${retryConnect}
        let accounts: { db: unknown } | undefined;
        export async function accountServer() {
          if (accounts) return accounts;
          const client = await connectWithRetry(process.env.MONGO_URL!);
          accounts = { db: client.db() };
          return accounts;
        }
        const app = express();
        app.use(async (req, res, next) => {
          await accountServer();
          next();
        });
      `,
    },
    {
      name: 'a retrying connect factory no one calls (a library export)',
      code: retryConnect,
    },
    {
      name: 'a checkout released on the next statement: nothing in between can throw',
      code: dedent`
        import express from 'express';
        import { Pool } from 'pg';
        const pool = new Pool();
        const app = express();
        app.get('/health', async (req, res) => {
          const client = await pool.connect();
          client.release();
          res.send('ok');
        });
      `,
    },
  ],
  invalid: [
    {
      name: 'a factory called from a handler another function returns: the message names it without nested code marks',
      code: dedent`
        import express from 'express';
        import { Pool } from 'pg';
        function newPool() {
          return new Pool();
                 ~~~~~~~~~~
        }
        export function tokenMiddleware() {
          return async (req: express.Request, res: express.Response, next: () => void) => {
            const pool = newPool();
            await pool.query('SELECT 1');
            next();
          };
        }
        const app = express();
        app.use(tokenMiddleware());
      `,
      errors: [
        {
          messageId: 'perCallVia',
          messageIncludes: ['runs on every request (middleware the handler `tokenMiddleware` returns)'],
          fixes: [
            {
              title: 'Create one shared `Pool` at module scope (pool 20, acquire timeout 30 s) and reuse it',
              output: dedent`
                import express from 'express';
                import { Pool } from 'pg';
                const newPoolInstance = new Pool({ max: 20, connectionTimeoutMillis: 30_000, idleTimeoutMillis: 30_000, maxLifetimeSeconds: 1800 });
                function newPool() {
                  return newPoolInstance;
                }
                export function tokenMiddleware() {
                  return async (req: express.Request, res: express.Response, next: () => void) => {
                    const pool = newPool();
                    await pool.query('SELECT 1');
                    next();
                  };
                }
                const app = express();
                app.use(tokenMiddleware());
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a retrying connect factory called per request',
      code: dedent`
        import express from 'express';
        import promiseRetry from 'promise-retry';
        import { MongoClient } from 'mongodb';
        export default function connectWithRetry(url: string) {
          return promiseRetry((retry: (e: unknown) => never) =>
            MongoClient.connect(url)
            ~~~~~~~~~~~~~~~~~~~~~~~~
              .then((client) => client)
              .catch((error) => retry(error)),
          );
        }
        const app = express();
        app.get('/users', async (req, res) => {
          const client = await connectWithRetry(process.env.MONGO_URL!);
          res.json(await client.db().collection('users').findOne({ id: req.query.id }));
        });
      `,
      errors: [{ messageId: 'perCallVia', messageIncludes: ['`connectWithRetry`'] }],
    },
    {
      name: 'a retrying connect factory called from a function whose early return does not memoise',
      code: dedent`
        import express from 'express';
        import promiseRetry from 'promise-retry';
        import { MongoClient } from 'mongodb';
        export default function connectWithRetry(url: string) {
          return promiseRetry((retry: (e: unknown) => never) =>
            MongoClient.connect(url)
            ~~~~~~~~~~~~~~~~~~~~~~~~
              .then((client) => client)
              .catch((error) => retry(error)),
          );
        }
        let maintenance = false;
        export async function lookup(id: string) {
          if (maintenance) return undefined;
          const client = await connectWithRetry(process.env.MONGO_URL!);
          return client.db().collection('users').findOne({ id });
        }
        const app = express();
        app.get('/users', async (req, res) => {
          res.json(await lookup(String(req.query.id)));
        });
      `,
      errors: [{ messageId: 'perCallVia', messageIncludes: ['`lookup`'] }],
    },
    {
      name: 'a connect in a promise chain of a per-request function',
      code: dedent`
        import express from 'express';
        import { MongoClient } from 'mongodb';
        const app = express();
        function loadConfig(): Promise<string> {
          return Promise.resolve(process.env.MONGO_URL!);
        }
        app.get('/users', async (req, res) => {
          const found = await loadConfig()
            .then((url) => MongoClient.connect(url))
                           ~~~~~~~~~~~~~~~~~~~~~~~~
            .then((client) => client.db().collection('users').findOne({}));
          res.json(found);
        });
      `,
      errors: [{ messageId: 'perCall' }],
    },
    {
      name: 'a checkout with a query between it and its release',
      code: dedent`
        import express from 'express';
        import { Pool } from 'pg';
        const pool = new Pool();
        const app = express();
        app.get('/health', async (req, res) => {
          const client = await pool.connect();
                               ~~~~~~~~~~~~~~
          await client.query('SELECT 1');
          client.release();
          res.send('ok');
        });
      `,
      errors: [
        {
          messageId: 'releaseNotInFinally',
          fixes: [
            {
              title: 'Release `client.release` in `finally`',
              kind: 'fix',
              output: dedent`
                import express from 'express';
                import { Pool } from 'pg';
                const pool = new Pool();
                const app = express();
                app.get('/health', async (req, res) => {
                  const client = await pool.connect();
                  try {
                    await client.query('SELECT 1');
                  } finally {
                    client.release();
                  }
                  res.send('ok');
                });
              `,
            },
          ],
        },
      ],
    },
  ],
});
