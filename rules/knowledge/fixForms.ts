// What the fixes need to know per library, as data: how an HTTP response's body is read, how a shared pool is made and
// configured, how N reads become one (the batch form), how a relation is loaded eagerly. Fix code never names a
// library.
import { z } from 'zod';
import { BATCH_FORMS, BatchForm, EagerForm, WriteBatchForm } from './batchForms';
import { sequelizeEager, typeormEagerMany, typeormEagerOne } from './eagerForms';

export { RelationDeclaration } from './eagerForms';

export { BatchForm, EagerForm, WriteBatchForm } from './batchForms';

/** How the JSON-serialisable body of an HTTP response is read: a property (`res.data`) or a method (`res.json()`). */
export const ResponseBody = z.object({
  property: z.string().optional(),
  methods: z.array(z.string()).default([]),
});

/**
 * How to create the shared instance that replaces a per-call client, and the skill's pool settings in the library's
 * own option names (never an option the library lacks). `{{name}}` in a template is filled from the rule options.
 */
export const PoolForm = z.object({
  /** The client type (of this library's table) this form replaces (`Client`), and what is created instead. */
  replaces: z.array(z.string()),
  /** The pooled construct: `new {{ctor}}(options)` or `{{ctor}}(options)`; `ctor` is an export of `module`. */
  module: z.string(),
  ctor: z.string(),
  construct: z.enum(['new', 'call']),
  /** Pool options merged into the user's own options object (as source text, keys the library accepts). */
  options: z.record(z.string(), z.string()).default({}),
  /** Where the options go: the first argument object, or a nested key (`{ pool: { … } }` for knex). */
  optionsPath: z.array(z.string()).default([]),
  /** A string first argument (a URL) moves into this option so settings can sit beside it (`connectionString`). */
  stringArg: z.string().optional(),
  /** Name of the shared instance when the fix changes what is created (a `Client` becomes `pool`). */
  instanceName: z.string(),
  /** The shared instance must be connected once before use (node-redis): this call runs at module scope. */
  connectOnce: z.string().optional(),
  /** The per-call `connect()` / `end()` calls to drop once the pool owns the connections. */
  dropCalls: z.array(z.string()).default([]),
  /** Keep one instance across hot reloads (`globalThis` guard), as Prisma documents for development servers. */
  globalGuard: z.boolean().default(false),
});
export type PoolForm = z.infer<typeof PoolForm>;

/**
 * How a whole-collection Redis read (SMEMBERS, HGETALL, ZRANGE 0 -1, KEYS) becomes a SCAN-family walk that rebuilds the
 * same reply without one blocking command (unbounded-read's SCAN rewrite).
 */
export const ScanForm = z.object({
  /** What the reply is: a set's members, a hash as an object, a sorted set's members in score order, key names. */
  shape: z.enum(['members', 'hash', 'sortedMembers', 'keys']),
  /** The SCAN-family method of the same client (`sscanStream`, `sScanIterator`). */
  method: z.string(),
  /**
   * What the walk yields: ioredis streams flat string arrays (`[field, value, …]`, `[member, score, …]`); node-redis
   * iterators one element each (v4) or an array of elements (v5 and later), objects for hashes and sorted sets.
   */
  yields: z.enum(['flatStrings', 'elements']),
  /**
   * The walk's options object: `{ count: 1000 }` (ioredis), `{ COUNT: 1000 }` (node-redis); `$MATCH` is KEYS' pattern.
   */
  options: z.string(),
  /** ZREVRANGE: highest score first. */
  reverse: z.boolean().default(false),
  /** How many arguments the whole read takes; a call with more (WITHSCORES, REV, a callback) is not rewritten. */
  args: z.number().int().min(0),
});
export type ScanForm = z.infer<typeof ScanForm>;

/**
 * Offset pagination next to a read's bound: for the bound's option or builder method (`take`, `limit`), the one that
 * skips rows (`skip`, `offset`). unbounded-read's pagination fix sets both from a page parameter.
 */
export const PageForm = z.object({
  offset: z.string(),
});
export type PageForm = z.infer<typeof PageForm>;

/**
 * How SQL text takes a page: ` LIMIT n OFFSET $k` (numbered after the query's own), `?`, or `${…}` in a tagged
 * template.
 */
export const SqlPageForm = z.object({
  placeholders: z.enum(['numbered', 'questionMark', 'tagged']),
});
export type SqlPageForm = z.infer<typeof SqlPageForm>;

