// Rule tests for n-plus-one: every exemption of the issue has a valid case; every loop shape an invalid one.
import { runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const pg = `import { Pool } from 'pg';\nconst pool = new Pool();\n`;
const redis = `import Redis from 'ioredis';\nconst redis = new Redis();\n`;
const postgresJs = `import postgres from 'postgres';\nconst sql = postgres(process.env.DATABASE_URL!);\n`;

runRuleTests('n-plus-one', {
  valid: [
    // A query before the loop, plain work inside it
    {
      code: `${prisma}export async function f() {\n  const users = await prisma.user.findMany({ take: 10 });\n  for (const u of users) console.log(u.name);\n}`,
    },
    // Loaded arrays: `.find` on results is not a query
    {
      code: `${prisma}export async function f(ids: string[]) {\n  const users = await prisma.user.findMany({ where: { id: { in: ids } } });\n  for (const id of ids) {\n    const user = users.find((u) => u.id === id);\n    console.log(user);\n  }\n}`,
    },
    // Prefetch then Map lookups
    {
      code: `${prisma}export async function f(orders: { userId: string }[]) {\n  const users = await prisma.user.findMany({ where: { id: { in: orders.map((o) => o.userId) } } });\n  const byId = new Map(users.map((u) => [u.id, u]));\n  for (const o of orders) console.log(byId.get(o.userId));\n}`,
    },
    // Cursor pagination: the loop is over pages, with a bound
    {
      code: `${prisma}export async function f() {\n  let cursor: string | undefined;\n  do {\n    const page = await prisma.user.findMany({ take: 100, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });\n    cursor = page.length === 100 ? page[page.length - 1]!.id : undefined;\n  } while (cursor);\n}`,
    },
    // Retry loop
    {
      code: `${pg}export async function f() {\n  let attempt = 0;\n  while (attempt < 3) {\n    try { return await pool.query('SELECT 1'); } catch { attempt++; }\n  }\n}`,
    },
    // Poll loop
    {
      code: `${pg}export async function waitForJob(id: string) {\n  for (;;) {\n    const r = await pool.query('SELECT status FROM jobs WHERE id = $1', [id]);\n    if (r.rows[0].status === 'done') return r.rows[0];\n  }\n}`,
    },
    // Exit on the first match
    {
      code: `${pg}export async function firstFree(hosts: string[]) {\n  for (const host of hosts) {\n    const r = await pool.query('SELECT 1 FROM leases WHERE host = $1', [host]);\n    if (r.rowCount === 0) return host;\n  }\n}`,
    },
    // A small literal list
    {
      code: `${redis}export async function f() {\n  for (const queue of ['high', 'default', 'low']) {\n    await redis.llen(queue);\n  }\n}`,
    },
    // An enum
    {
      code: `${prisma}enum Role { Admin, Editor, Viewer }\nexport async function f() {\n  for (const role of Object.values(Role)) {\n    await prisma.permission.count({ where: { role: String(role) } });\n  }\n}`,
    },
    // Prisma batches findUnique issued in the same tick
    {
      code: `${prisma}export async function f(ids: string[]) {\n  return Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } })));\n}`,
    },
    // Per-recipient webhooks: fan-out to distinct targets
    {
      code: `export async function notify(hooks: { url: string }[], payload: unknown) {\n  for (const hook of hooks) {\n    await fetch(hook.url, { method: 'POST', body: JSON.stringify(payload) });\n  }\n}`,
    },
    // Chunked batch writes
    {
      code: `${prisma}export async function f(rows: { name: string }[][]) {\n  for (const chunk of rows) {\n    await prisma.tag.createMany({ data: chunk });\n  }\n}`,
    },
    // A helper that queries only on a map miss
    {
      code: `${prisma}const cache = new Map<string, unknown>();\nasync function getUser(id: string) {\n  if (cache.has(id)) return cache.get(id);\n  const user = await prisma.user.findUnique({ where: { id } });\n  cache.set(id, user);\n  return user;\n}\nexport async function f(ids: string[]) {\n  for (const id of ids) await getUser(id);\n}`,
    },
    // A memoized loader
    {
      code: `${prisma}import memoize from 'memoizee';\nconst getPlan = memoize(async (id: string) => prisma.plan.findUnique({ where: { id } }), { promise: true, maxAge: 60000 });\nexport async function f(ids: string[]) {\n  for (const id of ids) await getPlan(id);\n}`,
    },
    // DataLoader is the batch form
    {
      code: `${prisma}import DataLoader from 'dataloader';\nconst users = new DataLoader(async (ids: readonly string[]) => prisma.user.findMany({ where: { id: { in: [...ids] } } }));\nexport async function f(ids: string[]) {\n  for (const id of ids) await users.load(id);\n}`,
    },
    // Commands queued on a pipeline are one round trip at exec
    {
      code: `${redis}export async function f(ids: string[]) {\n  const pipeline = redis.pipeline();\n  for (const id of ids) pipeline.get(\`user:\${id}\`);\n  return pipeline.exec();\n}`,
    },
    // Test files are not production paths
    {
      code: `${prisma}export async function f(ids: string[]) {\n  for (const id of ids) await prisma.user.delete({ where: { id } });\n}`,
      filename: '/project/test/cleanup.test.ts',
    },
    // Non-collection for loop (a counter, not a list)
    { code: `${redis}export async function f() {\n  for (let i = 0; i < 3; i++) await redis.ping();\n}` },
    // A project model's own method on its rows is not an association query
    {
      code: `import { Model } from 'sequelize';\nclass User extends Model {\n  declare first: string;\n  getFullName() { return this.first; }\n}\nexport async function f() {\n  const users = await User.findAll({ limit: 10 });\n  for (const u of users) console.log(u.getFullName());\n}`,
    },
    // Migrations run once per deployment
    {
      code: `export class Collation {\n  tables = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];\n  async up(queryRunner: { query(sql: string): Promise<unknown> }) {\n    for (const table of this.tables) {\n      await queryRunner.query(\`ALTER TABLE \${table} CONVERT TO CHARACTER SET utf8mb4\`);\n    }\n  }\n}`,
      filename: '/project/src/migrations/1575658419248-collation.ts',
    },
    // Recursion that is not a list walk (a tree of categories, fetched once per node, is another rule's business)
    {
      code: `${pg}export async function retry(attempt = 0): Promise<unknown> {\n  try { return await pool.query('SELECT 1'); } catch { return attempt < 3 ? retry(attempt * 2) : undefined; }\n}`,
    },
    // A data migration function in ordinary code runs once
    {
      code: `${pg}export async function migrateAggregateTable(monitors: { id: number }[]) {\n  for (const m of monitors) await pool.query('SELECT * FROM heartbeat WHERE monitor_id = $1', [m.id]);\n}`,
    },
    // A route behind a response-cache middleware runs only on misses
    {
      code: `import express from 'express';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst router = express.Router();\ndeclare const cache: (ttl: string) => express.RequestHandler;\nrouter.get('/status', cache('5 minutes'), async (req, res) => {\n  const ids: number[] = req.body.ids;\n  for (const id of ids) await pool.query('SELECT * FROM beats WHERE monitor_id = $1', [id]);\n  res.end();\n});`,
    },
    // node-redis pipelines same-tick commands automatically
    {
      code: `import { createClient } from 'redis';\nconst client = createClient();\nexport async function names(ids: string[]) {\n  return Promise.all(ids.map((id) => client.get(\`user:\${id}\`)));\n}`,
    },
    // Untraceable receivers need evidence: a regex's exec is not SQL
    { code: `export function f(lines: string[], re: RegExp) {\n  for (const line of lines) re.exec(line);\n}` },
    // A silenced line
    {
      code: `${prisma}export async function f(ids: string[]) {\n  for (const id of ids) {\n    // perf-advisor-ignore-next-line n-plus-one -- ids are at most 3 here\n    await prisma.user.findUnique({ where: { id } });\n  }\n}`,
    },
    // postgres.js: tagged templates are queries; sql(...) helpers and nested sql`...` fragments are parts of one
    {
      name: 'postgres.js: one ANY query before the loop',
      code: `${postgresJs}export async function f(ids: string[]) {\n  const rows = await sql\`select * from users where id = any(\${ids})\`;\n  for (const row of rows) console.log(row);\n}`,
    },
    {
      name: 'postgres.js: a loop over chunks with IN sql(chunk)',
      code: `${postgresJs}export async function f(chunks: string[][]) {\n  for (const chunk of chunks) {\n    await sql\`select * from users where id in \${sql(chunk)}\`;\n  }\n}`,
    },
    {
      name: 'postgres.js: sql(row, columns) helpers built per element are not queries',
      code: `${postgresJs}const columns = (row: object) => sql(row, 'name', 'email');\nexport function f(rows: object[]) {\n  return rows.map((row) => columns(row));\n}`,
    },
    {
      name: 'postgres.js: sql`...` fragments built in a loop, one query after it',
      code: `${postgresJs}export async function f(filters: { column: string; value: string }[]) {\n  let where = sql\`where true\`;\n  for (const filter of filters) where = sql\`\${where} and \${sql(filter.column)} = \${filter.value}\`;\n  return await sql\`select * from users \${where} limit 50\`;\n}`,
    },
    {
      name: 'postgres.js: one multi-row insert with sql(rows)',
      code: `${postgresJs}export async function f(rows: { name: string }[]) {\n  await sql\`insert into users \${sql(rows, 'name')}\`;\n}`,
    },
    {
      name: 'tagged templates of other tags in a loop are no queries',
      code: `${postgresJs}const css = (parts: TemplateStringsArray) => parts.join('');
export function f(names: string[]) {
  return names.map((name) => css\`.\${name} { color: red }\`);
}`,
    },
    {
      name: 'postgres.js: a cursor loop reads pages of one query',
      code: `${postgresJs}export async function f() {\n  for await (const rows of sql\`select * from events\`.cursor(100)) {\n    console.log(rows.length);\n  }\n}`,
    },
  ],
  invalid: [
    {
      code: `${prisma}export async function f(users: { id: string }[]) {\n  for (const u of users) {\n    await prisma.post.findMany({ where: { authorId: u.id } });\n  }\n}`,
      errors: [
        {
          messageId: 'sequential',
          line: 5,
          column: 11,
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
      code: `${pg}export function f(ids: number[]) {\n  ids.forEach((id) => {\n    pool.query('UPDATE items SET seen = true WHERE id = $1', [id]);\n  });\n}`,
      errors: [
        {
          messageId: 'concurrent',
          line: 5,
          severity: 'info',
          messageIncludes: ['all at once', 'Write them in one round trip'],
        },
      ],
    },
    {
      name: 'Promise.all over map with Mongoose',
      code: `import mongoose from 'mongoose';\nconst Review = mongoose.model('Review', new mongoose.Schema({}));\nexport async function f(products: { id: string }[]) {\n  return Promise.all(products.map(async (p) => Review.find({ product: p.id }).lean()));\n}`,
      errors: [{ messageId: 'concurrent', line: 4, severity: 'info' }],
    },
    {
      name: 'indexed for loop over .length',
      code: `${pg}export async function f(ids: number[]) {\n  for (let i = 0; i < ids.length; i++) {\n    await pool.query('SELECT * FROM items WHERE id = $1', [ids[i]]);\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 5 }],
    },
    {
      name: 'one create per item',
      code: `${prisma}export async function f(events: { type: string }[]) {\n  for (const e of events) {\n    await prisma.auditEvent.create({ data: { type: e.type } });\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 5, messageIncludes: ['createMany'] }],
    },
    {
      name: 'knex builder awaited in a loop',
      code: `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport async function f(ids: number[]) {\n  for (const id of ids) {\n    await db('orders').where({ customer_id: id }).select('*');\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 5, messageIncludes: ["`db('orders')"] }],
    },
    {
      name: 'knex: an insert per element inside the transaction callback',
      code: `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport async function f(rows: { id: number }[]) {\n  await db.transaction(async (trx) => {\n    for (const row of rows) await trx('orders').insert(row);\n  });\n}`,
      errors: [{ messageId: 'sequential', line: 5, messageIncludes: ['`insert` runs once per element of `rows`'] }],
    },
    {
      name: 'knex: an insert per element on a transaction awaited from knex.transaction()',
      code: `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport async function f(rows: { id: number }[]) {\n  const trx = await db.transaction();\n  for (const row of rows) await trx('orders').insert(row);\n  await trx.commit();\n}`,
      errors: [{ messageId: 'sequential', line: 5, messageIncludes: ['`insert` runs once per element of `rows`'] }],
    },
    {
      name: 'async.eachSeries iterates',
      code: `${redis}import async from 'async';\nexport async function f(ids: string[]) {\n  await async.eachSeries(ids, async (id: string) => {\n    await redis.get(\`user:\${id}\`);\n  });\n}`,
      errors: [{ messageId: 'sequential', line: 6, messageIncludes: ['MGET'] }],
    },
    {
      name: 'for await over a cursor of ids',
      code: `${pg}export async function f(ids: AsyncIterable<number>) {\n  for await (const id of ids) {\n    await pool.query('SELECT * FROM items WHERE id = $1', [id]);\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 5 }],
    },
    {
      name: 'NestJS injected repository',
      code: `import { Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\nclass User { id!: string; teamId!: string }\n@Injectable()\nexport class TeamService {\n  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}\n  async owners(teams: { ownerId: string }[]) {\n    for (const team of teams) {\n      await this.users.findOneBy({ id: team.ownerId });\n    }\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 10, messageIncludes: ['`this.users.findOneBy`'] }],
    },
    {
      name: 'injected PrismaService wrapper',
      code: `import { PrismaClient } from '@prisma/client';\nclass PrismaService extends PrismaClient {}\nexport class InvoiceService {\n  constructor(private prisma: PrismaService) {}\n  async f(invoices: { customerId: string }[]) {\n    for (const i of invoices) await this.prisma.customer.findUnique({ where: { id: i.customerId } });\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 6 }],
    },
    {
      name: 'Sequelize association getter per instance',
      code: `import { Model } from 'sequelize';\nclass User extends Model {}\nexport async function f() {\n  const users = await User.findAll({ limit: 50 });\n  for (const user of users) {\n    await (user as any).getPosts();\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 6 }],
    },
    {
      name: 'a helper in another file, two calls deep',
      files: {
        '/project/src/db.ts': `${pg}export { pool };\n`,
        '/project/src/discounts.ts': `import { pool } from './db';\nexport class DiscountRepository {\n  async activeFor(sku: string) {\n    const r = await pool.query('SELECT pct FROM discounts WHERE sku = $1', [sku]);\n    return r.rows[0];\n  }\n}\n`,
        '/project/src/pricing.ts': `import { DiscountRepository } from './discounts';\nexport class PricingService {\n  private readonly discounts = new DiscountRepository();\n  async totalFor(sku: string) {\n    return this.discounts.activeFor(sku);\n  }\n}\n`,
      },
      code: `import { PricingService } from './pricing';\nconst pricing = new PricingService();\nexport async function run(lines: { sku: string }[]) {\n  for (const line of lines) {\n    await pricing.totalFor(line.sku);\n  }\n}`,
      errors: [
        {
          messageId: 'via',
          line: 5,
          messageIncludes: ['via `PricingService.totalFor` → `DiscountRepository.activeFor` → `pool.query`'],
        },
      ],
    },
    {
      name: 'a helper in the same file that queries directly',
      code: `${pg}async function loadUser(id: string) {\n  return pool.query('SELECT * FROM users WHERE id = $1', [id]);\n}\nexport async function f(ids: string[]) {\n  for (const id of ids) await loadUser(id);\n}`,
      errors: [{ messageId: 'via', line: 7, messageIncludes: ['(via `loadUser` → `pool.query`)'] }],
    },
    {
      name: 'the same query on every iteration, with a hoist suggestion',
      code: `${pg}export async function f(orders: { id: string }[]) {\n  for (const order of orders) {\n    const rate = await pool.query('SELECT value FROM settings WHERE key = $1', ['tax']);\n    console.log(order.id, rate.rows[0]);\n  }\n}`,
      errors: [
        {
          messageId: 'invariant',
          line: 5,
          messageIncludes: ['hoist it above the loop'],
          fixes: [
            {
              title: 'Hoist the invariant query above the loop',
              output: `${pg}export async function f(orders: { id: string }[]) {\n  const rate = await pool.query('SELECT value FROM settings WHERE key = $1', ['tax']);\n  for (const order of orders) {\n    console.log(order.id, rate.rows[0]);\n  }\n}`,
            },
          ],
        },
      ],
    },
    {
      name: 'HTTP request per id to one service',
      code: `import axios from 'axios';\nexport async function f(ids: string[]) {\n  for (const id of ids) {\n    await axios.get(\`https://users.internal/api/users/\${id}\`);\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 4, messageIncludes: ['request round trips'] }],
    },
    {
      name: 'embedded SQLite is reported lower',
      code: `import Database from 'better-sqlite3';\nconst db = new Database('app.db');\nexport function f(ids: number[]) {\n  for (const id of ids) {\n    db.prepare('SELECT * FROM notes WHERE id = ?').get(id);\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 5, severity: 'info' }],
    },
    {
      name: 'CommonJS: a destructured require of redbean-node',
      filename: '/project/server/notification.js',
      code: `const { R } = require('redbean-node');\nasync function apply(notificationID, userID) {\n  const monitors = await R.getAll('SELECT id FROM monitor WHERE user_id = ?', [userID]);\n  for (let i = 0; i < monitors.length; i++) {\n    await R.findOne('monitor_notification', ' monitor_id = ? AND notification_id = ? ', [monitors[i].id, notificationID]);\n  }\n}\nmodule.exports = { apply };`,
      errors: [{ messageId: 'sequential', line: 5, messageIncludes: ['`R.findOne`'] }],
    },
    {
      name: 'CommonJS: a module value from require',
      filename: '/project/commands/balance.js',
      code: `const mysql = require('mysql2/promise');\nconst pool = mysql.createPool(process.env.DB_URL);\nmodule.exports = {\n  async execute(users) {\n    for (const user of users) {\n      await pool.query('SELECT money FROM balances WHERE user = ?', [user.id]);\n    }\n  },\n};`,
      errors: [{ messageId: 'sequential', line: 6 }],
    },
    {
      name: 'SQL text on an untyped client parameter',
      code: `export async function markExpired(connection: any, rows: { code: string }[]) {\n  for (const voucher of rows) {\n    await connection.execute('UPDATE voucher SET valid = ? WHERE code = ?', ['expired', voucher.code]);\n  }\n}`,
      errors: [
        { messageId: 'sequential', line: 3, messageIncludes: ['`connection.execute` runs once per element of `rows`'] },
      ],
    },
    {
      name: 'a MongoDB collection from a context object, in Promise.all',
      code: `export async function clone(context: any, ids: string[]) {\n  const { Products } = context.collections;\n  return Promise.all(ids.map(async (id) => Products.findOne({ _id: id })));\n}`,
      errors: [{ messageId: 'concurrent', line: 3, messageIncludes: ['$in'] }],
    },
    {
      name: 'a Prisma delegate behind a generic repository wrapper',
      code: `export class IntegrationRepository {\n  constructor(private _integration: { model: any }) {}\n  async disable(channels: { id: string }[]) {\n    for (const channel of channels) {\n      await this._integration.model.integration.update({ where: { id: channel.id }, data: { disabled: true } });\n    }\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 5, messageIncludes: ['updateMany'] }],
    },
    {
      name: 'updateMany per element is a write per element, not a chunked batch',
      code: `${prisma}export async function save(rows: { sessionId: string; key: string; value: string }[]) {\n  for (const row of rows) {\n    await prisma.sessionData.updateMany({ where: { sessionId: row.sessionId, key: row.key }, data: { value: row.value } });\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 5 }],
    },
    {
      name: 'a MongoDB cursor drained per element inside an async reduce',
      code: `export async function filter(methods: { _id: string }[], Restrictions: any) {\n  return methods.reduce(async (acc, method) => {\n    const rows = await Restrictions.find({ methodIds: method._id }).toArray();\n    return rows.length ? acc : acc;\n  }, Promise.resolve([]));\n}`,
      errors: [{ messageId: 'sequential', line: 3 }],
    },
    {
      name: 'recursion over a list, one element per call',
      code: `${pg}export async function processNext(ids: number[], i = 0): Promise<void> {\n  if (i >= ids.length) return;\n  await pool.query('UPDATE jobs SET done = true WHERE id = $1', [ids[i]]);\n  return processNext(ids, i + 1);\n}`,
      errors: [{ messageId: 'sequential', line: 5, messageIncludes: ['once per element of `ids`'] }],
    },
    {
      name: 'a fixed count of iterations above the small-list threshold',
      code: `${pg}export async function importGames(games: string[]) {\n  for (let i = 0; i < 25; i++) {\n    await pool.query('INSERT INTO games(name) VALUES ($1)', [games[i]]);\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 5 }],
    },
    {
      name: 'a one-off script is reported as information',
      filename: '/project/scripts/backfill.ts',
      code: `${prisma}export async function flagUsers(ids: string[]) {\n  for (const id of ids) await prisma.user.update({ where: { id }, data: { migrated: true } });\n}`,
      errors: [{ messageId: 'sequential', line: 4, severity: 'info' }],
    },
    // postgres.js tagged templates
    {
      name: 'postgres.js: sql`...` per id in a for-of loop',
      code: `${postgresJs}export async function owners(ids: string[]) {\n  const out = [];\n  for (const id of ids) {\n    const [row] = await sql\`select * from users where id = \${id}\`;\n    out.push(row);\n  }\n  return out;\n}`,
      errors: [
        {
          messageId: 'sequential',
          line: 6,
          column: 25,
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
      code: `${postgresJs}export async function f(users: { name: string }[]) {\n  for (const user of users) {\n    await sql\`insert into users (name) values (\${user.name})\`;\n  }\n}`,
      errors: [
        {
          messageId: 'sequential',
          line: 5,
          column: 11,
          messageIncludes: ['Insert them in one round trip: one multi-row `INSERT'],
        },
      ],
    },
    {
      name: 'postgres.js: Promise.all over map',
      code: `${postgresJs}export async function f(ids: string[]) {\n  return Promise.all(ids.map((id) => sql\`select * from users where id = \${id}\`));\n}`,
      errors: [{ messageId: 'concurrent', line: 4, severity: 'info' }],
    },
    {
      name: 'postgres.js: a fragment interpolated into the per-element query is part of that one query',
      code: `${postgresJs}export async function f(ids: string[], active: boolean) {\n  for (const id of ids) {\n    await sql\`select * from users where id = \${id} \${active ? sql\`and active\` : sql\`\`}\`;\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 5, column: 11 }],
    },
    {
      name: 'postgres.js: the same query on every iteration',
      code: `${postgresJs}export async function f(ids: string[]) {\n  for (const id of ids) {\n    const rows = await sql\`select * from settings limit 5\`;\n    console.log(rows, id);\n  }\n}`,
      errors: [{ messageId: 'invariant', line: 5 }],
    },
    {
      name: 'postgres.js: a helper returns the lazy query, which runs where it is awaited per element',
      code: `${postgresJs}const byId = (id: string) => sql\`select * from users where id = \${id}\`;\nexport async function f(ids: string[]) {\n  for (const id of ids) await byId(id);\n}`,
      errors: [{ messageId: 'sequential', line: 5, column: 31, messageIncludes: ['select * from users where id'] }],
    },
    {
      name: 'postgres.js: a Sql handle kept in a class field',
      code: `import postgres from 'postgres';\nexport class Users {\n  constructor(private readonly sql: postgres.Sql) {}\n  async names(ids: string[]) {\n    for (const id of ids) await this.sql\`select name from users where id = \${id}\`;\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 5 }],
    },
    {
      name: 'postgres.js: a write per element inside sql.begin, whose callback shadows sql',
      code: `${postgresJs}export async function f(ids: string[]) {\n  await sql.begin(async (sql) => {\n    for (const id of ids) await sql\`update users set seen = true where id = \${id}\`;\n  });\n}`,
      errors: [{ messageId: 'sequential', line: 5, column: 33, messageIncludes: ['Write them in one round trip'] }],
    },
    {
      name: 'postgres.js: a savepoint inside a transaction',
      code: `${postgresJs}export async function f(ids: string[]) {\n  await sql.begin('read write', async (tx) => {\n    await tx.savepoint(async (sp) => {\n      for (const id of ids) await sp\`select * from users where id = \${id}\`;\n    });\n  });\n}`,
      errors: [{ messageId: 'sequential', line: 6 }],
    },
    {
      name: 'postgres.js: a reserved connection is a tag too',
      code: `${postgresJs}export async function f(ids: string[]) {\n  const reserved = await sql.reserve();\n  try {\n    for (const id of ids) await reserved\`select * from users where id = \${id}\`;\n  } finally {\n    reserved.release();\n  }\n}`,
      errors: [{ messageId: 'sequential', line: 6 }],
    },
    {
      name: 'pg-promise: a query per element inside db.tx',
      code: `import pgPromise from 'pg-promise';\nconst db = pgPromise()('postgres://db');\nexport async function f(ids: number[]) {\n  await db.tx(async (t) => {\n    for (const id of ids) await t.none('UPDATE users SET seen = true WHERE id = $1', [id]);\n  });\n}`,
      errors: [{ messageId: 'sequential', line: 5 }],
    },
    {
      name: "a command called inside another tag's template still runs per element",
      code: `${redis}const html = (parts: TemplateStringsArray, ...values: unknown[]) => parts.join('') + values.join('');\nexport function f(ids: string[]) {\n  return ids.map((id) => html\`<li>\${redis.get(\`user:\${id}\`)}</li>\`);\n}`,
      errors: [{ messageId: 'concurrent', line: 5, column: 37 }],
    },
  ],
});
