// Table tests for unbounded-read: ORM/builder reads without a bound, huge limits, read-all-then-slice, SQL without LIMIT, Redis whole reads.
import { runRuleTests, type TestCase } from './ruleTester';

/** Names each case after its last line (the shared client setup above it says nothing). */
function named<T extends TestCase>(cases: T[]): T[] {
  return cases.map((c) => ({ name: c.name ?? c.code.trim().split('\n').pop()!.trim().slice(0, 100), ...c }));
}

const prisma = "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";
const pg = "import { Pool } from 'pg';\nconst pool = new Pool();\n";
const ioredis = "import Redis from 'ioredis';\nconst redis = new Redis();\n";
const nodeRedis = "import { createClient } from 'redis';\nconst client = createClient();\n";
const typeorm =
  "import { DataSource } from 'typeorm';\nconst dataSource = new DataSource({ type: 'postgres' });\nconst users = dataSource.getRepository('User');\n";
const mongoose =
  "import mongoose from 'mongoose';\nconst Product = mongoose.model('Product', new mongoose.Schema({}));\n";
const mongodb =
  "import { MongoClient } from 'mongodb';\nconst orders = new MongoClient('mongodb://db').db('shop').collection('orders');\n";
const knex = "import knex from 'knex';\nconst db = knex({ client: 'pg' });\n";
const sequelize = "import { Model } from 'sequelize';\nclass Order extends Model {}\n";
const postgresJs = "import postgres from 'postgres';\nconst sql = postgres(process.env.DATABASE_URL!);\n";

