// Spot checks of the Redis, HTTP, iteration-helper, memoizer and cache-store tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knowledge, lib, method } from './lookup';
import { redisCommands } from '../../rules/knowledge/redisCommands';

test('ioredis: new Redis() is a dedicated client, Cluster hangs off the CommonJS value', () => {
  const ioredis = lib('ioredis');
  assert.equal(ioredis.roundTripNoun, 'command');
  assert.equal(ioredis.exports.default.construct, 'Redis');
  assert.equal(ioredis.exports['*'].construct, 'Redis', "const Redis = require('ioredis'); new Redis()");
  assert.equal(ioredis.exports['*'].members?.Cluster.construct, 'Cluster', 'new Redis.Cluster()');
  assert.equal(ioredis.exports.Cluster.construct, 'Cluster');
  assert.equal(knowledge.resolveType(ioredis, 'Redis')?.type.connection, 'client');
  assert.equal(method('ioredis.Redis', 'duplicate').returns, 'Redis');
  assert.equal(method('ioredis.Cluster', 'hgetall').unbounded, 'sharedKey', 'Cluster inherits the commands');
});

test('ioredis: command effects, keys, bounds and TTLs', () => {
  assert.equal(method('ioredis.Redis', 'keys').unbounded, 'always');
  const set = method('ioredis.Redis', 'set');
  assert.deepEqual([set.effect, set.keyArg], ['write', 0]);
  assert.ok(set.cacheWrite?.ttlTokens.includes('EX'));
  assert.ok(set.cacheWrite?.ttlTokens.includes('KEEPTTL'));
  assert.equal(method('ioredis.Redis', 'setex').cacheWrite?.alwaysExpires, true);
  assert.equal(method('ioredis.Redis', 'psetex').cacheWrite?.alwaysExpires, true);
  assert.equal(method('ioredis.Redis', 'setnx').cacheWrite?.alwaysExpires, false);
  assert.equal(method('ioredis.Redis', 'expire').setsExpiry, true);
  assert.equal(method('ioredis.Redis', 'get').effect, 'read');
  assert.equal(method('ioredis.Redis', 'get').batchForm, 'one MGET');
  assert.equal(method('ioredis.Redis', 'mget').batch, true);
  assert.deepEqual(method('ioredis.Redis', 'lrange').unbounded, { args: { '1': 0, '2': -1 } });
  assert.deepEqual(method('ioredis.Redis', 'zrange').unbounded, { args: { '1': 0, '2': -1 } });
  assert.equal(method('ioredis.Redis', 'smembers').unbounded, 'sharedKey');
  assert.equal(method('ioredis.Redis', 'hvals').unbounded, 'sharedKey');
  assert.equal(method('ioredis.Redis', 'scan').unbounded, undefined);
  for (const name of ['subscribe', 'psubscribe', 'blpop', 'brpop', 'xread', 'monitor'])
    assert.equal(method('ioredis.Redis', name).dedicated, true, name);
  assert.equal(method('ioredis.Redis', 'get').dedicated, false);
  assert.equal(method('ioredis.Redis', 'quit').lifecycle, 'close');
  assert.equal(method('ioredis.Redis', 'scanStream').effect, 'read');
});

test('ioredis: pipeline and multi queue commands until exec', () => {
  assert.equal(method('ioredis.Redis', 'pipeline').returns, 'Pipeline');
  assert.equal(method('ioredis.Redis', 'multi').returns, 'Pipeline');
  const queued = method('ioredis.Pipeline', 'hgetall');
  assert.deepEqual([queued.effect, queued.returns], ['none', 'Pipeline']);
  const exec = method('ioredis.Pipeline', 'exec');
  assert.deepEqual([exec.effect, exec.batch], ['write', true]);
});

