// Library knowledge for Objection.js: Model.query() starts a (knex) QueryBuilder that runs when awaited.
import type { LibraryInput, MethodSpecInput } from './schema';

const startRead: MethodSpecInput = {
  effect: 'read',
  deferred: true,
  returns: 'QueryBuilder',
  collection: true,
  // findById/findOne/first narrow to one row; page/range paginate.
  bound: { chain: ['limit', 'first', 'findById', 'findOne', 'page', 'range'] },
  batchForm: "one query with `.findByIds(ids)` or `.whereIn('id', ids)`, or `withGraphFetched` on the parent query",
};
const write = (batchForm?: string): MethodSpecInput => ({ effect: 'write', deferred: true, returns: 'QueryBuilder', batchForm });

const chainNames = [
  'select', 'column', 'columns', 'where', 'andWhere', 'orWhere', 'whereNot', 'whereIn', 'whereNotIn', 'whereNull', 'whereNotNull',
  'whereBetween', 'whereRaw', 'whereExists', 'whereComposite', 'whereInComposite', 'join', 'innerJoin', 'leftJoin', 'joinRelated',
  'leftJoinRelated', 'innerJoinRelated', 'orderBy', 'groupBy', 'having', 'limit', 'offset', 'first', 'page', 'range', 'findById',
  'findByIds', 'findOne', 'withGraphFetched', 'withGraphJoined', 'allowGraph', 'modify', 'modifiers', 'throwIfNotFound', 'returning',
  'skipUndefined', 'context', 'transacting', 'forUpdate', 'distinct', 'count', 'countDistinct', 'max', 'min', 'sum', 'avg', 'alias', 'as',
  'for', 'castTo', 'timeout', 'debug', 'clone', 'onConflict', 'merge', 'ignore',
];

export const objection: LibraryInput = {
  id: 'objection',
  modules: ['objection'],
  exports: {
    Model: { staticType: 'ModelClass', instanceType: 'Instance', type: 'Instance' },
    QueryBuilder: { type: 'QueryBuilder' },
    ModelClass: { type: 'ModelClass' },
  },
  types: {
    ModelClass: {
      description: 'The static side of `class Person extends Model`.',
      methods: {
        query: startRead,
        relatedQuery: startRead,
        fetchGraph: { effect: 'read', deferred: true, batch: true, returns: 'QueryBuilder' },
        knex: { returns: 'knex.Knex' },
        bindKnex: { returns: 'ModelClass' },
        fromJson: { returns: 'Instance' },
        transaction: {},
        startTransaction: {},
      },
    },
    QueryBuilder: {
      thenable: 'read',
      methods: {
        ...Object.fromEntries(chainNames.map((name) => [name, { returns: 'QueryBuilder' }])),
        insert: write('insert(rows) with an array of rows'),
        insertAndFetch: write('insertAndFetch(rows) with an array'),
        insertGraph: write('one insertGraph(graphs) with an array'),
        insertGraphAndFetch: write('one insertGraphAndFetch(graphs) with an array'),
        upsertGraph: write('one upsertGraph(graphs) with an array'),
        upsertGraphAndFetch: write('one upsertGraphAndFetch(graphs) with an array'),
        patch: write("one patch with `.whereIn('id', ids)`"),
        patchAndFetchById: write("one patch with `.whereIn('id', ids)`"),
        update: write("one update with `.whereIn('id', ids)`"),
        updateAndFetchById: write(),
        delete: write("one delete with `.whereIn('id', ids)`"),
        deleteById: write("one delete with `.whereIn('id', ids)`"),
        relate: write('relate(ids) with an array'),
        unrelate: write(),
        increment: write(),
        decrement: write(),
        resultSize: { effect: 'read' },
        execute: { effect: 'read' },
        toKnexQuery: {},
      },
    },
    Instance: {
      methods: {
        $query: { effect: 'read', deferred: true, returns: 'QueryBuilder', single: true },
        $relatedQuery: startRead,
        $fetchGraph: { effect: 'read', deferred: true, returns: 'QueryBuilder', batchForm: 'Model.fetchGraph(instances, expression)' },
        $beforeInsert: {},
        $afterFind: {},
        $toJson: {},
        $clone: {},
        $set: {},
      },
    },
  },
};
