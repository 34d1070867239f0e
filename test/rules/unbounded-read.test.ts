// Table tests for unbounded-read: ORM/builder reads without a bound, huge limits, read-all-then-slice, SQL without LIMIT, Redis whole reads.
import { dedent, runRuleTests, type TestCase } from './ruleTester';

// Reads are reported where a request reaches them: each shared set-up opens a server-action module (`'use server'`),
// whose exported functions run per request.

/** Names each case after its last line (the shared client setup above it says nothing). */
function named<T extends TestCase>(cases: T[]): T[] {
  return cases.map((c) => ({ name: c.name ?? c.code.trim().split('\n').pop()!.trim().slice(0, 100), ...c }));
}

const prisma = "'use server';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";
const pg = "'use server';\nimport { Pool } from 'pg';\nconst pool = new Pool();\n";
const ioredis = "'use server';\nimport Redis from 'ioredis';\nconst redis = new Redis();\n";
const nodeRedis = "'use server';\nimport { createClient } from 'redis';\nconst client = createClient();\n";
const typeorm =
  "'use server';\nimport { DataSource } from 'typeorm';\nconst dataSource = new DataSource({ type: 'postgres' });\nconst users = dataSource.getRepository('User');\n";
const mongoose =
  "'use server';\nimport mongoose from 'mongoose';\nconst Product = mongoose.model('Product', new mongoose.Schema({}));\n";
const mongodb =
  "'use server';\nimport { MongoClient } from 'mongodb';\nconst orders = new MongoClient('mongodb://db').db('shop').collection('orders');\n";
const knex = "'use server';\nimport knex from 'knex';\nconst db = knex({ client: 'pg' });\n";
const sequelize = "'use server';\nimport { Model } from 'sequelize';\nclass Order extends Model {}\n";
const postgresJs =
  "'use server';\nimport postgres from 'postgres';\nconst sql = postgres(process.env.DATABASE_URL!);\n";

