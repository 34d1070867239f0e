// What the fixes need to know per library, as data: how an HTTP response's body is read, how a shared pool is made and
// configured, how N reads become one (the batch form), how a relation is loaded eagerly. Fix code never names a library.
import { z } from 'zod';
import { BATCH_FORMS, BatchForm, EagerForm, WriteBatchForm } from './batchForms';

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

export const LibraryFixForms = z.object({
  responseBody: ResponseBody.optional(),
  pool: z.array(PoolForm).default([]),
  /** By read method name. */
  batch: z.record(z.string(), BatchForm).default({}),
  /** By write method name. */
  writeBatch: z.record(z.string(), WriteBatchForm).default({}),
  /** By the per-element read's method. */
  eager: z.record(z.string(), EagerForm).default({}),
});
export type LibraryFixForms = z.infer<typeof LibraryFixForms>;

const fetchBody = { methods: ['json', 'text'] };

/** Per library id (the ids of the knowledge tables); the batch forms come from batchForms.ts. */
const RAW: Record<string, z.input<typeof LibraryFixForms>> = {
  fetch: { responseBody: fetchBody },
  undici: { responseBody: fetchBody },
  'node-fetch': { responseBody: fetchBody },
  axios: { responseBody: { property: 'data' } },
  pg: {
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