runRuleTests('unbounded-read', {
  valid: named([
    // Prisma: bounded, unique or list-filtered, options from elsewhere
    { code: prisma + "export const list = () => prisma.order.findMany({ where: { status: 'paid' }, take: 50 });" },
    {
      code:
        prisma +
        'export async function list(pageSize: number) {\n  return prisma.order.findMany({ take: pageSize });\n}',
    },
    { code: prisma + 'export async function list(limit = 20) {\n  return prisma.order.findMany({ take: limit });\n}' },
    {
      name: 'optional limit that every caller passes',
      code:
        prisma +
        'export async function list(opts?: { limit: number }) {\n  return prisma.order.findMany({ take: opts?.limit });\n}\nexport const page = () => list({ limit: 20 });',
    },
    {
      name: 'optional limit with no caller in the project',
      code:
        prisma + 'export async function list(limit?: number) {\n  return prisma.order.findMany({ take: limit });\n}',
    },
    {
      code:
        prisma +
        "export const categories = () => prisma.popularPost.findMany({ select: { category: true }, distinct: ['category'] });",
    },
    {
      code:
        pg +
        "export const monitors = () => pool.query('SELECT DISTINCT monitor_id FROM heartbeat ORDER BY monitor_id');",
    },
    { code: pg + "export const pool1 = (id: string) => pool.query('SELECT * FROM pools WHERE pool_id=$1;', [id]);" },
    {
      code:
        prisma +
        'export const teams = (userId: string) => prisma.team.findMany({ where: { deletedAt: null, members: { some: { userId } } } });',
    },
    {
      code:
        prisma +
        'export const byRoot = (id: string, hashed: string) => prisma.integration.findMany({ where: { rootInternalId: { in: [id, hashed] } } });',
    },
    {
      name: 'owner filter in a QueryBuilder that is also ordered',
      code:
        typeorm +
        "export async function terms(projectId: string) {\n  const qb = users.createQueryBuilder('term').where('term.project.id = :projectId', { projectId });\n  qb.orderBy('term.value');\n  return qb.getMany();\n}",
    },
    {
      name: 'optional limit that is guarded before use',
      code:
        prisma +
        "export async function list(limit?: number) {\n  if (limit === undefined) throw new Error('limit');\n  return prisma.order.findMany({ take: limit });\n}",
    },
    {
      name: 'options spread from a parameter (a wrapper paginates)',
      code: prisma + 'export async function list(opts: object) {\n  return prisma.order.findMany({ ...opts });\n}',
    },
    {
      name: 'options object from a parameter',
      code: prisma + 'export async function list(args: { take: number }) {\n  return prisma.order.findMany(args);\n}',
    },
    {
      code: prisma + 'export async function one(id: string) {\n  return prisma.order.findUnique({ where: { id } });\n}',
    },
    {
      name: 'findMany on a unique key',
      code: prisma + 'export async function byId(id: string) {\n  return prisma.order.findMany({ where: { id } });\n}',
    },
    {
      name: 'findMany with id in the request ids',
      code:
        prisma +
        'export async function byIds(ids: string[]) {\n  return prisma.order.findMany({ where: { id: { in: ids } } });\n}',
    },
    {
      name: 'findMany with in over a program list on another key',
      code:
        prisma +
        'export async function forCustomers(customerIds: string[]) {\n  return prisma.invoice.findMany({ where: { customerId: { in: customerIds } } });\n}',
    },
    {
      name: 'unique key inside AND',
      code:
        prisma +
        'export async function scoped(tenantId: string, slug: string) {\n  return prisma.page.findMany({ where: { AND: [{ tenantId }, { slug }] } });\n}',
    },
    {
      name: 'where from a local constant',
      code:
        prisma +
        'export async function mine(email: string) {\n  const where = { email };\n  return prisma.user.findMany({ where });\n}',
    },
    // start-up code runs once
    {
      code:
        mongodb +
        'export default async function pickupStartup() {\n  const all = await orders.find({}).toArray();\n  return all.length;\n}',
    },
    { code: prisma + 'export async function bootstrap() {\n  return prisma.setting.findMany();\n}' },
    {
      name: 'a startup.ts file',
      filename: '/project/src/startup.ts',
      code: prisma + 'export async function loadPlans() {\n  return prisma.plan.findMany();\n}',
    },
    // the rows of one parent (a foreign key): they grow with that parent, not with the table
    {
      code:
        prisma +
        'export const signatures = (orgId: string) => prisma.signature.findMany({ where: { organizationId: orgId, deletedAt: null } });',
    },
    {
      code:
        typeorm + 'export const labels = (projectId: string) => users.find({ where: { project: { id: projectId } } });',
    },
    {
      code:
        pg + "export const teams = (userId: string) => pool.query('SELECT * FROM teams WHERE user_id = $1', [userId]);",
    },
    { code: knex + "export const domains = (userId: number) => db('domains').where('user_id', userId);" },
    { code: prisma + 'export async function total() {\n  return prisma.order.count();\n}' },
    { code: prisma + 'export const big = () => prisma.order.findMany({ take: 10_000 });' },
    // TypeORM
    { code: typeorm + 'export const page = () => users.find({ where: { active: true }, take: 50 });' },
    { code: typeorm + 'export const byEmail = (email: string) => users.findBy({ email });' },
    {
      code:
        typeorm + 'export const byIds = (ids: number[]) => users.find({ where: [{ id: ids[0] }, { id: ids[1] }] });',
    },
    {
      code:
        typeorm +
        "import { In } from 'typeorm';\nexport const byIds = (ids: number[]) => users.findBy({ id: In(ids) });",
    },
    {
      code:
        typeorm +
        "export const page = (size: number) => users.createQueryBuilder('u').where('u.active = true').take(size).getMany();",
    },
    {
      code:
        typeorm +
        "export const one = (id: number) => users.createQueryBuilder('u').where('u.id = :id', { id }).getMany();",
    },
    {
      code:
        typeorm +
        "export const some = (ids: number[]) => users.createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany();",
    },
    {
      code:
        typeorm +
        "export async function page() {\n  const qb = users.createQueryBuilder('u');\n  qb.take(20);\n  return qb.getMany();\n}",
    },
    // Mongoose and the MongoDB driver
    {
      code:
        mongoose +
        "export const page = () => Product.find({ status: 'active' }).sort({ updatedAt: -1 }).limit(20).lean();",
    },
    { code: mongoose + "export const page = () => Product.find({ status: 'active' }, null, { limit: 20 });" },
    { code: mongoose + 'export const bySkus = (skus: string[]) => Product.find({ sku: { $in: skus } }).lean();' },
    { code: mongoose + 'export const one = (id: string) => Product.find({ _id: id });' },
    { code: mongodb + "export const recent = () => orders.find({ status: 'paid' }).limit(10).toArray();" },
    {
      code:
        mongodb +
        "export const totals = () => orders.aggregate([{ $match: { status: 'paid' } }, { $group: { _id: null, total: { $sum: '$total' } } }]).toArray();",
    },
    {
      code:
        mongodb +
        "export const howMany = () => orders.aggregate([{ $match: { status: 'paid' } }, { $count: 'n' }]).toArray();",
    },
    {
      name: 'for await over a cursor streams in batches',
      code:
        mongodb +
        'export async function each(write: (d: unknown) => void) {\n  for await (const doc of orders.find({})) write(doc);\n}',
    },
    {
      code: mongodb + 'export const each = (write: (d: unknown) => void) => orders.find({}).forEach((d) => write(d));',
    },
    {
      code:
        mongoose +
        'export async function each(write: (d: unknown) => void) {\n  for await (const p of Product.find({}).cursor()) write(p);\n}',
    },
    // knex and Sequelize
    {
      code:
        knex + "export const page = (status: string) => db('orders').where('status', status).orderBy('id').limit(20);",
    },
    { code: knex + "export const one = (id: number) => db('orders').where({ id });" },
    { code: knex + "export const first = (status: string) => db('orders').where('status', status).first();" },
    { code: knex + "export const some = (ids: number[]) => db('orders').whereIn('id', ids);" },
    { code: knex + "export const howMany = (status: string) => db('orders').where('status', status).count('id');" },
    {
      name: 'knex builder bounded through its variable',
      code:
        knex +
        "export async function page() {\n  const query = db('orders');\n  query.limit(10);\n  return await query;\n}",
    },
    { code: sequelize + "export const page = () => Order.findAll({ where: { status: 'paid' }, limit: 20 });" },
    { code: sequelize + 'export const some = (ids: number[]) => Order.findAll({ where: { id: ids } });' },
    // SQL
    {
      code:
        pg +
        "export const page = (c: string, n: number) => pool.query('SELECT id FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2', [c, n]);",
    },
    {
      code: pg + "export const one = (id: string) => pool.query('SELECT id, status FROM orders WHERE id = $1', [id]);",
    },
    {
      code:
        pg +
        "export const scoped = (t: string, id: string) => pool.query('SELECT * FROM orders o WHERE o.tenant_id = $1 AND o.id = $2', [t, id]);",
    },
    {
      code: pg + "export const some = (ids: string[]) => pool.query('SELECT * FROM orders WHERE id = ANY($1)', [ids]);",
    },
    {
      code:
        pg +
        "export const count = (s: string) => pool.query('SELECT count(*)::int AS n FROM orders WHERE status = $1', [s]);",
    },
    {
      code:
        pg +
        "export const daily = () => pool.query('SELECT day, count(*) FROM orders GROUP BY day ORDER BY day LIMIT 366');",
    },
    { code: pg + "export const clock = () => pool.query('SELECT now()');" },
    {
      code:
        pg +
        "export const top = () => pool.query('WITH recent AS (SELECT * FROM orders ORDER BY id DESC LIMIT 50) SELECT * FROM recent');",
    },
    {
      name: 'SQL with a clause filled at runtime',
      code: pg + 'export const page = (clause: string) => pool.query(`SELECT * FROM orders ${clause}`);',
    },
    { code: pg + "export const insert = (s: string) => pool.query('INSERT INTO orders (status) VALUES ($1)', [s]);" },
    // Redis
    { code: ioredis + 'export const prefs = (id: string) => redis.hgetall(`user:${id}`);' },
    { code: ioredis + 'export const members = (team: string) => redis.smembers(`team:${team}:members`);' },
    { code: ioredis + "export const latest = () => redis.lrange('feed:global', 0, 9);" },
    { code: ioredis + "export const walk = () => redis.scan('0', 'MATCH', 'session:*', 'COUNT', 100);" },
    { code: ioredis + "export const stream = () => redis.scanStream({ match: 'session:*' });" },
    { code: ioredis + "export const some = () => redis.sscan('online-users', '0');" },
    { code: ioredis + "export const some = () => redis.hscan('settings', '0');" },
    { code: nodeRedis + 'export const prefs = (id: string) => client.hGetAll(`user:${id}`);' },
    // postgres.js tagged templates: LIMIT, unique or id-list filters, cursors and streams bound them; sql(...) helpers are no reads
    { code: postgresJs + 'export const recent = () => sql`select * from events order by id desc limit 10`;' },
    { code: postgresJs + 'export const one = (id: string) => sql`select * from users where id = ${id}`;' },
    { code: postgresJs + 'export const some = (ids: string[]) => sql`select * from users where id = any(${ids})`;' },
    { code: postgresJs + 'export const some = (ids: string[]) => sql`select * from users where id in ${sql(ids)}`;' },
    {
      code:
        postgresJs +
        'export async function f() {\n  for await (const rows of sql`select * from events`.cursor(100)) console.log(rows.length);\n}',
    },
    {
      code:
        postgresJs +
        'export async function f() {\n  await sql`select * from events`.cursor(100, (rows) => { console.log(rows.length); });\n}',
    },
    {
      code:
        postgresJs +
        'export async function f() {\n  await sql`select * from events`.forEach((row) => { console.log(row); });\n}',
    },
    {
      name: 'postgres.js: a LIMIT inside a nested fragment',
      code: postgresJs + 'export const recent = () => sql`select * from events order by id desc ${sql`limit 10`}`;',
    },
    {
      name: 'postgres.js: a clause filled in at runtime',
      code: postgresJs + 'export const list = (where: ReturnType<typeof sql>) => sql`select * from events ${where}`;',
    },
    { code: postgresJs + "export const columns = (row: object) => sql(row, 'name', 'email');" },
    { code: postgresJs + 'export const ids = (list: string[]) => sql(list);' },
    {
      code:
        postgresJs +
        "export async function f(rows: { name: string }[]) {\n  await sql`insert into users ${sql(rows, 'name')}`;\n}",
    },
  ]),
  invalid: named([
    {
      code: prisma + 'export async function all() {\n  return prisma.order.findMany();\n}',
      errors: [
        {
          messageId: 'noBound',
          line: 4,
          column: 10,
          messageIncludes: ['`prisma.order.findMany` reads every matching row with no `take`', 'Add `take`'],
          fixes: [
            { output: prisma + 'export async function all() {\n  return prisma.order.findMany({ take: 100 });\n}' },
          ],
        },
      ],
    },
    {
      code:
        prisma + "export async function paid() {\n  return prisma.order.findMany({ where: { status: 'paid' } });\n}",
      errors: [
        {
          messageId: 'noBound',
          line: 4,
          column: 10,
          fixes: [
            {
              output:
                prisma +
                "export async function paid() {\n  return prisma.order.findMany({ where: { status: 'paid' }, take: 100 });\n}",
            },
          ],
        },
      ],
    },
    {
      name: 'in over a literal list of statuses is not a bound',
      code: prisma + "export const open = () => prisma.order.findMany({ where: { status: { in: ['new', 'paid'] } } });",
      errors: [{ messageId: 'noBound', line: 3, column: 27 }],
    },
    {
      name: 'id: undefined filters nothing',
      code: prisma + 'export const all = () => prisma.order.findMany({ where: { id: undefined } });',
      errors: [{ messageId: 'noBound', line: 3, column: 26 }],
    },
    // huge limits
    {
      code: prisma + 'export const all = () => prisma.order.findMany({ take: Number.MAX_SAFE_INTEGER });',
      errors: [
        {
          messageId: 'hugeLimit',
          line: 3,
          column: 26,
          messageIncludes: ['`take: Number.MAX_SAFE_INTEGER`', 'at most 10000'],
        },
      ],
    },
    {
      code: prisma + 'export const all = () => prisma.order.findMany({ take: undefined });',
      errors: [{ messageId: 'hugeLimit', line: 3, column: 26, messageIncludes: ['`take: undefined`'] }],
    },
    {
      code:
        prisma + 'const EVERYTHING = 1_000_000;\nexport const all = () => prisma.order.findMany({ take: EVERYTHING });',
      errors: [{ messageId: 'hugeLimit', line: 4, column: 26, messageIncludes: ['`take: EVERYTHING`'] }],
    },
    {
      code:
        mongoose + 'export const all = (vendor: string) => Product.find({ vendor }, null, { limit: 999999 }).lean();',
      errors: [{ messageId: 'hugeLimit', line: 3, column: 40, messageIncludes: ['`Product.find`', '`limit: 999999`'] }],
    },
    {
      code: mongodb + 'export const all = () => orders.find({}).limit(0).toArray();',
      errors: [{ messageId: 'hugeLimit', line: 3, column: 26, messageIncludes: ['`.limit(0)`'] }],
    },
    // possibly undefined, with a caller that leaves it out
    {
      code:
        prisma +
        'export async function list(limit?: number) {\n  return prisma.order.findMany({ take: limit });\n}\nexport const everything = () => list();',
      errors: [
        {
          messageId: 'maybeUnbounded',
          line: 4,
          column: 10,
          messageIncludes: ['from `limit`, which is undefined when called as `list()`', '`limit ?? 100`'],
        },
      ],
    },
    {
      code:
        prisma +
        'export async function list({ limit }: { limit?: number }) {\n  return prisma.order.findMany({ take: limit });\n}\nexport const everything = () => list({});',
      errors: [{ messageId: 'maybeUnbounded', line: 4, column: 10 }],
    },
    {
      code:
        prisma +
        'export async function list(opts?: { limit: number }) {\n  return prisma.order.findMany({ take: opts?.limit });\n}\nexport const everything = () => list();',
      errors: [{ messageId: 'maybeUnbounded', line: 4, column: 10, messageIncludes: ['`opts?.limit`'] }],
    },
    {
      name: 'limit only when options are passed, and a caller passes none',
      code:
        prisma +
        'export async function expenses(groupId: string, options?: { length?: number }) {\n  return prisma.expense.findMany({ where: { groupId }, take: options && options.length });\n}\nexport const page = (g: string) => expenses(g, { length: 20 });\nexport const stats = (g: string) => expenses(g);',
      errors: [
        {
          messageId: 'maybeUnbounded',
          line: 4,
          column: 10,
          messageIncludes: ['`options && options.length`', 'called as `expenses(g)`'],
        },
      ],
    },
    // read everything, then slice
    {
      code:
        prisma +
        'export async function top() {\n  return (await prisma.invoice.findMany({ orderBy: { total: "desc" } })).slice(0, 10);\n}',
      errors: [
        {
          messageId: 'slicedInMemory',
          line: 4,
          column: 17,
          messageIncludes: ['keeps the first 10 in JavaScript'],
          fixes: [
            {
              output:
                prisma +
                'export async function top() {\n  return (await prisma.invoice.findMany({ orderBy: { total: "desc" }, take: 10 })).slice(0, 10);\n}',
            },
          ],
        },
      ],
    },
    {
      code:
        prisma +
        "export async function top() {\n  const paid = await prisma.invoice.findMany({ where: { status: 'paid' } });\n  return paid.filter((i) => i.total > 0).slice(0, 5);\n}",
      errors: [{ messageId: 'slicedInMemory', line: 4, column: 22, messageIncludes: ['keeps the first 5'], fixes: [] }],
    },
    {
      name: 'rows of one parent, sorted and sliced in JavaScript',
      code:
        prisma +
        'export async function top(guildId: string) {\n  const members = await prisma.member.findMany({ where: { guildId } });\n  return members.sort((a, b) => b.xp - a.xp).slice(0, 10);\n}',
      errors: [
        { messageId: 'slicedInMemory', line: 4, column: 25, messageIncludes: ['keeps the first 10'], fixes: [] },
      ],
    },
    {
      code:
        pg +
        "export async function top() {\n  const { rows } = await pool.query('SELECT * FROM orders ORDER BY total DESC');\n  return rows.slice(0, 3);\n}",
      errors: [{ messageId: 'slicedInMemory', line: 4, column: 26, messageIncludes: ['`pool.query`'] }],
    },
    // TypeORM
    {
      code: typeorm + "export const staff = () => users.find({ where: { active: true }, order: { name: 'ASC' } });",
      errors: [
        {
          messageId: 'noBound',
          line: 4,
          column: 28,
          messageIncludes: ['`users.find`', '`take`'],
          fixes: [
            {
              output:
                typeorm +
                "export const staff = () => users.find({ where: { active: true }, order: { name: 'ASC' }, take: 100 });",
            },
          ],
        },
      ],
    },
    {
      name: 'findBy cannot take a bound',
      code: typeorm + 'export const byStatus = (status: string) => users.findBy({ status });',
      errors: [
        { messageId: 'noBound', line: 4, column: 45, messageIncludes: ['Use a method that takes a limit'], fixes: [] },
      ],
    },
    {
      code: typeorm + "export const active = () => users.createQueryBuilder('u').where('u.active = true').getMany();",
      errors: [
        {
          messageId: 'noBound',
          line: 4,
          column: 29,
          fixes: [
            {
              output:
                typeorm +
                "export const active = () => users.createQueryBuilder('u').where('u.active = true').take(100).getMany();",
            },
          ],
        },
      ],
    },
    // Mongoose, MongoDB driver, knex, Sequelize
    {
      code: mongoose + "export const drafts = (status: string) => Product.find({ status }).populate('vendor').lean();",
      errors: [
        {
          messageId: 'noBound',
          line: 3,
          column: 43,
          messageIncludes: ['`Product.find`', '`limit`'],
          fixes: [
            {
              output:
                mongoose +
                "export const drafts = (status: string) => Product.find({ status }).limit(100).populate('vendor').lean();",
            },
          ],
        },
      ],
    },
    {
      code: mongodb + "export const paid = () => orders.find({ status: 'paid' }).toArray();",
      errors: [
        {
          messageId: 'noBound',
          line: 3,
          column: 27,
          fixes: [
            {
              output: mongodb + "export const paid = () => orders.find({ status: 'paid' }, { limit: 100 }).toArray();",
            },
          ],
        },
      ],
    },
    {
      code: knex + "export const byStatus = (status: string) => db('orders').where('status', status);",
      errors: [
        {
          messageId: 'noBound',
          line: 3,
          column: 45,
          messageIncludes: ['`.limit()`'],
          fixes: [
            {
              output:
                knex + "export const byStatus = (status: string) => db('orders').limit(100).where('status', status);",
            },
          ],
        },
      ],
    },
    {
      code: sequelize + "export const paid = () => Order.findAll({ where: { status: 'paid' } });",
      errors: [
        {
          messageId: 'noBound',
          line: 3,
          column: 27,
          fixes: [
            {
              output: sequelize + "export const paid = () => Order.findAll({ where: { status: 'paid' }, limit: 100 });",
            },
          ],
        },
      ],
    },
    // SQL
    {
      code:
        pg +
        "export const pending = (s: string) => pool.query('SELECT * FROM orders WHERE status = $1 ORDER BY created_at DESC', [s]);",
      errors: [
        {
          messageId: 'sqlNoLimit',
          line: 3,
          column: 39,
          messageIncludes: ['`pool.query` runs `SELECT * FROM orders WHERE status = $1', 'no LIMIT'],
          fixes: [
            {
              output:
                pg +
                "export const pending = (s: string) => pool.query('SELECT * FROM orders WHERE status = $1 ORDER BY created_at DESC LIMIT 100', [s]);",
            },
          ],
        },
      ],
    },
    {
      code: pg + "export const all = () => pool.query('SELECT * FROM orders LIMIT ALL;');",
      errors: [{ messageId: 'hugeLimit', line: 3, column: 26, messageIncludes: ['`LIMIT ALL`'] }],
    },
    {
      code: pg + "export const all = () => pool.query('SELECT * FROM orders LIMIT 999999');",
      errors: [{ messageId: 'hugeLimit', line: 3, column: 26, messageIncludes: ['`LIMIT 999999`'] }],
    },
    {
      name: 'an IN over literal statuses is not the request ids',
      code: pg + "export const open = () => pool.query(`SELECT * FROM orders WHERE status IN ('new', 'paid');`);",
      errors: [
        {
          messageId: 'sqlNoLimit',
          line: 3,
          column: 27,
          fixes: [
            {
              output:
                pg +
                "export const open = () => pool.query(`SELECT * FROM orders WHERE status IN ('new', 'paid') LIMIT 100;`);",
            },
          ],
        },
      ],
    },
    {
      name: 'module scope read runs once: info',
      code: pg + "export const all = await pool.query('SELECT * FROM countries');",
      errors: [{ messageId: 'sqlNoLimit', line: 3, column: 26, severity: 'info' }],
    },
    // Redis
    {
      code: ioredis + "export async function sessions() {\n  return redis.keys('session:*');\n}",
      errors: [
        {
          messageId: 'wholeKeyspace',
          line: 4,
          column: 10,
          messageIncludes: [
            "`redis.keys('session:*')` walks the whole keyspace and blocks Redis while it does: iterate with SCAN instead.",
          ],
          fixes: [
            {
              output:
                ioredis +
                "export async function sessions() {\n  return (async (): Promise<string[]> => {\n    const found = new Set<string>();\n    for await (const batch of redis.scanStream({ match: 'session:*', count: 1000 })) for (const key of batch as string[]) found.add(key);\n    return [...found];\n  })();\n}",
            },
          ],
        },
      ],
    },
    {
      name: 'KEYS in start-up code still blocks Redis: information',
      code: ioredis + "export async function initSessions() {\n  return redis.keys('session:*');\n}",
      errors: [{ messageId: 'wholeKeyspace', line: 4, column: 10, severity: 'info' }],
    },
    {
      name: 'node-redis KEYS: no SCAN rewrite offered',
      code: nodeRedis + "export const sessions = () => client.keys('session:*');",
      errors: [{ messageId: 'wholeKeyspace', line: 3, column: 31, fixes: [] }],
    },
    {
      code: ioredis + "export const online = () => redis.smembers('online-users');",
      errors: [{ messageId: 'sharedKey', line: 3, column: 29, messageIncludes: ['`online-users`', 'SSCAN'] }],
    },
    {
      code: ioredis + "const SETTINGS = 'settings:all';\nexport const settings = () => redis.hgetall(SETTINGS);",
      errors: [{ messageId: 'sharedKey', line: 4, column: 31, messageIncludes: ['`settings:all`', 'HSCAN'] }],
    },
    {
      code: ioredis + 'export const feed = (id: string) => redis.lrange(`feed:${id}`, 0, -1);',
      errors: [{ messageId: 'wholeRange', line: 3, column: 37, messageIncludes: ['whole list'] }],
    },
    {
      code: ioredis + "export const board = () => redis.zrange('leaderboard', 0, -1);",
      errors: [{ messageId: 'wholeRange', line: 3, column: 28, messageIncludes: ['whole sorted set'] }],
    },
    {
      code: nodeRedis + 'export const feed = (id: string) => client.lRange(`feed:${id}`, 0, -1);',
      errors: [{ messageId: 'wholeRange', line: 3, column: 37 }],
    },
    // postgres.js tagged templates
    {
      code: postgresJs + 'export async function all() {\n  return await sql`select * from events`;\n}',
      errors: [
        {
          messageId: 'sqlNoLimit',
          line: 4,
          column: 16,
          messageIncludes: ['runs `select * from events`', 'no LIMIT'],
          fixes: [
            {
              output:
                postgresJs + 'export async function all() {\n  return await sql`select * from events LIMIT 100`;\n}',
            },
          ],
        },
      ],
    },
    {
      name: 'postgres.js: the WHERE of a nested fragment is read as part of the query',
      code:
        postgresJs + 'export const byKind = (kind: string) => sql`select * from events ${sql`where kind = ${kind}`}`;',
      errors: [
        {
          messageId: 'sqlNoLimit',
          line: 3,
          messageIncludes: ['runs `select * from events where kind = ?`'],
          fixes: [
            {
              output:
                postgresJs +
                'export const byKind = (kind: string) => sql`select * from events ${sql`where kind = ${kind}`} LIMIT 100`;',
            },
          ],
        },
      ],
    },
    {
      code:
        postgresJs +
        'export async function top() {\n  const rows = await sql`select * from events order by score desc`;\n  return rows.slice(0, 10);\n}',
      errors: [{ messageId: 'slicedInMemory', line: 4, messageIncludes: ['the first 10'] }],
    },
    {
      code: postgresJs + 'export const all = () => sql`select * from events limit 1000000`;',
      errors: [{ messageId: 'hugeLimit', line: 3 }],
    },
    {
      code: postgresJs + "export const all = () => sql.unsafe('select * from events');",
      errors: [
        {
          messageId: 'sqlNoLimit',
          line: 3,
          fixes: [{ output: postgresJs + "export const all = () => sql.unsafe('select * from events LIMIT 100');" }],
        },
      ],
    },
    {
      name: 'postgres.js: a Sql handle kept in a class field',
      code: "import postgres from 'postgres';\nexport class Events {\n  constructor(private readonly sql: postgres.Sql) {}\n  all() {\n    return this.sql`select * from events`;\n  }\n}",
      errors: [{ messageId: 'sqlNoLimit', line: 5 }],
    },
  ]),
});
