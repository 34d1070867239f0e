// n-plus-one on lists made of text the client sent (`req.query.ids.split(',')`): as many elements as the client wrote,
// so a query per element grows like a request's array; split constants and configuration stay unsized.
import { dedent, runRuleTests } from './ruleTester';

runRuleTests('n-plus-one', {
  valid: [
    {
      name: 'a split literal: a fixed list',
      code: dedent`
        import express from 'express';
        import { Pool } from 'pg';
        const pool = new Pool();
        const app = express();
        app.get('/regions', async (req, res) => {
          const out = [];
          for (const region of 'eu,us'.split(',')) out.push(await pool.query('SELECT count(*) FROM shops WHERE region = $1', [region]));
          res.json(out);
        });
      `,
    },
    {
      name: 'a split environment variable: configuration',
      code: dedent`
        import express from 'express';
        import { Pool } from 'pg';
        const pool = new Pool();
        const app = express();
        app.get('/regions', async (req, res) => {
          const out = [];
          for (const region of (process.env.REGIONS ?? '').split(',')) out.push(await pool.query('SELECT count(*) FROM shops WHERE region = $1', [region]));
          res.json(out);
        });
      `,
    },
  ],
  invalid: [
    {
      name: 'ids from the query string, split and deduplicated',
      code: dedent`
        import express from 'express';
        import { Pool } from 'pg';
        const pool = new Pool();
        const app = express();
        app.delete('/animals', async (req, res) => {
          const { ids } = req.query as { ids: string };
          for (const id of new Set(ids.split(','))) {
            await pool.query('DELETE FROM animals WHERE id = $1', [id]);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
          res.sendStatus(204);
        });
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['what the client sent', 'DELETE /animals'] }],
    },
  ],
});
