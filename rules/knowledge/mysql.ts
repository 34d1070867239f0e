// Library knowledge for `mysql` (callback API): createPool pools, createConnection opens one dedicated connection.
import type { LibraryInput, MethodSpecInput } from './schema';

const query: MethodSpecInput = {
  effect: 'read',
  sqlArg: 0,
  // mysql expands an array bound to `?` into a list, so `IN (?)` with [ids] is the batch form.
  batchForm: 'one query with `WHERE id IN (?)` bound to the array of ids, then a lookup map',
};

/** Factories and types of the callback API; mysql2 exports the same ones. */
export const mysqlFactories = {
  createPool: { call: { returns: 'Pool' } },
  createConnection: { call: { returns: 'Connection' } },
  createPoolCluster: { call: { returns: 'PoolCluster' } },
  Pool: { type: 'Pool' },
  Connection: { type: 'Connection' },
  PoolConnection: { type: 'PoolConnection' },
  PoolCluster: { type: 'PoolCluster' },
};

export const mysql: LibraryInput = {
  id: 'mysql',
  modules: ['mysql'],
  exports: { ...mysqlFactories, default: { members: mysqlFactories } },
  types: {
    Pool: {
      connection: 'pool',
      methods: {
        query,
        // The connection arrives in a callback; the engine cannot type it from here.
        getConnection: { lifecycle: 'connect' },
        end: { lifecycle: 'close' },
      },
    },
    Connection: {
      connection: 'client',
      methods: {
        query,
        connect: { lifecycle: 'connect' },
        end: { lifecycle: 'close' },
        destroy: { lifecycle: 'close' },
      },
    },
    PoolConnection: {
      extends: ['Connection'],
      methods: { release: { lifecycle: 'release' } },
    },
    PoolCluster: {
      connection: 'pool',
      methods: {
        getConnection: { lifecycle: 'connect' },
        of: { returns: 'PoolNamespace' },
        end: { lifecycle: 'close' },
      },
    },
    // A view of the cluster's pools selected by a pattern; it opens nothing itself.
    PoolNamespace: {
      methods: { query, getConnection: { lifecycle: 'connect' } },
    },
  },
};
