// Table tests for unstable-cache-key: JSON.stringify keys, interpolated objects ("[object Object]") and clock-based keys.
import { dedent, runRuleTests, type TestCase } from './ruleTester';

/** Names each case after its last line (the client setup above it says nothing). */
function named<T extends TestCase>(cases: T[]): T[] {
  return cases.map((c) => ({
    name:
      c.name ??
      c.code
        .trim()
        .split('\n')
        .filter((l) => /redis\.|client\./.test(l))
        .pop()
        ?.trim()
        .slice(0, 100),
    ...c,
  }));
}

/** The case's code after the stableKey suggestion: `from` rewritten as `to`, the helper imported after the imports. */
function keyed(code: string, from: string, to: string): string {
  const lines = code
    .replace(from, to)
    .split('\n')
    .filter((line) => !/^\s*~+\s*$/.test(line));
  const last = lines.reduce((at, line, i) => (line.startsWith('import ') ? i : at), -1);
  lines.splice(last + 1, 0, "import { stableKey } from './perfAdvisorKey';");
  return lines.join('\n');
}

const ioredis = "import Redis from 'ioredis';\nconst redis = new Redis();\n";
const nodeRedis = "import { createClient } from 'redis';\nconst client = createClient();\n";
const express =
  "import Redis from 'ioredis';\nimport { Router } from 'express';\nconst redis = new Redis();\nconst router = Router();\n";

const keyVariableCase = dedent`
  ${ioredis}
  export async function search(filters: Record<string, string>, load: () => Promise<string>) {
    const key = \`search:\${JSON.stringify(filters)}\`;
    const hit = await redis.get(key);
                                ~~~
    if (hit) return hit;
    const body = await load();
    await redis.set(key, body, 'EX', 120);
                    ~~~
    return body;
  }
`;

const keyHelperCase = dedent`
  ${ioredis}
  function searchKey(q: object) {
    return \`search:\${JSON.stringify(q)}\`;
  }
  export const get = (q: object) => redis.get(searchKey(q));
                                              ~~~~~~~~~~~~
`;

const jsonQueryCase = dedent`
  ${express}
  router.get('/products', async (req, res) => {
    res.send(await redis.get(\`catalog:search:\${JSON.stringify(req.query)}\`));
                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
  });
`;

const summaryCase = dedent`
  ${ioredis}
  export async function summary(status: string, days: number) {
    const filters = { status, days };
    return redis.get(\`orders:summary:\${filters}\`);
                     ~~~~~~~~~~~~~~~~~~~~~~~~~~~
  }
`;

const interfaceCase = dedent`
  ${ioredis}
  interface Filters {
    status: string;
  }
  export const get = (filters: Filters) => redis.get(\`orders:\${filters}\`);
                                                     ~~~~~~~~~~~~~~~~~~~
`;

const requestQueryCase = dedent`
  ${express}
  router.get('/s', async (req, res) => {
    res.send(await redis.get(\`s:\${req.query}\`));
                             ~~~~~~~~~~~~~~~~
  });
`;

const nodeRedisJsonCase = dedent`
  ${nodeRedis}
  export const get = (q: object) => client.hGetAll(\`search:\${JSON.stringify(q)}\`);
                                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
`;

