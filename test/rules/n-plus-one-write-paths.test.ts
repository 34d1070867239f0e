// n-plus-one on one parent's children in code only write paths reach (POST/PUT/PATCH/DELETE, a GraphQL mutation, a
// tRPC mutation): `info` with "possible: …" by default (often a few rows once per user action), the rule's severity
// under `childrenOnWritePaths: 'report'`, nothing under 'silent'; a read path reaching the same code, or rows that are
// not one parent's, report at the rule's severity.
import { CHILDREN_ON_WRITE_PATHS_REPORT, CHILDREN_ON_WRITE_PATHS_SILENT } from './origins';
import { dedent, runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const express = `import express from 'express';\nconst app = express();\n`;

/** A helper that reads one order's lines and a product per line: one parent's children, a query per child. */
const linesWithProducts = dedent`
  async function linesWithProducts(orderId: string) {
    const lines = await prisma.orderLine.findMany({ where: { orderId } });
    const out = [];
    for (const line of lines) out.push(await prisma.product.findUnique({ where: { id: line.productId } }));
    return out;
  }
`;

/** `linesWithProducts` after its batch fix: one read for all lines' products, then a lookup map. */
const linesWithProductsBatched = dedent`
  async function linesWithProducts(orderId: string) {
    const lines = await prisma.orderLine.findMany({ where: { orderId } });
    const out = [];
    const productKeys = [...new Set(lines.map((line) => line.productId))];
    const productRows = productKeys.length === 0 ? [] : await prisma.product.findMany({ where: { id: { in: productKeys } } });
    const productById = new Map<string, (typeof productRows)[number]>();
    for (const row of productRows) if (!productById.has(String(row.id))) productById.set(String(row.id), row);
    for (const line of lines) out.push(productById.get(String(line.productId)) ?? null);
    return out;
  }
`;

/** The batch fix of `linesWithProducts`, with the routes that follow it. */
const batchFix = (routes: string) => [
  {
    title: 'Batch `prisma.product.findUnique`: one read for all of `lines`, then a lookup map',
    output: `${prisma}${express}${linesWithProductsBatched}\n${routes}`,
  },
];

runRuleTests('n-plus-one', {
  valid: [
    {
      name: "'silent': one parent's children on a POST route are not reported",
      config: CHILDREN_ON_WRITE_PATHS_SILENT,
      code: dedent`
        ${prisma}
        ${express}
        ${linesWithProducts}
        app.post('/orders/:id/confirm', async (req, res) => res.json(await linesWithProducts(req.params.id)));
      `,
    },
    {
      name: "'silent': every entry that reaches it writes (PUT and DELETE): not reported",
      config: CHILDREN_ON_WRITE_PATHS_SILENT,
      code: dedent`
        ${prisma}
        ${express}
        ${linesWithProducts}
        app.put('/orders/:id', async (req, res) => res.json(await linesWithProducts(req.params.id)));
        app.delete('/orders/:id', async (req, res) => res.json(await linesWithProducts(req.params.id)));
      `,
    },
    {
      name: "'silent': a row's relation (its children) walked in a NestJS @Patch handler is not reported",
      config: CHILDREN_ON_WRITE_PATHS_SILENT,
      code: dedent`
        ${prisma}
        import { Controller, Param, Patch } from '@nestjs/common';
        @Controller('teams')
        export class TeamController {
          @Patch(':id/archive')
          async archive(@Param('id') id: string) {
            const team = await prisma.team.findUnique({ where: { id }, include: { members: true } });
            for (const member of team!.members) await prisma.user.update({ where: { id: member.userId }, data: { teamId: null } });
          }
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'the same helper on a GET route is reported at the rule severity',
      code: dedent`
        ${prisma}
        ${express}
        async function linesWithProducts(orderId: string) {
          const lines = await prisma.orderLine.findMany({ where: { orderId } });
          const out = [];
          for (const line of lines) out.push(await prisma.product.findUnique({ where: { id: line.productId } }));
                                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return out;
        }
        app.get('/orders/:id', async (req, res) => res.json(await linesWithProducts(req.params.id)));
      `,
      errors: [
        {
          messageId: 'sequential',
          severity: 'warning',
          messageIncludes: ['the rows of one parent from `prisma.orderLine.findMany`'],
          fixes: batchFix(
            "app.get('/orders/:id', async (req, res) => res.json(await linesWithProducts(req.params.id)));",
          ),
        },
      ],
    },
    {
      name: 'a read path among the write paths that reach it: reported',
      code: dedent`
        ${prisma}
        ${express}
        async function linesWithProducts(orderId: string) {
          const lines = await prisma.orderLine.findMany({ where: { orderId } });
          const out = [];
          for (const line of lines) out.push(await prisma.product.findUnique({ where: { id: line.productId } }));
                                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return out;
        }
        app.post('/orders/:id/confirm', async (req, res) => res.json(await linesWithProducts(req.params.id)));
        app.get('/orders/:id', async (req, res) => res.json(await linesWithProducts(req.params.id)));
      `,
      errors: [
        {
          messageId: 'sequential',
          severity: 'warning',
          fixes: batchFix(
            `app.post('/orders/:id/confirm', async (req, res) => res.json(await linesWithProducts(req.params.id)));\napp.get('/orders/:id', async (req, res) => res.json(await linesWithProducts(req.params.id)));`,
          ),
        },
      ],
    },
    {
      name: "rows that are not one parent's (every matching row of a table) on a POST route: reported",
      code: dedent`
        ${prisma}
        ${express}
        app.post('/orders/reprice', async (req, res) => {
          const lines = await prisma.orderLine.findMany({ where: { status: 'open' } });
          for (const line of lines) await prisma.product.findUnique({ where: { id: line.productId } });
                                          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          res.end();
        });
      `,
      errors: [{ messageId: 'sequential', severity: 'warning' }],
    },
    {
      name: "default: one parent's children on a POST route are reported at info, saying why it is only possible",
      code: dedent`
        ${prisma}
        ${express}
        async function linesWithProducts(orderId: string) {
          const lines = await prisma.orderLine.findMany({ where: { orderId } });
          const out = [];
          for (const line of lines) out.push(await prisma.product.findUnique({ where: { id: line.productId } }));
                                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return out;
        }
        app.post('/orders/:id/confirm', async (req, res) => res.json(await linesWithProducts(req.params.id)));
      `,
      errors: [
        {
          messageId: 'sequential',
          severity: 'info',
          messageIncludes: ["possible: one parent's children, on a path that only writes", 'POST /orders/:id/confirm'],
          fixes: batchFix(
            "app.post('/orders/:id/confirm', async (req, res) => res.json(await linesWithProducts(req.params.id)));",
          ),
        },
      ],
    },
    {
      name: "'report': the same loop at the rule's severity, with no \"possible\"",
      config: CHILDREN_ON_WRITE_PATHS_REPORT,
      code: dedent`
        ${prisma}
        ${express}
        async function linesWithProducts(orderId: string) {
          const lines = await prisma.orderLine.findMany({ where: { orderId } });
          const out = [];
          for (const line of lines) out.push(await prisma.product.findUnique({ where: { id: line.productId } }));
                                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return out;
        }
        app.post('/orders/:id/confirm', async (req, res) => res.json(await linesWithProducts(req.params.id)));
      `,
      errors: [
        {
          messageId: 'sequential',
          severity: 'warning',
          messageIncludes: [
            '(the rows of one parent from `prisma.orderLine.findMany`, with no limit; reached from POST',
          ],
          fixes: batchFix(
            "app.post('/orders/:id/confirm', async (req, res) => res.json(await linesWithProducts(req.params.id)));",
          ),
        },
      ],
    },
  ],
});
