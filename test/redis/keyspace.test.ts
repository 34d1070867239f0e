// Key-space analysis on a real server with 10,000+ keys: bounded sample, prefixes, TTL buckets, biggest keys, cancel.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type Redis from 'ioredis';
import { RedisConnection } from '../../measure/redis/config';
import { openConnection, type OpenConnection } from '../../measure/redis/connection';
import { analyzeKeyspace } from '../../measure/redis/keyspace';
import { keyPrefix, writeCommandFor } from '../../measure/redis/keys';
import { adminClient } from './harness';
import { startRedisServer, type RedisServer } from './redisServer';

export const XSS_KEY = '<img src=x onerror=alert(1)>';

describe('key-space sample on a real server', () => {
  let server: RedisServer;
  let admin: Redis;
  let connection: OpenConnection;

  before(async () => {
    server = await startRedisServer();
    admin = adminClient(server.port);
    const pipeline = admin.pipeline();
    for (let i = 0; i < 6000; i++) pipeline.set(`user:${i}`, 'u');
    for (let i = 0; i < 3000; i++) pipeline.set(`session:${(0x10000000 + i).toString(16)}`, 's', 'EX', 1800);
    for (let i = 0; i < 1000; i++) pipeline.set(`cache:page:${i}`, 'p', 'EX', 7200);
    pipeline.set('blob:big', 'b'.repeat(1_000_000), 'EX', 3 * 86_400);
    pipeline.set(XSS_KEY, 'x');
    await pipeline.exec();
    connection = await openConnection(RedisConnection.parse({ name: 'ks', port: server.port }), {
      connectTimeoutMs: 2_000,
    });
  });
  after(async () => {
    connection.close();
    admin.disconnect();
    await server.stop();
  });

  it('derives static prefixes the way code writes them', () => {
    assert.equal(keyPrefix('user:42'), 'user:');
    assert.equal(keyPrefix('cache:page:7'), 'cache:page:');
    assert.equal(keyPrefix('session:1000a3f0'), 'session:');
    assert.equal(keyPrefix('tenant:acme:user:9:profile'), 'tenant:acme:user:');
    assert.equal(keyPrefix('plainkey'), '(no prefix)');
    assert.equal(writeCommandFor('hash'), 'HSET');
  });

  it('samples at most the sample size out of 10,002 keys and summarises prefixes, TTL buckets and biggest keys', async () => {
    const progress: number[] = [];
    const result = await analyzeKeyspace(connection.clients, {
      sampleSize: 1000,
      onProgress: (p) => progress.push(p.sampled),
    });
    assert.equal(result.totalKeys, 10_002);
    assert.equal(result.sampled, 1000);
    assert.equal(result.cancelled, false);
    assert.ok(progress.length >= 2 && progress.every((n) => n <= 1000));
    const buckets = result.ttlBuckets;
    assert.equal(buckets.none + buckets.underHour + buckets.hourToDay + buckets.overDay, 1000);
    const users = result.prefixesByCount.find((p) => p.prefix === 'user:');
    assert.ok(users && users.count > 400, `user: sampled ${users?.count}`);
    assert.equal(users.noTtl, users.count);
    assert.equal(users.type, 'string');
    const sessions = result.prefixesByCount.find((p) => p.prefix === 'session:');
    assert.ok(sessions && sessions.noTtl === 0);
    assert.equal(result.prefixesByCount[0].prefix, 'user:');
    assert.ok(buckets.none >= users.count);
    assert.ok(buckets.underHour >= sessions.count);
    assert.ok(result.biggestKeys.length <= 10);
  });

  it('finds the biggest key and the >1 day bucket when the sample covers everything', async () => {
    const result = await analyzeKeyspace(connection.clients, { sampleSize: 20_000, scanCount: 1000 });
    assert.equal(result.sampled, 10_002);
    assert.equal(result.biggestKeys[0].key, 'blob:big');
    assert.ok(result.biggestKeys[0].memory >= 1_000_000);
    assert.equal(result.prefixesByMemory[0].prefix, 'blob:');
    assert.deepEqual(result.ttlBuckets, { none: 6001, underHour: 3000, hourToDay: 1000, overDay: 1 });
    assert.ok(
      result.prefixesByCount.some((p) => p.prefix === '(no prefix)'),
      'keys without a delimiter are grouped',
    );
  });

  it('stops early when cancelled and says so', async () => {
    const controller = new AbortController();
    const result = await analyzeKeyspace(connection.clients, {
      sampleSize: 5000,
      scanCount: 100,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.sampled >= 200) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.ok(result.sampled >= 200 && result.sampled < 5000, `sampled ${result.sampled}`);
  });
});