/** Parameter names that already say which page to read: pages (`page * size` rows skipped) or rows skipped. */
export const PAGE_PARAMETERS: Readonly<Record<'page' | 'offset', readonly string[]>> = {
  page: ['page', 'pageNumber', 'pageIndex'],
  offset: ['offset', 'skip'],
};

/**
 * How a read whose rows are only counted (`(await findMany(q)).length`) becomes a count on the server (`count(q)`):
 * the same number without sending the rows.
 */
export const CountForm = z.object({
  /** The counting method on the same receiver (`count`, `countBy`, `countDocuments`); for SQL, the wrapping query. */
  method: z.string(),
  /**
   * The read's arguments the count takes as they are (all of them, or the filter at 0); more arguments: not rewritten.
   */
  maxArgs: z.number().int().min(0).default(1),
  /** Option keys that change what would be counted or that a count does not take (`include`, `group`, `distinct`). */
  refuseOptions: z.array(z.string()).default([]),
  /** Builder calls after the read that do not change which rows it returns (`lean`, `sort`, `toArray`): dropped. */
  dropChain: z.array(z.string()).default([]),
  /**
   * SQL text: `$SQL` is the user's query (the count wraps it, so joins, DISTINCT and GROUP BY count what they
   * returned); the rows come back as `.rows` and the count is read from `rows[0].count`.
   */
  sql: z.string().optional(),
});
export type CountForm = z.infer<typeof CountForm>;

/**
 * GraphQL field resolvers (n-plus-one's DataLoader fix): the parameter decorators that mark the parent object (NestJS
 * `@Parent()`, type-graphql `@Root()`; a resolver map's function takes it first), and where a resolver map's function
 * takes the per-request context (`(parent, args, context, info)`).
 */
export const FIELD_RESOLVER_PARENT = {
  decorators: ['Parent', 'Root'],
  contextParameter: 2,
} as const;

/**
 * The DataLoader package the per-request loader comes from, the name its default export is imported under, and the
 * version range added to `dependencies` when the project lacks it.
 */
export const DATA_LOADER = { module: 'dataloader', defaultName: 'DataLoader', version: '^2.2.3' } as const;

export const LibraryFixForms = z.object({
  responseBody: ResponseBody.optional(),
  pool: z.array(PoolForm).default([]),
  /** By read method name. */
  batch: z.record(z.string(), BatchForm).default({}),
  /** By write method name. */
  writeBatch: z.record(z.string(), WriteBatchForm).default({}),
  /** By the per-element read's method. */
  eager: z.record(z.string(), EagerForm).default({}),
  /** By whole-read method name (`smembers`, `sMembers`, `SMEMBERS`). */
  scan: z.record(z.string(), ScanForm).default({}),
  /** By bound name (`take`, `limit`): the offset that pages with it. */
  page: z.record(z.string(), PageForm).default({}),
  /** By SQL-running method name (`query`, `()` for a tagged template): how its text takes a page. */
  sqlPage: z.record(z.string(), SqlPageForm).default({}),
  /** By read method name (`findMany`): its count form. */
  count: z.record(z.string(), CountForm).default({}),
});
export type LibraryFixForms = z.infer<typeof LibraryFixForms>;

const fetchBody = { methods: ['json', 'text'] };

type ScanShape = ScanForm['shape'];
/** ioredis `*scanStream`: flat string batches, lower-case `count`. */
const ioredisScan = (shape: ScanShape, method: string, args: number, reverse = false) => ({
  shape,
  method,
  yields: 'flatStrings' as const,
  options: shape === 'keys' ? '{ match: $MATCH, count: 1000 }' : '{ count: 1000 }',
  args,
  reverse,
});
/** node-redis `*ScanIterator`, under both its camelCase and its upper-case method name. */
const nodeRedisScan = (names: [string, string], shape: ScanShape, method: string, args: number) =>
  Object.fromEntries(
    names.map((name) => [
      name,
      {
        shape,
        method,
        yields: 'elements' as const,
        options: shape === 'keys' ? '{ MATCH: $MATCH, COUNT: 1000 }' : '{ COUNT: 1000 }',
        args,
      },
    ]),
  );
/** Offset pagination beside a `take`/`limit` bound. */
const offsets = (pairs: Record<string, string>) =>
  Object.fromEntries(Object.entries(pairs).map(([bound, offset]) => [bound, { offset }]));

const countOf = (method: string, refuseOptions: string[], dropChain: string[] = []) => ({
  method,
  refuseOptions,
  dropChain,
});

