// Where code runs: entry points by framework registration, declaration and file, and what reaches a function through calls.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dedent } from '../rules/ruleTester';
import { functionAt, project } from './project';

const express = `import express from 'express';\nconst app = express();\n`;

function contextOf(files: Record<string, string>, path: string, text: string) {
  const analysis = project(files);
  return analysis.contexts.of(functionAt(analysis, path, text));
}

describe('execution context: requests', () => {
  it("a bot framework's listener class runs per event; one whose super(…) names a start-up event runs once", () => {
    const listener = (event: string) => dedent`
      const { Listener } = require('@eartharoid/dbf');
      module.exports = class extends Listener {
        constructor(client, options) {
          super(client, { ...options, emitter: client, event: '${event}' });
        }
        async run(message) {
          return message;
        }
      };
    `;
    const perMessage = contextOf(
      { '/app/src/listeners/message.js': listener('messageCreate') },
      '/app/src/listeners/message.js',
      'async run',
    );
    assert.equal(perMessage.heat, 'hot');
    assert.deepEqual([...perMessage.kinds], ['request']);
    assert.match(perMessage.hotEntry?.label ?? '', /on messageCreate$/);
    const onReady = contextOf(
      { '/app/src/listeners/ready.js': listener('ready') },
      '/app/src/listeners/ready.js',
      'async run',
    );
    assert.equal(onReady.heat, 'cold');
    assert.deepEqual([...onReady.kinds], ['startup']);
  });

  it('an Express route handler runs per request and is named by its route', () => {
    const context = contextOf(
      { '/app/src/server.ts': `${express}app.get('/orders', async (req, res) => { res.json([]); });\n` },
      '/app/src/server.ts',
      'async (req, res)',
    );
    assert.equal(context.heat, 'hot');
    assert.deepEqual([...context.kinds], ['request']);
    assert.equal(context.hotEntry?.label, 'GET /orders');
  });

  it('a helper in another file is hot through the route that calls it, with the call path', () => {
    const files = {
      '/app/src/orders.ts': `export async function listOrders(userId: string) {\n  return loadItems(userId);\n}\nfunction loadItems(id: string) {\n  return [id];\n}\n`,
      '/app/src/server.ts': `${express}import { listOrders } from './orders';\napp.get('/orders', wrap(async (req, res) => res.json(await listOrders(req.params.id))));\n`,
    };
    const context = contextOf(files, '/app/src/orders.ts', 'function loadItems');
    assert.equal(context.heat, 'hot');
    assert.equal(context.hotEntry?.label, 'GET /orders');
    assert.equal(context.hotEntry?.path.length, 2);
  });

  it('NestJS: the route of a decorated method joins the controller prefix; a service it calls is hot', () => {
    const files = {
      '/app/src/orders.controller.ts': dedent`
        import { Controller, Get, Param } from '@nestjs/common';
        import { OrdersService } from './orders.service';
        @Controller('orders')
        export class OrdersController {
          constructor(private readonly orders: OrdersService) {}
          @Get(':id')
          findOne(@Param('id') id: string) {
            return this.orders.byId(id);
          }
        }
      `,
      '/app/src/orders.service.ts': dedent`
        export class OrdersService {
          byId(id: string) {
            return id;
          }
        }
      `,
    };
    const handler = contextOf(files, '/app/src/orders.controller.ts', 'findOne');
    assert.equal(handler.hotEntry?.label, 'GET /orders/:id (`OrdersController.findOne`)');
    const service = contextOf(files, '/app/src/orders.service.ts', 'byId');
    assert.equal(service.heat, 'hot');
  });

  it('tRPC procedures, socket and bot listeners, GraphQL resolvers, bot command modules', () => {
    const files = {
      '/app/src/router.ts': `export const appRouter = router({\n  getUser: publicProcedure.input(z.string()).query(async ({ input }) => input),\n});\n`,
      '/app/src/bot.ts': `client.on('messageCreate', async (message) => message.reply('hi'));\nclient.once('ready', () => console.log('up'));\n`,
      '/app/src/resolvers.ts': `export const resolvers = {\n  Query: { user: (_: unknown, args: { id: string }) => args.id },\n  User: { posts: (user: { id: string }) => user.id },\n};\n`,
      '/app/src/commands/balance.js': `module.exports = {\n  data: new SlashCommandBuilder().setName('balance'),\n  async execute(interaction) { return interaction.reply('0'); },\n};\n`,
    };
    assert.equal(contextOf(files, '/app/src/router.ts', 'async ({ input })').hotEntry?.label, 'tRPC query `getUser`');
    assert.equal(contextOf(files, '/app/src/bot.ts', 'async (message)').heat, 'hot');
    assert.deepEqual([...contextOf(files, '/app/src/bot.ts', '() =>').kinds], ['startup']);
    assert.equal(contextOf(files, '/app/src/resolvers.ts', '(_: unknown').hotEntry?.label, 'resolver `Query.user`');
    assert.equal(contextOf(files, '/app/src/resolvers.ts', '(user:').hotEntry?.label, 'resolver `User.posts`');
    assert.equal(
      contextOf(files, '/app/src/commands/balance.js', 'async execute').hotEntry?.label,
      'command `balance`',
    );
  });

  it('Next.js: API routes (wrapped default exports), app route handlers, pages, server actions', () => {
    const files = {
      '/app/pages/api/users/index.ts': `async function handler(req, res) { res.json([]); }\nexport default withAuth(handler);\n`,
      '/app/app/api/orders/[id]/route.ts': `export async function GET(request: Request) { return Response.json([]); }\n`,
      '/app/app/(shop)/cart/page.tsx': `export default async function Cart() { return null; }\n`,
      '/app/app/actions.ts': `'use server';\nexport async function save(form: FormData) { return form; }\n`,
      '/app/lib/static.ts': `export async function getStaticProps() { return { props: {} }; }\n`,
    };
    assert.equal(
      contextOf(files, '/app/pages/api/users/index.ts', 'async function handler').hotEntry?.label,
      'API route /api/users',
    );
    assert.equal(
      contextOf(files, '/app/app/api/orders/[id]/route.ts', 'export async function GET').hotEntry?.label,
      'GET /api/orders/[id]',
    );
    assert.equal(contextOf(files, '/app/app/(shop)/cart/page.tsx', 'export default').hotEntry?.label, 'page /cart');
    assert.equal(contextOf(files, '/app/app/actions.ts', 'export async function save').hotEntry?.via, 'action');
    assert.equal(contextOf(files, '/app/lib/static.ts', 'export async function getStaticProps').heat, 'cold');
  });
});

