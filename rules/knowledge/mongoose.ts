// Library knowledge for Mongoose: Model statics build Queries that run when awaited or exec'd; documents save themselves.
import type { HandleTypeInput, LibraryInput, MethodSpecInput } from './schema';

const inIds = 'one `find({ _id: { $in: ids } })`, then a lookup map';
// find(filter, projection, options): the options object is the third argument.
const findBound = { options: ['limit'], optionsArg: 2, chain: ['limit'] };
const queryRead = (extra: MethodSpecInput): MethodSpecInput => ({
  effect: 'read',
  deferred: true,
  returns: 'Query',
  ...extra,
});
const queryWrite = (batchForm?: string, batch = false): MethodSpecInput => ({
  effect: 'write',
  deferred: true,
  returns: 'Query',
  batchForm,
  batch,
});

const chain = (type: string, names: string[]): HandleTypeInput['methods'] =>
  Object.fromEntries(names.map((name) => [name, { returns: type }]));

export const mongoose: LibraryInput = {
  id: 'mongoose',
  zeroLimitMeansNoLimit: true,
  modules: ['mongoose'],
  exports: {
    // The default export is the process-wide Mongoose instance; its members also name the classes
    // (`mongoose.Model<T>`).
    default: {
      value: 'Mongoose',
      members: {
        Model: { type: 'Model', staticType: 'Model' },
        Query: { type: 'Query' },
        Document: { type: 'Document' },
        Connection: { type: 'Connection' },
      },
    },
    connect: { call: { resolves: 'Mongoose', lifecycle: 'connect' } },
    createConnection: { call: { returns: 'Connection' } },
    disconnect: { call: { lifecycle: 'close' } },
    model: { call: { returns: 'Model' } },
    Mongoose: { construct: 'Mongoose', type: 'Mongoose' },
    Connection: { type: 'Connection' },
    Model: { type: 'Model', staticType: 'Model' },
    Query: { type: 'Query' },
    Aggregate: { type: 'Aggregate' },
    Document: { type: 'Document' },
    HydratedDocument: { type: 'Document' },
  },
  types: {
    Mongoose: {
      methods: {
        connect: { resolves: 'Mongoose', lifecycle: 'connect' },
        createConnection: { returns: 'Connection' },
        disconnect: { lifecycle: 'close' },
        model: { returns: 'Model' },
        startSession: {},
      },
      properties: { connection: 'Connection', models: 'ModelRegistry' },
    },
    Connection: {
      // Each connection is its own driver pool (maxPoolSize 100 by default).
      connection: 'pool',
      methods: {
        model: { returns: 'Model' },
        asPromise: { resolves: 'Connection', lifecycle: 'connect' },
        openUri: { resolves: 'Connection', lifecycle: 'connect' },
        useDb: { returns: 'DbView' },
        close: { lifecycle: 'close' },
        collection: { returns: 'mongodb.Collection' },
      },
      properties: { db: 'mongodb.Db', models: 'ModelRegistry' },
    },
    // useDb() switches database over the same connection pool.
    DbView: { extends: ['Connection'], properties: { models: 'ModelRegistry' } },
    ModelRegistry: { anyProperty: 'Model' },
    Model: {
      methods: {
        find: queryRead({ collection: true, bound: findBound, resolvesEach: 'Document', batchForm: inIds }),
        findOne: queryRead({ single: true, resolves: 'Document', batchForm: inIds }),
        findById: queryRead({ single: true, resolves: 'Document', batchForm: inIds }),
        exists: queryRead({ single: true }),
        countDocuments: queryRead({ batchForm: 'one aggregate grouping by the key' }),
        estimatedDocumentCount: queryRead({}),
        distinct: queryRead({}),
        where: { returns: 'Query' },
        findOneAndUpdate: queryWrite('updateMany or bulkWrite([{ updateOne: … }, …])'),
        findByIdAndUpdate: queryWrite('updateMany or bulkWrite([{ updateOne: … }, …])'),
        findOneAndReplace: queryWrite('bulkWrite([{ replaceOne: … }, …])'),
        findOneAndDelete: queryWrite('deleteMany({ _id: { $in: ids } })'),
        findByIdAndDelete: queryWrite('deleteMany({ _id: { $in: ids } })'),
        updateOne: queryWrite('updateMany or bulkWrite([{ updateOne: … }, …])'),
        replaceOne: queryWrite('bulkWrite([{ replaceOne: … }, …])'),
        deleteOne: queryWrite('deleteMany({ _id: { $in: ids } })'),
        updateMany: queryWrite(undefined, true),
        deleteMany: queryWrite(undefined, true),
        // create() and insertMany() return promises, not Queries: they run at the call.
        create: { effect: 'write', resolves: 'Document', batchForm: 'insertMany(docs)' },
        insertOne: { effect: 'write', resolves: 'Document', batchForm: 'insertMany(docs)' },
        insertMany: { effect: 'write', batch: true, resolvesEach: 'Document' },
        bulkWrite: { effect: 'write', batch: true },
        bulkSave: { effect: 'write', batch: true },
        aggregate: {
          effect: 'read',
          deferred: true,
          returns: 'Aggregate',
          collection: true,
          bound: { chain: ['limit'] },
          batchForm: 'one aggregate with `{ $match: { _id: { $in: ids } } }`',
        },
        populate: { effect: 'read', batch: true },
        hydrate: { returns: 'Document' },
      },
    },
    Query: {
      description: 'A Mongoose query: runs when awaited, or on exec().',
      thenable: 'read',
      methods: {
        ...chain('Query', [
          'where',
          'equals',
          'in',
          'nin',
          'gt',
          'gte',
          'lt',
          'lte',
          'ne',
          'or',
          'and',
          'nor',
          'exists',
          'regex',
          'elemMatch',
          'limit',
          'skip',
          'sort',
          'select',
          'projection',
          'lean',
          'populate',
          'session',
          'hint',
          'setOptions',
          'orFail',
          'maxTimeMS',
          'collation',
          'batchSize',
          'read',
          'comment',
          'allowDiskUse',
          'transform',
          'cast',
        ]),
        exec: { effect: 'read' },
        cursor: {},
      },
    },
    Aggregate: {
      thenable: 'read',
      methods: {
        ...chain('Aggregate', [
          'match',
          'group',
          'sort',
          'limit',
          'skip',
          'project',
          'lookup',
          'unwind',
          'addFields',
          'facet',
          'count',
          'sample',
          'option',
          'allowDiskUse',
          'session',
        ]),
        exec: { effect: 'read' },
        cursor: {},
      },
    },
    Document: {
      methods: {
        save: { effect: 'write', batchForm: 'insertMany(docs) or bulkSave(docs)' },
        deleteOne: { effect: 'write', batchForm: 'deleteMany({ _id: { $in: ids } })' },
        updateOne: {
          effect: 'write',
          deferred: true,
          returns: 'Query',
          batchForm: 'updateMany or bulkWrite([{ updateOne: … }, …])',
        },
        populate: { effect: 'read', resolves: 'Document', batchForm: 'populate on the query that loads the documents' },
        validate: {},
        toObject: {},
        toJSON: {},
      },
    },
  },
};
