// Plain unit tests: settings schema (no password field, lenient fallbacks), INFO/CLUSTER NODES parsing, error classes, figures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activeConnection, describeTarget, parseRedisPanelSettings } from '../../measure/redis/config';
import { classifyError, clusterPrimaries } from '../../measure/redis/connection';
import { countersFromInfo, deriveFigures, sumCounters } from '../../measure/redis/figures';
import { parseInfo, parseKeyspace, parseSlowlog } from '../../measure/redis/parse';

describe('Redis panel settings', () => {
  it('applies the skill defaults', () => {
    const { settings, problems } = parseRedisPanelSettings({});
    assert.deepEqual(problems, []);
    assert.equal(settings.pollIntervalSeconds, 5);
    assert.equal(settings.keyspaceSampleSize, 1000);
    assert.equal(settings.hitRatioTarget, 0.9);
    assert.equal(settings.memoryUseTarget, 0.8);
    assert.equal(activeConnection(settings), undefined);
  });

  it('rejects a password in settings, drops only the bad entry and falls back on bad values', () => {
    const { settings, problems } = parseRedisPanelSettings({
      connections: [
        { name: 'leaky', host: 'cache', password: 'hunter2' },
        {
          name: 'ok',
          mode: 'cluster',
          nodes: [{ host: '10.0.0.1', port: 7000 }],
          tls: { servername: 'redis.internal' },
        },
      ],
      pollIntervalSeconds: 0,
      activeConnection: 'ok',
    });
    assert.deepEqual(
      settings.connections.map((c) => c.name),
      ['ok'],
    );
    assert.equal(settings.pollIntervalSeconds, 5);
    assert.ok(problems.some((p) => p.key === 'perfAdvisor.redis.connections[0]' && /password/.test(p.message)));
    assert.ok(problems.some((p) => p.key === 'perfAdvisor.redis.pollIntervalSeconds'));
    assert.ok(!JSON.stringify(problems).includes('hunter2'), 'the rejected password is not echoed');
    const active = activeConnection(settings)!;
    assert.equal(active.name, 'ok');
    assert.deepEqual(active.tls, { servername: 'redis.internal', rejectUnauthorized: true });
    assert.equal(describeTarget(active), 'cluster via 10.0.0.1:7000');
  });
});

describe('Redis reply parsing', () => {
  const info = parseInfo(
    '# Stats\r\nkeyspace_hits:90\r\nkeyspace_misses:10\r\ntotal_commands_processed:1000\r\nevicted_keys:0\r\nused_memory:1000\r\nused_memory_rss:1500\r\nmaxmemory:0\r\nmaxmemory_policy:noeviction\r\n# Keyspace\r\ndb0:keys=10,expires=4,avg_ttl=5000\r\ndb2:keys=1,expires=0,avg_ttl=0\r\n',
  );

  it('parses INFO fields and keyspace lines', () => {
    assert.equal(info.get('maxmemory_policy'), 'noeviction');
    assert.deepEqual(parseKeyspace(info), [
      { db: 0, keys: 10, expires: 4, ttlShare: 0.4, avgTtlMs: 5000 },
      { db: 2, keys: 1, expires: 0, ttlShare: 0, avgTtlMs: 0 },
    ]);
  });

  it('derives rates over the interval and resets on a restarted server', () => {
    const a = countersFromInfo(info, 0, 0);
    const b = { ...a, at: 2000, hits: 190, misses: 10, commands: 1206, evicted: 20, ownCommands: 6 };
    const f = deriveFigures(a, a, b);
    assert.equal(f.hitRatioInterval, 1);
    assert.equal(f.evictionsPerSec, 10);
    assert.equal(f.opsPerSec, 100, '206 commands in 2 s minus the 6 the panel sent');
    assert.equal(f.fragmentationRatio, 1.5);
    assert.equal(f.memoryUse, null);
    const restarted = { ...a, at: 4000, hits: 1, misses: 0, commands: 5 };
    const g = deriveFigures(a, b, restarted);
    assert.equal(g.hitRatioInterval, null);
    assert.equal(g.opsPerSec, null);
    assert.equal(g.hitRatioSession, 1);
  });

  it('combines cluster nodes: sums, merged keyspace, no combined limit when one node has none', () => {
    const a = countersFromInfo(info, 1, 0);
    const b = { ...a, maxmemory: 100, policy: 'allkeys-lru' };
    const sum = sumCounters([a, b]);
    assert.equal(sum.hits, 180);
    assert.equal(sum.maxmemory, 0);
    assert.equal(sum.policy, 'mixed (noeviction, allkeys-lru)');
    assert.deepEqual(sum.keyspace[0], { db: 0, keys: 20, expires: 8, ttlShare: 0.4, avgTtlMs: 5000 });
  });

  it('parses SLOWLOG GET and truncates long or many arguments', () => {
    const many = Array.from({ length: 12 }, (_, i) => `a${i}`);
    const entries = parseSlowlog([[7, 1700000000, 12000, ['mset', ...many], '127.0.0.1:5555', 'api']], 'n1');
    assert.equal(entries[0].command, 'MSET');
    assert.equal(entries[0].args.length, 9);
    assert.equal(entries[0].args[8], '…(+4 more)');
    assert.equal(entries[0].durationMicros, 12000);
  });

  it('finds the primaries in CLUSTER NODES', () => {
    const reply = [
      'a1 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460',
      'b2 127.0.0.1:7001@17001 master - 0 0 2 connected 5461-10922',
      'c3 127.0.0.1:7002@17002 slave b2 0 0 2 connected',
      'd4 :7003@17003 master,fail - 0 0 3 connected',
      'e5 :7004@17004,host.example master - 0 0 4 connected 10923-16383',
    ].join('\n');
    assert.deepEqual(clusterPrimaries(reply, '10.1.1.1'), [
      { host: '127.0.0.1', port: 7000 },
      { host: '127.0.0.1', port: 7001 },
      { host: '10.1.1.1', port: 7004 },
    ]);
  });

  it('classifies connection errors', () => {
    assert.equal(
      classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).kind,
      'refused',
    );
    assert.equal(
      classifyError(new Error('WRONGPASS invalid username-password pair or user is disabled.')).kind,
      'auth',
    );
    assert.equal(
      classifyError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).kind,
      'tls',
    );
    assert.equal(classifyError(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })).kind, 'timeout');
    assert.equal(classifyError(new Error('Command timed out')).kind, 'timeout');
    assert.equal(classifyError(new Error('getaddrinfo ENOTFOUND redis')).kind, 'other');
  });
});
