// @upstash/redis: each command is an HTTP round trip (n-plus-one), pipelines batch them, and SET takes `{ ex }` for its TTL.
import { calledFromRoute } from './origins';
import { dedent, runRuleTests } from './ruleTester';

const upstash =
  "import { Redis } from '@upstash/redis';\nimport { Pool } from 'pg';\nconst redis = Redis.fromEnv();\nconst pool = new Pool();\n";

runRuleTests('n-plus-one', {
  valid: [
    {
      name: 'a pipeline sends the reads in one request',
      code: dedent`
        ${upstash}
        export async function f(ids: string[]) {
          const pipeline = redis.pipeline();
          for (const id of ids) pipeline.get(\`user:\${id}\`);
          return pipeline.exec();
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'one GET request per element',
      files: calledFromRoute('f', 'f(req.body.ids)'),
      code: dedent`
        ${upstash}
        export async function f(ids: string[]) {
          for (const id of ids) {
            await redis.get(\`user:\${id}\`);
                  ~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['MGET'] }],
    },
  ],
});

runRuleTests('cache-write-without-ttl', {
  valid: [
    {
      name: 'the expiry in the options object, lowercase as @upstash/redis spells it',
      code: dedent`
        ${upstash}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return hit;
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.set(key, JSON.stringify(rows[0]), { ex: 300 });
          return rows[0];
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'no expiry: the fix adds `{ ex: 3600 }`, not node-redis `EX`',
      code: dedent`
        ${upstash}
        export async function product(id: string) {
          const key = \`product:\${id}\`;
          const hit = await redis.get(key);
          if (hit) return hit;
          const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
          await redis.set(key, JSON.stringify(rows[0]));
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return rows[0];
        }
      `,
      errors: [
        {
          messageId: 'noTtl',
          messageIncludes: ['`{ ex: seconds }`'],
          fixes: [
            {
              output: dedent`
                ${upstash}
                export async function product(id: string) {
                  const key = \`product:\${id}\`;
                  const hit = await redis.get(key);
                  if (hit) return hit;
                  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
                  await redis.set(key, JSON.stringify(rows[0]), { ex: 3600 });
                  return rows[0];
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});
