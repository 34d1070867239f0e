// The collector against a real redis-server: figures after scripted workloads (hits/misses, evictions, slow commands).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type Redis from 'ioredis';
import { PanelState } from '../../measure/redis/model';
import { adminClient, createPoller, type PollerHarness } from './harness';
import { startRedisServer, type RedisServer } from './redisServer';

describe('Redis collector on a real server', () => {
  let server: RedisServer;
  let admin: Redis;
  let app: Redis;
  let harness: PollerHarness;

  before(async () => {
    server = await startRedisServer({ args: ['--enable-debug-command', 'yes'] });
    admin = adminClient(server.port);
    app = adminClient(server.port);
    harness = createPoller({ name: 'test', port: server.port });
  });
  after(async () => {
    harness.poller.dispose();
    app.disconnect();
    admin.disconnect();
    await server.stop();
  });

  it('computes the interval hit ratio from known hits and misses, and ops/s without its own commands', async () => {
    const { poller } = harness;
    await poller.pollNow();
    assert.equal(poller.state.status, 'live');
    const first = poller.state;
    for (let i = 0; i < 10; i++) await app.set(`item:${i}`, 'v', 'EX', 600);
    for (let round = 0; round < 9; round++) for (let i = 0; i < 10; i++) assert.equal(await app.get(`item:${i}`), 'v');
    for (let i = 0; i < 10; i++) assert.equal(await app.get(`missing:${i}`), null);
    await poller.pollNow();
    const figures = poller.state.combined!;
    assert.equal(figures.hitRatioInterval, 0.9);
    assert.equal(figures.keyspaceHits - first.combined!.keyspaceHits, 90);
    assert.equal(figures.keyspaceMisses - first.combined!.keyspaceMisses, 10);
    const seconds = (poller.state.history.at(-1)!.at - first.history.at(-1)!.at) / 1000;
    // 110 workload commands; the panel's own INFO/SLOWLOG/LATENCY are subtracted
    assert.ok(Math.abs(figures.opsPerSec! * seconds - 110) <= 2, `ops in interval ${figures.opsPerSec! * seconds}`);
    assert.equal(poller.state.commandsPerPoll, 3);
    assert.ok(PanelState.safeParse(poller.state).success, 'the state the webview receives passes its schema');
    const db0 = figures.keyspace.find((db) => db.db === 0)!;
    assert.equal(db0.keys, 10);
    assert.equal(db0.ttlShare, 1);
    assert.ok(!poller.state.advice.some((a) => a.figure === 'hitRatio'), 'no hit-ratio advice at exactly 90%');
    assert.ok(
      poller.state.advice.some((a) => a.figure === 'maxmemory'),
      'maxmemory 0 is flagged',
    );
  });

  it('advises on key design when the hit ratio falls below 90%', async () => {
    const { poller } = harness;
    await poller.pollNow();
    for (let i = 0; i < 10; i++) await app.get(`item:${i}`);
    for (let i = 0; i < 10; i++) await app.get(`nope:${i}`);
    await poller.pollNow();
    assert.equal(poller.state.combined!.hitRatioInterval, 0.5);
    const advice = poller.state.advice.find((a) => a.figure === 'hitRatio');
    assert.equal(advice?.ruleId, 'unstable-cache-key');
    assert.ok(poller.state.combined!.hitRatioSession! < 0.9 && poller.state.combined!.hitRatioSession! > 0.5);
  });

  it('reports evictions/s, memory against maxmemory and TTL advice after filling a small allkeys-lru cache', async () => {
    const { poller } = harness;
    await admin.config('SET', 'maxmemory', String(2 * 1024 * 1024));
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await poller.pollNow();
    const value = 'x'.repeat(1024);
    const pipeline = app.pipeline();
    for (let i = 0; i < 5000; i++) pipeline.set(`fill:${i}`, value);
    await pipeline.exec();
    await poller.pollNow();
    const figures = poller.state.combined!;
    assert.ok(figures.evictedKeys > 0, 'keys were evicted');
    assert.ok(figures.evictionsPerSec! > 0);
    assert.equal(figures.maxmemory, 2 * 1024 * 1024);
    assert.equal(figures.maxmemoryPolicy, 'allkeys-lru');
    assert.ok(figures.memoryUse! > 0.8 && figures.memoryUse! <= 1.2, `memory use ${figures.memoryUse}`);
    const advice = poller.state.advice;
    assert.equal(advice.find((a) => a.figure === 'evictions')?.ruleId, 'cache-write-without-ttl');
    assert.equal(advice.find((a) => a.figure === 'memory')?.ruleId, 'cache-write-without-ttl');
    assert.ok(!advice.some((a) => a.figure === 'maxmemory'));
    assert.equal(poller.state.history.at(-1)!.evictionsPerSec, figures.evictionsPerSec);
    await admin.flushall();
    await admin.config('SET', 'maxmemory', '0');
  });

  it('warns about noeviction', async () => {
    await harness.poller.pollNow();
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await harness.poller.pollNow();
    assert.ok(harness.poller.state.advice.some((a) => a.figure === 'policy'));
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
  });

  it('reads SLOWLOG entries with command, truncated arguments and client', async () => {
    await admin.config('SET', 'slowlog-log-slower-than', '0');
    await app.client('SETNAME', 'checkout-service');
    await app.set('order:1001', 'y'.repeat(500));
    await admin.config('SET', 'slowlog-log-slower-than', '10000');
    await harness.poller.pollNow();
    const entry = harness.poller.state.slowlog.find((e) => e.command === 'SET' && e.args[0] === 'order:1001');
    assert.ok(entry, JSON.stringify(harness.poller.state.slowlog.map((e) => e.command)));
    // Redis keeps 128 characters of the argument; the panel shows 64 of them
    assert.match(entry.args[1], /^y{64}…\(\+\d+ chars\)$/);
    assert.equal(entry.clientName, 'checkout-service');
    assert.match(entry.client, /^127\.0\.0\.1:\d+$/);
    assert.ok(entry.durationMicros >= 0);
    assert.equal(entry.node, `127.0.0.1:${server.port}`);
  });

  it('reads LATENCY LATEST when the latency monitor is on', async () => {
    await admin.config('SET', 'latency-monitor-threshold', '1');
    await admin.call('DEBUG', 'SLEEP', '0.05'); // a 50 ms stall, above the 1 ms threshold
    await harness.poller.pollNow();
    const event = harness.poller.state.latency.find((e) => e.event === 'command');
    assert.ok(event, JSON.stringify(harness.poller.state.latency));
    assert.ok(event.latestMs >= 40 && event.maxMs >= event.latestMs, JSON.stringify(event));
    assert.equal(event.node, `127.0.0.1:${server.port}`);
  });
});
