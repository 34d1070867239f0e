// How N reads or writes of one element each become one of all elements, per library, as data (n-plus-one's batch
// rewrites, rules/fixes/batch.ts and writeBatch.ts). Fix code never names a library: it reads these forms.
import { z } from 'zod';
import { EagerForm, prismaEager } from './eagerForms';

import { BUILDER_BATCH_FORMS } from './batchFormsBuilders';

export { EagerForm } from './eagerForms';

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
    z.object({
      kind: z.literal('redisField'),
      keyArg: z.number().int(),
      fieldArg: z.number().int(),
      /**
       * One field of a hash per element (the key varies, the field does not): all reads in one pipeline, replies in
       * the keys' order. `$RECEIVER` is the client, `$FIELD` the field, `$KEYS` the distinct hash keys; the text
       * awaits itself.
       */
      pipeline: z.string().optional(),
    }),
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
      /**
       * Calls that make the read per element in a way one batch cannot keep (a limit, a join, a lock, an aggregate).
       */
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
  /**
   * The read's own options argument (MikroORM's third): the batched call keeps it when it names only `keep` options
   * (what each key's rows are, not how many: `populate`, `orderBy`); any other option (`limit`, `offset`, `fields`)
   * applies to each key's read, and one read of all keys would apply it once: no rewrite, an explanation.
   */
  options: z.object({ arg: z.number().int(), keep: z.array(z.string()) }).optional(),
  /** Reads with more arguments than this are not rewritten (a projection or options the form does not know). */
  maxArgs: z.number().int().default(9),
  /** Calls allowed after the read (`.lean()`); undefined: any. Prisma's fluent `.posts()` walks a relation instead. */
  trailingCalls: z.array(z.string()).optional(),
  /** A synchronous, in-process driver: the batch is not awaited. */
  sync: z.boolean().default(false),
  /** In TypeScript, the row type the batched call is given when it has none (mysql2's result is a union). */
  tsTypeArgument: z.string().optional(),
  tsImports: z.array(z.object({ module: z.string(), named: z.array(z.string()) })).default([]),
  /** In TypeScript, the type the batched rows are cast to when the driver types them `unknown[]` (better-sqlite3). */
  tsRowsCast: z.string().optional(),
});
export type BatchForm = z.infer<typeof BatchForm>;

/**
 * How N writes of one row each become one write of all rows (n-plus-one's write batch). `$ROWS` stands for the array
 * of rows. The row is an argument (`create(row)`), a property of one (`create({ data: row })`), or, for SQL, the
 * parameter array of a single-row `INSERT … VALUES (…)`.
 */
export const WriteBatchForm = z.object({
  types: z.array(z.string()).default([]),
  row: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('argument'), arg: z.number().int(), path: z.array(z.string()).default([]) }),
    /** `INSERT … VALUES ($1, $2)` with the row's values in the parameter array: multi-row VALUES, in chunks. */
    z.object({ kind: z.literal('sqlValues'), placeholders: z.enum(['numbered']) }),
  ]),
  /**
   * The call that replaces the per-row call, from its name to its closing parenthesis (`createMany({ data: $ROWS })`).
   */
  call: z.string().optional(),
  /** Rows per statement: the driver's parameter limit divided by the values per row, at most this. */
  chunkRows: z.number().int().positive().default(1000),
  /** The driver binds at most this many parameters in one statement (PostgreSQL: 65 535). */
  maxParams: z.number().int().positive().default(65_535),
  /** Row fields whose value is an object literal are nested writes (Prisma relations) one batch cannot make. */
  refuseNested: z.boolean().default(false),
  /** Chain calls after the write that one batch cannot keep (an upsert merge that duplicates would break). */
  refuseChain: z.array(z.string()).default([]),
  maxArgs: z.number().int().default(9),
});
export type WriteBatchForm = z.infer<typeof WriteBatchForm>;

// MikroORM FindOptions that say what each row brings or the order rows come in (the lookup map keeps that order per
// key, so `findOne`'s first row is the batch's first row of that key), never how many rows or which columns.
const MIKRO_ORM_KEPT_OPTIONS = [
  'populate',
  'populateWhere',
  'populateOrderBy',
  'orderBy',
  'strategy',
  'filters',
  'refresh',
  'cache',
  'schema',
  'connectionType',
  'logging',
];

