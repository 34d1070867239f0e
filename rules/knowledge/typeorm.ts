// Library knowledge for TypeORM: DataSource pools; Repository/EntityManager finders run at the call; QueryBuilders run at get*/execute.
import type { HandleTypeInput, LibraryInput, MethodSpecInput } from './schema';

const inIds = 'findBy({ id: In(ids) })';

/** Finder and writer methods; EntityManager takes the entity first, so its options sit one argument later. */
function entityMethods(optionsArg: number): HandleTypeInput['methods'] {
  const take = { options: ['take'], optionsArg };
  const read = (extra: MethodSpecInput = {}): MethodSpecInput => ({ effect: 'read', batchForm: inIds, ...extra });
  const write = (batchForm: string): MethodSpecInput => ({ effect: 'write', batchForm });
  return {
    find: read({ collection: true, bound: take }),
    findAndCount: read({ collection: true, bound: take }),
    // findBy/findAndCountBy take only a where clause: nothing can bound them.
    findBy: read({ collection: true }),
    findAndCountBy: read({ collection: true }),
    findOne: read({ single: true }),
    findOneBy: read({ single: true }),
    findOneOrFail: read({ single: true }),
    findOneByOrFail: read({ single: true }),
    preload: read({ single: true }),
    count: read({ batchForm: 'one QueryBuilder with groupBy and COUNT' }),
    countBy: read({ batchForm: 'one QueryBuilder with groupBy and COUNT' }),
    exists: read(),
    existsBy: read(),
    sum: read(),
    average: read(),
    minimum: read(),
    maximum: read(),
    save: write('save(entities)'),
    insert: write('insert(entities)'),
    update: write('update({ id: In(ids) }, changes)'),
    upsert: write('upsert(entities, conflictPaths)'),
    delete: write('delete(ids)'),
    remove: write('remove(entities)'),
    softDelete: write('softDelete(ids)'),
    softRemove: write('softRemove(entities)'),
    restore: write('restore(ids)'),
    recover: write('recover(entities)'),
    increment: write('one QueryBuilder update'),
    decrement: write('one QueryBuilder update'),
    query: { effect: 'read', sqlArg: 0, batchForm: 'one query with `WHERE id IN (...)`' },
    createQueryBuilder: { returns: 'QueryBuilder' },
    create: {},
    merge: {},
  };
}

const builder = (type: string, names: string[]): HandleTypeInput['methods'] =>
  Object.fromEntries(names.map((name) => [name, { returns: type }]));
const whereMethods = ['where', 'andWhere', 'orWhere', 'whereInIds', 'andWhereInIds', 'orWhereInIds', 'setParameter', 'setParameters'];
const readChain = { chain: ['take', 'limit'] };

