// Spot checks of the SQL driver, MongoDB and ORM tables: pooling, effects, bounds, batch forms and exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knowledge, lib, method } from './lookup';

const typeOf = (module: string, name: string) => knowledge.resolveType(lib(module), name)?.type;

test('pg: Pool pools, Client does not, PoolClient releases', () => {
  assert.equal(typeOf('pg', 'Pool')?.connection, 'pool');
  assert.equal(typeOf('pg', 'Client')?.connection, 'client');
  assert.equal(method('pg.Pool', 'connect').returns, 'PoolClient');
  assert.equal(method('pg.PoolClient', 'release').lifecycle, 'release');
});

test('mysql: createPool yields a pool, createConnection a dedicated client, query reads SQL', () => {
  const mysql = lib('mysql');
  assert.equal(mysql.exports.createPool.call?.returns, 'Pool');
  assert.equal(typeOf('mysql', 'Pool')?.connection, 'pool');
  assert.equal(typeOf('mysql', mysql.exports.createConnection.call!.returns!)?.connection, 'client');
  assert.equal(mysql.exports.default.members?.createPool.call?.returns, 'Pool', 'require("mysql").createPool');
  assert.equal(method('mysql.Pool', 'query').sqlArg, 0);
  assert.equal(method('mysql.PoolConnection', 'query').sqlArg, 0, 'inherited from Connection');
  assert.equal(method('mysql.PoolConnection', 'release').lifecycle, 'release');
});

test('mysql2: callback and promise APIs, getConnection resolves a PoolConnection', () => {
  assert.equal(lib('mysql2/promise').id, 'mysql2-promise');
  const promise = lib('mysql2/promise');
  assert.equal(promise.exports.createConnection.call?.resolves, 'Connection');
  assert.equal(typeOf('mysql2/promise', 'Connection')?.connection, 'client');
  assert.equal(promise.exports.createPoolCluster.call?.returns, 'PoolCluster');
  assert.equal(method('mysql2-promise.Pool', 'getConnection').resolves, 'PoolConnection');
  assert.equal(method('mysql2-promise.Pool', 'execute').sqlArg, 0);
  assert.equal(method('mysql2-promise.PoolConnection', 'release').lifecycle, 'release');
  assert.equal(method('mysql2.Pool', 'promise').returns, 'mysql2-promise.PoolView');
  assert.equal(typeOf('mysql2', 'Pool')?.connection, 'pool');
});

test('better-sqlite3: in-process, prepare carries the SQL, statements are the round trips', () => {
  const sqlite = lib('better-sqlite3');
  assert.equal(sqlite.inProcess, true);
  assert.equal(sqlite.exports.default.construct, 'Database');
  assert.equal(sqlite.exports['*'].construct, 'Database');
  const prepare = method('better-sqlite3.Database', 'prepare');
  assert.deepEqual([prepare.effect, prepare.sqlArg, prepare.returns], ['none', 0, 'Statement']);
  assert.equal(method('better-sqlite3.Statement', 'all').effect, 'read');
  assert.equal(method('better-sqlite3.Statement', 'get').single, true);
  assert.equal(method('better-sqlite3.Statement', 'run').effect, 'write');
});

test('mongodb: MongoClient pools, find is a deferred cursor read bounded by limit, insertMany is a batch', () => {
  const mongo = lib('mongodb');
  assert.equal(mongo.exports.MongoClient.members?.connect.call?.resolves, 'MongoClient');
  assert.equal(typeOf('mongodb', 'MongoClient')?.connection, 'pool');
  const find = method('mongodb.Collection', 'find');
  assert.deepEqual([find.effect, find.deferred, find.collection, find.returns], ['read', true, true, 'FindCursor']);
  assert.deepEqual(find.bound?.options, ['limit']);
  assert.equal(find.bound?.optionsArg, 1);
  assert.match(find.batchForm ?? '', /\$in/);
  assert.equal(method('mongodb.FindCursor', 'toArray').effect, 'read', 'inherited terminal');
  assert.equal(method('mongodb.FindCursor', 'limit').returns, 'FindCursor');
  assert.equal(method('mongodb.Collection', 'findOne').single, true);
  assert.equal(method('mongodb.Collection', 'insertMany').batch, true);
  assert.equal(method('mongodb.Collection', 'bulkWrite').batch, true);
  assert.equal(method('mongodb.Collection', 'insertOne').batchForm, 'insertMany(docs)');
});

