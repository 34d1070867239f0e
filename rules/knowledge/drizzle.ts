// Library knowledge for drizzle-orm: `drizzle(client)` wraps a driver; select/insert/update/delete builders run when awaited.
import type { HandleTypeInput, LibraryInput, MethodSpecInput } from './schema';

const inIds = 'one select with `.where(inArray(table.id, ids))`, then a lookup map';
const chain = (type: string, names: string[]): HandleTypeInput['methods'] =>
  Object.fromEntries(names.map((name) => [name, { returns: type }]));

const selectStart: MethodSpecInput = {
  effect: 'read',
  deferred: true,
  returns: 'Select',
  collection: true,
  bound: { chain: ['limit'] },
  batchForm: inIds,
};
// The SQLite drivers add synchronous terminals: all/get/values read, run writes.
const sqliteTerminals = (effect: 'read' | 'write'): HandleTypeInput['methods'] => ({
  all: { effect },
  get: { effect, single: effect === 'read' },
  values: { effect },
  run: { effect: 'write' },
});

const databaseTypes: LibraryInput['types'] = {
  Database: {
    description: 'A drizzle database; how it pools is decided by the driver client it wraps.',
    properties: { query: 'RelationalQueries' },
    methods: {
      select: selectStart,
      selectDistinct: selectStart,
      selectDistinctOn: selectStart,
      with: { returns: 'Database' },
      $with: {},
      $count: { effect: 'read', deferred: true },
      insert: {
        effect: 'write',
        deferred: true,
        returns: 'Insert',
        batchForm: 'insert(table).values(rows) with an array of rows',
      },
      update: {
        effect: 'write',
        deferred: true,
        returns: 'Write',
        batchForm: 'one update with `.where(inArray(table.id, ids))`',
      },
      delete: {
        effect: 'write',
        deferred: true,
        returns: 'Write',
        batchForm: 'one delete with `.where(inArray(table.id, ids))`',
      },
      execute: { effect: 'read', sqlArg: 0 },
      run: { effect: 'write', sqlArg: 0 },
      all: { effect: 'read', sqlArg: 0 },
      get: { effect: 'read', single: true, sqlArg: 0 },
      batch: { effect: 'write', batch: true },
      // `db.transaction(async (tx) => …)`: `tx` queries like the database itself.
      transaction: { callbackHandle: 'Database' },
    },
  },
  Select: {
    thenable: 'read',
    methods: {
      ...chain('Select', [
        'from',
        'where',
        'leftJoin',
        'rightJoin',
        'innerJoin',
        'fullJoin',
        'crossJoin',
        'orderBy',
        'groupBy',
        'having',
        'limit',
        'offset',
        'for',
        '$dynamic',
        'union',
        'unionAll',
        'intersect',
        'except',
      ]),
      execute: { effect: 'read' },
      prepare: { returns: 'Select' },
      as: {},
      toSQL: {},
      ...sqliteTerminals('read'),
    },
  },
  Insert: {
    thenable: 'write',
    methods: {
      ...chain('Insert', [
        'values',
        'returning',
        'onConflictDoNothing',
        'onConflictDoUpdate',
        'onDuplicateKeyUpdate',
        'ignore',
        'select',
        '$dynamic',
      ]),
      execute: { effect: 'write' },
      prepare: { returns: 'Insert' },
      toSQL: {},
      ...sqliteTerminals('write'),
    },
  },
  Write: {
    description: 'An update or delete builder.',
    thenable: 'write',
    methods: {
      ...chain('Write', ['set', 'where', 'returning', 'from', 'leftJoin', 'innerJoin', 'orderBy', 'limit', '$dynamic']),
      execute: { effect: 'write' },
      prepare: { returns: 'Write' },
      toSQL: {},
      ...sqliteTerminals('write'),
    },
  },
  RelationalResult: {
    thenable: 'read',
    methods: {
      execute: { effect: 'read' },
      prepare: { returns: 'RelationalResult' },
      toSQL: {},
      ...sqliteTerminals('read'),
    },
  },
  RelationalQueries: { description: '`db.query`: one entry per table in the schema.', anyProperty: 'RelationalTable' },
  RelationalTable: {
    methods: {
      findMany: {
        effect: 'read',
        deferred: true,
        returns: 'RelationalResult',
        collection: true,
        bound: { options: ['limit'], optionsArg: 0 },
        batchForm: 'findMany({ where: inArray(table.id, ids) }), or `with` on the parent query',
      },
      findFirst: {
        effect: 'read',
        deferred: true,
        returns: 'RelationalResult',
        single: true,
        batchForm: 'findMany({ where: inArray(table.id, ids) })',
      },
    },
  },
};

const databaseExports: LibraryInput['exports'] = {
  drizzle: { call: { returns: 'Database' } },
  NodePgDatabase: { type: 'Database' },
  PostgresJsDatabase: { type: 'Database' },
  PgDatabase: { type: 'Database' },
  MySql2Database: { type: 'Database' },
  MySqlDatabase: { type: 'Database' },
  LibSQLDatabase: { type: 'Database' },
  NeonHttpDatabase: { type: 'Database' },
  NeonDatabase: { type: 'Database' },
  VercelPgDatabase: { type: 'Database' },
  PlanetScaleDatabase: { type: 'Database' },
  BetterSQLite3Database: { type: 'Database' },
  BunSQLiteDatabase: { type: 'Database' },
  PgliteDatabase: { type: 'Database' },
  BaseSQLiteDatabase: { type: 'Database' },
};

export const drizzle: LibraryInput = {
  id: 'drizzle',
  modules: [
    'drizzle-orm/node-postgres',
    'drizzle-orm/postgres-js',
    'drizzle-orm/mysql2',
    'drizzle-orm/libsql',
    'drizzle-orm/neon-http',
    'drizzle-orm/neon-serverless',
    'drizzle-orm/vercel-postgres',
    'drizzle-orm/planetscale-serverless',
    'drizzle-orm/tidb-serverless',
    'drizzle-orm/d1',
    'drizzle-orm/aws-data-api/pg',
    'drizzle-orm/pg-core',
    'drizzle-orm/mysql-core',
    'drizzle-orm/sqlite-core',
  ],
  exports: databaseExports,
  types: databaseTypes,
};

/** Drizzle over an in-process database (SQLite files, PGlite): same API, cheap round trips. */
export const drizzleEmbedded: LibraryInput = {
  id: 'drizzle-embedded',
  modules: [
    'drizzle-orm/better-sqlite3',
    'drizzle-orm/bun-sqlite',
    'drizzle-orm/sql-js',
    'drizzle-orm/pglite',
    'drizzle-orm/expo-sqlite',
    'drizzle-orm/op-sqlite',
  ],
  inProcess: true,
  exports: databaseExports,
  types: databaseTypes,
};
