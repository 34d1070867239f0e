// Rule tests for n-plus-one: every exemption of the issue has a valid case; every loop shape an invalid one.
import { calledFromRoute } from './origins';
import { dedent, runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const pg = `import { Pool } from 'pg';\nconst pool = new Pool();\n`;
const redis = `import Redis from 'ioredis';\nconst redis = new Redis();\n`;
const postgresJs = `import postgres from 'postgres';\nconst sql = postgres(process.env.DATABASE_URL!);\n`;

runRuleTests('n-plus-one', {
  valid: [
    // A one-off script runs once by hand: N round trips there cost nothing that repeats
    {
      filename: '/project/scripts/backfill.ts',
      code: dedent`
        ${prisma}
        export async function flagUsers(ids: string[]) {
          for (const id of ids) await prisma.user.update({ where: { id }, data: { migrated: true } });
        }
      `,
    },
    // A query before the loop, plain work inside it
    {
      code: dedent`
        ${prisma}
        export async function f() {
          const users = await prisma.user.findMany({ take: 10 });
          for (const u of users) console.log(u.name);
        }
      `,
    },
    // Loaded arrays: `.find` on results is not a query
    {
      code: dedent`
        ${prisma}
        export async function f(ids: string[]) {
          const users = await prisma.user.findMany({ where: { id: { in: ids } } });
          for (const id of ids) {
            const user = users.find((u) => u.id === id);
            console.log(user);
          }
        }
      `,
    },
    // Prefetch then Map lookups
    {
      code: dedent`
        ${prisma}
        export async function f(orders: { userId: string }[]) {
          const users = await prisma.user.findMany({ where: { id: { in: orders.map((o) => o.userId) } } });
          const byId = new Map(users.map((u) => [u.id, u]));
          for (const o of orders) console.log(byId.get(o.userId));
        }
      `,
    },
    // Cursor pagination: the loop is over pages, with a bound
    {
      code: dedent`
        ${prisma}
        export async function f() {
          let cursor: string | undefined;
          do {
            const page = await prisma.user.findMany({ take: 100, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
            cursor = page.length === 100 ? page[page.length - 1]!.id : undefined;
          } while (cursor);
        }
      `,
    },
    // Retry loop
    {
      code: dedent`
        ${pg}
        export async function f() {
          let attempt = 0;
          while (attempt < 3) {
            try { return await pool.query('SELECT 1'); } catch { attempt++; }
          }
        }
      `,
    },
    // Poll loop
    {
      code: dedent`
        ${pg}
        export async function waitForJob(id: string) {
          for (;;) {
            const r = await pool.query('SELECT status FROM jobs WHERE id = $1', [id]);
            if (r.rows[0].status === 'done') return r.rows[0];
          }
        }
      `,
    },
    // Exit on the first match
    {
      code: dedent`
        ${pg}
        export async function firstFree(hosts: string[]) {
          for (const host of hosts) {
            const r = await pool.query('SELECT 1 FROM leases WHERE host = $1', [host]);
            if (r.rowCount === 0) return host;
          }
        }
      `,
    },
    // A small literal list
    {
      code: dedent`
        ${redis}
        export async function f() {
          for (const queue of ['high', 'default', 'low']) {
            await redis.llen(queue);
          }
        }
      `,
    },
    // An enum
    {
      code: dedent`
        ${prisma}
        enum Role { Admin, Editor, Viewer }
        export async function f() {
          for (const role of Object.values(Role)) {
            await prisma.permission.count({ where: { role: String(role) } });
          }
        }
      `,
    },
    // Prisma batches findUnique issued in the same tick
    {
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${prisma}
        export async function f(ids: string[]) {
          return Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } })));
        }
      `,
    },
    // Per-recipient webhooks: fan-out to distinct targets
    {
      files: calledFromRoute('notify', 'notify(req.body.hooks, req.body.payload)'),
      code: dedent`
        export async function notify(hooks: { url: string }[], payload: unknown) {
          for (const hook of hooks) {
            await fetch(hook.url, { method: 'POST', body: JSON.stringify(payload) });
          }
        }
      `,
    },
    // Chunked batch writes
    {
      files: calledFromRoute('f', 'f(req.body.rows)'),
      code: dedent`
        ${prisma}
        export async function f(rows: { name: string }[][]) {
          for (const chunk of rows) {
            await prisma.tag.createMany({ data: chunk });
          }
        }
      `,
    },
    // A helper that queries only on a map miss
    {
      code: dedent`
        ${prisma}
        const cache = new Map<string, unknown>();
        async function getUser(id: string) {
          if (cache.has(id)) return cache.get(id);
          const user = await prisma.user.findUnique({ where: { id } });
          cache.set(id, user);
          return user;
        }
        export async function f(ids: string[]) {
          for (const id of ids) await getUser(id);
        }
      `,
    },
    // A memoized loader
    {
      code: dedent`
        ${prisma}
        import memoize from 'memoizee';
        const getPlan = memoize(async (id: string) => prisma.plan.findUnique({ where: { id } }), { promise: true, maxAge: 60000 });
        export async function f(ids: string[]) {
          for (const id of ids) await getPlan(id);
        }
      `,
    },
    // DataLoader is the batch form
    {
      code: dedent`
        ${prisma}
        import DataLoader from 'dataloader';
        const users = new DataLoader(async (ids: readonly string[]) => prisma.user.findMany({ where: { id: { in: [...ids] } } }));
        export async function f(ids: string[]) {
          for (const id of ids) await users.load(id);
        }
      `,
    },
    // Commands queued on a pipeline are one round trip at exec
    {
      code: dedent`
        ${redis}
        export async function f(ids: string[]) {
          const pipeline = redis.pipeline();
          for (const id of ids) pipeline.get(\`user:\${id}\`);
          return pipeline.exec();
        }
      `,
    },
    // Test files are not production paths
    {
      code: dedent`
        ${prisma}
        export async function f(ids: string[]) {
          for (const id of ids) await prisma.user.delete({ where: { id } });
        }
      `,
      filename: '/project/test/cleanup.test.ts',
    },
    // Non-collection for loop (a counter, not a list)
    {
      code: dedent`
        ${redis}
        export async function f() {
          for (let i = 0; i < 3; i++) await redis.ping();
        }
      `,
    },
    // A project model's own method on its rows is not an association query
    {
      code: dedent`
        import { Model } from 'sequelize';
        class User extends Model {
          declare first: string;
          getFullName() { return this.first; }
        }
        export async function f() {
          const users = await User.findAll({ limit: 10 });
          for (const u of users) console.log(u.getFullName());
        }
      `,
    },
    // Migrations run once per deployment
    {
      code: dedent`
        export class Collation {
          tables = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
          async up(queryRunner: { query(sql: string): Promise<unknown> }) {
            for (const table of this.tables) {
              await queryRunner.query(\`ALTER TABLE \${table} CONVERT TO CHARACTER SET utf8mb4\`);
            }
          }
        }
      `,
      filename: '/project/src/migrations/1575658419248-collation.ts',
    },
    // Recursion that is not a list walk (a tree of categories, fetched once per node, is another rule's business)
    {
      code: dedent`
        ${pg}
        export async function retry(attempt = 0): Promise<unknown> {
          try { return await pool.query('SELECT 1'); } catch { return attempt < 3 ? retry(attempt * 2) : undefined; }
        }
      `,
    },
    // A data migration function in ordinary code runs once
    {
      code: dedent`
        ${pg}
        export async function migrateAggregateTable(monitors: { id: number }[]) {
          for (const m of monitors) await pool.query('SELECT * FROM heartbeat WHERE monitor_id = $1', [m.id]);
        }
      `,
    },
    // A route behind a response-cache middleware runs only on misses
    {
      code: dedent`
        import express from 'express';
        import { Pool } from 'pg';
        const pool = new Pool();
        const router = express.Router();
        declare const cache: (ttl: string) => express.RequestHandler;
        router.get('/status', cache('5 minutes'), async (req, res) => {
          const ids: number[] = req.body.ids;
          for (const id of ids) await pool.query('SELECT * FROM beats WHERE monitor_id = $1', [id]);
          res.end();
        });
      `,
    },
    // node-redis pipelines same-tick commands automatically
    {
      files: calledFromRoute('names', 'names(req.body.ids)'),
      code: dedent`
        import { createClient } from 'redis';
        const client = createClient();
        export async function names(ids: string[]) {
          return Promise.all(ids.map((id) => client.get(\`user:\${id}\`)));
        }
      `,
    },
    // Untraceable receivers need evidence: a regex's exec is not SQL
    {
      code: dedent`
        export function f(lines: string[], re: RegExp) {
          for (const line of lines) re.exec(line);
        }
      `,
    },
    // A silenced line
    {
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${prisma}
        export async function f(ids: string[]) {
          for (const id of ids) {
            // perf-advisor-ignore-next-line n-plus-one -- ids are at most 3 here
            await prisma.user.findUnique({ where: { id } });
          }
        }
      `,
    },
    // postgres.js: tagged templates are queries; sql(...) helpers and nested sql`...` fragments are parts of one
    {
      name: 'postgres.js: one ANY query before the loop',
      code: dedent`
        ${postgresJs}
        export async function f(ids: string[]) {
          const rows = await sql\`select * from users where id = any(\${ids})\`;
          for (const row of rows) console.log(row);
        }
      `,
    },
    {
      name: 'postgres.js: a loop over chunks with IN sql(chunk)',
      files: calledFromRoute('f', 'f(req.body.chunks)'),
      code: dedent`
        ${postgresJs}
        export async function f(chunks: string[][]) {
          for (const chunk of chunks) {
            await sql\`select * from users where id in \${sql(chunk)}\`;
          }
        }
      `,
    },
    {
      name: 'postgres.js: sql(row, columns) helpers built per element are not queries',
      code: dedent`
        ${postgresJs}
        const columns = (row: object) => sql(row, 'name', 'email');
        export function f(rows: object[]) {
          return rows.map((row) => columns(row));
        }
      `,
    },
    {
      name: 'postgres.js: sql`...` fragments built in a loop, one query after it',
      code: dedent`
        ${postgresJs}
        export async function f(filters: { column: string; value: string }[]) {
          let where = sql\`where true\`;
          for (const filter of filters) where = sql\`\${where} and \${sql(filter.column)} = \${filter.value}\`;
          return await sql\`select * from users \${where} limit 50\`;
        }
      `,
    },
    {
      name: 'postgres.js: one multi-row insert with sql(rows)',
      code: dedent`
        ${postgresJs}
        export async function f(rows: { name: string }[]) {
          await sql\`insert into users \${sql(rows, 'name')}\`;
        }
      `,
    },
    {
      name: 'tagged templates of other tags in a loop are no queries',
      code: dedent`
        ${postgresJs}
        const css = (parts: TemplateStringsArray) => parts.join('');
        export function f(names: string[]) {
          return names.map((name) => css\`.\${name} { color: red }\`);
        }
      `,
    },
    {
      name: 'postgres.js: a cursor loop reads pages of one query',
      code: dedent`
        ${postgresJs}
        export async function f() {
          for await (const rows of sql\`select * from events\`.cursor(100)) {
            console.log(rows.length);
          }
        }
      `,
    },
  ],
  invalid: [
    {
      files: calledFromRoute('f', 'f(req.body.users)'),
      code: dedent`
        ${prisma}
        export async function f(users: { id: string }[]) {
          for (const u of users) {
            await prisma.post.findMany({ where: { authorId: u.id } });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',

          severity: 'warning',
          messageIncludes: [
            '`prisma.post.findMany` runs once per element of `users`',
            '101 for 100 elements',
            'findMany({ where: { id: { in',
          ],
        },
      ],
    },
    {
      name: 'forEach with a pg query (concurrent, lower severity)',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${pg}
        export function f(ids: number[]) {
          ids.forEach((id) => {
            pool.query('UPDATE items SET seen = true WHERE id = $1', [id]);
            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          });
        }
      `,
      errors: [
        {
          messageId: 'concurrent',

          severity: 'info',
          messageIncludes: ['all at once', 'Write them in one round trip'],
        },
      ],
    },
    {
      name: 'Promise.all over map with Mongoose',
      files: calledFromRoute('f', 'f(req.body.products)'),
      code: dedent`
        import mongoose from 'mongoose';
        const Review = mongoose.model('Review', new mongoose.Schema({}));
        export async function f(products: { id: string }[]) {
          return Promise.all(products.map(async (p) => Review.find({ product: p.id }).lean()));
                                                       ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'concurrent',
          severity: 'info',
          fixes: [
            {
              title: 'Batch `Review.find`: one read for all of `products`, then a lookup map',
              output: dedent`
            import mongoose from 'mongoose';
            const Review = mongoose.model('Review', new mongoose.Schema({}));
            export async function f(products: { id: string }[]) {
              const reviewKeys = [...new Set(products.map((p) => p.id))];
              const reviewRows = reviewKeys.length === 0 ? [] : await Review.find({ product: { $in: reviewKeys } }).lean();
              const reviewByProduct = new Map<string, (typeof reviewRows)[number][]>();
              for (const row of reviewRows) {
                const group = reviewByProduct.get(String(row.product));
                if (group) group.push(row);
                else reviewByProduct.set(String(row.product), [row]);
              }
              return Promise.all(products.map(async (p) => reviewByProduct.get(String(p.id)) ?? []));
            }
          `,
            },
          ],
        },
      ],
    },
    {
      name: 'indexed for loop over .length',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${pg}
        export async function f(ids: number[]) {
          for (let i = 0; i < ids.length; i++) {
            await pool.query('SELECT * FROM items WHERE id = $1', [ids[i]]);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'one create per item',
      files: calledFromRoute('f', 'f(req.body.events)'),
      code: dedent`
        ${prisma}
        export async function f(events: { type: string }[]) {
          for (const e of events) {
            await prisma.auditEvent.create({ data: { type: e.type } });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          messageIncludes: ['createMany'],
          fixes: [
            {
              title: 'Batch `prisma.auditEvent.create`: one write of all rows of `events` instead of one per element',
              kind: 'suggestion',
              output: dedent`
                ${prisma}
                export async function f(events: { type: string }[]) {
                  const auditEventRows = Array.from(events, (e) => ({ type: e.type }));
                  if (auditEventRows.length > 0) await prisma.auditEvent.createMany({ data: auditEventRows });
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'knex builder awaited in a loop',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        import knex from 'knex';
        const db = knex({ client: 'pg' });
        export async function f(ids: number[]) {
          for (const id of ids) {
            await db('orders').where({ customer_id: id }).select('*');
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ["`db('orders')"] }],
    },
    {
      name: 'knex: an insert per element inside the transaction callback',
      files: calledFromRoute('f', 'f(req.body.rows)'),
      code: dedent`
        import knex from 'knex';
        const db = knex({ client: 'pg' });
        export async function f(rows: { id: number }[]) {
          await db.transaction(async (trx) => {
            for (const row of rows) await trx('orders').insert(row);
                                          ~~~~~~~~~~~~~~~~~~~~~~~~~
          });
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          messageIncludes: ['`insert` runs once per element of `rows`'],
          fixes: [
            {
              title: 'Batch `insert`: one write of all rows of `rows` instead of one per element',
              output: dedent`
                import knex from 'knex';
                const db = knex({ client: 'pg' });
                export async function f(rows: { id: number }[]) {
                  await db.transaction(async (trx) => {
                    const orderRows = Array.from(rows);
                    if (orderRows.length > 0) await trx('orders').insert(orderRows);
                  });
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'knex: an insert per element on a transaction awaited from knex.transaction()',
      files: calledFromRoute('f', 'f(req.body.rows)'),
      code: dedent`
        import knex from 'knex';
        const db = knex({ client: 'pg' });
        export async function f(rows: { id: number }[]) {
          const trx = await db.transaction();
          for (const row of rows) await trx('orders').insert(row);
                                        ~~~~~~~~~~~~~~~~~~~~~~~~~
          await trx.commit();
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          messageIncludes: ['`insert` runs once per element of `rows`'],
          fixes: [
            {
              title: 'Batch `insert`: one write of all rows of `rows` instead of one per element',
              output: dedent`
                import knex from 'knex';
                const db = knex({ client: 'pg' });
                export async function f(rows: { id: number }[]) {
                  const trx = await db.transaction();
                  const orderRows = Array.from(rows);
                  if (orderRows.length > 0) await trx('orders').insert(orderRows);
                  await trx.commit();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'async.eachSeries iterates',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${redis}
        import async from 'async';
        export async function f(ids: string[]) {
          await async.eachSeries(ids, async (id: string) => {
            await redis.get(\`user:\${id}\`);
                  ~~~~~~~~~~~~~~~~~~~~~~~
          });
        }
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['MGET'] }],
    },
    {
      name: 'for await over a cursor of ids',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${pg}
        export async function f(ids: AsyncIterable<number>) {
          for await (const id of ids) {
            await pool.query('SELECT * FROM items WHERE id = $1', [id]);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'NestJS injected repository',
      files: calledFromRoute('TeamService', 'new TeamService(req.app.locals.users).owners(req.body.teams)'),
      code: dedent`
        import { Injectable } from '@nestjs/common';
        import { InjectRepository } from '@nestjs/typeorm';
        import { Repository } from 'typeorm';
        class User { id!: string; teamId!: string }
        @Injectable()
        export class TeamService {
          constructor(@InjectRepository(User) private readonly users: Repository<User>) {}
          async owners(teams: { ownerId: string }[]) {
            for (const team of teams) {
              await this.users.findOneBy({ id: team.ownerId });
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            }
          }
        }
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['`this.users.findOneBy`'] }],
    },
    {
      name: 'injected PrismaService wrapper',
      files: calledFromRoute('InvoiceService', 'new InvoiceService(req.app.locals.prisma).f(req.body.invoices)'),
      code: dedent`
        import { PrismaClient } from '@prisma/client';
        class PrismaService extends PrismaClient {}
        export class InvoiceService {
          constructor(private prisma: PrismaService) {}
          async f(invoices: { customerId: string }[]) {
            for (const i of invoices) await this.prisma.customer.findUnique({ where: { id: i.customerId } });
                                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'Sequelize association getter per instance',
      code: dedent`
        import { Model } from 'sequelize';
        class User extends Model {}
        export async function f() {
          const users = await User.findAll({ limit: 50 });
          for (const user of users) {
            await (user as any).getPosts();
                  ~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'a helper in another file, two calls deep',
      files: {
        ...calledFromRoute('run', 'run(req.body.lines)'),
        '/project/src/db.ts': dedent`
          ${pg}
          export { pool };

        `,
        '/project/src/discounts.ts': dedent`
          import { pool } from './db';
          export class DiscountRepository {
            async activeFor(sku: string) {
              const r = await pool.query('SELECT pct FROM discounts WHERE sku = $1', [sku]);
              return r.rows[0];
            }
          }

        `,
        '/project/src/pricing.ts': dedent`
          import { DiscountRepository } from './discounts';
          export class PricingService {
            private readonly discounts = new DiscountRepository();
            async totalFor(sku: string) {
              return this.discounts.activeFor(sku);
            }
          }

        `,
      },
      code: dedent`
        import { PricingService } from './pricing';
        const pricing = new PricingService();
        export async function run(lines: { sku: string }[]) {
          for (const line of lines) {
            await pricing.totalFor(line.sku);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [
        {
          messageId: 'via',

          messageIncludes: ['via `PricingService.totalFor` → `DiscountRepository.activeFor` → `pool.query`'],
        },
      ],
    },
    {
      name: 'a helper in the same file that queries directly',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${pg}
        async function loadUser(id: string) {
          return pool.query('SELECT * FROM users WHERE id = $1', [id]);
        }
        export async function f(ids: string[]) {
          for (const id of ids) await loadUser(id);
                                      ~~~~~~~~~~~~
        }
      `,
      errors: [{ messageId: 'via', messageIncludes: ['(via `loadUser` → `pool.query`)'] }],
    },
    {
      name: 'the same query on every iteration, with a hoist suggestion',
      files: calledFromRoute('f', 'f(req.body.orders)'),
      code: dedent`
        ${pg}
        export async function f(orders: { id: string }[]) {
          for (const order of orders) {
            const rate = await pool.query('SELECT value FROM settings WHERE key = $1', ['tax']);
                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            console.log(order.id, rate.rows[0]);
          }
        }
      `,
      errors: [
        {
          messageId: 'invariant',

          messageIncludes: ['hoist it above the loop'],
          fixes: [
            {
              title: 'Hoist the invariant query above the loop',
              output: dedent`
                ${pg}
                export async function f(orders: { id: string }[]) {
                  const rate = await pool.query('SELECT value FROM settings WHERE key = $1', ['tax']);
                  for (const order of orders) {
                    console.log(order.id, rate.rows[0]);
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'HTTP request per id to one service',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        import axios from 'axios';
        export async function f(ids: string[]) {
          for (const id of ids) {
            await axios.get(\`https://users.internal/api/users/\${id}\`);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['request round trips'] }],
    },
    {
      name: 'embedded SQLite is reported lower',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        import Database from 'better-sqlite3';
        const db = new Database('app.db');
        export function f(ids: number[]) {
          for (const id of ids) {
            db.prepare('SELECT * FROM notes WHERE id = ?').get(id);
            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential', severity: 'info' }],
    },
    {
      name: 'CommonJS: a destructured require of redbean-node',
      filename: '/project/server/notification.js',
      code: dedent`
        const { R } = require('redbean-node');
        async function apply(notificationID, userID) {
          const monitors = await R.getAll('SELECT id FROM monitor WHERE user_id = ?', [userID]);
          for (let i = 0; i < monitors.length; i++) {
            await R.findOne('monitor_notification', ' monitor_id = ? AND notification_id = ? ', [monitors[i].id, notificationID]);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
        module.exports = { apply };
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['`R.findOne`'] }],
    },
    {
      name: 'CommonJS: a module value from require',
      filename: '/project/commands/balance.js',
      files: {
        '/project/commands/index.js': dedent`
          const express = require('express');
          const balance = require('./balance');
          const app = express();
          app.post('/balances', async (req, res) => res.json(await balance.execute(req.body.users)));

        `,
      },
      code: dedent`
        const mysql = require('mysql2/promise');
        const pool = mysql.createPool(process.env.DB_URL);
        module.exports = {
          async execute(users) {
            for (const user of users) {
              await pool.query('SELECT money FROM balances WHERE user = ?', [user.id]);
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            }
          },
        };
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'SQL text on an untyped client parameter',
      files: calledFromRoute('markExpired', 'markExpired(req.app.locals.db, req.body.vouchers)'),
      code: dedent`
        export async function markExpired(connection: any, rows: { code: string }[]) {
          for (const voucher of rows) {
            await connection.execute('UPDATE voucher SET valid = ? WHERE code = ?', ['expired', voucher.code]);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['`connection.execute` runs once per element of `rows`'] }],
    },
    {
      name: 'a MongoDB collection from a context object, in Promise.all',
      files: calledFromRoute('clone', 'clone(req.app.locals, req.body.ids)'),
      code: dedent`
        export async function clone(context: any, ids: string[]) {
          const { Products } = context.collections;
          return Promise.all(ids.map(async (id) => Products.findOne({ _id: id })));
                                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'concurrent',
          messageIncludes: ['$in'],
          fixes: [
            {
              title: 'Batch `Products.findOne`: one read for all of `ids`, then a lookup map',
              output: dedent`
            export async function clone(context: any, ids: string[]) {
              const { Products } = context.collections;
              const productKeys = [...new Set(ids)];
              const productRows = productKeys.length === 0 ? [] : await Products.find({ _id: { $in: productKeys } }).toArray();
              const productById = new Map<string, (typeof productRows)[number]>();
              for (const row of productRows) if (!productById.has(String(row._id))) productById.set(String(row._id), row);
              return Promise.all(ids.map(async (id) => productById.get(String(id)) ?? null));
            }
          `,
            },
          ],
        },
      ],
    },
    {
      name: 'a Prisma delegate behind a generic repository wrapper',
      files: calledFromRoute(
        'IntegrationRepository',
        'new IntegrationRepository(req.app.locals.integration).disable(req.body.channels)',
      ),
      code: dedent`
        export class IntegrationRepository {
          constructor(private _integration: { model: any }) {}
          async disable(channels: { id: string }[]) {
            for (const channel of channels) {
              await this._integration.model.integration.update({ where: { id: channel.id }, data: { disabled: true } });
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            }
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          messageIncludes: ['updateMany'],
          fixes: [
            {
              title:
                'Batch `this._integration.model.integration.update`: one `updateMany` of all keys of `channels` (the data is the same for every row; a missing row is skipped)',
              kind: 'suggestion',
              output: dedent`
                export class IntegrationRepository {
                  constructor(private _integration: { model: any }) {}
                  async disable(channels: { id: string }[]) {
                    const integrationIds = Array.from(channels, (channel) => channel.id);
                    if (integrationIds.length > 0) await this._integration.model.integration.updateMany({ where: { id: { in: integrationIds } }, data: { disabled: true } });
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'updateMany per element is a write per element, not a chunked batch',
      files: calledFromRoute('save', 'save(req.body.rows)'),
      code: dedent`
        ${prisma}
        export async function save(rows: { sessionId: string; key: string; value: string }[]) {
          for (const row of rows) {
            await prisma.sessionData.updateMany({ where: { sessionId: row.sessionId, key: row.key }, data: { value: row.value } });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'a MongoDB cursor drained per element inside an async reduce',
      files: calledFromRoute('filter', 'filter(req.body.methods, req.app.locals.restrictions)'),
      code: dedent`
        export async function filter(methods: { _id: string }[], Restrictions: any) {
          return methods.reduce(async (acc, method) => {
            const rows = await Restrictions.find({ methodIds: method._id }).toArray();
                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            return rows.length ? acc : acc;
          }, Promise.resolve([]));
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'recursion over a list, one element per call',
      files: calledFromRoute('processNext', 'processNext(req.body.ids)'),
      code: dedent`
        ${pg}
        export async function processNext(ids: number[], i = 0): Promise<void> {
          if (i >= ids.length) return;
          await pool.query('UPDATE jobs SET done = true WHERE id = $1', [ids[i]]);
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return processNext(ids, i + 1);
        }
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['once per element of `ids`'] }],
    },
    {
      name: 'a fixed count of iterations above the small-list threshold',
      code: dedent`
        ${pg}
        export async function importGames(games: string[]) {
          for (let i = 0; i < 25; i++) {
            await pool.query('INSERT INTO games(name) VALUES ($1)', [games[i]]);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    // postgres.js tagged templates
    {
      name: 'postgres.js: sql`...` per id in a for-of loop',
      files: calledFromRoute('owners', 'owners(req.body.ids)'),
      code: dedent`
        ${postgresJs}
        export async function owners(ids: string[]) {
          const out = [];
          for (const id of ids) {
            const [row] = await sql\`select * from users where id = \${id}\`;
                                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            out.push(row);
          }
          return out;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title: 'Batch `sql`select * from users where id = ?``: one read for all of `ids`, then a lookup map',
              output: dedent`
                import postgres from 'postgres';
                const sql = postgres(process.env.DATABASE_URL!);
                export async function owners(ids: string[]) {
                  const out = [];
                  const userKeys = [...new Set(ids)];
                  const userRows = userKeys.length === 0 ? [] : await sql\`select * from users where id = ANY(\${userKeys})\`;
                  const userById = new Map<string, (typeof userRows)[number][]>();
                  for (const row of userRows) {
                    const group = userById.get(String(row.id));
                    if (group) group.push(row);
                    else userById.set(String(row.id), [row]);
                  }
                  for (const id of ids) {
                    const [row] = userById.get(String(id)) ?? [];
                    out.push(row);
                  }
                  return out;
                }
              `,
            },
          ],

          severity: 'warning',
          messageIncludes: [
            '`sql`select * from users where id = ?`` runs once per element of `ids`',
            'WHERE id = ANY(${ids})',
            'IN ${sql(ids)}',
          ],
        },
      ],
    },
    {
      name: 'postgres.js: an insert per element is a write per element',
      files: calledFromRoute('f', 'f(req.body.users)'),
      code: dedent`
        ${postgresJs}
        export async function f(users: { name: string }[]) {
          for (const user of users) {
            await sql\`insert into users (name) values (\${user.name})\`;
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',

          messageIncludes: ['Insert them in one round trip: one multi-row `INSERT'],
        },
      ],
    },
    {
      name: 'postgres.js: Promise.all over map',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${postgresJs}
        export async function f(ids: string[]) {
          return Promise.all(ids.map((id) => sql\`select * from users where id = \${id}\`));
                                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'concurrent',
          severity: 'info',
          fixes: [
            {
              title: 'Batch `sql`select * from users where id = ?``: one read for all of `ids`, then a lookup map',
              output: dedent`
            import postgres from 'postgres';
            const sql = postgres(process.env.DATABASE_URL!);
            export async function f(ids: string[]) {
              const userKeys = [...new Set(ids)];
              const userRows = userKeys.length === 0 ? [] : await sql\`select * from users where id = ANY(\${userKeys})\`;
              const userById = new Map<string, (typeof userRows)[number][]>();
              for (const row of userRows) {
                const group = userById.get(String(row.id));
                if (group) group.push(row);
                else userById.set(String(row.id), [row]);
              }
              return Promise.all(ids.map((id) => userById.get(String(id)) ?? []));
            }
          `,
            },
          ],
        },
      ],
    },
    {
      name: 'postgres.js: a fragment interpolated into the per-element query is part of that one query',
      files: calledFromRoute('f', 'f(req.body.ids, req.body.active)'),
      code: dedent`
        ${postgresJs}
        export async function f(ids: string[], active: boolean) {
          for (const id of ids) {
            await sql\`select * from users where id = \${id} \${active ? sql\`and active\` : sql\`\`}\`;
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'postgres.js: the same query on every iteration',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${postgresJs}
        export async function f(ids: string[]) {
          for (const id of ids) {
            const rows = await sql\`select * from settings limit 5\`;
                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            console.log(rows, id);
          }
        }
      `,
      errors: [
        {
          messageId: 'invariant',
          fixes: [
            {
              title: 'Hoist the invariant query above the loop',
              output: dedent`
                ${postgresJs}
                export async function f(ids: string[]) {
                  const rows = await sql\`select * from settings limit 5\`;
                  for (const id of ids) {
                    console.log(rows, id);
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'postgres.js: a helper returns the lazy query, which runs where it is awaited per element',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${postgresJs}
        const byId = (id: string) => sql\`select * from users where id = \${id}\`;
        export async function f(ids: string[]) {
          for (const id of ids) await byId(id);
                                      ~~~~~~~~
        }
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['select * from users where id'] }],
    },
    {
      name: 'postgres.js: a Sql handle kept in a class field',
      files: calledFromRoute('Users', 'new Users(req.app.locals.sql).names(req.body.ids)'),
      code: dedent`
        import postgres from 'postgres';
        export class Users {
          constructor(private readonly sql: postgres.Sql) {}
          async names(ids: string[]) {
            for (const id of ids) await this.sql\`select name from users where id = \${id}\`;
                                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'postgres.js: a write per element inside sql.begin, whose callback shadows sql',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${postgresJs}
        export async function f(ids: string[]) {
          await sql.begin(async (sql) => {
            for (const id of ids) await sql\`update users set seen = true where id = \${id}\`;
                                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          });
        }
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['Write them in one round trip'] }],
    },
    {
      name: 'postgres.js: a savepoint inside a transaction',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${postgresJs}
        export async function f(ids: string[]) {
          await sql.begin('read write', async (tx) => {
            await tx.savepoint(async (sp) => {
              for (const id of ids) await sp\`select * from users where id = \${id}\`;
                                          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            });
          });
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'postgres.js: a reserved connection is a tag too',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${postgresJs}
        export async function f(ids: string[]) {
          const reserved = await sql.reserve();
          try {
            for (const id of ids) await reserved\`select * from users where id = \${id}\`;
                                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          } finally {
            reserved.release();
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'pg-promise: a query per element inside db.tx',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        import pgPromise from 'pg-promise';
        const db = pgPromise()('postgres://db');
        export async function f(ids: number[]) {
          await db.tx(async (t) => {
            for (const id of ids) await t.none('UPDATE users SET seen = true WHERE id = $1', [id]);
                                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          });
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: "a command called inside another tag's template still runs per element",
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${redis}
        const html = (parts: TemplateStringsArray, ...values: unknown[]) => parts.join('') + values.join('');
        export function f(ids: string[]) {
          return ids.map((id) => html\`<li>\${redis.get(\`user:\${id}\`)}</li>\`);
                                            ~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [{ messageId: 'concurrent' }],
    },
  ],
});
