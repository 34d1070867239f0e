// Library knowledge for Knex: `knex(config)` is a pooled instance; `db('t')` starts a builder that runs when awaited.
import type { HandleTypeInput, LibraryInput, MethodSpecInput } from './schema';

const inIds = "one builder with `.whereIn('id', ids)`, then a lookup map";
const startRead: MethodSpecInput = {
  effect: 'read',
  deferred: true,
  returns: 'Builder',
  collection: true,
  bound: { chain: ['limit', 'first'] },
  batchForm: inIds,
};
const startWrite = (batchForm?: string): MethodSpecInput => ({ effect: 'write', deferred: true, returns: 'Builder', batchForm });

const builderChain = [
  'select', 'column', 'columns', 'from', 'into', 'table', 'as', 'with', 'withRecursive', 'distinct', 'distinctOn',
  'where', 'andWhere', 'orWhere', 'whereNot', 'whereIn', 'orWhereIn', 'whereNotIn', 'whereNull', 'whereNotNull',
  'whereBetween', 'whereRaw', 'whereExists', 'whereLike', 'whereILike', 'whereJsonPath',
  'join', 'innerJoin', 'leftJoin', 'leftOuterJoin', 'rightJoin', 'fullOuterJoin', 'crossJoin', 'joinRaw',
  'orderBy', 'orderByRaw', 'groupBy', 'groupByRaw', 'having', 'havingRaw', 'limit', 'offset', 'first',
  'pluck', 'count', 'countDistinct', 'min', 'max', 'sum', 'avg', 'returning', 'onConflict', 'merge', 'ignore',
  'modify', 'clone', 'forUpdate', 'forShare', 'skipLocked', 'noWait', 'timeout', 'transacting', 'clearSelect',
  'clearWhere', 'clearOrder', 'union', 'unionAll', 'debug', 'options', 'connection',
];

const writes: HandleTypeInput['methods'] = {
  insert: startWrite('insert(rows) with an array of rows'),
  upsert: startWrite('upsert(rows) with an array of rows'),
  update: startWrite("one update with `.whereIn('id', ids)` (or a CASE / a join on a VALUES list)"),
  del: startWrite("one delete with `.whereIn('id', ids)`"),
  delete: startWrite("one delete with `.whereIn('id', ids)`"),
  increment: startWrite(),
  decrement: startWrite(),
  truncate: startWrite(),
};

export const knex: LibraryInput = {
  id: 'knex',
  modules: ['knex'],
  exports: {
    // `require('knex')` and the default export are the factory itself.
    default: { call: { returns: 'Knex' }, members: { knex: { call: { returns: 'Knex' } } } },
    '*': { call: { returns: 'Knex' }, members: { knex: { call: { returns: 'Knex' } } } },
    knex: { call: { returns: 'Knex' } },
    Knex: { type: 'Knex' },
  },
  types: {
    Knex: {
      description: 'A knex instance (or transaction): callable with a table name.',
      connection: 'pool',
      callable: startRead,
      properties: { schema: 'SchemaBuilder' },
      methods: {
        ...writes,
        select: startRead,
        from: startRead,
        table: startRead,
        queryBuilder: startRead,
        raw: { effect: 'read', deferred: true, sqlArg: 0, returns: 'Raw', batchForm: 'one query with `WHERE id = ANY(?)` or `IN (...)`' },
        batchInsert: { effect: 'write', deferred: true, batch: true },
        // `knex.transaction(async (trx) => …)` hands the callback the transaction; without one it resolves to it.
        transaction: { resolves: 'Transaction', callbackHandle: 'Transaction' },
        transactionProvider: {},
        destroy: { lifecycle: 'close' },
        initialize: { lifecycle: 'connect' },
        ref: {},
        fn: {},
      },
    },
    Transaction: {
      extends: ['Knex'],
      // `trx('orders')` starts a query like `knex('orders')` (a callable is not inherited through `extends`).
      callable: startRead,
      methods: { commit: { lifecycle: 'release' }, rollback: { lifecycle: 'release' } },
    },
    Builder: {
      description: 'A query builder: one round trip when awaited (or on then/exec/stream).',
      thenable: 'read',
      methods: {
        ...Object.fromEntries(builderChain.map((name) => [name, { returns: 'Builder' }])),
        ...writes,
        stream: { effect: 'read' },
        toSQL: {},
        toQuery: {},
        toString: {},
      },
    },
    Raw: { thenable: 'read', methods: { wrap: { returns: 'Raw' }, toSQL: {}, toQuery: {} } },
    SchemaBuilder: {
      thenable: 'write',
      methods: Object.fromEntries(
        ['createTable', 'createTableIfNotExists', 'alterTable', 'table', 'dropTable', 'dropTableIfExists', 'renameTable', 'hasTable', 'hasColumn', 'raw', 'withSchema'].map(
          (name) => [name, { returns: 'SchemaBuilder' }],
        ),
      ),
    },
  },
};