test('mongoose: Model.find builds a Query bounded by limit, documents save', () => {
  const find = method('mongoose.Model', 'find');
  assert.deepEqual(
    [find.effect, find.deferred, find.returns, find.collection, find.resolvesEach],
    ['read', true, 'Query', true, 'Document'],
  );
  assert.deepEqual(find.bound, { options: ['limit'], optionsArg: 2, chain: ['limit'] });
  assert.equal(method('mongoose.Model', 'findById').single, true);
  assert.equal(method('mongoose.Query', 'lean').returns, 'Query');
  assert.equal(method('mongoose.Query', 'exec').effect, 'read');
  assert.equal(typeOf('mongoose', 'Query')?.thenable, 'read');
  assert.equal(method('mongoose.Model', 'insertMany').batch, true);
  assert.equal(method('mongoose.Model', 'create').deferred, false, 'create runs at the call');
  assert.equal(method('mongoose.Document', 'save').effect, 'write');
  assert.equal(lib('mongoose').exports.Model.type, 'Model', '@InjectModel(...) m: Model<T>');
  assert.equal(lib('mongoose').exports.default.value, 'Mongoose');
  assert.equal(method('mongoose.Mongoose', 'model').returns, 'Model');
  assert.equal(typeOf('mongoose', 'Connection')?.connection, 'pool');
});

test('prisma: client pools, delegates bound findMany by take, findUnique is tick-batched', () => {
  const exp = lib('@prisma/client').exports.PrismaClient;
  assert.deepEqual([exp.construct, exp.type, exp.instanceType], ['PrismaClient', 'PrismaClient', 'PrismaClient']);
  assert.equal(typeOf('@prisma/client', 'PrismaClient')?.connection, 'pool');
  assert.equal(typeOf('@prisma/client', 'PrismaClient')?.anyProperty, 'Delegate');
  const findMany = method('prisma.Delegate', 'findMany');
  assert.deepEqual([findMany.effect, findMany.deferred, findMany.collection], ['read', true, true]);
  assert.deepEqual(findMany.bound?.options, ['take']);
  assert.match(findMany.batchForm ?? '', /in: ids/);
  for (const name of ['findUnique', 'findUniqueOrThrow']) {
    const spec = method('prisma.Delegate', name);
    assert.ok(spec.tickBatched && spec.single, name);
  }
  assert.equal(method('prisma.Delegate', 'findFirst').tickBatched, false);
  assert.equal(method('prisma.Delegate', 'createMany').batch, true);
  assert.match(method('prisma.Delegate', 'create').batchForm ?? '', /createMany/);
  assert.equal(method('prisma.Delegate', 'count').collection, false);
  assert.equal(method('prisma.PrismaClient', '$queryRaw').sqlArg, 0);
  assert.equal(method('prisma.PrismaClient', '$disconnect').lifecycle, 'close');
});

test('typeorm: DataSource manager, repository finders, query builder terminals', () => {
  const typeorm = lib('typeorm');
  assert.equal(typeOf('typeorm', 'DataSource')?.properties.manager, 'EntityManager');
  assert.equal(typeorm.exports.Repository.type, 'Repository');
  assert.equal(typeorm.exports.BaseEntity.staticType, 'BaseEntityStatic');
  const find = method('typeorm.Repository', 'find');
  assert.deepEqual([find.collection, find.bound?.options, find.bound?.optionsArg], [true, ['take'], 0]);
  assert.equal(method('typeorm.EntityManager', 'find').bound?.optionsArg, 1, 'em.find(Entity, options)');
  assert.equal(method('typeorm.Repository', 'findOneBy').single, true);
  assert.equal(method('typeorm.Repository', 'save').batchForm, 'save(entities)');
  assert.equal(method('typeorm.BaseEntityStatic', 'findOne').single, true, 'User.findOne via BaseEntity');
  assert.equal(method('typeorm.DataSource', 'getRepository').returns, 'Repository');
  assert.equal(method('typeorm.QueryBuilder', 'leftJoinAndSelect').returns, 'QueryBuilder');
  assert.equal(method('typeorm.QueryBuilder', 'leftJoinAndSelect').effect, 'none');
  assert.deepEqual(method('typeorm.QueryBuilder', 'getMany').bound?.chain, ['take', 'limit']);
  assert.equal(method('typeorm.QueryBuilder', 'getOne').single, true);
  assert.equal(method('typeorm.WriteQueryBuilder', 'execute').effect, 'write');
});

