// Library knowledge for the MongoDB Node driver: MongoClient is a pool; find/aggregate return cursors read by terminal methods.
import type { LibraryInput, MethodSpecInput } from './schema';

const batchForm = 'one `find({ _id: { $in: ids } })`, then a lookup map';
const write = (form: string): MethodSpecInput => ({ effect: 'write', batchForm: form });
const cursorRead: MethodSpecInput = { effect: 'read', collection: true, bound: { chain: ['limit'] } };

export const mongodb: LibraryInput = {
  id: 'mongodb',
  zeroLimitMeansNoLimit: true,
  modules: ['mongodb'],
  exports: {
    MongoClient: {
      construct: 'MongoClient',
      type: 'MongoClient',
      members: { connect: { call: { resolves: 'MongoClient', lifecycle: 'connect' } } },
    },
    Db: { type: 'Db' },
    Collection: { type: 'Collection' },
    FindCursor: { type: 'FindCursor' },
    AggregationCursor: { type: 'AggregationCursor' },
  },
  types: {
    MongoClient: {
      // Each MongoClient owns a connection pool (maxPoolSize 100 by default); one per process is the pattern.
      connection: 'pool',
      methods: {
        connect: { lifecycle: 'connect' },
        close: { lifecycle: 'close' },
        db: { returns: 'Db' },
        startSession: {},
        bulkWrite: { effect: 'write', batch: true },
      },
    },
    Db: {
      methods: {
        collection: { returns: 'Collection' },
        aggregate: {
          effect: 'read',
          deferred: true,
          returns: 'AggregationCursor',
          collection: true,
          bound: { chain: ['limit'] },
        },
        command: { effect: 'read' },
        listCollections: { returns: 'Cursor' },
      },
    },
    Collection: {
      methods: {
        find: {
          effect: 'read',
          deferred: true,
          returns: 'FindCursor',
          collection: true,
          bound: { options: ['limit'], optionsArg: 1, chain: ['limit'] },
          batchForm,
        },
        findOne: { effect: 'read', single: true, batchForm },
        aggregate: {
          effect: 'read',
          deferred: true,
          returns: 'AggregationCursor',
          collection: true,
          bound: { chain: ['limit'] },
          batchForm: 'one aggregate with `{ $match: { _id: { $in: ids } } }`',
        },
        countDocuments: { effect: 'read', batchForm: 'one aggregate grouping by the key' },
        estimatedDocumentCount: { effect: 'read' },
        distinct: { effect: 'read' },
        insertOne: write('insertMany(docs)'),
        insertMany: { effect: 'write', batch: true },
        updateOne: write('bulkWrite([{ updateOne: … }, …])'),
        updateMany: { effect: 'write', batch: true },
        replaceOne: write('bulkWrite([{ replaceOne: … }, …])'),
        deleteOne: write('deleteMany({ _id: { $in: ids } })'),
        deleteMany: { effect: 'write', batch: true },
        findOneAndUpdate: write('bulkWrite([{ updateOne: … }, …])'),
        findOneAndReplace: write('bulkWrite([{ replaceOne: … }, …])'),
        findOneAndDelete: write('deleteMany({ _id: { $in: ids } })'),
        bulkWrite: { effect: 'write', batch: true },
        createIndex: { effect: 'write' },
      },
    },
    Cursor: {
      description: 'A driver cursor: nothing runs until a terminal method or `for await` pulls documents.',
      methods: {
        toArray: cursorRead,
        next: { effect: 'read', single: true },
        tryNext: { effect: 'read', single: true },
        hasNext: { effect: 'read' },
        forEach: cursorRead,
        close: { lifecycle: 'close' },
        batchSize: { returns: 'Cursor' },
        map: { returns: 'Cursor' },
        stream: {},
      },
    },
    FindCursor: {
      extends: ['Cursor'],
      methods: {
        filter: { returns: 'FindCursor' },
        project: { returns: 'FindCursor' },
        sort: { returns: 'FindCursor' },
        skip: { returns: 'FindCursor' },
        limit: { returns: 'FindCursor' },
        hint: { returns: 'FindCursor' },
        collation: { returns: 'FindCursor' },
        map: { returns: 'FindCursor' },
        count: { effect: 'read' },
      },
    },
    AggregationCursor: {
      extends: ['Cursor'],
      methods: {
        match: { returns: 'AggregationCursor' },
        project: { returns: 'AggregationCursor' },
        sort: { returns: 'AggregationCursor' },
        skip: { returns: 'AggregationCursor' },
        limit: { returns: 'AggregationCursor' },
        group: { returns: 'AggregationCursor' },
        lookup: { returns: 'AggregationCursor' },
        unwind: { returns: 'AggregationCursor' },
        map: { returns: 'AggregationCursor' },
      },
    },
  },
};
