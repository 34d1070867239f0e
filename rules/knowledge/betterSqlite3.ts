// Library knowledge for `better-sqlite3`: synchronous, in-process SQLite; prepared statements run the SQL given to `prepare`.
import type { LibraryInput } from './schema';

const batchForm =
  'one statement with `WHERE id IN (SELECT value FROM json_each(?))` bound to JSON.stringify(ids), then a lookup map';

const typeNames = { Database: { type: 'Database' }, Statement: { type: 'Statement' } };

export const betterSqlite3: LibraryInput = {
  id: 'better-sqlite3',
  modules: ['better-sqlite3'],
  inProcess: true,
  exports: {
    // CommonJS `module.exports = Database`: the require value and the default export are the class;
    // its typings namespace names the handle types (`db: Database.Database`).
    default: { construct: 'Database', type: 'Database', members: typeNames },
    '*': { construct: 'Database', type: 'Database', members: typeNames },
    Database: { type: 'Database' },
    Statement: { type: 'Statement' },
  },
  types: {
    Database: {
      connection: 'client',
      methods: {
        prepare: { sqlArg: 0, returns: 'Statement' },
        exec: { effect: 'write', sqlArg: 0 },
        pragma: { effect: 'read' },
        close: { lifecycle: 'close' },
      },
    },
    Statement: {
      methods: {
        all: { effect: 'read', batchForm },
        get: { effect: 'read', single: true, batchForm },
        iterate: { effect: 'read', batchForm },
        run: { effect: 'write', batchForm: 'a `db.transaction()` around the loop, or one multi-row INSERT' },
        bind: { returns: 'Statement' },
        pluck: { returns: 'Statement' },
        raw: { returns: 'Statement' },
        expand: { returns: 'Statement' },
      },
    },
  },
};
