// Rule tests for unbounded-read on rows narrowed in JavaScript: the advice is the condition in the query, and no bound
// is added (a page taken before the filter would drop rows it keeps).
import { dedent, runRuleTests } from './ruleTester';

const head = `import { PrismaClient } from '@prisma/client';\nimport express from 'express';\nconst prisma = new PrismaClient();\nconst app = express();\n`;

runRuleTests('unbounded-read', {
  valid: [],
  invalid: [
    {
      name: 'every paid sale read, then filtered by region in JavaScript',
      code: dedent`
        ${head}
        app.get('/sales/nearby', async (req, res) => {
          const sales = await prisma.sale.findMany({ where: { status: 'paid' } });
                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          res.json(sales.filter((sale) => sale.region === req.query.region));
        });
      `,
      errors: [
        {
          messageId: 'noBound',
          messageIncludes: ['narrowed in JavaScript (`.filter(…)`)', "put that condition in the query's filter"],
          fixes: [{ explanation: 'filtering-in-javascript' }],
        },
      ],
    },
    {
      name: 'every finished deployment read, then the latest of this service found in JavaScript',
      code: dedent`
        ${head}
        app.get('/services/:id/deployment', async (req, res) => {
          const deployment = (await prisma.deployment.findMany({ where: { status: 'done' } })).find(
                                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            (d) => d.serviceId === req.params.id,
          );
          res.json(deployment);
        });
      `,
      errors: [
        {
          messageId: 'noBound',
          messageIncludes: ['narrowed in JavaScript (`.find(…)`)'],
          fixes: [{ explanation: 'filtering-in-javascript' }],
        },
      ],
    },
  ],
});
