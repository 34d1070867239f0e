// What the fixes need to know per library, as data: how an HTTP response's body is read, how a shared pool is made and
// configured, how N reads become one (the batch form), how a relation is loaded eagerly. Fix code never names a library.
import { z } from 'zod';

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
 * How N reads by a key become one read of all keys plus a lookup map (n-plus-one's batch rewrite). `$KEYS` in a
 * template stands for the array of distinct keys.
 */
export const BatchForm = z.object({
  /** Receiver types (of this library) the form applies to; empty: any. */
  types: z.array(z.string()).default([]),
  /** Where the per-element key sits in the read. */
  key: z.discriminatedUnion('kind', [
    /** A property of the filter object at `arg` (under `path`): `findUnique({ where: { id: x } })`. */
    z.object({ kind: z.literal('filter'), arg: z.number().int(), path: z.array(z.string()).default([]) }),
    /** The argument itself is the key of `field`: `findById(x)`. */
    z.object({ kind: z.literal('argument'), arg: z.number().int(), field: z.string() }),
    /** `col = $n` (numbered) or `col = ?` in the SQL, the key in the parameter array (or the call's arguments). */
    z.object({
      kind: z.literal('sql'),
      placeholders: z.enum(['numbered', 'questionMark']),
      params: z.enum(['arrayArg', 'callArgs']),
    }),
    /** `col = ${x}` in a tagged SQL template. */
    z.object({ kind: z.literal('taggedSql') }),
    /** A Redis key: the batch reads all keys at once (MGET), in order. */
    z.object({ kind: z.literal('redisKey'), arg: z.number().int() }),
    /** A hash field of one key (`hget(key, field)`): the batch reads all fields of that key at once (HMGET). */
    z.object({ kind: z.literal('redisField'), keyArg: z.number().int(), fieldArg: z.number().int() }),
    /**
     * A filter call of a query builder chain: `.where({ col: x })`, `.where('col', x)`, `.where('col', '=', x)`,
     * `.where(eq(t.col, x))`, or a by-id call (`.findById(x)`). `inCall` replaces it for all keys (`$COL`, `$KEYS`).
     */
    z.object({
      kind: z.literal('chain'),
      filters: z.array(z.string()).default(['where', 'andWhere']),
      /** Functions that compare a column with a value inside the filter call (drizzle's `eq`). */
      equals: z.array(z.string()).default([]),
      inCall: z.string(),
      /** By-id calls and what replaces them (`findById` → `findByIds($KEYS)`), keyed on `idField`. */
      byId: z.record(z.string(), z.string()).default({}),
      idField: z.string().default('id'),
      /** Calls that take the first row (`first`, `executeTakeFirst`): dropped ('') or renamed; they make rows 'one'. */
      firstRow: z.record(z.string(), z.string()).default({}),
      /** Calls that make the read per element in a way one batch cannot keep (a limit, a join, a lock, an aggregate). */
      refuse: z.array(z.string()).default([]),
      /** Calls that choose the columns: the key column must be among their string arguments (or `*`). */
      columns: z.array(z.string()).default([]),
    }),
  ]),
  /** The method the batch calls instead (`findUnique` → `findMany`, `get` → `mget`). */
  method: z.string().optional(),
  /** The filter value for all keys: `{ in: $KEYS }`, `In($KEYS)`, `{ $in: $KEYS }`. */
  inValue: z.string().optional(),
  /** SQL for a list: `$COL = ANY($PARAM)`, `$COL IN (?)`; `keysParam` is what is bound for the list. */
  sqlIn: z.string().optional(),
  keysParam: z.string().default('$KEYS'),
  /** Text appended to the batched call (`.toArray()` for the MongoDB driver's cursor). */
  append: z.string().default(''),
  imports: z.array(z.object({ module: z.string(), named: z.array(z.string()) })).default([]),
  /** One row per key (the first; `missing` when none), all rows per key ([] when none), or Redis values. */
  rows: z.enum(['one', 'many', 'values']),
  missing: z.enum(['null', 'undefined']).default('null'),
  /** Where the awaited result holds its rows: itself, `.rows` (pg), the first element of a tuple (mysql2). */
  resultRows: z.enum(['self', 'rowsProperty', 'firstOfTuple']).default('self'),
  /** Options that make the read per element in a way one batch cannot keep (a per-key limit, a projection). */
  refuseOptions: z.array(z.string()).default([]),
  /** Reads with more arguments than this are not rewritten (a projection or options the form does not know). */
  maxArgs: z.number().int().default(9),
  /** A synchronous, in-process driver: the batch is not awaited. */
  sync: z.boolean().default(false),
  /** In TypeScript, the row type the batched call is given when it has none (mysql2's result is a union). */
  tsTypeArgument: z.string().optional(),
  tsImports: z.array(z.object({ module: z.string(), named: z.array(z.string()) })).default([]),
  /** In TypeScript, the type the batched rows are cast to when the driver types them `unknown[]` (better-sqlite3). */
  tsRowsCast: z.string().optional(),
});
export type BatchForm = z.infer<typeof BatchForm>;

export const LibraryFixForms = z.object({
  responseBody: ResponseBody.optional(),
  pool: z.array(PoolForm).default([]),
  /** By read method name. */
  batch: z.record(z.string(), BatchForm).default({}),
});
export type LibraryFixForms = z.infer<typeof LibraryFixForms>;

const fetchBody = { methods: ['json', 'text'] };

const prismaBatch = (rows: 'one' | 'many') => ({
  key: { kind: 'filter' as const, arg: 0, path: ['where'] },
  method: 'findMany',
  inValue: '{ in: $KEYS }',
  rows,
  refuseOptions: ['select', 'take', 'skip', 'cursor', 'distinct'],
  maxArgs: 1,
});
const typeormBatch = (rows: 'one' | 'many', method: string, path: string[]) => ({
  types: ['Repository', 'BaseEntityStatic'],
  key: { kind: 'filter' as const, arg: 0, path },
  method,
  inValue: 'In($KEYS)',
  imports: [{ module: 'typeorm', named: ['In'] }],
  rows,
  refuseOptions: ['select', 'take', 'skip'],
  maxArgs: 1,
});
const mongoBatch = (rows: 'one' | 'many', append = '') => ({
  key: { kind: 'filter' as const, arg: 0 },
  method: 'find',
  inValue: '{ $in: $KEYS }',
  append,
  rows,
  maxArgs: 1,
});
const pgBatch = {
  key: { kind: 'sql' as const, placeholders: 'numbered' as const, params: 'arrayArg' as const },
  sqlIn: '$COL = ANY($PARAM)',
  rows: 'many' as const,
  resultRows: 'rowsProperty' as const,
  maxArgs: 2,
};
// `execute` prepares the statement and does not expand an array: the batch uses `query`, which does.
const mysqlBatch = {
  key: { kind: 'sql' as const, placeholders: 'questionMark' as const, params: 'arrayArg' as const },
  method: 'query',
  sqlIn: '$COL IN (?)',
  rows: 'many' as const,
  resultRows: 'firstOfTuple' as const,
  maxArgs: 2,
  tsTypeArgument: 'RowDataPacket[]',
  tsImports: [{ module: 'mysql2/promise', named: ['RowDataPacket'] }],
};
// SQLite binds no arrays: the keys go in as one JSON array, read back by json_each.
const sqliteBatch = (rows: 'one' | 'many') => ({
  key: { kind: 'sql' as const, placeholders: 'questionMark' as const, params: 'callArgs' as const },
  method: 'all',
  sqlIn: '$COL IN (SELECT value FROM json_each(?))',
  keysParam: 'JSON.stringify($KEYS)',
  rows,
  missing: 'undefined' as const,
  sync: true,
  tsRowsCast: 'Record<string, unknown>[]',
});

// Builder chains: calls that make a read per element in a way one `IN` read cannot keep (a per-key limit, grouping,
// a join that nests rows, a lock, an aggregate, an OR that would join other rows to every key).
const chainRefusals = [
  'limit',
  'offset',
  'page',
  'range',
  'groupBy',
  'groupByRaw',
  'distinct',
  'distinctOn',
  'having',
  'havingRaw',
  'union',
  'unionAll',
  'join',
  'innerJoin',
  'leftJoin',
  'leftOuterJoin',
  'rightJoin',
  'fullJoin',
  'fullOuterJoin',
  'crossJoin',
  'joinRelated',
  'forUpdate',
  'forShare',
  'forNoKeyUpdate',
  'forKeyShare',
  'noWait',
  'skipLocked',
  'count',
  'countDistinct',
  'sum',
  'avg',
  'min',
  'max',
  'pluck',
  'orWhere',
  'orWhereIn',
  'orWhereNot',
  'orWhereRaw',
  'modify',
  'clearWhere',
  'throwIfNotFound',
  'executeTakeFirstOrThrow',
  'for',
  'returning',
];
const knexChain = (extra: { byId?: Record<string, string> } = {}) => ({
  key: {
    kind: 'chain' as const,
    inCall: 'whereIn($COL, $KEYS)',
    firstRow: { first: '' },
    refuse: chainRefusals,
    columns: ['select', 'column', 'columns'],
    ...extra,
  },
  rows: 'many' as const,
  // `first()` resolves to undefined when no row matches.
  missing: 'undefined' as const,
});

const kyselyChain: z.input<typeof BatchForm> = {
  types: ['SelectQueryBuilder'],
  key: {
    kind: 'chain',
    inCall: "where($COL, 'in', $KEYS)",
    firstRow: { executeTakeFirst: 'execute' },
    refuse: chainRefusals,
    columns: ['select'],
  },
  rows: 'many',
  missing: 'undefined',
};

/** Per library id (the ids of the knowledge tables). */
const RAW: Record<string, z.input<typeof LibraryFixForms>> = {
  fetch: { responseBody: fetchBody },
  undici: { responseBody: fetchBody },
  'node-fetch': { responseBody: fetchBody },
  axios: { responseBody: { property: 'data' } },
  typeorm: {
    batch: {
      findOneBy: typeormBatch('one', 'findBy', []),
      findBy: typeormBatch('many', 'findBy', []),
      findOne: typeormBatch('one', 'find', ['where']),
      find: typeormBatch('many', 'find', ['where']),
    },
  },
  mongoose: {
    batch: {
      findOne: mongoBatch('one'),
      find: mongoBatch('many'),
      findById: {
        key: { kind: 'argument', arg: 0, field: '_id' },
        method: 'find',
        inValue: '{ $in: $KEYS }',
        rows: 'one',
        maxArgs: 1,
      },
    },
  },
  'postgres-js': {
    batch: { '()': { key: { kind: 'taggedSql' }, sqlIn: '$COL = ANY($PARAM)', rows: 'many' } },
  },
  'better-sqlite3': { batch: { get: sqliteBatch('one'), all: sqliteBatch('many') } },
  pg: {
    batch: { query: pgBatch },
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
    batch: { query: mysqlBatch, execute: mysqlBatch },
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
    batch: {
      get: { key: { kind: 'redisKey', arg: 0 }, method: 'mget', rows: 'values', maxArgs: 1 },
      hget: {
        key: { kind: 'redisField', keyArg: 0, fieldArg: 1 },
        method: 'hmget',
        keysParam: '...$KEYS',
        rows: 'values',
        maxArgs: 2,
      },
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
    batch: {
      get: { key: { kind: 'redisKey', arg: 0 }, method: 'mGet', rows: 'values', maxArgs: 1 },
      GET: { key: { kind: 'redisKey', arg: 0 }, method: 'MGET', rows: 'values', maxArgs: 1 },
      hGet: { key: { kind: 'redisField', keyArg: 0, fieldArg: 1 }, method: 'hmGet', rows: 'values', maxArgs: 2 },
      HGET: { key: { kind: 'redisField', keyArg: 0, fieldArg: 1 }, method: 'HMGET', rows: 'values', maxArgs: 2 },
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
    batch: { findUnique: prismaBatch('one'), findFirst: prismaBatch('one'), findMany: prismaBatch('many') },
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
  kysely: { batch: { execute: kyselyChain, executeTakeFirst: kyselyChain } },
  drizzle: {
    batch: {
      select: {
        key: {
          kind: 'chain',
          equals: ['eq'],
          filters: ['where'],
          inCall: 'where(inArray($COL, $KEYS))',
          refuse: chainRefusals,
          // `select({ … })` picks fields by other names: the key may not be among them.
          columns: ['select'],
        },
        imports: [{ module: 'drizzle-orm', named: ['inArray'] }],
        rows: 'many',
      },
    },
  },
  objection: { batch: { query: knexChain({ byId: { findById: 'findByIds($KEYS)' } }) } },
  'mikro-orm': {
    batch: {
      findOne: {
        types: ['EntityManager'],
        key: { kind: 'filter', arg: 1 },
        method: 'find',
        inValue: '{ $in: $KEYS }',
        rows: 'one',
        maxArgs: 2,
      },
      find: {
        types: ['EntityManager'],
        key: { kind: 'filter', arg: 1 },
        inValue: '{ $in: $KEYS }',
        rows: 'many',
        maxArgs: 2,
      },
    },
  },
  mongodb: {
    batch: { findOne: mongoBatch('one', '.toArray()') },
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
    batch: { '()': knexChain(), select: knexChain(), from: knexChain() },
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
    batch: {
      findOne: {
        key: { kind: 'filter', arg: 0, path: ['where'] },
        method: 'findAll',
        inValue: '{ [Op.in]: $KEYS }',
        imports: [{ module: 'sequelize', named: ['Op'] }],
        rows: 'one',
        refuseOptions: ['attributes', 'limit', 'offset', 'group'],
        maxArgs: 1,
      },
      findAll: {
        key: { kind: 'filter', arg: 0, path: ['where'] },
        inValue: '{ [Op.in]: $KEYS }',
        imports: [{ module: 'sequelize', named: ['Op'] }],
        rows: 'many',
        refuseOptions: ['attributes', 'limit', 'offset', 'group'],
        maxArgs: 1,
      },
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
};

const PARSED = new Map(Object.entries(RAW).map(([id, forms]) => [id, LibraryFixForms.parse(forms)]));

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