const prismaBatch = (rows: 'one' | 'many') => ({
  key: { kind: 'filter' as const, arg: 0, path: ['where'] },
  method: 'findMany',
  inValue: '{ in: $KEYS }',
  rows,
  refuseOptions: ['select', 'take', 'skip', 'cursor', 'distinct'],
  maxArgs: 1,
  trailingCalls: [],
});
const typeormTypes = ['Repository', 'BaseEntityStatic', 'EntityManager'];
const typeormBatch = (rows: 'one' | 'many', method: string, path: string[]) => ({
  types: ['Repository', 'BaseEntityStatic'],
  key: { kind: 'filter' as const, arg: 0, path },
  method,
  inValue: 'In($KEYS)',
  imports: [{ module: 'typeorm', named: ['In'] }],
  rows,
  // `lock` locks each row on its own, in the loop's order: one read would lock them all at once.
  refuseOptions: ['select', 'take', 'skip', 'lock'],
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

/** A library's batch forms: read forms by read method, write forms by write method, eager forms by read method. */
export interface LibraryBatchForms {
  batch?: Record<string, z.input<typeof BatchForm>>;
  writeBatch?: Record<string, z.input<typeof WriteBatchForm>>;
  /** By the per-element read's method. */
  eager?: Record<string, z.input<typeof EagerForm>>;
}

/** Per library id (the ids of the knowledge tables): read forms by read method, write forms by write method. */
export const BATCH_FORMS: Record<string, LibraryBatchForms> = {
  ...BUILDER_BATCH_FORMS,
  typeorm: {
    writeBatch: {
      insert: { types: typeormTypes, row: { kind: 'argument', arg: 0 }, call: 'insert($ROWS)', maxArgs: 1 },
      save: { types: typeormTypes, row: { kind: 'argument', arg: 0 }, call: 'save($ROWS)', maxArgs: 1 },
    },
    batch: {
      findOneBy: typeormBatch('one', 'findBy', []),
      findBy: typeormBatch('many', 'findBy', []),
      findOne: typeormBatch('one', 'find', ['where']),
      find: typeormBatch('many', 'find', ['where']),
    },
  },
  mongoose: {
    eager: {
      populate: {
        relation: 'elementArgument',
        parents: ['find'],
        load: { kind: 'chain', call: 'populate($REL)' },
        replacement: '$EL',
      },
    },
    // `ordered` (the default) stops at the first failing document, as the loop stopped at its first failing create.
    writeBatch: { create: { row: { kind: 'argument', arg: 0 }, call: 'insertMany($ROWS)', maxArgs: 1 } },
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
  'better-sqlite3': {
    batch: { get: sqliteBatch('one'), all: sqliteBatch('many') },
  },
  pg: {
    writeBatch: { query: { row: { kind: 'sqlValues', placeholders: 'numbered' }, maxArgs: 2 } },
    batch: { query: pgBatch },
  },
  'mysql2-promise': {
    batch: { query: mysqlBatch, execute: mysqlBatch },
  },
  ioredis: {
    batch: {
      get: { key: { kind: 'redisKey', arg: 0 }, method: 'mget', rows: 'values', maxArgs: 1 },
      hget: {
        key: {
          kind: 'redisField',
          keyArg: 0,
          fieldArg: 1,
          // `exec()` resolves to `[error, reply]` pairs in command order (null only when the pipeline was discarded).
          pipeline:
            "((await $RECEIVER.pipeline($KEYS.map((key) => ['hget', key, $FIELD])).exec()) ?? []).map(([error, reply]) => { if (error) throw error; return reply; })",
        },
        method: 'hmget',
        keysParam: '...$KEYS',
        rows: 'values',
        maxArgs: 2,
        tsRowsCast: '(string | null)[]',
      },
    },
  },
  redis: {
    batch: {
      get: { key: { kind: 'redisKey', arg: 0 }, method: 'mGet', rows: 'values', maxArgs: 1 },
      GET: { key: { kind: 'redisKey', arg: 0 }, method: 'MGET', rows: 'values', maxArgs: 1 },
      // node-redis sends the commands of one tick as one pipeline: a Promise.all of the reads is one round trip.
      hGet: {
        key: {
          kind: 'redisField',
          keyArg: 0,
          fieldArg: 1,
          pipeline: 'await Promise.all($KEYS.map((key) => $RECEIVER.hGet(key, $FIELD)))',
        },
        method: 'hmGet',
        rows: 'values',
        maxArgs: 2,
      },
      HGET: { key: { kind: 'redisField', keyArg: 0, fieldArg: 1 }, method: 'HMGET', rows: 'values', maxArgs: 2 },
    },
  },
  prisma: {
    eager: { findUnique: prismaEager, findFirst: prismaEager },
    writeBatch: {
      create: {
        row: { kind: 'argument', arg: 0, path: ['data'] },
        call: 'createMany({ data: $ROWS })',
        refuseNested: true,
        maxArgs: 1,
      },
    },
    batch: { findUnique: prismaBatch('one'), findFirst: prismaBatch('one'), findMany: prismaBatch('many') },
  },
  'mikro-orm': {
    batch: {
      findOne: {
        types: ['EntityManager'],
        key: { kind: 'filter', arg: 1 },
        method: 'find',
        inValue: '{ $in: $KEYS }',
        rows: 'one',
        options: { arg: 2, keep: MIKRO_ORM_KEPT_OPTIONS },
        maxArgs: 3,
      },
      find: {
        types: ['EntityManager'],
        key: { kind: 'filter', arg: 1 },
        inValue: '{ $in: $KEYS }',
        rows: 'many',
        options: { arg: 2, keep: MIKRO_ORM_KEPT_OPTIONS },
        maxArgs: 3,
      },
    },
  },
  mongodb: {
    writeBatch: { insertOne: { row: { kind: 'argument', arg: 0 }, call: 'insertMany($ROWS)', maxArgs: 1 } },
    batch: { findOne: mongoBatch('one', '.toArray()') },
  },
  sequelize: {
    // `create` validates and runs the per-row hooks; bulkCreate does neither unless asked.
    writeBatch: {
      create: {
        row: { kind: 'argument', arg: 0 },
        call: 'bulkCreate($ROWS, { validate: true, individualHooks: true })',
        maxArgs: 1,
      },
    },
    batch: {
      findOne: {
        key: { kind: 'filter', arg: 0, path: ['where'] },
        method: 'findAll',
        inValue: '{ [Op.in]: $KEYS }',
        imports: [{ module: 'sequelize', named: ['Op'] }],
        rows: 'one',
        refuseOptions: ['attributes', 'limit', 'offset', 'group', 'lock'],
        maxArgs: 1,
      },
      findAll: {
        key: { kind: 'filter', arg: 0, path: ['where'] },
        inValue: '{ [Op.in]: $KEYS }',
        imports: [{ module: 'sequelize', named: ['Op'] }],
        rows: 'many',
        refuseOptions: ['attributes', 'limit', 'offset', 'group', 'lock'],
        maxArgs: 1,
      },
    },
  },
};
