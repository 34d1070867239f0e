// Rule tests for n-plus-one's advice on updates whose data comes from the element: never `updateMany`, also where the
// batch planner cannot rewrite the loop (a branch per table, an interactive transaction, a map with its index).
import { dedent, runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const express = `import express from 'express';\nexport const app = express();\n`;

runRuleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'a re-order inside an interactive transaction, a branch per table: raw SQL, not updateMany',
      code: dedent`
        ${prisma}
        ${express}
        app.post('/reorder', async (req, res) => {
          const newOrder: { id: string; kind: string; orderIndex: number }[] = req.body.newOrder;
          await prisma.$transaction(async (tx) => {
            for (const item of newOrder) {
              if (item.kind === 'folder') {
                await tx.folder.update({ where: { id: item.id }, data: { orderIndex: item.orderIndex } });
                      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
              } else {
                await tx.document.update({ where: { id: item.id }, data: { orderIndex: item.orderIndex } });
                      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
              }
            }
          });
          res.end();
        });
      `,
      errors: [
        { messageId: 'sequential', messageIncludes: ['Each row gets its own values, so no `updateMany`', 'raw SQL'] },
        { messageId: 'sequential', messageIncludes: ['Each row gets its own values, so no `updateMany`', 'raw SQL'] },
      ],
    },
    {
      name: 'a sort that numbers the rows in a callback with more than the write: one batch $transaction, not updateMany',
      // One collection's rows on a path that only writes: `info` by default (childrenOnWritePaths).
      code: dedent`
        ${prisma}
        ${express}
        app.post('/collections/:id/sort', async (req, res) => {
          const requests = await prisma.request.findMany({ where: { collectionId: req.params.id } });
          await Promise.all(
            requests.map(async (request, i) => {
              const orderIndex = i + 1;
              return prisma.request.update({ where: { id: request.id }, data: { orderIndex } });
                     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            }),
          );
          res.end();
        });
      `,
      errors: [
        {
          messageId: 'concurrent',
          severity: 'info',
          messageIncludes: ['Each row gets its own values, so no `updateMany`', 'batch `$transaction([…])`'],
        },
      ],
    },
  ],
});