runRuleTests('unbounded-read', {
  valid: named([
    // Prisma: bounded, unique or list-filtered, options from elsewhere
    {
      code: dedent`
        ${prisma}
        export const list = () => prisma.order.findMany({ where: { status: 'paid' }, take: 50 });
      `,
    },
    {
      code: dedent`
        ${prisma}
        export async function list(pageSize: number) {
          return prisma.order.findMany({ take: pageSize });
        }
      `,
    },
    {
      code: dedent`
        ${prisma}
        export async function list(limit = 20) {
          return prisma.order.findMany({ take: limit });
        }
      `,
    },
    {
      name: 'optional limit that every caller passes',
      code: dedent`
        ${prisma}
        export async function list(opts?: { limit: number }) {
          return prisma.order.findMany({ take: opts?.limit });
        }
        export const page = () => list({ limit: 20 });
      `,
    },
    {
      name: 'optional limit with no caller in the project',
      code: dedent`
        ${prisma}
        export async function list(limit?: number) {
          return prisma.order.findMany({ take: limit });
        }
      `,
    },
    {
      code: dedent`
        ${prisma}
        export const categories = () => prisma.popularPost.findMany({ select: { category: true }, distinct: ['category'] });
      `,
    },
    {
      code: dedent`
        ${pg}
        export const monitors = () => pool.query('SELECT DISTINCT monitor_id FROM heartbeat ORDER BY monitor_id');
      `,
    },
    {
      code: dedent`
        ${pg}
        export const pool1 = (id: string) => pool.query('SELECT * FROM pools WHERE pool_id=$1;', [id]);
      `,
    },
    {
      code: dedent`
        ${prisma}
        export const teams = (userId: string) => prisma.team.findMany({ where: { deletedAt: null, members: { some: { userId } } } });
      `,
    },
    {
      code: dedent`
        ${prisma}
        export const byRoot = (id: string, hashed: string) => prisma.integration.findMany({ where: { rootInternalId: { in: [id, hashed] } } });
      `,
    },
    {
      name: "owner filter in a QueryBuilder that is also ordered: one project's few labels",
      code: dedent`
        ${typeorm}
        export async function labels(projectId: string) {
          const qb = dataSource.getRepository('Label').createQueryBuilder('label').where('label.project.id = :projectId', { projectId });
          qb.orderBy('label.value');
          return qb.getMany();
        }
      `,
    },
    {
      name: 'optional limit that is guarded before use',
      code: dedent`
        ${prisma}
        export async function list(limit?: number) {
          if (limit === undefined) throw new Error('limit');
          return prisma.order.findMany({ take: limit });
        }
      `,
    },
    {
      name: 'options spread from a parameter (a wrapper paginates)',
      code: dedent`
        ${prisma}
        export async function list(opts: object) {
          return prisma.order.findMany({ ...opts });
        }
      `,
    },
    {
      name: 'options object from a parameter',
      code: dedent`
        ${prisma}
        export async function list(args: { take: number }) {
          return prisma.order.findMany(args);
        }
      `,
    },
    {
      code: dedent`
        ${prisma}
        export async function one(id: string) {
          return prisma.order.findUnique({ where: { id } });
        }
      `,
    },
    {
      name: 'findMany on a unique key',
      code: dedent`
        ${prisma}
        export async function byId(id: string) {
          return prisma.order.findMany({ where: { id } });
        }
      `,
    },
    {
      name: 'findMany with id in the request ids',
      code: dedent`
        ${prisma}
        export async function byIds(ids: string[]) {
          return prisma.order.findMany({ where: { id: { in: ids } } });
        }
      `,
    },
    {
      name: 'findMany with in over a program list on another key',
      code: dedent`
        ${prisma}
        export async function forCustomers(customerIds: string[]) {
          return prisma.invoice.findMany({ where: { customerId: { in: customerIds } } });
        }
      `,
    },
    {
      name: 'unique key inside AND',
      code: dedent`
        ${prisma}
        export async function scoped(tenantId: string, slug: string) {
          return prisma.page.findMany({ where: { AND: [{ tenantId }, { slug }] } });
        }
      `,
    },
    {
      name: 'where from a local constant',
      code: dedent`
        ${prisma}
        export async function mine(email: string) {
          const where = { email };
          return prisma.user.findMany({ where });
        }
      `,
    },
    // start-up code runs once
    {
      code: dedent`
        ${mongodb}
        export default async function pickupStartup() {
          const all = await orders.find({}).toArray();
          return all.length;
        }
      `,
    },
    {
      code: dedent`
        ${prisma}
        export async function bootstrap() {
          return prisma.setting.findMany();
        }
      `,
    },
    {
      name: 'a startup.ts file',
      filename: '/project/src/startup.ts',
      code: dedent`
        ${prisma}
        export async function loadPlans() {
          return prisma.plan.findMany();
        }
      `,
    },
    // the rows of one parent (a foreign key): they grow with that parent, not with the table
    {
      code: dedent`
        ${prisma}
        export const signatures = (orgId: string) => prisma.signature.findMany({ where: { organizationId: orgId, deletedAt: null } });
      `,
    },
    {
      code: dedent`
        ${typeorm}
        export const labels = (projectId: string) => users.find({ where: { project: { id: projectId } } });
      `,
    },
    {
      code: dedent`
        ${pg}
        export const teams = (userId: string) => pool.query('SELECT * FROM teams WHERE user_id = $1', [userId]);
      `,
    },
    {
      code: dedent`
        ${knex}
        export const domains = (userId: number) => db('domains').where('user_id', userId);
      `,
    },
    {
      code: dedent`
        ${prisma}
        export async function total() {
          return prisma.order.count();
        }
      `,
    },
    {
      code: dedent`
        ${prisma}
        export const big = () => prisma.order.findMany({ take: 10_000 });
      `,
    },
    // TypeORM
    {
      code: dedent`
        ${typeorm}
        export const page = () => users.find({ where: { active: true }, take: 50 });
      `,
    },
    {
      code: dedent`
        ${typeorm}
        export const byEmail = (email: string) => users.findBy({ email });
      `,
    },
    {
      code: dedent`
        ${typeorm}
        export const byIds = (ids: number[]) => users.find({ where: [{ id: ids[0] }, { id: ids[1] }] });
      `,
    },
    {
      code: dedent`
        ${typeorm}
        import { In } from 'typeorm';
        export const byIds = (ids: number[]) => users.findBy({ id: In(ids) });
      `,
    },
    {
      code: dedent`
        ${typeorm}
        export const page = (size: number) => users.createQueryBuilder('u').where('u.active = true').take(size).getMany();
      `,
    },
    {
      code: dedent`
        ${typeorm}
        export const one = (id: number) => users.createQueryBuilder('u').where('u.id = :id', { id }).getMany();
      `,
    },
    {
      code: dedent`
        ${typeorm}
        export const some = (ids: number[]) => users.createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany();
      `,
    },
    {
      code: dedent`
        ${typeorm}
        export async function page() {
          const qb = users.createQueryBuilder('u');
          qb.take(20);
          return qb.getMany();
        }
      `,
    },
    // Mongoose and the MongoDB driver
    {
      code: dedent`
        ${mongoose}
        export const page = () => Product.find({ status: 'active' }).sort({ updatedAt: -1 }).limit(20).lean();
      `,
    },
    {
      code: dedent`
        ${mongoose}
        export const page = () => Product.find({ status: 'active' }, null, { limit: 20 });
      `,
    },
    {
      code: dedent`
        ${mongoose}
        export const bySkus = (skus: string[]) => Product.find({ sku: { $in: skus } }).lean();
      `,
    },
    {
      code: dedent`
        ${mongoose}
        export const one = (id: string) => Product.find({ _id: id });
      `,
    },
    {
      code: dedent`
        ${mongodb}
        export const recent = () => orders.find({ status: 'paid' }).limit(10).toArray();
      `,
    },
    {
      code: dedent`
        ${mongodb}
        export const totals = () => orders.aggregate([{ $match: { status: 'paid' } }, { $group: { _id: null, total: { $sum: '$total' } } }]).toArray();
      `,
    },
    {
      code: dedent`
        ${mongodb}
        export const howMany = () => orders.aggregate([{ $match: { status: 'paid' } }, { $count: 'n' }]).toArray();
      `,
    },
    {
      name: 'for await over a cursor streams in batches',
      code: dedent`
        ${mongodb}
        export async function each(write: (d: unknown) => void) {
          for await (const doc of orders.find({})) write(doc);
        }
      `,
    },
    {
      code: dedent`
        ${mongodb}
        export const each = (write: (d: unknown) => void) => orders.find({}).forEach((d) => write(d));
      `,
    },
    {
      code: dedent`
        ${mongoose}
        export async function each(write: (d: unknown) => void) {
          for await (const p of Product.find({}).cursor()) write(p);
        }
      `,
    },
    // knex and Sequelize
    {
      code: dedent`
        ${knex}
        export const page = (status: string) => db('orders').where('status', status).orderBy('id').limit(20);
      `,
    },
    {
      code: dedent`
        ${knex}
        export const one = (id: number) => db('orders').where({ id });
      `,
    },
    {
      code: dedent`
        ${knex}
        export const first = (status: string) => db('orders').where('status', status).first();
      `,
    },
    {
      code: dedent`
        ${knex}
        export const some = (ids: number[]) => db('orders').whereIn('id', ids);
      `,
    },
    {
      code: dedent`
        ${knex}
        export const howMany = (status: string) => db('orders').where('status', status).count('id');
      `,
    },
    {
      name: 'knex builder bounded through its variable',
      code: dedent`
        ${knex}
        export async function page() {
          const query = db('orders');
          query.limit(10);
          return await query;
        }
      `,
    },
    {
      code: dedent`
        ${sequelize}
        export const page = () => Order.findAll({ where: { status: 'paid' }, limit: 20 });
      `,
    },
    {
      code: dedent`
        ${sequelize}
        export const some = (ids: number[]) => Order.findAll({ where: { id: ids } });
      `,
    },
    // SQL
    {
      code: dedent`
        ${pg}
        export const page = (c: string, n: number) => pool.query('SELECT id FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2', [c, n]);
      `,
    },
    {
      code: dedent`
        ${pg}
        export const one = (id: string) => pool.query('SELECT id, status FROM orders WHERE id = $1', [id]);
      `,
    },
    {
      code: dedent`
        ${pg}
        export const scoped = (t: string, id: string) => pool.query('SELECT * FROM orders o WHERE o.tenant_id = $1 AND o.id = $2', [t, id]);
      `,
    },
    {
      code: dedent`
        ${pg}
        export const some = (ids: string[]) => pool.query('SELECT * FROM orders WHERE id = ANY($1)', [ids]);
      `,
    },
    {
      code: dedent`
        ${pg}
        export const count = (s: string) => pool.query('SELECT count(*)::int AS n FROM orders WHERE status = $1', [s]);
      `,
    },
    {
      code: dedent`
        ${pg}
        export const daily = () => pool.query('SELECT day, count(*) FROM orders GROUP BY day ORDER BY day LIMIT 366');
      `,
    },
    {
      code: dedent`
        ${pg}
        export const clock = () => pool.query('SELECT now()');
      `,
    },
    {
      code: dedent`
        ${pg}
        export const top = () => pool.query('WITH recent AS (SELECT * FROM orders ORDER BY id DESC LIMIT 50) SELECT * FROM recent');
      `,
    },
    {
      name: 'SQL with a clause filled at runtime',
      code: dedent`
        ${pg}
        export const page = (clause: string) => pool.query(\`SELECT * FROM orders \${clause}\`);
      `,
    },
    {
      code: dedent`
        ${pg}
        export const insert = (s: string) => pool.query('INSERT INTO orders (status) VALUES ($1)', [s]);
      `,
    },
    // Redis
    {
      code: dedent`
        ${ioredis}
        export const prefs = (id: string) => redis.hgetall(\`user:\${id}\`);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const members = (team: string) => redis.smembers(\`team:\${team}:members\`);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const latest = () => redis.lrange('feed:global', 0, 9);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const walk = () => redis.scan('0', 'MATCH', 'session:*', 'COUNT', 100);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const stream = () => redis.scanStream({ match: 'session:*' });
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const some = () => redis.sscan('online-users', '0');
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const some = () => redis.hscan('settings', '0');
      `,
    },
    {
      code: dedent`
        ${nodeRedis}
        export const prefs = (id: string) => client.hGetAll(\`user:\${id}\`);
      `,
    },
    // postgres.js tagged templates: LIMIT, unique or id-list filters, cursors and streams bound them; sql(...) helpers
    // are no reads
    {
      code: dedent`
        ${postgresJs}
        export const recent = () => sql\`select * from events order by id desc limit 10\`;
      `,
    },
    {
      code: dedent`
        ${postgresJs}
        export const one = (id: string) => sql\`select * from users where id = \${id}\`;
      `,
    },
    {
      code: dedent`
        ${postgresJs}
        export const some = (ids: string[]) => sql\`select * from users where id = any(\${ids})\`;
      `,
    },
    {
      code: dedent`
        ${postgresJs}
        export const some = (ids: string[]) => sql\`select * from users where id in \${sql(ids)}\`;
      `,
    },
    {
      code: dedent`
        ${postgresJs}
        export async function f() {
          for await (const rows of sql\`select * from events\`.cursor(100)) console.log(rows.length);
        }
      `,
    },
    {
      code: dedent`
        ${postgresJs}
        export async function f() {
          await sql\`select * from events\`.cursor(100, (rows) => { console.log(rows.length); });
        }
      `,
    },
    {
      code: dedent`
        ${postgresJs}
        export async function f() {
          await sql\`select * from events\`.forEach((row) => { console.log(row); });
        }
      `,
    },
    {
      name: 'postgres.js: a LIMIT inside a nested fragment',
      code: dedent`
        ${postgresJs}
        export const recent = () => sql\`select * from events order by id desc \${sql\`limit 10\`}\`;
      `,
    },
    {
      name: 'postgres.js: a clause filled in at runtime',
      code: dedent`
        ${postgresJs}
        export const list = (where: ReturnType<typeof sql>) => sql\`select * from events \${where}\`;
      `,
    },
    {
      code: dedent`
        ${postgresJs}
        export const columns = (row: object) => sql(row, 'name', 'email');
      `,
    },
    {
      code: dedent`
        ${postgresJs}
        export const ids = (list: string[]) => sql(list);
      `,
    },
    {
      code: dedent`
        ${postgresJs}
        export async function f(rows: { name: string }[]) {
          await sql\`insert into users \${sql(rows, 'name')}\`;
        }
      `,
    },
  ]),
  invalid: named([
    {
      code: dedent`
        ${prisma}
        export async function all() {
          return prisma.order.findMany();
                 ~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'noBound',

          messageIncludes: ['`prisma.order.findMany` reads every matching row with no `take`', 'Add `take`'],
          fixes: [
            {
              output: dedent`
                ${prisma}
                export async function all() {
                  return prisma.order.findMany({ take: 100 });
                }
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${prisma}
        export async function paid() {
          return prisma.order.findMany({ where: { status: 'paid' } });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'noBound',

          fixes: [
            {
              output: dedent`
                ${prisma}
                export async function paid() {
                  return prisma.order.findMany({ where: { status: 'paid' }, take: 100 });
                }
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: 'in over a literal list of statuses is not a bound',
      code: dedent`
        ${prisma}
        export const open = () => prisma.order.findMany({ where: { status: { in: ['new', 'paid'] } } });
                                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title: 'Add `take: 100` (first page only; add cursor or offset pagination)',
              output: dedent`
                ${prisma}
                export const open = () => prisma.order.findMany({ where: { status: { in: ['new', 'paid'] } }, take: 100 });
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: 'id: undefined filters nothing',
      code: dedent`
        ${prisma}
        export const all = () => prisma.order.findMany({ where: { id: undefined } });
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'noBound',
          fixes: [
            {
              title: 'Add `take: 100` (first page only; add cursor or offset pagination)',
              output: dedent`
                ${prisma}
                export const all = () => prisma.order.findMany({ where: { id: undefined }, take: 100 });
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    // huge limits
    {
      code: dedent`
        ${prisma}
        export const all = () => prisma.order.findMany({ take: Number.MAX_SAFE_INTEGER });
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'hugeLimit',

          messageIncludes: ['`take: Number.MAX_SAFE_INTEGER`', 'at most 10000'],
        },
      ],
    },
    {
      code: dedent`
        ${prisma}
        export const all = () => prisma.order.findMany({ take: undefined });
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'hugeLimit', messageIncludes: ['`take: undefined`'] }],
    },
    {
      code: dedent`
        ${prisma}
        const EVERYTHING = 1_000_000;
        export const all = () => prisma.order.findMany({ take: EVERYTHING });
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'hugeLimit', messageIncludes: ['`take: EVERYTHING`'] }],
    },
    {
      code: dedent`
        ${mongoose}
        export const all = (vendor: string) => Product.find({ vendor }, null, { limit: 999999 }).lean();
                                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'hugeLimit', messageIncludes: ['`Product.find`', '`limit: 999999`'] }],
    },
    {
      code: dedent`
        ${mongodb}
        export const all = () => orders.find({}).limit(0).toArray();
                                 ~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'hugeLimit', messageIncludes: ['`.limit(0)`'] }],
    },
    // possibly undefined, with a caller that leaves it out
    {
      code: dedent`
        ${prisma}
        export async function list(limit?: number) {
          return prisma.order.findMany({ take: limit });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
        export const everything = () => list();
      `,
      errors: [
        {
          messageId: 'maybeUnbounded',

          messageIncludes: ['from `limit`, which is undefined when called as `list()`', '`limit ?? 100`'],
        },
      ],
    },
    {
      code: dedent`
        ${prisma}
        export async function list({ limit }: { limit?: number }) {
          return prisma.order.findMany({ take: limit });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
        export const everything = () => list({});
      `,
      errors: [{ messageId: 'maybeUnbounded' }],
    },
    {
      code: dedent`
        ${prisma}
        export async function list(opts?: { limit: number }) {
          return prisma.order.findMany({ take: opts?.limit });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
        export const everything = () => list();
      `,
      errors: [{ messageId: 'maybeUnbounded', messageIncludes: ['`opts?.limit`'] }],
    },
    {
      name: 'limit only when options are passed, and a caller passes none',
      code: dedent`
        ${prisma}
        export async function expenses(groupId: string, options?: { length?: number }) {
          return prisma.expense.findMany({ where: { groupId }, take: options && options.length });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
        export const page = (g: string) => expenses(g, { length: 20 });
        export const stats = (g: string) => expenses(g);
      `,
      errors: [
        {
          messageId: 'maybeUnbounded',

          messageIncludes: ['`options && options.length`', 'called as `expenses(g)`'],
        },
      ],
    },
    // read everything, then slice
    {
      code: dedent`
        ${prisma}
        export async function top() {
          return (await prisma.invoice.findMany({ orderBy: { total: "desc" } })).slice(0, 10);
                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'slicedInMemory',

          messageIncludes: ['keeps the first 10 in JavaScript'],
          fixes: [
            {
              output: dedent`
                ${prisma}
                export async function top() {
                  return (await prisma.invoice.findMany({ orderBy: { total: "desc" }, take: 10 })).slice(0, 10);
                }
              `,
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${prisma}
        export async function top() {
          const paid = await prisma.invoice.findMany({ where: { status: 'paid' } });
                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return paid.filter((i) => i.total > 0).slice(0, 5);
        }
      `,
      errors: [{ messageId: 'slicedInMemory', messageIncludes: ['keeps the first 5'], fixes: [] }],
    },
    {
      name: 'rows of one parent, sorted and sliced in JavaScript',
      code: dedent`
        ${prisma}
        export async function top(guildId: string) {
          const members = await prisma.member.findMany({ where: { guildId } });
                                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return members.sort((a, b) => b.xp - a.xp).slice(0, 10);
        }
      `,
      errors: [{ messageId: 'slicedInMemory', messageIncludes: ['keeps the first 10'], fixes: [] }],
    },
    {
      code: dedent`
        ${pg}
        export async function top() {
          const { rows } = await pool.query('SELECT * FROM orders ORDER BY total DESC');
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return rows.slice(0, 3);
        }
      `,
      errors: [
        {
          messageId: 'slicedInMemory',
          fixes: [
            {
              title: 'Add `LIMIT 100` (first page only; add keyset or offset pagination)',
              output: dedent`
                ${pg}
                export async function top() {
                  const { rows } = await pool.query('SELECT * FROM orders ORDER BY total DESC LIMIT 100');
                  return rows.slice(0, 3);
                }
              `,
            },
          ],
          messageIncludes: ['`pool.query`'],
        },
      ],
    },
    // TypeORM
    {
      code: dedent`
        ${typeorm}
        export const staff = () => users.find({ where: { active: true }, order: { name: 'ASC' } });
                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'noBound',

          messageIncludes: ['`users.find`', '`take`'],
          fixes: [
            {
              output: dedent`
                ${typeorm}
                export const staff = () => users.find({ where: { active: true }, order: { name: 'ASC' }, take: 100 });
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: 'findBy cannot take a bound',
      code: dedent`
        ${typeorm}
        export const byStatus = (status: string) => users.findBy({ status });
                                                    ~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'noBound',
          messageIncludes: ['Use a method that takes a limit'],
          fixes: [
            {
              title: 'Why no pagination rewrite: this read has no offset the fix knows (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${typeorm}
        export const active = () => users.createQueryBuilder('u').where('u.active = true').getMany();
                                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'noBound',

          fixes: [
            {
              output: dedent`
                ${typeorm}
                export const active = () => users.createQueryBuilder('u').where('u.active = true').take(100).getMany();
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    // Mongoose, MongoDB driver, knex, Sequelize
    {
      code: dedent`
        ${mongoose}
        export const drafts = (status: string) => Product.find({ status }).populate('vendor').lean();
                                                  ~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'noBound',

          messageIncludes: ['`Product.find`', '`limit`'],
          fixes: [
            {
              output: dedent`
                ${mongoose}
                export const drafts = (status: string) => Product.find({ status }).limit(100).populate('vendor').lean();
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${mongodb}
        export const paid = () => orders.find({ status: 'paid' }).toArray();
                                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'noBound',

          fixes: [
            {
              output: dedent`
                ${mongodb}
                export const paid = () => orders.find({ status: 'paid' }, { limit: 100 }).toArray();
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${knex}
        export const byStatus = (status: string) => db('orders').where('status', status);
                                                    ~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'noBound',

          messageIncludes: ['`.limit()`'],
          fixes: [
            {
              output: dedent`
                ${knex}
                export const byStatus = (status: string) => db('orders').limit(100).where('status', status);
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${sequelize}
        export const paid = () => Order.findAll({ where: { status: 'paid' } });
                                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'noBound',

          fixes: [
            {
              output: dedent`
                ${sequelize}
                export const paid = () => Order.findAll({ where: { status: 'paid' }, limit: 100 });
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    // SQL
    {
      code: dedent`
        ${pg}
        export const pending = (s: string) => pool.query('SELECT * FROM orders WHERE status = $1 ORDER BY created_at DESC', [s]);
                                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',

          messageIncludes: ['`pool.query` runs `SELECT * FROM orders WHERE status = $1', 'no LIMIT'],
          fixes: [
            {
              output: dedent`
                ${pg}
                export const pending = (s: string) => pool.query('SELECT * FROM orders WHERE status = $1 ORDER BY created_at DESC LIMIT 100', [s]);
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${pg}
        export const all = () => pool.query('SELECT * FROM orders LIMIT ALL;');
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'hugeLimit', messageIncludes: ['`LIMIT ALL`'] }],
    },
    {
      code: dedent`
        ${pg}
        export const all = () => pool.query('SELECT * FROM orders LIMIT 999999');
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'hugeLimit', messageIncludes: ['`LIMIT 999999`'] }],
    },
    {
      name: 'an IN over literal statuses is not the request ids',
      code: dedent`
        ${pg}
        export const open = () => pool.query(\`SELECT * FROM orders WHERE status IN ('new', 'paid');\`);
                                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',

          fixes: [
            {
              output: dedent`
                ${pg}
                export const open = () => pool.query(\`SELECT * FROM orders WHERE status IN ('new', 'paid') LIMIT 100;\`);
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    // Redis
    {
      code: dedent`
        ${ioredis}
        export async function sessions() {
          return redis.keys('session:*');
                 ~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'wholeKeyspace',

          messageIncludes: [
            "`redis.keys('session:*')` walks the whole keyspace (in server action `sessions`)",
            'and blocks Redis while it does: iterate with SCAN instead.',
          ],
          fixes: [
            {
              output: dedent`
                ${ioredis}
                export async function sessions() {
                  return (async (): Promise<string[]> => {
                    const found = new Set<string>();
                    for await (const batch of redis.scanStream({ match: 'session:*', count: 1000 })) for (const key of batch as string[]) found.add(key);
                    return [...found];
                  })();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'node-redis KEYS: walked with scanIterator',
      code: dedent`
        ${nodeRedis}
        export const sessions = () => client.keys('session:*');
                                      ~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'wholeKeyspace',
          fixes: [
            {
              title: 'Walk it with SCAN (`scanIterator`) instead of one blocking command',
              output: dedent`
                ${nodeRedis}
                export const sessions = () => (async (): Promise<string[]> => {
                  const found = new Set<string>();
                  for await (const chunk of client.scanIterator({ MATCH: 'session:*', COUNT: 1000 })) for (const key of ([] as string[]).concat(chunk)) found.add(key);
                  return [...found];
                })();
              `,
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${ioredis}
        export const online = () => redis.smembers('online-users');
                                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'sharedKey',
          messageIncludes: ['`online-users`', 'SSCAN'],
          fixes: [
            {
              title: 'Walk it with SSCAN (`sscanStream`) instead of one blocking command',
              output: dedent`
                ${ioredis}
                export const online = () => (async (): Promise<string[]> => {
                  const found = new Set<string>();
                  for await (const batch of redis.sscanStream('online-users', { count: 1000 })) for (const member of batch as string[]) found.add(member);
                  return [...found];
                })();
              `,
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${ioredis}
        const SETTINGS = 'settings:all';
        export const settings = () => redis.hgetall(SETTINGS);
                                      ~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'sharedKey',
          messageIncludes: ['`settings:all`', 'HSCAN'],
          fixes: [
            {
              title: 'Walk it with HSCAN (`hscanStream`) instead of one blocking command',
              output: dedent`
                ${ioredis}
                const SETTINGS = 'settings:all';
                export const settings = () => (async (): Promise<Record<string, string>> => {
                  const hash: Record<string, string> = {};
                  // defineProperty keeps a field named \`__proto__\` as a field, as HGETALL does.
                  for await (const batch of redis.hscanStream(SETTINGS, { count: 1000 })) {
                    const pairs = batch as string[];
                    for (let i = 0; i < pairs.length; i += 2) Object.defineProperty(hash, pairs[i]!, { value: pairs[i + 1], enumerable: true, writable: true, configurable: true });
                  }
                  return hash;
                })();
              `,
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${ioredis}
        export const feed = (id: string) => redis.lrange(\`feed:\${id}\`, 0, -1);
                                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'wholeRange', messageIncludes: ['whole list'] }],
    },
    {
      code: dedent`
        ${ioredis}
        export const board = () => redis.zrange('leaderboard', 0, -1);
                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'wholeRange',
          messageIncludes: ['whole sorted set'],
          fixes: [
            {
              title: 'Walk it with ZSCAN (`zscanStream`) instead of one blocking command',
              output: dedent`
                ${ioredis}
                export const board = () => (async (): Promise<string[]> => {
                  const scores = new Map<string, number>();
                  // ZSCAN sends scores as text; Redis writes infinite ones as 'inf' and '-inf'.
                  const score = (text: string) => (text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text));
                  for await (const batch of redis.zscanStream('leaderboard', { count: 1000 })) {
                    const pairs = batch as string[];
                    for (let i = 0; i < pairs.length; i += 2) scores.set(pairs[i]!, score(pairs[i + 1]!));
                  }
                  // ZSCAN walks in no order: sort as ZRANGE does, by score, then by the members' bytes.
                  return [...scores]
                    .sort(([a, x], [b, y]) => x - y || Buffer.compare(Buffer.from(a), Buffer.from(b)))
                    .map(([member]) => member);
                })();
              `,
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${nodeRedis}
        export const feed = (id: string) => client.lRange(\`feed:\${id}\`, 0, -1);
                                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'wholeRange' }],
    },
    // postgres.js tagged templates
    {
      code: dedent`
        ${postgresJs}
        export async function all() {
          return await sql\`select * from events\`;
                       ~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',

          messageIncludes: ['runs `select * from events`', 'no LIMIT'],
          fixes: [
            {
              output: dedent`
                ${postgresJs}
                export async function all() {
                  return await sql\`select * from events LIMIT 100\`;
                }
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: 'postgres.js: the WHERE of a nested fragment is read as part of the query',
      code: dedent`
        ${postgresJs}
        export const byKind = (kind: string) => sql\`select * from events \${sql\`where kind = \${kind}\`}\`;
                                                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',

          messageIncludes: ['runs `select * from events where kind = ?`'],
          fixes: [
            {
              output: dedent`
                ${postgresJs}
                export const byKind = (kind: string) => sql\`select * from events \${sql\`where kind = \${kind}\`} LIMIT 100\`;
              `,
            },
            {
              title:
                'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${postgresJs}
        export async function top() {
          const rows = await sql\`select * from events order by score desc\`;
                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return rows.slice(0, 10);
        }
      `,
      errors: [
        {
          messageId: 'slicedInMemory',
          fixes: [
            {
              title: 'Add `LIMIT 100` (first page only; add keyset or offset pagination)',
              output: dedent`
                ${postgresJs}
                export async function top() {
                  const rows = await sql\`select * from events order by score desc LIMIT 100\`;
                  return rows.slice(0, 10);
                }
              `,
            },
          ],
          messageIncludes: ['the first 10'],
        },
      ],
    },
    {
      code: dedent`
        ${postgresJs}
        export const all = () => sql\`select * from events limit 1000000\`;
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'hugeLimit' }],
    },
    {
      code: dedent`
        ${postgresJs}
        export const all = () => sql.unsafe('select * from events');
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',

          fixes: [
            {
              output: dedent`
                ${postgresJs}
                export const all = () => sql.unsafe('select * from events LIMIT 100');
              `,
            },
            {
              title: 'Why no pagination rewrite: this read has no offset the fix knows (docs)',
              explanation: '#paginating-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: 'postgres.js: a Sql handle kept in a class field',
      code: dedent`
        import postgres from 'postgres';
        import express from 'express';
        export class Events {
          constructor(private readonly sql: postgres.Sql) {}
          all() {
            return this.sql\`select * from events\`;
                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
        const events = new Events(postgres());
        express().get('/events', async (_req, res) => res.json(await events.all()));
      `,
      errors: [
        {
          messageId: 'sqlNoLimit',
          fixes: [
            {
              title: 'Add `LIMIT 100` (first page only; add keyset or offset pagination)',
              output: dedent`
                import postgres from 'postgres';
                import express from 'express';
                export class Events {
                  constructor(private readonly sql: postgres.Sql) {}
                  all() {
                    return this.sql\`select * from events LIMIT 100\`;
                  }
                }
                const events = new Events(postgres());
                express().get('/events', async (_req, res) => res.json(await events.all()));
              `,
            },
            {
              title: 'Paginate: `LIMIT 100 OFFSET` from a `page = 0` parameter (offset pagination)',
              output: dedent`
                import postgres from 'postgres';
                import express from 'express';
                export class Events {
                  constructor(private readonly sql: postgres.Sql) {}
                  all(page = 0) {
                    return this.sql\`select * from events LIMIT 100 OFFSET \${page * 100}\`;
                  }
                }
                const events = new Events(postgres());
                express().get('/events', async (_req, res) => res.json(await events.all()));
              `,
            },
          ],
        },
      ],
    },
  ]),
});
