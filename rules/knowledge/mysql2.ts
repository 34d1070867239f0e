// Library knowledge for `mysql2` (callback API) and `mysql2/promise`; `.promise()` bridges the two.
import type { LibraryInput, MethodSpecInput } from './schema';
import { mysqlFactories } from './mysql';

const batchForm = 'one query with `WHERE id IN (?)` bound to the array of ids, then a lookup map';
const query: MethodSpecInput = { effect: 'read', sqlArg: 0, batchForm };
// `execute` prepares the statement; arrays are not expanded there, so the batch form is still `query`.
const execute: MethodSpecInput = { effect: 'read', sqlArg: 0, batchForm };

export const mysql2: LibraryInput = {
  id: 'mysql2',
  modules: ['mysql2'],
  exports: { ...mysqlFactories, default: { members: mysqlFactories } },
  types: {
    // The callback API is mysql's, plus prepared statements (`execute`) and `.promise()` views.
    Pool: {
      connection: 'pool',
      extends: ['mysql.Pool'],
      methods: {
        execute,
        releaseConnection: { lifecycle: 'release' },
        promise: { returns: 'mysql2-promise.PoolView' },
      },
    },
    Connection: {
      connection: 'client',
      extends: ['mysql.Connection'],
      methods: {
        execute,
        promise: { returns: 'mysql2-promise.ConnectionView' },
      },
    },
    PoolConnection: {
      extends: ['Connection'],
      methods: {
        release: { lifecycle: 'release' },
        promise: { returns: 'mysql2-promise.PoolConnection' },
      },
    },
    PoolCluster: {
      connection: 'pool',
      methods: {
        getConnection: { lifecycle: 'connect' },
        of: { returns: 'PoolNamespace' },
        end: { lifecycle: 'close' },
      },
    },
    PoolNamespace: {
      methods: { query, execute, getConnection: { lifecycle: 'connect' } },
    },
  },
};

const promiseFactories = {
  createPool: { call: { returns: 'Pool' } },
  // Unlike the callback API, this connects before resolving.
  createConnection: { call: { resolves: 'Connection', lifecycle: 'connect' } },
  createPoolCluster: { call: { returns: 'PoolCluster' } },
  Pool: { type: 'Pool' },
  Connection: { type: 'Connection' },
  PoolConnection: { type: 'PoolConnection' },
  PoolCluster: { type: 'PoolCluster' },
} as const;

export const mysql2Promise: LibraryInput = {
  id: 'mysql2-promise',
  modules: ['mysql2/promise'],
  resultIsTuple: true,
  exports: { ...promiseFactories, default: { members: promiseFactories } },
  types: {
    Pool: {
      connection: 'pool',
      methods: {
        query,
        execute,
        getConnection: { resolves: 'PoolConnection', lifecycle: 'connect' },
        releaseConnection: { lifecycle: 'release' },
        end: { lifecycle: 'close' },
      },
    },
    Connection: {
      connection: 'client',
      methods: {
        query,
        execute,
        // The statement's SQL is here; its `execute` is the round trip.
        prepare: { sqlArg: 0, resolves: 'PreparedStatement' },
        connect: { lifecycle: 'connect' },
        end: { lifecycle: 'close' },
        destroy: { lifecycle: 'close' },
      },
    },
    PoolConnection: {
      extends: ['Connection'],
      methods: { release: { lifecycle: 'release' } },
    },
    // `.promise()` wraps the callback pool or connection it is called on: same connections, nothing new opened.
    PoolView: { extends: ['Pool'] },
    ConnectionView: { extends: ['Connection'] },
    PreparedStatement: {
      methods: { execute: { effect: 'read', batchForm }, close: {} },
    },
    PoolCluster: {
      connection: 'pool',
      methods: {
        getConnection: { resolves: 'PoolConnection', lifecycle: 'connect' },
        of: { returns: 'PoolNamespace' },
        end: { lifecycle: 'close' },
      },
    },
    PoolNamespace: {
      methods: { query, execute, getConnection: { resolves: 'PoolConnection', lifecycle: 'connect' } },
    },
  },
};
