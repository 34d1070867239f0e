// Rule tests for n-plus-one's growth evidence: a traced origin of unknown size, a retry counter and a filled cache
// stay silent; rows, a request's array and a list walked by recursion report and say why.
import { dedent, runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const redis = `import Redis from 'ioredis';\nconst redis = new Redis();\n`;
const express = `import express from 'express';\nexport const app = express();\n`;
const mongoose = `import mongoose from 'mongoose';\nconst Topic = mongoose.model('Topic', new mongoose.Schema({}));\nconst User = mongoose.model('User', new mongoose.Schema({}));\n`;

/** Many callers far away that pass lists of unknown size (same-named helpers of other packages call it too). */
const farCallers = Object.fromEntries(
  Array.from({ length: 13 }, (_, i) => [
    `/project/packages/other${i}/use.ts`,
    `import { filterMethods } from '../shop/src/filter';\nexport const use${i} = (methods: { id: string }[]) => filterMethods(methods);\n`,
  ]),
);

runRuleTests('n-plus-one', {
  valid: [
    // A class field of unknown size (a user's own rules): its origin is traced, nothing shows it grows
    {
      code: dedent`
        ${prisma}
        ${express}
        class RuleEngine {
          constructor(private readonly rules: { id: string; listId: string }[]) {}
          async onEvent() {
            return Promise.all(this.rules.map((rule) => prisma.list.findFirst({ where: { id: rule.listId } })));
          }
        }
        app.post('/events', async (req, res) => {
          const engine = new RuleEngine(await loadRules());
          res.json(await engine.onEvent());
        });
        declare function loadRules(): Promise<{ id: string; listId: string }[]>;
      `,
    },
    // A member of a context object the callers pass: traced to a value the engine cannot size, so no report
    {
      code: dedent`
        ${prisma}
        ${express}
        async function createSequences(context: { sequenceConfigs: { entity: string }[] }, shopId: string) {
          const { sequenceConfigs } = context;
          for (const sequence of sequenceConfigs) {
            await prisma.sequence.create({ data: { shopId, entity: sequence.entity } });
          }
        }
        app.post('/shops', async (req, res) => {
          await createSequences(res.locals.context, req.body.shopId);
          res.end();
        });
      `,
    },
    // A retry counter is not a list walk: the query runs once per attempt, not once per element
    {
      code: dedent`
        ${prisma}
        export async function fetchEnvironment(args: { id: string }, attempt = 0): Promise<unknown> {
          try {
            return await prisma.environment.findUnique({ where: { id: args.id } });
          } catch (error) {
            if (attempt >= 3) throw error;
            return fetchEnvironment(args, attempt + 1);
          }
        }
      `,
    },
    // The query runs only on a miss of a store the chain writes back to: once per guild, not once per member
    {
      code: dedent`
        ${prisma}
        async function updateStaffRoles(guild: { id: string; client: { kv: Store } }) {
          const row = await prisma.guild.findUnique({ where: { id: guild.id } });
          await guild.client.kv.set(\`staff:\${guild.id}\`, row!.staffRoles);
          return row!.staffRoles;
        }
        async function isStaff(guild: { id: string; client: { kv: Store } }, userId: string) {
          const client = guild.client;
          const roles = (await client.kv.get(\`staff:\${guild.id}\`)) || (await updateStaffRoles(guild));
          return roles.includes(userId);
        }
        export async function staffMembers(guild: { id: string; client: { kv: Store } }, memberIds: string[]) {
          const out: string[] = [];
          for (const id of memberIds) if (await isStaff(guild, id)) out.push(id);
          return out;
        }
        interface Store { get(key: string): Promise<string[] | undefined>; set(key: string, value: string[]): Promise<void> }
      `,
    },
    // Each request acts for a different account (its own token): no bulk endpoint serves them together
    {
      code: dedent`
        ${prisma}
        ${express}
        app.post('/refresh', async (req, res) => {
          const integrations = await prisma.integration.findMany({ where: { orgId: req.body.orgId } });
          for (const integration of integrations) {
            await fetch('https://api.provider.example/me', {
              headers: { Authorization: \`Bearer \${integration.accessToken}\` },
            });
          }
          res.end();
        });
      `,
    },
  ],
  invalid: [
    // One parent's rows of a kind that piles up (a thread's messages): reported, and the message says so
    {
      code: dedent`
        ${prisma}
        ${express}
        app.get('/threads/:id', async (req, res) => {
          const messages = await prisma.message.findMany({ where: { threadId: req.params.id } });
          const authors = [];
          for (const message of messages) authors.push(await prisma.user.findUnique({ where: { id: message.authorId } }));
                                                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          res.json(authors);
        });
      `,
      errors: [
        {
          messageId: 'sequential',
          messageIncludes: ['the rows of one parent from `prisma.message.findMany`'],
          fixes: [
            {
              title: 'Batch `prisma.user.findUnique`: one read for all of `messages`, then a lookup map',
              output: dedent`
                ${prisma}
                ${express}
                app.get('/threads/:id', async (req, res) => {
                  const messages = await prisma.message.findMany({ where: { threadId: req.params.id } });
                  const authors = [];
                  const userKeys = [...new Set(messages.map((message) => message.authorId))];
                  const userRows = userKeys.length === 0 ? [] : await prisma.user.findMany({ where: { id: { in: userKeys } } });
                  const userById = new Map<string, (typeof userRows)[number]>();
                  for (const row of userRows) if (!userById.has(String(row.id))) userById.set(String(row.id), row);
                  for (const message of messages) authors.push(userById.get(String(message.authorId)) ?? null);
                  res.json(authors);
                });
              `,
            },
          ],
        },
      ],
    },
    // One service, one credential, a path per element: one request could carry them all
    {
      code: dedent`
        ${prisma}
        ${express}
        app.post('/sync', async (req, res) => {
          const orders = await prisma.order.findMany({ where: { orgId: req.body.orgId } });
          for (const order of orders) {
            await fetch(\`\${process.env.ITEMS_URL}/items/\${order.id}\`, {
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
              headers: { Authorization: \`Bearer \${process.env.ITEMS_TOKEN}\` },
            });
          }
          res.end();
        });
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['request round trips'] }],
    },
    // Rows of a read with no limit, on a route: the message names that evidence
    {
      code: dedent`
        ${prisma}
        ${express}
        app.get('/orders', async (req, res) => {
          const orders = await prisma.order.findMany({ where: { open: true } });
          for (const order of orders) {
            await prisma.customer.findUnique({ where: { id: order.customerId } });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
          res.end();
        });
      `,
      errors: [
        { messageId: 'sequential', messageIncludes: ['every matching row of `prisma.order.findMany` (no limit)'] },
      ],
    },
    // A list walked by recursion, filled from the request: sized through the outside caller, not the self-call
    {
      code: dedent`
        ${prisma}
        ${express}
        async function closeNext(ids: string[], i: number): Promise<void> {
          if (i >= ids.length) return;
          await prisma.ticket.update({ where: { id: ids[i] }, data: { closed: true } });
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return closeNext(ids, i + 1);
        }
        app.post('/tickets/close', async (req, res) => {
          await closeNext(req.body.ids, 0);
          res.end();
        });
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['once per element of `ids`', 'what the client sent'] }],
    },
    // The result parameter of a read's callback is the read's rows (a page whose limit a caller chooses)
    {
      code: dedent`
        ${mongoose}
        ${express}
        function listTopics(opt: { limit: number }, done: (users: unknown[]) => void) {
          Topic.find({}, {}, opt, function (err: Error | null, topics: { authorId: string }[]) {
            topics.forEach(function (topic) {
              User.findById(topic.authorId).exec();
              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            });
            done([]);
          });
        }
        app.get('/topics', (req, res) => listTopics({ limit: Number(req.query.limit) }, (users) => res.json(users)));
      `,
      errors: [{ messageId: 'concurrent', messageIncludes: ['rows of `Topic.find`'] }],
    },
    // Each child needs the id of the parent just created: no createMany advice, the message says what fits
    {
      code: dedent`
        ${prisma}
        ${express}
        app.post('/folders', async (req, res) => {
          const ids: string[] = [];
          for (const folder of req.body.folders) {
            const parent = await prisma.folder.create({ data: { name: folder.name } });
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            ids.push(parent.id);
          }
          res.json(ids);
        });
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['Each iteration uses what the write returns (`parent`)'] }],
    },
    // A list in a queue job's payload (parsed from what the worker popped): what the producer sent grows
    {
      code: dedent`
        ${prisma}
        ${redis}
        type Job = { name: 'record'; events: { orderId: number }[] };
        async function recordEvents(events: { orderId: number }[]) {
          for (const event of events) await prisma.auditEvent.create({ data: { orderId: event.orderId } });
                                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
        async function runJob(job: Job) {
          if (job.name === 'record') await recordEvents(job.events);
        }
        export async function runWorker() {
          for (;;) {
            const popped = await redis.brpop('jobs', 5);
            if (popped) await runJob(JSON.parse(popped[1]) as Job);
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          messageIncludes: ['what the producer sent (`events` of a message from `redis.brpop`)'],
          fixes: [
            {
              title: 'Batch `prisma.auditEvent.create`: one write of all rows of `events` instead of one per element',
              output: dedent`
                ${prisma}
                ${redis}
                type Job = { name: 'record'; events: { orderId: number }[] };
                async function recordEvents(events: { orderId: number }[]) {
                  const auditEventRows = Array.from(events, (event) => ({ orderId: event.orderId }));
                  if (auditEventRows.length > 0) await prisma.auditEvent.createMany({ data: auditEventRows });
                }
                async function runJob(job: Job) {
                  if (job.name === 'record') await recordEvents(job.events);
                }
                export async function runWorker() {
                  for (;;) {
                    const popped = await redis.brpop('jobs', 5);
                    if (popped) await runJob(JSON.parse(popped[1]) as Job);
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    // More callers than are followed: the nearest one (same package) still shows the children of one row
    {
      filename: '/project/packages/shop/src/filter.ts',
      files: {
        ...farCallers,
        '/project/packages/shop/src/quotes.ts': dedent`
          ${prisma}
          ${express}
          import { filterMethods } from './filter';
          app.get('/quotes', async (req, res) => {
            const shop = await prisma.shop.findUnique({ where: { id: String(req.query.shop) }, include: { methods: true } });
            res.json(await filterMethods(shop!.methods));
          });
        `,
      },
      code: dedent`
        ${prisma}
        export async function filterMethods(methods: { id: string }[]) {
          const out = [];
          for (const method of methods) out.push(await prisma.restriction.findMany({ where: { methodId: method.id } }));
                                                       ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return out;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          messageIncludes: ['of one row (its children)'],
          fixes: [
            {
              title: 'Batch `prisma.restriction.findMany`: one read for all of `methods`, then a lookup map',
              output: dedent`
                ${prisma}
                export async function filterMethods(methods: { id: string }[]) {
                  const out = [];
                  const restrictionKeys = [...new Set(methods.map((method) => method.id))];
                  const restrictionRows = restrictionKeys.length === 0 ? [] : await prisma.restriction.findMany({ where: { methodId: { in: restrictionKeys } } });
                  const restrictionByMethodId = new Map<string, (typeof restrictionRows)[number][]>();
                  for (const row of restrictionRows) {
                    const group = restrictionByMethodId.get(String(row.methodId));
                    if (group) group.push(row);
                    else restrictionByMethodId.set(String(row.methodId), [row]);
                  }
                  for (const method of methods) out.push(restrictionByMethodId.get(String(method.id)) ?? []);
                  return out;
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});