test('sequelize: Sequelize pools, findAll bounded by limit, association accessors by pattern', () => {
  const sequelize = lib('sequelize');
  assert.equal(typeOf('sequelize', 'Sequelize')?.connection, 'pool');
  assert.equal(sequelize.exports.Model.staticType, 'ModelStatic');
  assert.equal(sequelize.exports['*'].construct, 'Sequelize');
  assert.equal(method('sequelize.Sequelize', 'define').returns, 'ModelStatic');
  const findAll = method('sequelize.ModelStatic', 'findAll');
  assert.deepEqual([findAll.collection, findAll.bound?.options, findAll.resolvesEach], [true, ['limit'], 'Instance']);
  assert.equal(method('sequelize.ModelStatic', 'findByPk').single, true);
  assert.equal(method('sequelize.ModelStatic', 'bulkCreate').batch, true);
  assert.match(method('sequelize.ModelStatic', 'create').batchForm ?? '', /bulkCreate/);
  assert.equal(method('sequelize.Instance', 'getPosts').effect, 'read');
  assert.equal(method('sequelize.Instance', 'addTag').effect, 'write');
  assert.equal(method('sequelize.Instance', 'countComments').effect, 'read');
  assert.equal(method('sequelize.Instance', 'getDataValue').effect, 'none', 'local accessor, not an association');
  assert.equal(method('sequelize.Instance', 'setAttributes').effect, 'none');
  assert.equal(method('sequelize.Instance', 'save').effect, 'write');
  assert.equal(
    knowledge.methodOf('sequelize.Instance', 'getaway'),
    undefined,
    'pattern needs a capital after the verb',
  );
});

test('knex: factory returns a pooled callable instance whose builders are thenable reads', () => {
  const knex = lib('knex');
  assert.equal(knex.exports.default.call?.returns, 'Knex');
  assert.equal(knex.exports['*'].call?.returns, 'Knex');
  const instance = typeOf('knex', 'Knex');
  assert.equal(instance?.connection, 'pool');
  assert.deepEqual([instance?.callable?.returns, instance?.callable?.deferred], ['Builder', true]);
  assert.deepEqual(instance?.callable?.bound?.chain, ['limit', 'first']);
  assert.equal(typeOf('knex', 'Builder')?.thenable, 'read');
  assert.equal(method('knex.Builder', 'whereIn').returns, 'Builder');
  const insert = method('knex.Builder', 'insert');
  assert.deepEqual([insert.effect, insert.deferred, insert.returns], ['write', true, 'Builder']);
  assert.equal(method('knex.Knex', 'raw').sqlArg, 0);
  assert.equal(method('knex.Transaction', 'insert').effect, 'write', 'a transaction is a knex instance');
});

test('drizzle: select builders are thenable and bounded by limit; db.query tables have findMany', () => {
  assert.equal(lib('drizzle-orm/node-postgres').exports.drizzle.call?.returns, 'Database');
  assert.equal(lib('drizzle-orm/better-sqlite3').inProcess, true);
  assert.equal(lib('drizzle-orm/node-postgres').inProcess, false);
  const select = method('drizzle.Database', 'select');
  assert.deepEqual([select.effect, select.deferred, select.bound?.chain], ['read', true, ['limit']]);
  assert.equal(typeOf('drizzle-orm/node-postgres', 'Select')?.thenable, 'read');
  assert.equal(method('drizzle.Select', 'where').returns, 'Select');
  assert.equal(typeOf('drizzle-orm/node-postgres', 'RelationalQueries')?.anyProperty, 'RelationalTable');
  assert.deepEqual(method('drizzle.RelationalTable', 'findMany').bound?.options, ['limit']);
  assert.equal(method('drizzle.Database', 'insert').effect, 'write');
  assert.equal(method('drizzle-embedded.Select', 'get').single, true);
});

test('mikro-orm: init connects, find bounded by limit, flush writes the unit of work', () => {
  assert.equal(lib('@mikro-orm/postgresql').exports.MikroORM.members?.init.call?.resolves, 'MikroORM');
  assert.equal(typeOf('@mikro-orm/core', 'MikroORM')?.properties.em, 'EntityManager');
  const find = method('mikro-orm.EntityManager', 'find');
  assert.deepEqual([find.collection, find.bound?.options, find.bound?.optionsArg], [true, ['limit'], 2]);
  assert.equal(method('mikro-orm.EntityRepository', 'find').bound?.optionsArg, 1);
  assert.equal(method('mikro-orm.EntityRepository', 'findAll').bound?.optionsArg, 0);
  assert.equal(method('mikro-orm.EntityManager', 'findOne').single, true);
  assert.equal(method('mikro-orm.EntityManager', 'persist').effect, 'none');
  assert.equal(method('mikro-orm.EntityManager', 'persistAndFlush').effect, 'write');
  assert.equal(method('mikro-orm.EntityManager', 'fork').returns, 'EntityManager');
});