describe('execution context: jobs, start-up, one-off code', () => {
  it('cron, setInterval, queue processors and NestJS schedules are jobs', () => {
    const files = {
      '/app/src/jobs.ts': dedent`
        import cron from 'node-cron';
        cron.schedule('0 * * * *', async () => cleanup());
        setInterval(() => poll(), 5000);
        queue.process('emails', async (job) => job.data);
        export async function cleanup() {}
        export async function poll() {}
      `,
      '/app/src/digest.service.ts': dedent`
        import { Cron } from '@nestjs/schedule';
        export class DigestService {
          @Cron('0 8 * * *')
          async send() {}
        }
      `,
    };
    assert.equal(contextOf(files, '/app/src/jobs.ts', 'export async function cleanup').hotEntry?.kind, 'job');
    assert.equal(contextOf(files, '/app/src/jobs.ts', 'export async function poll').hotEntry?.via, 'interval');
    assert.equal(contextOf(files, '/app/src/jobs.ts', 'async (job)').hotEntry?.label, 'queue job `emails`');
    assert.equal(contextOf(files, '/app/src/digest.service.ts', 'async send').hotEntry?.kind, 'job');
  });

  it('module scope, bootstrap and NestJS lifecycle hooks are start-up; a function called by both is hot', () => {
    const files = {
      '/app/src/main.ts': dedent`
        ${express}
        async function bootstrap() {
          await warmCache();
        }
        async function warmCache() {}
        export async function shared() {}
        app.get('/x', async (req, res) => res.json(await shared()));
        bootstrap();
        shared();
      `,
      '/app/src/tasks.service.ts': dedent`
        export class TasksService {
          async onModuleInit() {
            await this.load();
          }
          private async load() {}
        }
      `,
    };
    const warm = contextOf(files, '/app/src/main.ts', 'async function warmCache');
    assert.equal(warm.heat, 'cold');
    assert.deepEqual([...warm.kinds], ['startup']);
    const shared = contextOf(files, '/app/src/main.ts', 'export async function shared');
    assert.equal(shared.heat, 'hot');
    assert.deepEqual([...shared.kinds].sort(), ['request', 'startup']);
    assert.equal(contextOf(files, '/app/src/tasks.service.ts', 'private async load').heat, 'cold');
  });

  it('migrations (by folder, timestamp, MigrationInterface, up/down exports), scripts, tests and browser code are one-off', () => {
    const files = {
      '/app/src/db/1700000000000-AddIndex.ts': `export class AddIndex {\n  async up(q) { await q.query('x'); }\n}\n`,
      '/app/src/db/changes/add-index.ts': `export class AddIndex implements MigrationInterface {\n  async up(q) { await q.query('x'); }\n}\n`,
      '/app/src/db/changes/backfill.js': `exports.up = async function (knex) { await knex('t'); };\nexports.down = async function () {};\n`,
      '/app/scripts/reindex.ts': `async function main() {}\nmain();\n`,
      '/app/src/widgets/search.js': `export function render() { document.querySelector('#q'); }\n`,
    };
    for (const [path, text] of [
      ['/app/src/db/1700000000000-AddIndex.ts', 'async up'],
      ['/app/src/db/changes/add-index.ts', 'async up'],
      ['/app/src/db/changes/backfill.js', 'async function (knex)'],
      ['/app/scripts/reindex.ts', 'async function main'],
      ['/app/src/widgets/search.js', 'export function render'],
    ] as const) {
      const context = contextOf(files, path, text);
      assert.deepEqual([...context.kinds], ['one-off'], path);
      assert.equal(context.heat, 'cold', path);
    }
  });

  it('a function nothing reaches is unknown, not hot', () => {
    const context = contextOf(
      { '/app/src/util.ts': `export function helper() {}\n` },
      '/app/src/util.ts',
      'export function helper',
    );
    assert.equal(context.heat, 'unknown');
    assert.equal(context.kinds.size, 0);
  });

  it('an inline callback runs where the function it is passed in runs; names like `constructor` crash nothing', () => {
    const files = {
      '/app/src/server.ts': dedent`
        ${express}
        app.post('/import', async (req, res) => {
          await Promise.all(req.body.rows.map(async (row) => row));
        });
        export const toString = () => 1;
        export function constructor() { return toString(); }
        app.on('constructor', constructor);
      `,
    };
    assert.equal(contextOf(files, '/app/src/server.ts', 'async (row)').hotEntry?.label, 'POST /import');
    assert.equal(contextOf(files, '/app/src/server.ts', '() => 1').heat, 'hot');
  });
});
