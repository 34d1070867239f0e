// Library knowledge for node-postgres (`pg`): Pool pools, Client does not; `.query` is a round trip whose kind is in its SQL.
import type { LibraryInput } from './schema';

const query = { effect: 'read', sqlArg: 0, batchForm: 'one query with `WHERE id = ANY($1)` and a lookup map' } as const;

export const pg: LibraryInput = {
  id: 'pg',
  modules: ['pg', 'pg-pool'],
  // LISTEN keeps the session subscribed; session advisory locks belong to the connection that took them.
  dedicatedStatements: ['\\bLISTEN\\b', '\\bpg_(try_)?advisory_lock\\b'],
  exports: {
    Pool: { construct: 'Pool', type: 'Pool' },
    Client: { construct: 'Client', type: 'Client' },
    PoolClient: { type: 'PoolClient' },
    default: {
      members: {
        Pool: { construct: 'Pool', type: 'Pool' },
        Client: { construct: 'Client', type: 'Client' },
        PoolClient: { type: 'PoolClient' },
      },
    },
  },
  types: {
    Pool: {
      connection: 'pool',
      methods: {
        query,
        connect: { returns: 'PoolClient', lifecycle: 'connect' },
        end: { lifecycle: 'close' },
      },
    },
    Client: {
      connection: 'client',
      methods: {
        query,
        connect: { lifecycle: 'connect' },
        end: { lifecycle: 'close' },
      },
    },
    PoolClient: {
      methods: {
        query,
        release: { lifecycle: 'release' },
      },
    },
  },
};
