// Table tests for unstable-cache-key: JSON.stringify keys, interpolated objects ("[object Object]") and clock-based keys.
import { runRuleTests, type TestCase } from './ruleTester';

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

const ioredis = "import Redis from 'ioredis';\nconst redis = new Redis();\n";
const nodeRedis = "import { createClient } from 'redis';\nconst client = createClient();\n";
const express =
  "import Redis from 'ioredis';\nimport { Router } from 'express';\nconst redis = new Redis();\nconst router = Router();\n";

runRuleTests('unstable-cache-key', {
  valid: named([
    // keys from primitives
    { code: ioredis + 'export const get = (id: string) => redis.get(`user:${id}`);' },
    { code: ioredis + "export const get = (name: string) => redis.get('settings:' + name);" },
    { code: ioredis + 'export const get = (ids: string[]) => redis.get(`batch:${ids}`);' },
    {
      code:
        express +
        "router.get('/p', async (req, res) => {\n  res.json(await redis.get(`search:${req.query.page}:${req.params.id}`));\n});",
    },
    {
      code:
        ioredis +
        'const filters = { status: "paid", days: 30 };\nexport const get = () => redis.get(`summary:${filters.status}:${filters.days}`);',
    },
    // hashed or stably serialised
    {
      code:
        ioredis +
        "import { createHash } from 'node:crypto';\nexport function get(q: object) {\n  const hash = createHash('sha1').update(JSON.stringify(q)).digest('hex');\n  return redis.get(`search:${hash}`);\n}",
    },
    {
      code:
        ioredis +
        "import stableStringify from 'fast-json-stable-stringify';\nexport const get = (q: object) => redis.get(`search:${stableStringify(q)}`);",
    },
    {
      code:
        ioredis +
        "import stringify from 'safe-stable-stringify';\nexport const get = (q: object) => redis.get(`search:${stringify(q)}`);",
    },
    {
      code:
        ioredis +
        "import jsonStable from 'json-stable-stringify';\nexport const get = (q: object) => redis.get(`search:${jsonStable(q)}`);",
    },
    {
      code:
        ioredis +
        'export const get = (q: Record<string, string>) => redis.get(`search:${JSON.stringify(q, Object.keys(q).sort())}`);',
    },
    {
      code:
        ioredis +
        'export const get = (page: number, category: string) => redis.get(`search:${JSON.stringify({ page, category })}`);',
    },
    { code: ioredis + 'export const get = (a: string, b: string) => redis.get(`pair:${JSON.stringify([a, b])}`);' },
    { code: ioredis + 'export const get = (id: string) => redis.get(`user:${JSON.stringify(id)}`);' },
    // time buckets, and time-stamped writes nobody reads here
    {
      code:
        ioredis +
        'export const hit = (ip: string) => redis.incr(`ratelimit:${ip}:${Math.floor(Date.now() / 60_000)}`);',
    },
    { code: ioredis + 'export const day = () => redis.get(`stats:${new Date().toISOString().slice(0, 10)}`);' },
    {
      name: 'a time-stamped write (an event log) with no read of it here',
      code: ioredis + "export const log = (payload: string) => redis.set(`event:${Date.now()}`, payload, 'EX', 86400);",
    },
    { code: nodeRedis + 'export const get = (id: string) => client.hGet(`user:${id}`, "name");' },
  ]),
  invalid: named([
    {
      code:
        express +
        "router.get('/products', async (req, res) => {\n  res.send(await redis.get(`catalog:search:${JSON.stringify(req.query)}`));\n});",
      errors: [
        {
          messageId: 'jsonKey',
          line: 6,
          column: 28,
          messageIncludes: ['builds its key with `JSON.stringify(req.query)`', 'another order'],
        },
      ],
    },
    {
      name: 'through a local key variable, on the read and the write',
      code:
        ioredis +
        "export async function search(filters: Record<string, string>, load: () => Promise<string>) {\n  const key = `search:${JSON.stringify(filters)}`;\n  const hit = await redis.get(key);\n  if (hit) return hit;\n  const body = await load();\n  await redis.set(key, body, 'EX', 120);\n  return body;\n}",
      errors: [
        { messageId: 'jsonKey', line: 5, column: 31, messageIncludes: ['`JSON.stringify(filters)`'] },
        { messageId: 'jsonKey', line: 8, column: 19 },
      ],
    },
    {
      name: 'through a key helper',
      code:
        ioredis +
        'function searchKey(q: object) {\n  return `search:${JSON.stringify(q)}`;\n}\nexport const get = (q: object) => redis.get(searchKey(q));',
      errors: [{ messageId: 'jsonKey', line: 6, column: 45 }],
    },
    {
      code:
        ioredis +
        'export async function summary(status: string, days: number) {\n  const filters = { status, days };\n  return redis.get(`orders:summary:${filters}`);\n}',
      errors: [
        {
          messageId: 'objectKey',
          line: 5,
          column: 20,
          messageIncludes: [
            'interpolates `filters`, an object',
            '[object Object]',
            '`${filters.status}:${filters.days}`',
          ],
        },
      ],
    },
    {
      code:
        ioredis +
        'interface Filters {\n  status: string;\n}\nexport const get = (filters: Filters) => redis.get(`orders:${filters}`);',
      errors: [{ messageId: 'objectKey', line: 6, column: 52 }],
    },
    {
      code: ioredis + "export const get = (filters: { status: string }) => redis.get('orders:' + filters);",
      errors: [{ messageId: 'objectKey', line: 3, column: 63 }],
    },
    {
      code: ioredis + "export const get = (filters: { status: string }) => redis.get(['orders', filters].join(':'));",
      errors: [{ messageId: 'objectKey', line: 3, column: 63 }],
    },
    {
      code: express + "router.get('/s', async (req, res) => {\n  res.send(await redis.get(`s:${req.query}`));\n});",
      errors: [{ messageId: 'objectKey', line: 6, column: 28, messageIncludes: ['`req.query`'] }],
    },
    {
      code: ioredis + 'export const get = () => redis.get(`report:${Date.now()}`);',
      errors: [
        {
          messageId: 'neverReused',
          line: 3,
          column: 36,
          messageIncludes: ['puts `Date.now()` in its key', 'never read back'],
        },
      ],
    },
    {
      name: 'clock key read and written in one function',
      code:
        ioredis +
        "export async function report(build: () => Promise<string>) {\n  const key = `report:${new Date().toISOString()}`;\n  const hit = await redis.get(key);\n  if (hit) return hit;\n  const body = await build();\n  await redis.set(key, body, 'EX', 60);\n  return body;\n}",
      errors: [
        { messageId: 'neverReused', line: 5, column: 31, messageIncludes: ['`new Date().toISOString()`'] },
        { messageId: 'neverReused', line: 8, column: 19 },
      ],
    },
    {
      code: ioredis + 'export const get = () => redis.get(`sample:${Math.random()}`);',
      errors: [{ messageId: 'neverReused', line: 3, column: 36 }],
    },
    {
      code: nodeRedis + 'export const get = (q: object) => client.hGetAll(`search:${JSON.stringify(q)}`);',
      errors: [{ messageId: 'jsonKey', line: 3, column: 50 }],
    },
  ]),
});
