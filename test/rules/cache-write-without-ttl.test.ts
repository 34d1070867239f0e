// Table tests for cache-write-without-ttl: Redis cache entries written with no expiry, and the ways an expiry is given.
import { runRuleTests, type TestCase } from './ruleTester';

/** Names each case after its most telling line (the client setup above it says nothing). */
function named<T extends TestCase>(cases: T[]): T[] {
  return cases.map((c) => ({
    name:
      c.name ??
      c.code
        .trim()
        .split('\n')
        .filter((l) => /\bset|setex|setnx|expire/i.test(l))
        .pop()
        ?.trim()
        .slice(0, 100),
    ...c,
  }));
}

const ioredis =
  "import Redis from 'ioredis';\nimport { Pool } from 'pg';\nconst redis = new Redis();\nconst pool = new Pool();\n";
const nodeRedis =
  "import { createClient } from 'redis';\nimport { Pool } from 'pg';\nconst client = createClient();\nconst pool = new Pool();\n";
/** A cache-aside read of `key` that falls through to a query: the SET below it is a cache entry. */
const aside = (client: string, set: string, after = '') =>
  `export async function product(id: string) {\n  const key = \`product:\${id}\`;\n  const hit = await ${client}.get(key);\n  if (hit) return JSON.parse(hit);\n  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);\n  ${set};\n${after}  return rows[0];\n}`;

