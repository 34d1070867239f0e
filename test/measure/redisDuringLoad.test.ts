// Redis during a load test, on a real redis-server: commands per request, hit ratio under load, per-command stats, new SLOWLOG entries.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type Redis from 'ioredis';
import { parseCommandStats } from '../../measure/loadtest/redisDelta';
import { runLoadTest } from '../../measure/loadtest/run';
import { openConnection, type OpenConnection } from '../../measure/redis/connection';
import { RedisConnection } from '../../measure/redis/config';
import { adminClient } from '../redis/harness';
import { startRedisServer, type RedisServer } from '../redis/redisServer';
import { startService, type TestService } from './httpService';

let redis: RedisServer;
let app: Redis;
let service: TestService;
let panel: OpenConnection;

before(async () => {
  redis = await startRedisServer();
  app = adminClient(redis.port);
  await app.set('product:1', 'widget');
  // each request: a hit, a miss (the classic cache-aside read of a key that is never filled) and an HGETALL
  service = await startService({
    '/product': (_req, res) => {
      void Promise.all([app.get('product:1'), app.get('price:1'), app.hgetall('session:abc')]).then(() =>
        res.end('ok'),
      );
    },
  });
  panel = await openConnection(RedisConnection.parse({ name: 't', port: redis.port }), { connectTimeoutMs: 2_000 });
});
after(async () => {
  panel.close();
  await service.close();
  app.disconnect();
  await redis.stop();
});

describe('Redis deltas over a load test', () => {
  it('counts the application commands per request, the hit ratio under load and the new SLOWLOG entries', async () => {
    await app.config('SET', 'slowlog-log-slower-than', '0'); // log everything, so that the run leaves entries
    await app.slowlog('RESET');
    const { result } = await runLoadTest(
      { url: `${service.url}/product`, requests: 200, connections: 4 },
      { redis: { connection: panel, target: `127.0.0.1:${redis.port}`, hitRatioTarget: 0.9 } },
    );
    await app.config('SET', 'slowlog-log-slower-than', '10000');
    const stats = result.redis;
    assert.ok(stats, 'the result carries the Redis figures');
    assert.equal(stats.error, null);
    assert.equal(result.requests, 200);
    // 3 commands per request; the probe request before the run adds one round of 3
    assert.ok(
      stats.commands >= 600 && stats.commands <= 606,
      `commands ${stats.commands} (the snapshots' own are not counted)`,
    );
    assert.ok(Math.abs(stats.commandsPerRequest! - 3) < 0.05, `per request ${stats.commandsPerRequest}`);
    const get = stats.commandStats.find((c) => c.command === 'GET');
    assert.ok(get && get.calls >= 400 && get.calls <= 404, JSON.stringify(stats.commandStats));
    assert.ok(
      !stats.commandStats.some((c) => c.command === 'INFO' || c.command === 'SLOWLOG'),
      'own commands excluded',
    );
    assert.ok(stats.hitRatio !== null && Math.abs(stats.hitRatio - 1 / 3) < 0.02, `hit ratio ${stats.hitRatio}`);
    assert.ok(stats.slowlog.length > 0, 'new SLOWLOG entries');
    assert.ok(stats.slowlog.every((e) => ['GET', 'HGETALL', 'CONFIG', 'SLOWLOG'].includes(e.command)));
    assert.ok(stats.slowlog.some((e) => e.command === 'HGETALL' && e.args[0] === 'session:abc'));
  });

  it('parses INFO commandstats lines', () => {
    const stats = parseCommandStats(
      '# Commandstats\r\ncmdstat_get:calls=21,usec=175,usec_per_call=8.33,rejected_calls=0,failed_calls=0\r\ncmdstat_config|set:calls=2,usec=30\r\n',
    );
    assert.deepEqual(stats.get('GET'), { calls: 21, usec: 175 });
    assert.deepEqual(stats.get('CONFIG|SET'), { calls: 2, usec: 30 });
  });
});