/** Per library id (the ids of the knowledge tables); the batch forms come from batchForms.ts. */
const RAW: Record<string, z.input<typeof LibraryFixForms>> = {
  fetch: { responseBody: fetchBody },
  undici: { responseBody: fetchBody },
  'node-fetch': { responseBody: fetchBody },
  axios: { responseBody: { property: 'data' } },
  typeorm: {
    eager: { loadOne: typeormEagerOne, loadMany: typeormEagerMany },
    page: offsets({ take: 'skip', limit: 'offset' }),
    count: {
      find: countOf('count', [
        'select',
        'relations',
        'relationLoadStrategy',
        'join',
        'loadRelationIds',
        'take',
        'skip',
      ]),
      findBy: countOf('countBy', []),
    },
  },
  mongoose: {
    page: offsets({ limit: 'skip' }),
    count: { find: countOf('countDocuments', [], ['lean', 'sort', 'select', 'populate', 'exec']) },
  },
  'postgres-js': {
    sqlPage: { '()': { placeholders: 'tagged' } },
  },
  pg: {
    sqlPage: { query: { placeholders: 'numbered' } },
    // pg sends COUNT(*) (a bigint) as a string: `::int` makes it the number `.length` was.
    count: { query: { method: 'query', maxArgs: 2, sql: 'SELECT COUNT(*)::int AS count FROM ($SQL) AS counted' } },
    pool: [
      {
        replaces: ['Client', 'Pool'],
        module: 'pg',
        ctor: 'Pool',
        construct: 'new',
        options: {
          max: '{{poolSize}}',
          connectionTimeoutMillis: '{{acquireTimeoutMs}}',
          idleTimeoutMillis: '30_000',
          maxLifetimeSeconds: '{{recycleAfterSeconds}}',
        },
        dropCalls: ['connect', 'end'],
        stringArg: 'connectionString',
        instanceName: 'pool',
      },
    ],
  },
  'mysql2-promise': {
    // `execute` prepares the statement, and MySQL's prepared LIMIT/OFFSET refuse JavaScript numbers: `query` only.
    sqlPage: { query: { placeholders: 'questionMark' } },
    pool: [
      {
        replaces: ['Connection', 'Pool'],
        module: 'mysql2/promise',
        ctor: 'createPool',
        construct: 'call',
        // mysql2 has no overflow, no recycle and no acquire timeout: `queueLimit` 0 queues without bound.
        options: { connectionLimit: '{{poolSize}}', waitForConnections: 'true', enableKeepAlive: 'true' },
        dropCalls: ['connect', 'end', 'destroy'],
        stringArg: 'uri',
        instanceName: 'pool',
      },
    ],
  },
  mysql2: {
    sqlPage: { query: { placeholders: 'questionMark' } },
    pool: [
      {
        replaces: ['Connection', 'Pool'],
        module: 'mysql2',
        ctor: 'createPool',
        construct: 'call',
        options: { connectionLimit: '{{poolSize}}', waitForConnections: 'true', enableKeepAlive: 'true' },
        dropCalls: ['connect', 'end', 'destroy'],
        stringArg: 'uri',
        instanceName: 'pool',
      },
    ],
  },
  ioredis: {
    scan: {
      smembers: ioredisScan('members', 'sscanStream', 1),
      hgetall: ioredisScan('hash', 'hscanStream', 1),
      zrange: ioredisScan('sortedMembers', 'zscanStream', 3),
      zrevrange: ioredisScan('sortedMembers', 'zscanStream', 3, true),
    },
    pool: [
      {
        replaces: ['Redis', 'Cluster'],
        module: 'ioredis',
        ctor: 'Redis',
        construct: 'new',
        // The skill's retry policy: 3 attempts per command, exponential back-off from 1 s between reconnects.
        options: {
          maxRetriesPerRequest: '{{retryAttempts}}',
          retryStrategy: '(times) => Math.min({{retryInitialDelayMs}} * 2 ** (times - 1), {{acquireTimeoutMs}})',
        },
        dropCalls: ['connect', 'quit', 'disconnect'],
        instanceName: 'redis',
      },
    ],
  },
  redis: {
    scan: {
      ...nodeRedisScan(['sMembers', 'SMEMBERS'], 'members', 'sScanIterator', 1),
      ...nodeRedisScan(['hGetAll', 'HGETALL'], 'hash', 'hScanIterator', 1),
      ...nodeRedisScan(['zRange', 'ZRANGE'], 'sortedMembers', 'zScanIterator', 3),
      ...nodeRedisScan(['keys', 'KEYS'], 'keys', 'scanIterator', 1),
    },
    pool: [
      {
        replaces: ['Client'],
        module: 'redis',
        ctor: 'createClient',
        construct: 'call',
        // Reconnects back off exponentially from 1 s (node-redis retries connections, not single commands).
        options: {
          reconnectStrategy: '(retries) => Math.min({{retryInitialDelayMs}} * 2 ** retries, {{acquireTimeoutMs}})',
        },
        optionsPath: ['socket'],
        dropCalls: ['quit', 'disconnect', 'close', 'destroy'],
        instanceName: 'redisClient',
        connectOnce: 'connect',
      },
    ],
  },
  prisma: {
    page: offsets({ take: 'skip' }),
    count: { findMany: countOf('count', ['select', 'include', 'distinct', 'take', 'skip', 'cursor', 'omit']) },
    pool: [
      {
        replaces: ['PrismaClient'],
        module: '@prisma/client',
        ctor: 'PrismaClient',
        construct: 'new',
        // Pool size and timeout live in the connection URL (`connection_limit`, `pool_timeout`); the client is shared.
        options: {},
        dropCalls: ['$connect', '$disconnect'],
        globalGuard: true,
        instanceName: 'prisma',
      },
    ],
  },
  mongodb: {
    page: offsets({ limit: 'skip' }),
    count: { find: countOf('countDocuments', [], ['toArray', 'sort', 'project']) },
    pool: [
      {
        replaces: ['MongoClient'],
        module: 'mongodb',
        ctor: 'MongoClient',
        construct: 'new',
        options: {
          maxPoolSize: '{{poolSize}}',
          waitQueueTimeoutMS: '{{acquireTimeoutMs}}',
          maxIdleTimeMS: '{{recycleAfterMs}}',
        },
        // The driver connects on first use (4.7+); a shared client is closed at shutdown only.
        dropCalls: ['connect', 'close'],
        instanceName: 'mongoClient',
      },
    ],
  },
  knex: {
    page: offsets({ limit: 'offset' }),
    pool: [
      {
        replaces: ['Knex'],
        module: 'knex',
        ctor: 'knex',
        construct: 'call',
        options: {
          min: '0',
          max: '{{poolSize}}',
          acquireTimeoutMillis: '{{acquireTimeoutMs}}',
          idleTimeoutMillis: '30_000',
        },
        optionsPath: ['pool'],
        dropCalls: ['destroy'],
        instanceName: 'db',
      },
    ],
  },
  sequelize: {
    // Keyed by a name no method has: the form applies to the `get<Alias>` accessors its `methodPattern` matches.
    eager: { 'get<Alias>': sequelizeEager },
    page: offsets({ limit: 'offset' }),
    // Sequelize counts joined rows once `include` is given, and a `group` makes count return an array.
    count: {
      findAll: countOf('count', ['include', 'group', 'attributes', 'limit', 'offset', 'distinct', 'col', 'raw']),
    },
    pool: [
      {
        replaces: ['Sequelize'],
        module: 'sequelize',
        ctor: 'Sequelize',
        construct: 'new',
        options: { max: '{{poolSize}}', min: '0', acquire: '{{acquireTimeoutMs}}', idle: '10_000', evict: '1000' },
        optionsPath: ['pool'],
        dropCalls: ['close'],
        instanceName: 'sequelize',
      },
    ],
  },
  kysely: { page: offsets({ limit: 'offset' }) },
  drizzle: { page: offsets({ limit: 'offset' }) },
  'drizzle-embedded': { page: offsets({ limit: 'offset' }) },
  'mikro-orm': { page: offsets({ limit: 'offset' }) },
  objection: { page: offsets({ limit: 'offset' }) },
};

const PARSED = new Map(
  [...new Set([...Object.keys(RAW), ...Object.keys(BATCH_FORMS)])].map((id) => [
    id,
    LibraryFixForms.parse({ ...RAW[id], ...BATCH_FORMS[id] }),
  ]),
);

/** The fix forms of a library (empty forms for one the table does not list). */
export function fixFormsOf(libraryId: string): LibraryFixForms {
  return PARSED.get(libraryId) ?? LibraryFixForms.parse({});
}

/** Fills `{{name}}` in a template from numeric settings; an unknown name is an error in the table. */
export function fillTemplate(template: string, values: Record<string, number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_whole, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`fix form uses unknown setting "${name}"`);
    return formatNumber(values[name]!);
  });
}

/** 30000 → `30_000`, as people write large constants. */
function formatNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) >= 10_000
    ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '_')
    : String(value);
}