runRuleTests('cache-write-without-ttl', {
  valid: named([
    // an expiry in the command itself
    { code: ioredis + aside('redis', "await redis.set(key, JSON.stringify(rows[0]), 'EX', 300)") },
    { code: ioredis + aside('redis', "await redis.set(key, JSON.stringify(rows[0]), 'PX', 300000)") },
    { code: ioredis + aside('redis', "await redis.set(key, JSON.stringify(rows[0]), 'ex', 300)") },
    { code: ioredis + aside('redis', 'await redis.setex(key, 300, JSON.stringify(rows[0]))') },
    { code: ioredis + aside('redis', 'await redis.psetex(key, 300000, JSON.stringify(rows[0]))') },
    { code: nodeRedis + aside('client', 'await client.set(key, JSON.stringify(rows[0]), { EX: 300 })') },
    {
      code:
        nodeRedis +
        aside('client', "await client.set(key, JSON.stringify(rows[0]), { expiration: { type: 'EX', value: 300 } })"),
    },
    { code: nodeRedis + aside('client', 'await client.setEx(key, 300, JSON.stringify(rows[0]))') },
    // an EXPIRE after it, sent or queued in the same pipeline/multi
    {
      code:
        ioredis + aside('redis', 'await redis.set(key, JSON.stringify(rows[0]))', '  await redis.expire(key, 300);\n'),
    },
    {
      code:
        ioredis + aside('redis', 'await redis.pipeline().set(key, JSON.stringify(rows[0])).expire(key, 300).exec()'),
    },
    {
      code:
        ioredis + aside('redis', 'await redis.multi().set(key, JSON.stringify(rows[0])).pexpire(key, 300000).exec()'),
    },
    {
      code:
        nodeRedis + aside('client', 'await client.multi().set(key, JSON.stringify(rows[0])).expire(key, 300).exec()'),
    },
    // a lock with NX + PX, and options the code computes
    {
      name: 'lock with NX and PX',
      code:
        ioredis +
        "export async function lock(order: string, token: string) {\n  const ok = await redis.set(`lock:cache:${order}`, token, 'PX', 30000, 'NX');\n  return ok === 'OK';\n}",
    },
    {
      name: 'expiry arguments computed at runtime',
      code:
        ioredis +
        "export async function put(key: string, ttlArgs: ['EX', number]) {\n  const { rows } = await pool.query('SELECT 1');\n  await redis.set(key, JSON.stringify(rows), ...ttlArgs);\n}",
    },
    {
      name: 'node-redis options spread from a parameter',
      code:
        nodeRedis +
        "export async function put(key: string, opts: object) {\n  const { rows } = await pool.query('SELECT 1');\n  await client.set(key, JSON.stringify(rows), { ...opts });\n}",
    },
    // Redis as the store, not a cache
    {
      name: 'a primary value from the request, never read back here',
      code:
        ioredis +
        'export async function rename(id: string, name: string) {\n  await redis.set(`user:${id}:name`, name);\n}',
    },
    {
      name: 'a counter',
      code: ioredis + 'export async function hit(page: string) {\n  return redis.incr(`views:${page}`);\n}',
    },
    {
      name: 'an in-process Map is not Redis',
      code: 'const cache = new Map<string, string>();\nexport function remember(key: string, value: string) {\n  cache.set(key, value);\n}',
    },
  ]),
  invalid: named([
    {
      code: ioredis + aside('redis', 'await redis.set(key, JSON.stringify(rows[0]))'),
      errors: [
        {
          messageId: 'noTtl',
          line: 10,
          column: 9,
          messageIncludes: ['`redis.set(key, JSON.stringify(rows[0]))` caches `key` with no expiry', "`'EX', seconds`"],
          fixes: [{ output: ioredis + aside('redis', "await redis.set(key, JSON.stringify(rows[0]), 'EX', 3600)") }],
        },
      ],
    },
    {
      code: nodeRedis + aside('client', 'await client.set(key, JSON.stringify(rows[0]))'),
      errors: [
        {
          messageId: 'noTtl',
          line: 10,
          column: 9,
          messageIncludes: ['`{ EX: seconds }`'],
          fixes: [
            { output: nodeRedis + aside('client', 'await client.set(key, JSON.stringify(rows[0]), { EX: 3600 })') },
          ],
        },
      ],
    },
    {
      code: nodeRedis + aside('client', 'await client.set(key, JSON.stringify(rows[0]), { NX: true })'),
      errors: [
        {
          messageId: 'noTtl',
          line: 10,
          column: 9,
          fixes: [
            {
              output:
                nodeRedis + aside('client', 'await client.set(key, JSON.stringify(rows[0]), { NX: true, EX: 3600 })'),
            },
          ],
        },
      ],
    },
    {
      name: 'NX alone is no expiry (no rewrite: token order matters to the typings)',
      code: ioredis + aside('redis', "await redis.set(key, JSON.stringify(rows[0]), 'NX')"),
      errors: [{ messageId: 'noTtl', line: 10, column: 9, fixes: [] }],
    },
    {
      name: 'queued in a pipeline with no EXPIRE',
      code: ioredis + aside('redis', 'await redis.pipeline().set(key, JSON.stringify(rows[0])).exec()'),
      errors: [
        {
          messageId: 'noTtl',
          line: 10,
          column: 9,
          fixes: [
            {
              output:
                ioredis + aside('redis', "await redis.pipeline().set(key, JSON.stringify(rows[0]), 'EX', 3600).exec()"),
            },
          ],
        },
      ],
    },
    {
      name: 'EXPIRE on another key',
      code:
        ioredis +
        aside('redis', 'await redis.set(key, JSON.stringify(rows[0]))', '  await redis.expire(`other:${id}`, 300);\n'),
      errors: [{ messageId: 'noTtl', line: 10, column: 9 }],
    },
    {
      name: 'EXPIRE before the SET (SET clears it)',
      code:
        ioredis +
        "export async function stats() {\n  const { rows } = await pool.query('SELECT count(*) FROM orders');\n  await redis.expire('stats:orders', 60);\n  await redis.set('stats:orders', JSON.stringify(rows[0]));\n}",
      errors: [{ messageId: 'noTtl', line: 8, column: 9, messageIncludes: ["caches `'stats:orders'`"] }],
    },
    {
      name: 'value computed from a query, no read of the key here',
      code:
        ioredis +
        "export async function refreshStats() {\n  const { rows: today } = await pool.query('SELECT count(*)::int AS orders FROM orders');\n  await redis.set('stats:daily-sales', JSON.stringify(today[0]));\n}",
      errors: [{ messageId: 'noTtl', line: 7, column: 9 }],
    },
    {
      name: 'value from a helper that queries',
      code:
        ioredis +
        "async function loadTotals() {\n  const { rows } = await pool.query('SELECT sum(total) FROM orders');\n  return rows[0];\n}\nexport async function refresh() {\n  const totals = await loadTotals();\n  await redis.set('totals', JSON.stringify(totals));\n}",
      errors: [{ messageId: 'noTtl', line: 11, column: 9 }],
    },
    {
      name: 'a key that says it is a cache',
      code:
        ioredis +
        'export async function remember(id: string, html: string) {\n  await redis.set(`cache:page:${id}`, html);\n}',
      errors: [{ messageId: 'noTtl', line: 6, column: 9 }],
    },
    {
      name: 'SETNX cannot expire',
      code: ioredis + aside('redis', 'await redis.setnx(key, JSON.stringify(rows[0]))'),
      errors: [
        {
          messageId: 'commandCannotExpire',
          line: 10,
          column: 9,
          messageIncludes: ['cannot set an expiry', 'nothing EXPIREs `key`'],
        },
      ],
    },
  ]),
});
