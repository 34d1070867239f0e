// Rule tests for unpooled-connection on embedded databases (better-sqlite3): opening the file per request is reported
// with what it costs there (a file open, schema load, cold page cache), never with pool or handshake advice.
import { dedent, runRuleTests } from './ruleTester';

runRuleTests('unpooled-connection', {
  valid: [
    {
      name: 'one handle opened at module scope',
      code: dedent`
        import express from 'express';
        import Database from 'better-sqlite3';
        const db = new Database('app.sqlite');
        const app = express();
        app.get('/x', (req, res) => {
          res.json(db.prepare('SELECT 1').get());
        });
      `,
    },
  ],
  invalid: [
    {
      name: 'a handle opened per request',
      code: dedent`
        import express from 'express';
        import Database from 'better-sqlite3';
        const app = express();
        app.get('/x', (req, res) => {
          const db = new Database('app.sqlite');
                     ~~~~~~~~~~~~~~~~~~~~~~~~~~
          res.json(db.prepare('SELECT 1').get());
        });
      `,
      errors: [
        {
          messageId: 'perCallInProcess',
          messageIncludes: ['opens the database file again on every request', 'no pool to size'],
        },
      ],
    },
    {
      name: 'a factory of handles called per request',
      code: dedent`
        import express from 'express';
        import Database from 'better-sqlite3';
        const app = express();
        export function openDatabase(filename: string) {
          return new Database(filename);
                 ~~~~~~~~~~~~~~~~~~~~~~
        }
        app.post('/sync', (req, res) => {
          const db = openDatabase('app.sqlite');
          res.json(db.prepare('SELECT * FROM messages WHERE id = ?').all(req.body.id));
        });
      `,
      errors: [{ messageId: 'perCallViaInProcess', messageIncludes: ['`openDatabase`', 'in a `Map`'] }],
    },
  ],
});
