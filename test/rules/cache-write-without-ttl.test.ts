// Table tests for cache-write-without-ttl: Redis cache entries written with no expiry, and the ways an expiry is given.
import { dedent, runRuleTests, type TestCase } from './ruleTester';

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
runRuleTests('cache-write-without-ttl', {
  valid: named([
    // an expiry in the command itself
    {
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.set(key, JSON.stringify(rows[0]), 'EX', 300);
          return rows[0];
        }
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.set(key, JSON.stringify(rows[0]), 'PX', 300000);
          return rows[0];
        }
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.set(key, JSON.stringify(rows[0]), 'ex', 300);
          return rows[0];
        }
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.setex(key, 300, JSON.stringify(rows[0]));
          return rows[0];
        }
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.psetex(key, 300000, JSON.stringify(rows[0]));
          return rows[0];
        }
      `,
    },
    {
      code: dedent`
        ${nodeRedis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await client.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await client.set(key, JSON.stringify(rows[0]), { EX: 300 });
          return rows[0];
        }
      `,
    },
    {
      code: dedent`
        ${nodeRedis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await client.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await client.set(key, JSON.stringify(rows[0]), { expiration: { type: 'EX', value: 300 } });
          return rows[0];
        }
      `,
    },
    {
      code: dedent`
        ${nodeRedis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await client.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await client.setEx(key, 300, JSON.stringify(rows[0]));
          return rows[0];
        }
      `,
    },
    // an EXPIRE after it, sent or queued in the same pipeline/multi
    {
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.set(key, JSON.stringify(rows[0]));
          await redis.expire(key, 300);
          return rows[0];
        }
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.pipeline().set(key, JSON.stringify(rows[0])).expire(key, 300).exec();
          return rows[0];
        }
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.multi().set(key, JSON.stringify(rows[0])).pexpire(key, 300000).exec();
          return rows[0];
        }
      `,
    },
    {
      code: dedent`
        ${nodeRedis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await client.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await client.multi().set(key, JSON.stringify(rows[0])).expire(key, 300).exec();
          return rows[0];
        }
      `,
    },
    // a lock with NX + PX, and options the code computes
    {
      name: 'lock with NX and PX',
      code: dedent`
        ${ioredis}
        export async function lock(order: string, token: string) {
          const ok = await redis.set(\`lock:cache:\${order}\`, token, 'PX', 30000, 'NX');
          return ok === 'OK';
        }
      `,
    },
    {
      name: 'expiry arguments computed at runtime',
      code: dedent`
        ${ioredis}
        export async function put(key: string, ttlArgs: ['EX', number]) {
          const { rows } = await pool.query('SELECT 1');
          await redis.set(key, JSON.stringify(rows), ...ttlArgs);
        }
      `,
    },
    {
      name: 'node-redis options spread from a parameter',
      code: dedent`
        ${nodeRedis}
        export async function put(key: string, opts: object) {
          const { rows } = await pool.query('SELECT 1');
          await client.set(key, JSON.stringify(rows), { ...opts });
        }
      `,
    },
    // Redis as the store, not a cache
    {
      name: 'a primary value from the request, never read back here',
      code: dedent`
        ${ioredis}
        export async function rename(id: string, name: string) {
          await redis.set(\`user:\${id}:name\`, name);
        }
      `,
    },
    {
      name: 'a counter',
      code: dedent`
        ${ioredis}
        export async function hit(page: string) {
          return redis.incr(\`views:\${page}\`);
        }
      `,
    },
    {
      name: 'an in-process Map is not Redis',
      code: dedent`
        const cache = new Map<string, string>();
        export function remember(key: string, value: string) {
          cache.set(key, value);
        }
      `,
    },
  ]),
  invalid: named([
    {
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.set(key, JSON.stringify(rows[0]));
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return rows[0];
        }
      `,
      errors: [
        {
          messageId: 'noTtl',

          messageIncludes: ['`redis.set(key, JSON.stringify(rows[0]))` caches `key` with no expiry', "`'EX', seconds`"],
          fixes: [
            {
              output: dedent`
                ${ioredis}
                export async function product(id: string) {
                  const key = \`product:\${id}\`;
                  const hit = await redis.get(key);
                  if (hit) return JSON.parse(hit);
                  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
                  await redis.set(key, JSON.stringify(rows[0]), 'EX', 3600);
                  return rows[0];
                }
              `,
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${nodeRedis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await client.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await client.set(key, JSON.stringify(rows[0]));
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return rows[0];
        }
      `,
      errors: [
        {
          messageId: 'noTtl',

          messageIncludes: ['`{ EX: seconds }`'],
          fixes: [
            {
              output: dedent`
                ${nodeRedis}
                export async function product(id: string) {
                  const key = \`product:\${id}\`;
                  const hit = await client.get(key);
                  if (hit) return JSON.parse(hit);
                  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
                  await client.set(key, JSON.stringify(rows[0]), { EX: 3600 });
                  return rows[0];
                }
              `,
            },
          ],
        },
      ],
    },
    {
      code: dedent`
        ${nodeRedis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await client.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await client.set(key, JSON.stringify(rows[0]), { NX: true });
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return rows[0];
        }
      `,
      errors: [
        {
          messageId: 'noTtl',

          fixes: [
            {
              output: dedent`
                ${nodeRedis}
                export async function product(id: string) {
                  const key = \`product:\${id}\`;
                  const hit = await client.get(key);
                  if (hit) return JSON.parse(hit);
                  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
                  await client.set(key, JSON.stringify(rows[0]), { NX: true, EX: 3600 });
                  return rows[0];
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'NX alone is no expiry (no rewrite: token order matters to the typings)',
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.set(key, JSON.stringify(rows[0]), 'NX');
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return rows[0];
        }
      `,
      errors: [{ messageId: 'noTtl', fixes: [] }],
    },
    {
      name: 'queued in a pipeline with no EXPIRE',
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.pipeline().set(key, JSON.stringify(rows[0])).exec();
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return rows[0];
        }
      `,
      errors: [
        {
          messageId: 'noTtl',

          fixes: [
            {
              output: dedent`
                ${ioredis}
                export async function product(id: string) {
                  const key = \`product:\${id}\`;
                  const hit = await redis.get(key);
                  if (hit) return JSON.parse(hit);
                  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
                  await redis.pipeline().set(key, JSON.stringify(rows[0]), 'EX', 3600).exec();
                  return rows[0];
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'EXPIRE on another key',
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.set(key, JSON.stringify(rows[0]));
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          await redis.expire(\`other:\${id}\`, 300);
          return rows[0];
        }
      `,
      errors: [
        {
          messageId: 'noTtl',
          fixes: [
            {
              title: 'Expire the entry after 3600 s',
              output: dedent`
                ${ioredis}
                export async function product(id: string) {
                  const key = \`product:\${id}\`;
                  const hit = await redis.get(key);
                  if (hit) return JSON.parse(hit);
                  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
                  await redis.set(key, JSON.stringify(rows[0]), 'EX', 3600);
                  await redis.expire(\`other:\${id}\`, 300);
                  return rows[0];
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'EXPIRE before the SET (SET clears it)',
      code: dedent`
        ${ioredis}
        export async function stats() {
          const { rows } = await pool.query('SELECT count(*) FROM orders');
          await redis.expire('stats:orders', 60);
          await redis.set('stats:orders', JSON.stringify(rows[0]));
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'noTtl',
          fixes: [
            {
              title: 'Expire the entry after 3600 s',
              output: dedent`
                ${ioredis}
                export async function stats() {
                  const { rows } = await pool.query('SELECT count(*) FROM orders');
                  await redis.expire('stats:orders', 60);
                  await redis.set('stats:orders', JSON.stringify(rows[0]), 'EX', 3600);
                }
              `,
            },
          ],
          messageIncludes: ["caches `'stats:orders'`"],
        },
      ],
    },
    {
      name: 'value computed from a query, no read of the key here',
      code: dedent`
        ${ioredis}
        export async function refreshStats() {
          const { rows: today } = await pool.query('SELECT count(*)::int AS orders FROM orders');
          await redis.set('stats:daily-sales', JSON.stringify(today[0]));
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'noTtl',
          fixes: [
            {
              title: 'Expire the entry after 3600 s',
              output: dedent`
                ${ioredis}
                export async function refreshStats() {
                  const { rows: today } = await pool.query('SELECT count(*)::int AS orders FROM orders');
                  await redis.set('stats:daily-sales', JSON.stringify(today[0]), 'EX', 3600);
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'value from a helper that queries',
      code: dedent`
        ${ioredis}
        async function loadTotals() {
          const { rows } = await pool.query('SELECT sum(total) FROM orders');
          return rows[0];
        }
        export async function refresh() {
          const totals = await loadTotals();
          await redis.set('totals', JSON.stringify(totals));
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'noTtl',
          fixes: [
            {
              title: 'Expire the entry after 3600 s',
              output: dedent`
                ${ioredis}
                async function loadTotals() {
                  const { rows } = await pool.query('SELECT sum(total) FROM orders');
                  return rows[0];
                }
                export async function refresh() {
                  const totals = await loadTotals();
                  await redis.set('totals', JSON.stringify(totals), 'EX', 3600);
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a key that says it is a cache',
      code: dedent`
        ${ioredis}
        export async function remember(id: string, html: string) {
          await redis.set(\`cache:page:\${id}\`, html);
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'noTtl',
          fixes: [
            {
              title: 'Expire the entry after 3600 s',
              output: dedent`
                ${ioredis}
                export async function remember(id: string, html: string) {
                  await redis.set(\`cache:page:\${id}\`, html, 'EX', 3600);
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'SETNX cannot expire',
      code: dedent`
        ${ioredis}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return JSON.parse(hit);
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.setnx(key, JSON.stringify(rows[0]));
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return rows[0];
        }
      `,
      errors: [
        {
          messageId: 'commandCannotExpire',

          messageIncludes: ['cannot set an expiry', 'nothing EXPIREs `key`'],
        },
      ],
    },
  ]),
});