runRuleTests('unstable-cache-key', {
  valid: named([
    // keys from primitives
    {
      code: dedent`
        ${ioredis}
        export const get = (id: string) => redis.get(\`user:\${id}\`);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const get = (name: string) => redis.get('settings:' + name);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const get = (ids: string[]) => redis.get(\`batch:\${ids}\`);
      `,
    },
    {
      code: dedent`
        ${express}
        router.get('/p', async (req, res) => {
          res.json(await redis.get(\`search:\${req.query.page}:\${req.params.id}\`));
        });
      `,
    },
    {
      code: dedent`
        ${ioredis}
        const filters = { status: "paid", days: 30 };
        export const get = () => redis.get(\`summary:\${filters.status}:\${filters.days}\`);
      `,
    },
    // hashed or stably serialised
    {
      code: dedent`
        ${ioredis}
        import { createHash } from 'node:crypto';
        export function get(q: object) {
          const hash = createHash('sha1').update(JSON.stringify(q)).digest('hex');
          return redis.get(\`search:\${hash}\`);
        }
      `,
    },
    {
      code: dedent`
        ${ioredis}
        import stableStringify from 'fast-json-stable-stringify';
        export const get = (q: object) => redis.get(\`search:\${stableStringify(q)}\`);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        import stringify from 'safe-stable-stringify';
        export const get = (q: object) => redis.get(\`search:\${stringify(q)}\`);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        import jsonStable from 'json-stable-stringify';
        export const get = (q: object) => redis.get(\`search:\${jsonStable(q)}\`);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const get = (q: Record<string, string>) => redis.get(\`search:\${JSON.stringify(q, Object.keys(q).sort())}\`);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const get = (page: number, category: string) => redis.get(\`search:\${JSON.stringify({ page, category })}\`);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const get = (a: string, b: string) => redis.get(\`pair:\${JSON.stringify([a, b])}\`);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const get = (id: string) => redis.get(\`user:\${JSON.stringify(id)}\`);
      `,
    },
    // time buckets, and time-stamped writes nobody reads here
    {
      code: dedent`
        ${ioredis}
        export const hit = (ip: string) => redis.incr(\`ratelimit:\${ip}:\${Math.floor(Date.now() / 60_000)}\`);
      `,
    },
    {
      code: dedent`
        ${ioredis}
        export const day = () => redis.get(\`stats:\${new Date().toISOString().slice(0, 10)}\`);
      `,
    },
    {
      name: 'a time-stamped write (an event log) with no read of it here',
      code: dedent`
        ${ioredis}
        export const log = (payload: string) => redis.set(\`event:\${Date.now()}\`, payload, 'EX', 86400);
      `,
    },
    {
      code: dedent`
        ${nodeRedis}
        export const get = (id: string) => client.hGet(\`user:\${id}\`, "name");
      `,
    },
  ]),
  invalid: named([
    {
      code: jsonQueryCase,
      errors: [
        {
          messageId: 'jsonKey',
          fixes: [{ output: keyed(jsonQueryCase, 'JSON.stringify(req.query)', 'stableKey(req.query)') }],

          messageIncludes: ['builds its key with `JSON.stringify(req.query)`', 'another order'],
        },
      ],
    },
    {
      name: 'through a local key variable, on the read and the write',
      code: keyVariableCase,
      errors: [
        {
          messageId: 'jsonKey',
          messageIncludes: ['`JSON.stringify(filters)`'],
          fixes: [{ output: keyed(keyVariableCase, 'JSON.stringify(filters)', 'stableKey(filters)') }],
        },
        {
          messageId: 'jsonKey',
          fixes: [{ output: keyed(keyVariableCase, 'JSON.stringify(filters)', 'stableKey(filters)') }],
        },
      ],
    },
    {
      name: 'through a key helper',
      code: keyHelperCase,
      errors: [
        { messageId: 'jsonKey', fixes: [{ output: keyed(keyHelperCase, 'JSON.stringify(q)', 'stableKey(q)') }] },
      ],
    },
    {
      code: summaryCase,
      errors: [
        {
          messageId: 'objectKey',
          fixes: [{ output: keyed(summaryCase, '${filters}', '${stableKey(filters)}') }],

          messageIncludes: [
            'interpolates `filters`, an object',
            '[object Object]',
            '`${filters.status}:${filters.days}`',
          ],
        },
      ],
    },
    {
      code: interfaceCase,
      errors: [
        { messageId: 'objectKey', fixes: [{ output: keyed(interfaceCase, '${filters}', '${stableKey(filters)}') }] },
      ],
    },
    {
      code: dedent`
        ${ioredis}
        export const get = (filters: { status: string }) => redis.get('orders:' + filters);
                                                                      ~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'objectKey' }],
    },
    {
      code: dedent`
        ${ioredis}
        export const get = (filters: { status: string }) => redis.get(['orders', filters].join(':'));
                                                                      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'objectKey' }],
    },
    {
      code: requestQueryCase,
      errors: [
        {
          messageId: 'objectKey',
          messageIncludes: ['`req.query`'],
          fixes: [{ output: keyed(requestQueryCase, '${req.query}', '${stableKey(req.query)}') }],
        },
      ],
    },
    {
      code: dedent`
        ${ioredis}
        export const get = () => redis.get(\`report:\${Date.now()}\`);
                                           ~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [
        {
          messageId: 'neverReused',

          messageIncludes: ['puts `Date.now()` in its key', 'never read back'],
        },
      ],
    },
    {
      name: 'clock key read and written in one function',
      code: dedent`
        ${ioredis}
        export async function report(build: () => Promise<string>) {
          const key = \`report:\${new Date().toISOString()}\`;
          const hit = await redis.get(key);
                                      ~~~
          if (hit) return hit;
          const body = await build();
          await redis.set(key, body, 'EX', 60);
                          ~~~
          return body;
        }
      `,
      errors: [
        { messageId: 'neverReused', messageIncludes: ['`new Date().toISOString()`'] },
        { messageId: 'neverReused' },
      ],
    },
    {
      code: dedent`
        ${ioredis}
        export const get = () => redis.get(\`sample:\${Math.random()}\`);
                                           ~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'neverReused' }],
    },
    {
      code: nodeRedisJsonCase,
      errors: [
        { messageId: 'jsonKey', fixes: [{ output: keyed(nodeRedisJsonCase, 'JSON.stringify(q)', 'stableKey(q)') }] },
      ],
    },
  ]),
});