test('node-redis: factories, camelCase and CAPITAL commands, options-object TTLs, MULTI', () => {
  const redis = lib('redis');
  assert.equal(lib('@redis/client').id, 'redis');
  assert.equal(redis.exports.createClient.call?.returns, 'Client');
  assert.equal(redis.exports.createCluster.call?.returns, 'Cluster');
  assert.equal(knowledge.resolveType(redis, 'Client')?.type.connection, 'client');
  assert.equal(knowledge.resolveType(redis, 'ClientPool')?.type.connection, 'pool');
  for (const [camel, upper] of [
    ['hGetAll', 'HGETALL'],
    ['sMembers', 'SMEMBERS'],
  ]) {
    assert.equal(method('redis.Client', camel).unbounded, 'sharedKey', camel);
    assert.equal(method('redis.Client', upper).unbounded, 'sharedKey', upper);
  }
  assert.equal(method('redis.Client', 'KEYS').unbounded, 'always');
  assert.equal(method('redis.Client', 'keys').unbounded, 'always');
  assert.equal(method('redis.Client', 'mGet').batch, true);
  assert.deepEqual(method('redis.Client', 'lRange').unbounded, { args: { '1': 0, '2': -1 } });
  const set = method('redis.Client', 'set');
  assert.ok(set.cacheWrite?.ttlOptionKeys.includes('EX'));
  assert.ok(set.cacheWrite?.ttlOptionKeys.includes('expiration'), 'v5 { expiration: { type, value } }');
  assert.equal(method('redis.Client', 'setEx').cacheWrite?.alwaysExpires, true);
  assert.equal(method('redis.Client', 'connect').lifecycle, 'connect');
  for (const name of ['quit', 'QUIT', 'disconnect', 'close', 'destroy'])
    assert.equal(method('redis.Client', name).lifecycle, 'close', name);
  assert.equal(method('redis.Client', 'subscribe').dedicated, true);
  assert.equal(method('redis.Client', 'duplicate').returns, 'Client');
  assert.equal(method('redis.Client', 'MULTI').returns, 'Multi');
  assert.equal(method('redis.Multi', 'hGetAll').returns, 'Multi');
  assert.equal(method('redis.Multi', 'EXEC').effect, 'write');
  assert.equal(method('redis.Client', 'scanIterator').unbounded, undefined);
});

test('the shared Redis command table has one entry per command and coherent flags', () => {
  const names = new Set<string>();
  for (const command of redisCommands) {
    assert.ok(!names.has(command.name), `duplicate ${command.name}`);
    names.add(command.name);
    if (command.camel !== null)
      assert.equal(command.camel.toUpperCase(), command.name, `${command.camel} spells ${command.name}`);
    if (command.spec.cacheWrite || command.spec.setsExpiry || command.spec.unbounded === 'sharedKey')
      assert.equal(command.spec.keyArg, 0, command.name);
    if (command.spec.batch)
      assert.equal(command.spec.batchForm, undefined, `${command.name} is already the batch form`);
  }
});

test('HTTP clients: global fetch, undici, node-fetch, axios, got are requests', () => {
  const fetch = knowledge.globals.get('fetch');
  assert.equal(fetch?.library.roundTripNoun, 'request');
  assert.equal(fetch?.spec.call?.effect, 'read');
  assert.equal(lib('undici').exports.request.call?.effect, 'read');
  assert.equal(knowledge.resolveType(lib('undici'), 'Pool')?.type.connection, 'pool');
  assert.equal(method('undici.Pool', 'request').effect, 'read');
  assert.equal(lib('node-fetch').exports.default.call?.effect, 'read');
  const axios = lib('axios');
  assert.equal(axios.exports.default.value, 'Axios');
  assert.equal(method('axios.Axios', 'get').effect, 'read');
  assert.equal(method('axios.Axios', 'post').effect, 'write');
  assert.equal(method('axios.Axios', 'delete').effect, 'write');
  assert.equal(method('axios.Axios', 'create').returns, 'Axios');
  assert.match(method('axios.Axios', 'get').batchForm ?? '', /bulk endpoint/);
  assert.equal(knowledge.resolveType(axios, 'Axios')?.type.callable?.effect, 'read', 'axios({ url })');
  assert.equal(lib('got').exports.default.call?.effect, 'read');
  assert.equal(method('got.Got', 'extend').returns, 'Got');
  assert.equal(method('got.Got', 'put').effect, 'write');
});

