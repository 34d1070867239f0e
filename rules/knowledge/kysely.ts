// Library knowledge for Kysely: builders are not thenables; execute/executeTakeFirst run them.
import type { HandleTypeInput, LibraryInput, MethodSpecInput } from './schema';

const inIds = "one select with `.where('id', 'in', ids)`, then a lookup map";
const chain = (type: string, names: string[]): HandleTypeInput['methods'] =>
  Object.fromEntries(names.map((name) => [name, { returns: type }]));
const common = [
  'where',
  'whereRef',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'orderBy',
  'limit',
  'offset',
  'modifyEnd',
  'modifyFront',
  '$if',
  '$call',
  '$narrowType',
  '$castTo',
  '$assertType',
  'top',
];
const writeTerminal: MethodSpecInput = {
  effect: 'write',
  batchForm: "one insertInto(table).values(rows), or one update/delete with `.where('id', 'in', ids)`",
};

export const kysely: LibraryInput = {
  id: 'kysely',
  modules: ['kysely'],
  exports: {
    Kysely: { construct: 'Kysely', type: 'Kysely' },
    Transaction: { type: 'Kysely' },
    // sql`...` builds a raw query that runs at `.execute(db)`.
    sql: { call: { sqlArg: 0, returns: 'RawBuilder' } },
  },
  types: {
    QueryCreator: {
      methods: {
        // Builders do nothing until execute*: the starts are plain builder calls and the terminals carry the effect.
        selectFrom: { returns: 'SelectQueryBuilder' },
        selectNoFrom: { returns: 'SelectQueryBuilder' },
        insertInto: { returns: 'WriteQueryBuilder' },
        replaceInto: { returns: 'WriteQueryBuilder' },
        updateTable: { returns: 'WriteQueryBuilder' },
        deleteFrom: { returns: 'WriteQueryBuilder' },
        mergeInto: { returns: 'WriteQueryBuilder' },
        with: { returns: 'QueryCreator' },
        withRecursive: { returns: 'QueryCreator' },
        withSchema: { returns: 'QueryCreator' },
      },
    },
    Kysely: {
      description:
        'A Kysely instance; it pools through its dialect (PostgresDialect({ pool }), MysqlDialect({ pool })).',
      connection: 'pool',
      extends: ['QueryCreator'],
      methods: {
        destroy: { lifecycle: 'close' },
        transaction: { returns: 'TransactionBuilder' },
        startTransaction: {},
        connection: {},
        withPlugin: { returns: 'KyselyView' },
        withoutPlugins: { returns: 'KyselyView' },
        withSchema: { returns: 'KyselyView' },
        withTables: { returns: 'KyselyView' },
        executeQuery: { effect: 'read' },
      },
    },
    // with*() copies share the original's dialect and pool.
    KyselyView: { extends: ['Kysely'] },
    TransactionBuilder: {
      methods: {
        // `db.transaction().execute(async (trx) => …)`: `trx` is a Kysely bound to the transaction.
        execute: { callbackHandle: 'Kysely' },
        setIsolationLevel: { returns: 'TransactionBuilder' },
        setAccessMode: { returns: 'TransactionBuilder' },
      },
    },
    SelectQueryBuilder: {
      methods: {
        ...chain('SelectQueryBuilder', [
          ...common,
          'select',
          'selectAll',
          'distinct',
          'distinctOn',
          'groupBy',
          'having',
          'union',
          'unionAll',
          'intersect',
          'except',
          'forUpdate',
          'forShare',
          'skipLocked',
          'noWait',
          'clearSelect',
          'clearWhere',
          'clearOrderBy',
          'fetch',
        ]),
        execute: { effect: 'read', collection: true, bound: { chain: ['limit'] }, batchForm: inIds },
        executeTakeFirst: { effect: 'read', single: true, batchForm: inIds },
        executeTakeFirstOrThrow: { effect: 'read', single: true, batchForm: inIds },
        stream: { effect: 'read', collection: true, bound: { chain: ['limit'] } },
        as: {},
        compile: {},
      },
    },
    WriteQueryBuilder: {
      description: 'insertInto/updateTable/deleteFrom builders.',
      methods: {
        ...chain('WriteQueryBuilder', [
          ...common,
          'values',
          'set',
          'columns',
          'expression',
          'returning',
          'returningAll',
          'onConflict',
          'onDuplicateKeyUpdate',
          'ignore',
          'using',
          'output',
          'outputAll',
          'whenMatched',
          'whenNotMatched',
          'thenUpdateSet',
          'thenDelete',
          'thenInsertValues',
        ]),
        execute: writeTerminal,
        executeTakeFirst: writeTerminal,
        executeTakeFirstOrThrow: writeTerminal,
        compile: {},
      },
    },
    RawBuilder: { methods: { execute: { effect: 'read', sqlArg: 0 }, as: {}, compile: {} } },
  },
};