export const typeorm: LibraryInput = {
  id: 'typeorm',
  modules: ['typeorm'],
  exports: {
    DataSource: { construct: 'DataSource', type: 'DataSource' },
    // 0.2-era names: deprecated in 0.3, gone in 1.0, still common in services.
    Connection: { construct: 'DataSource', type: 'DataSource' },
    createConnection: { call: { resolves: 'DataSource', lifecycle: 'connect' } },
    getConnection: { call: { returns: 'DataSourceView' } },
    getRepository: { call: { returns: 'Repository' } },
    getManager: { call: { returns: 'EntityManager' } },
    Repository: { type: 'Repository', instanceType: 'Repository' },
    MongoRepository: { type: 'Repository' },
    TreeRepository: { type: 'Repository' },
    EntityManager: { type: 'EntityManager' },
    QueryRunner: { type: 'QueryRunner' },
    SelectQueryBuilder: { type: 'QueryBuilder' },
    BaseEntity: { staticType: 'BaseEntityStatic', instanceType: 'BaseEntity', type: 'BaseEntity' },
  },
  types: {
    DataSource: {
      connection: 'pool',
      properties: { manager: 'EntityManager' },
      methods: {
        initialize: { resolves: 'DataSource', lifecycle: 'connect' },
        connect: { resolves: 'DataSource', lifecycle: 'connect' },
        destroy: { lifecycle: 'close' },
        close: { lifecycle: 'close' },
        getRepository: { returns: 'Repository' },
        getMongoRepository: { returns: 'Repository' },
        getTreeRepository: { returns: 'Repository' },
        createQueryBuilder: { returns: 'QueryBuilder' },
        createQueryRunner: { returns: 'QueryRunner' },
        createEntityManager: { returns: 'EntityManager' },
        query: { effect: 'read', sqlArg: 0, batchForm: 'one query with `WHERE id IN (...)`' },
        // `dataSource.sql\`...\`` (0.3.26+): a tagged template query.
        sql: { effect: 'read', sqlArg: 0 },
        synchronize: { effect: 'write' },
        runMigrations: { effect: 'write' },
      },
    },
    // getConnection() looks up an existing connection by name; it opens nothing.
    DataSourceView: { extends: ['DataSource'], properties: { manager: 'EntityManager' } },
    Repository: {
      properties: { manager: 'EntityManager' },
      methods: entityMethods(0),
    },
    EntityManager: {
      methods: {
        ...entityMethods(1),
        getRepository: { returns: 'Repository' },
        getMongoRepository: { returns: 'Repository' },
        getTreeRepository: { returns: 'Repository' },
        withRepository: { returns: 'Repository' },
        transaction: {},
        sql: { effect: 'read', sqlArg: 0 },
      },
    },
    QueryRunner: {
      // A QueryRunner holds one pooled connection until released.
      properties: { manager: 'EntityManager' },
      methods: {
        connect: { lifecycle: 'connect' },
        release: { lifecycle: 'release' },
        query: { effect: 'read', sqlArg: 0 },
        startTransaction: {},
        commitTransaction: {},
        rollbackTransaction: {},
      },
    },
    QueryBuilder: {
      description: 'A SelectQueryBuilder: runs at getMany/getOne/getRaw*/getCount/execute.',
      methods: {
        ...builder('QueryBuilder', [
          ...whereMethods, 'select', 'addSelect', 'from', 'addFrom', 'distinct', 'distinctOn',
          'leftJoin', 'leftJoinAndSelect', 'innerJoin', 'innerJoinAndSelect', 'leftJoinAndMapOne', 'leftJoinAndMapMany',
          'innerJoinAndMapOne', 'innerJoinAndMapMany', 'orderBy', 'addOrderBy', 'groupBy', 'addGroupBy', 'having', 'andHaving',
          'orHaving', 'take', 'skip', 'limit', 'offset', 'withDeleted', 'cache', 'setLock', 'useIndex', 'setFindOptions',
          'loadRelationIdAndMap', 'loadAllRelationIds', 'comment', 'useTransaction',
        ]),
        getMany: { effect: 'read', collection: true, bound: readChain, batchForm: "where('e.id IN (:...ids)', { ids })" },
        getRawMany: { effect: 'read', collection: true, bound: readChain, batchForm: "where('e.id IN (:...ids)', { ids })" },
        getManyAndCount: { effect: 'read', collection: true, bound: readChain },
        getRawAndEntities: { effect: 'read', collection: true, bound: readChain },
        stream: { effect: 'read', collection: true, bound: readChain },
        getOne: { effect: 'read', single: true, batchForm: "where('e.id IN (:...ids)', { ids }).getMany()" },
        getOneOrFail: { effect: 'read', single: true, batchForm: "where('e.id IN (:...ids)', { ids }).getMany()" },
        getRawOne: { effect: 'read', single: true, batchForm: "where('e.id IN (:...ids)', { ids }).getRawMany()" },
        getCount: { effect: 'read' },
        getExists: { effect: 'read' },
        execute: { effect: 'read' },
        insert: { returns: 'WriteQueryBuilder' },
        update: { returns: 'WriteQueryBuilder' },
        delete: { returns: 'WriteQueryBuilder' },
        softDelete: { returns: 'WriteQueryBuilder' },
        restore: { returns: 'WriteQueryBuilder' },
        relation: { returns: 'WriteQueryBuilder' },
        getQuery: {},
        getSql: {},
        getParameters: {},
      },
    },
    WriteQueryBuilder: {
      description: 'Insert/Update/Delete/Relation query builders: run at execute.',
      methods: {
        ...builder('WriteQueryBuilder', [...whereMethods, 'into', 'values', 'set', 'from', 'returning', 'orIgnore', 'orUpdate', 'updateEntity', 'of']),
        execute: { effect: 'write', batchForm: 'one insert().values(rows) / update().whereInIds(ids)' },
        add: { effect: 'write' },
        remove: { effect: 'write' },
        addAndRemove: { effect: 'write' },
        loadMany: { effect: 'read', collection: true },
        loadOne: { effect: 'read', single: true },
      },
    },
    BaseEntityStatic: {
      description: 'The static side of `class User extends BaseEntity` (Active Record): same finders as a Repository.',
      extends: ['Repository'],
      methods: { getRepository: { returns: 'Repository' } },
    },
    BaseEntity: {
      methods: {
        save: { effect: 'write', batchForm: 'User.save(entities)' },
        remove: { effect: 'write', batchForm: 'User.remove(entities)' },
        softRemove: { effect: 'write', batchForm: 'User.softRemove(entities)' },
        recover: { effect: 'write' },
        reload: { effect: 'read', single: true },
      },
    },
  },
};