test('iteration helpers say which argument is the collection and which the callback', () => {
  const asyncLib = lib('async');
  assert.deepEqual(asyncLib.exports.eachSeries.call?.iterates, { collectionArg: 0, callbackArg: 1, concurrent: false });
  assert.deepEqual(asyncLib.exports.mapLimit.call?.iterates, { collectionArg: 0, callbackArg: 2, concurrent: true });
  assert.deepEqual(asyncLib.exports.forEachOf.call?.iterates, { collectionArg: 0, callbackArg: 1, concurrent: true });
  assert.equal(asyncLib.exports.default.members?.eachLimit.call?.iterates?.callbackArg, 2);
  assert.equal(lib('neo-async').id, 'async');
  assert.equal(lib('bluebird').exports.default.members?.map.call?.iterates?.concurrent, true);
  assert.equal(lib('bluebird').exports['*'].members?.mapSeries.call?.iterates?.concurrent, false);
  assert.equal(lib('p-map').exports.default.call?.iterates?.concurrent, true);
  assert.equal(lib('p-map-series').exports.default.call?.iterates?.concurrent, false);
});

test('memoizers and DataLoader mark the function they cache or batch', () => {
  for (const module of [
    'memoizee',
    'p-memoize',
    'mem',
    'memoize',
    'lodash.memoize',
    'lodash/memoize',
    'moize',
    'fast-memoize',
  ]) {
    assert.equal(lib(module).exports.default.call?.memoizes?.fnArg, 0, module);
  }
  assert.equal(lib('lodash').exports.memoize.call?.memoizes?.fnArg, 0);
  assert.equal(lib('lodash').exports.default.members?.memoize.call?.memoizes?.fnArg, 0, '_.memoize');
  const dataloader = lib('dataloader');
  assert.equal(dataloader.exports.default.construct, 'DataLoader');
  assert.equal(dataloader.exports.default.constructCall?.memoizes?.fnArg, 0);
  assert.equal(method('dataloader.DataLoader', 'load').effect, 'none');
  assert.equal(method('dataloader.DataLoader', 'loadMany').effect, 'none');
});

test('cache stores are Map-like with get/set that make no round trip', () => {
  for (const [module, exportName, type] of [
    ['lru-cache', 'LRUCache', 'LRUCache'],
    ['lru-cache', 'default', 'LRUCache'],
    ['node-cache', 'default', 'NodeCache'],
    ['keyv', 'default', 'Keyv'],
    ['cache-manager', 'Cache', 'Cache'],
  ] as const) {
    const library = lib(module);
    const spec = library.exports[exportName];
    assert.equal(spec.construct ?? spec.type, type, `${module} ${exportName}`);
    assert.equal(knowledge.resolveType(library, type)?.type.cacheStore, true, module);
    assert.equal(method(`${library.id}.${type}`, 'get').effect, 'none', `${module} get`);
    assert.equal(method(`${library.id}.${type}`, 'set').effect, 'none', `${module} set`);
  }
  assert.equal(lib('cache-manager').exports.createCache.call?.returns, 'Cache');
  assert.equal(lib('cache-manager').exports.caching.call?.resolves, 'Cache');
  assert.equal(method('cache-manager.Cache', 'wrap').memoizes?.fnArg, 1);
});

test('Redis spellings: ioredis Buffer variants and node-redis v3 lowercase names', () => {
  assert.equal(method('ioredis.Redis', 'hgetallBuffer').unbounded, 'sharedKey');
  assert.equal(method('ioredis.Redis', 'getBuffer').effect, 'read');
  assert.equal(knowledge.methodOf('ioredis.Redis', 'incrBuffer'), undefined, 'ioredis has no incrBuffer');
  assert.equal(method('redis.Client', 'hgetall').unbounded, 'sharedKey', 'v3 client.hgetall(key, cb)');
  assert.equal(method('redis.Client', 'setex').cacheWrite?.alwaysExpires, true);
  assert.equal(knowledge.methodOf('redis.Client', 'hmSet'), undefined, 'node-redis v4+ has no hmSet');
  assert.equal(method('redis.Client', 'hmset').batch, true, 'v3 hmset');
});
