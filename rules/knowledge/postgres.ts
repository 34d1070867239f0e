// Library knowledge for postgres.js (`postgres`) and pg-promise: both pool by default and take SQL per call.
import type { LibraryInput, MethodSpecInput } from './schema';

const anyForm = 'one query with `WHERE id = ANY(...)` over the array of ids, then a lookup map';

/** sql`...` builds a lazy query that runs when awaited; sql(ids) / sql(row, 'a', 'b') are helpers for inside one. */
const tag: MethodSpecInput = {
  effect: 'read',
  deferred: true,
  taggedOnly: true,
  sqlArg: 0,
  returns: 'PendingQuery',
  batchForm: 'one query with `WHERE id = ANY(${ids})` (or `IN ${sql(ids)}`)',
};

export const postgresJs: LibraryInput = {
  id: 'postgres-js',
  modules: ['postgres'],
  exports: {
    // `const sql = postgres(url)`: a pool (max 10 by default) that is also the query tag.
    default: { call: { returns: 'Sql' } },
    '*': { call: { returns: 'Sql' } },
    Sql: { type: 'Sql' },
  },
  types: {
    Sql: {
      connection: 'pool',
      callable: tag,
      methods: {
        unsafe: { effect: 'read', deferred: true, sqlArg: 0, returns: 'PendingQuery', batchForm: anyForm },
        file: { effect: 'read', deferred: true, returns: 'PendingQuery' },
        // sql.begin(async (sql) => { … }): the callback's sql is the transaction's own tag.
        begin: { callbackHandle: 'TransactionSql' },
        reserve: { resolves: 'ReservedSql', lifecycle: 'connect' },
        // LISTEN holds a connection of its own for as long as it listens.
        listen: { dedicated: true },
        notify: { effect: 'write' },
        end: { lifecycle: 'close' },
      },
    },
    ReservedSql: { extends: ['Sql'], callable: tag, methods: { release: { lifecycle: 'release' } } },
    TransactionSql: { extends: ['Sql'], callable: tag, methods: { savepoint: { callbackHandle: 'TransactionSql' } } },
    PendingQuery: {
      thenable: 'read',
      methods: {
        values: { returns: 'PendingQuery' },
        raw: { returns: 'PendingQuery' },
        simple: { returns: 'PendingQuery' },
        execute: { returns: 'PendingQuery' },
        // cursor(n) reads n rows per round trip: bounded.
        cursor: { effect: 'read' },
        forEach: { effect: 'read' },
        describe: { effect: 'read' },
        cancel: {},
      },
    },
  },
};

const sql = (extra: MethodSpecInput = {}): MethodSpecInput => ({
  effect: 'read',
  sqlArg: 0,
  batchForm: anyForm,
  ...extra,
});

export const pgPromise: LibraryInput = {
  id: 'pg-promise',
  modules: ['pg-promise'],
  exports: {
    // `const pgp = require('pg-promise')(options); const db = pgp(connection)`.
    default: { call: { returns: 'Main' } },
    '*': { call: { returns: 'Main' } },
  },
  types: {
    Main: { callable: { returns: 'Database' } },
    Protocol: {
      description: 'The query methods shared by a database, a task and a transaction.',
      methods: {
        query: sql(),
        any: sql(),
        many: sql(),
        manyOrNone: sql(),
        one: sql({ single: true }),
        oneOrNone: sql({ single: true }),
        none: sql(),
        result: sql(),
        multi: sql(),
        multiResult: sql(),
        map: sql(),
        each: sql(),
        func: { effect: 'read' },
        proc: { effect: 'read' },
        stream: { effect: 'read' },
        // db.task((t) => …) / db.tx((t) => …): t has the same query methods, on one connection.
        task: { callbackHandle: 'Task' },
        tx: { callbackHandle: 'Task' },
        taskIf: { callbackHandle: 'Task' },
        txIf: { callbackHandle: 'Task' },
      },
    },
    Database: {
      // Each pgp(connection) call for the same connection details creates another pool (pg-promise warns about it).
      connection: 'pool',
      extends: ['Protocol'],
      properties: { $pool: 'pg.Pool' },
      methods: { connect: { resolves: 'Connected', lifecycle: 'connect' } },
    },
    Connected: { extends: ['Protocol'], methods: { done: { lifecycle: 'release' } } },
    Task: { extends: ['Protocol'] },
  },
};