test('objection: Model statics start thenable builders; findById bounds them', () => {
  const model = lib('objection').exports.Model;
  assert.equal(model.staticType, 'ModelClass');
  const query = method('objection.ModelClass', 'query');
  assert.deepEqual([query.effect, query.deferred, query.returns], ['read', true, 'QueryBuilder']);
  assert.ok(query.bound?.chain.includes('findById'));
  assert.equal(typeOf('objection', 'QueryBuilder')?.thenable, 'read');
  assert.equal(method('objection.QueryBuilder', 'withGraphFetched').returns, 'QueryBuilder');
  assert.equal(method('objection.QueryBuilder', 'patch').effect, 'write');
  assert.equal(method('objection.ModelClass', 'knex').returns, 'knex.Knex');
});

test('kysely: builders are not thenable, execute terminals carry the effect', () => {
  assert.equal(lib('kysely').exports.Kysely.construct, 'Kysely');
  const selectFrom = method('kysely.Kysely', 'selectFrom');
  assert.deepEqual(
    [selectFrom.effect, selectFrom.returns],
    ['none', 'SelectQueryBuilder'],
    'inherited from QueryCreator',
  );
  assert.equal(typeOf('kysely', 'SelectQueryBuilder')?.thenable, undefined);
  assert.equal(method('kysely.SelectQueryBuilder', 'selectAll').returns, 'SelectQueryBuilder');
  assert.deepEqual(method('kysely.SelectQueryBuilder', 'execute').bound?.chain, ['limit']);
  assert.equal(method('kysely.SelectQueryBuilder', 'executeTakeFirst').single, true);
  assert.equal(method('kysely.WriteQueryBuilder', 'execute').effect, 'write');
});

test('methods that hand out a view of an existing client or pool return a type that opens nothing', () => {
  const views: Array<[string, string, string]> = [
    ['mysql2.Pool', 'promise', 'query'],
    ['mysql2.Connection', 'promise', 'execute'],
    ['mysql.PoolCluster', 'of', 'query'],
    ['mysql2-promise.PoolCluster', 'of', 'execute'],
    ['mongoose.Connection', 'useDb', 'model'],
    ['prisma.PrismaClient', '$extends', '$queryRaw'],
    ['kysely.Kysely', 'withPlugin', 'selectFrom'],
    ['redis.Client', 'withTypeMapping', 'hGetAll'],
  ];
  for (const [owner, name, inherited] of views) {
    const [libId] = owner.split('.');
    const library = knowledge.libraries.find((candidate) => candidate.id === libId)!;
    const view = knowledge.resolveType(library, method(owner, name).returns!);
    assert.ok(view, `${owner}.${name}`);
    assert.equal(view.type.connection, 'none', `${owner}.${name}() opens nothing`);
    assert.ok(knowledge.methodOf(view.qualifiedName, inherited), `${view.qualifiedName} keeps ${inherited}`);
  }
  assert.equal(
    knowledge.resolveType(lib('typeorm'), lib('typeorm').exports.getConnection.call!.returns!)?.type.connection,
    'none',
  );
  assert.equal(typeOf('@prisma/client', 'ExtendedClient')?.anyProperty, 'Delegate');
  // Real new connections stay connections.
  assert.equal(typeOf('ioredis', method('ioredis.Redis', 'duplicate').returns!)?.connection, 'client');
  assert.equal(typeOf('redis', method('redis.Client', 'duplicate').returns!)?.connection, 'client');
});

test('postgres.js and pg-promise: pools whose queries take SQL per call', () => {
  const sqlTag = typeOf('postgres', 'Sql');
  assert.equal(lib('postgres').exports.default.call?.returns, 'Sql');
  assert.equal(sqlTag?.connection, 'pool');
  assert.deepEqual(
    [sqlTag?.callable?.deferred, sqlTag?.callable?.sqlArg, sqlTag?.callable?.returns],
    [true, 0, 'PendingQuery'],
  );
  assert.equal(typeOf('postgres', 'PendingQuery')?.thenable, 'read');
  assert.equal(method('postgres-js.Sql', 'listen').dedicated, true);
  assert.equal(method('postgres-js.ReservedSql', 'release').lifecycle, 'release');
  assert.equal(lib('pg-promise').exports['*'].call?.returns, 'Main');
  assert.equal(typeOf('pg-promise', 'Main')?.callable?.returns, 'Database');
  assert.equal(typeOf('pg-promise', 'Database')?.connection, 'pool');
  assert.equal(method('pg-promise.Database', 'oneOrNone').single, true);
  assert.equal(method('pg-promise.Database', 'any').sqlArg, 0);
  assert.equal(method('pg-promise.Connected', 'done').lifecycle, 'release');
});
