// Library knowledge for MikroORM: EntityManager finders query at the call; persist() only queues, flush() writes the unit of work.
import type { HandleTypeInput, LibraryInput, MethodSpecInput } from './schema';

const inIds = 'find(Entity, { id: { $in: ids } })';

/** Finders and writers; EntityManager takes the entity name first, so its options sit one argument later. */
function entityMethods(shift: 0 | 1): HandleTypeInput['methods'] {
  const bound = (optionsArg: number) => ({ options: ['limit'], optionsArg: optionsArg + shift });
  const read = (extra: MethodSpecInput = {}): MethodSpecInput => ({ effect: 'read', batchForm: inIds, ...extra });
  return {
    find: read({ collection: true, bound: bound(1) }),
    findAndCount: read({ collection: true, bound: bound(1) }),
    findAll: read({ collection: true, bound: bound(0) }),
    // Cursor pagination bounds with `first`/`last`.
    findByCursor: read({ collection: true, bound: { options: ['first', 'last'], optionsArg: 1 + shift } }),
    findOne: read({ single: true }),
    findOneOrFail: read({ single: true }),
    count: read({ batchForm: 'one QueryBuilder with groupBy and count' }),
    populate: { effect: 'read', batch: true },
    insert: { effect: 'write', batchForm: 'insertMany(rows)' },
    insertMany: { effect: 'write', batch: true },
    upsert: { effect: 'write', batchForm: 'upsertMany(rows)' },
    upsertMany: { effect: 'write', batch: true },
    nativeUpdate: { effect: 'write', batchForm: 'nativeUpdate({ id: { $in: ids } }, data)' },
    nativeDelete: { effect: 'write', batchForm: 'nativeDelete({ id: { $in: ids } })' },
    createQueryBuilder: { returns: 'QueryBuilder' },
    qb: { returns: 'QueryBuilder' },
    create: {},
    assign: {},
    merge: {},
    getReference: {},
  };
}

const flushForm = 'persist() each entity in the loop, then one flush() after it';

export const mikroOrm: LibraryInput = {
  id: 'mikro-orm',
  modules: [
    '@mikro-orm/core',
    '@mikro-orm/knex',
    '@mikro-orm/postgresql',
    '@mikro-orm/mysql',
    '@mikro-orm/mariadb',
    '@mikro-orm/sqlite',
    '@mikro-orm/better-sqlite',
    '@mikro-orm/libsql',
    '@mikro-orm/mssql',
    '@mikro-orm/mongodb',
  ],
  exports: {
    MikroORM: {
      type: 'MikroORM',
      members: {
        init: { call: { resolves: 'MikroORM', lifecycle: 'connect' } },
        initSync: { call: { returns: 'MikroORM' } },
      },
    },
    EntityManager: { type: 'EntityManager' },
    SqlEntityManager: { type: 'EntityManager' },
    EntityRepository: { type: 'EntityRepository', instanceType: 'EntityRepository' },
    SqlEntityRepository: { type: 'EntityRepository' },
    QueryBuilder: { type: 'QueryBuilder' },
  },
  types: {
    MikroORM: {
      connection: 'pool',
      properties: { em: 'EntityManager' },
      methods: {
        close: { lifecycle: 'close' },
        connect: { lifecycle: 'connect' },
        reconnect: { lifecycle: 'connect' },
      },
    },
    EntityManager: {
      methods: {
        ...entityMethods(1),
        persist: {},
        remove: {},
        flush: { effect: 'write', batchForm: flushForm },
        persistAndFlush: { effect: 'write', batchForm: flushForm },
        removeAndFlush: { effect: 'write', batchForm: 'remove() each entity in the loop, then one flush()' },
        refresh: { effect: 'read', single: true },
        lock: { effect: 'write' },
        execute: { effect: 'read', sqlArg: 0 },
        fork: { returns: 'EntityManager' },
        getRepository: { returns: 'EntityRepository' },
        repo: { returns: 'EntityRepository' },
        // `em.transactional(async (em) => …)`: the callback gets a forked manager bound to the transaction.
        transactional: { callbackHandle: 'EntityManager' },
        begin: {},
        commit: { effect: 'write' },
        rollback: {},
      },
    },
    EntityRepository: {
      methods: {
        ...entityMethods(0),
        getEntityManager: { returns: 'EntityManager' },
      },
    },
    QueryBuilder: {
      description: 'A MikroORM (knex-based) query builder: runs when awaited or at a get*/execute terminal.',
      thenable: 'read',
      methods: {
        ...Object.fromEntries(
          [
            'select',
            'addSelect',
            'distinct',
            'where',
            'andWhere',
            'orWhere',
            'orderBy',
            'groupBy',
            'having',
            'join',
            'leftJoin',
            'innerJoin',
            'joinAndSelect',
            'leftJoinAndSelect',
            'innerJoinAndSelect',
            'limit',
            'offset',
            'populate',
            'setFlag',
            'withSchema',
            'cache',
            'setLockMode',
            'as',
            'clone',
          ].map((name) => [name, { returns: 'QueryBuilder' }]),
        ),
        insert: { effect: 'write', deferred: true, returns: 'QueryBuilder', batchForm: 'insert(rows) with an array' },
        update: { effect: 'write', deferred: true, returns: 'QueryBuilder' },
        delete: { effect: 'write', deferred: true, returns: 'QueryBuilder' },
        truncate: { effect: 'write', deferred: true, returns: 'QueryBuilder' },
        getResult: { effect: 'read', collection: true, bound: { chain: ['limit'] } },
        getResultList: { effect: 'read', collection: true, bound: { chain: ['limit'] } },
        getResultAndCount: { effect: 'read', collection: true, bound: { chain: ['limit'] } },
        getSingleResult: { effect: 'read', single: true },
        getCount: { effect: 'read' },
        execute: { effect: 'read' },
        getQuery: {},
        getFormattedQuery: {},
      },
    },
  },
};
