// A real 3-primary Redis Cluster on loopback: per-node and combined figures, SLOWLOG from every primary, key-space sample.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster } from 'ioredis';
import { analyzeKeyspace } from '../../measure/redis/keyspace';
import { adminClient, createPoller, type PollerHarness } from './harness';
import { startRedisCluster, type RedisCluster } from './redisServer';

describe('Redis Cluster of 3 primaries', () => {
  let cluster: RedisCluster;
  let app: Cluster;
  let harness: PollerHarness;

  before(async () => {
    cluster = await startRedisCluster();
    app = new Cluster(
      cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
      { lazyConnect: false },
    );
    for (const port of cluster.ports) {
      const admin = adminClient(port);
      await admin.config('SET', 'slowlog-log-slower-than', '0');
      admin.disconnect();
    }
    harness = createPoller({
      name: 'cluster',
      mode: 'cluster',
      nodes: [{ host: '127.0.0.1', port: cluster.ports[1] }],
    });
  });
  after(async () => {
    harness.poller.dispose();
    app.disconnect();
    await cluster.stop();
  });

  it('shows per-node and combined figures after a workload spread over the slots', async (t) => {
    const { poller } = harness;
    await poller.pollNow();
    assert.equal(poller.state.status, 'live', JSON.stringify(poller.state.reason));
    assert.equal(poller.state.nodes.length, 3);
    for (let i = 0; i < 300; i++) await app.set(`product:${i}`, 'p', 'EX', 600);
    for (let i = 0; i < 300; i++) await app.get(`product:${i}`);
    for (let i = 0; i < 100; i++) await app.get(`absent:${i}`);
    await poller.pollNow();
    const { combined, nodes } = poller.state;
    assert.equal(poller.state.commandsPerPoll, 9, '3 commands per primary');
    const nodeKeys = nodes.map((n) => n.figures.keyspace.find((db) => db.db === 0)?.keys ?? 0);
    assert.ok(
      nodeKeys.every((keys) => keys > 50),
      `keys spread over the primaries: ${nodeKeys.join(', ')}`,
    );
    assert.equal(
      nodeKeys.reduce((a, b) => a + b, 0),
      300,
    );
    assert.equal(combined!.keyspace[0].keys, 300);
    assert.equal(combined!.keyspace[0].ttlShare, 1);
    assert.equal(combined!.hitRatioInterval, 0.75);
    assert.equal(
      combined!.keyspaceHits,
      nodes.reduce((n, node) => n + node.figures.keyspaceHits, 0),
    );
    assert.equal(
      combined!.usedMemory,
      nodes.reduce((n, node) => n + node.figures.usedMemory, 0),
    );
    assert.equal(
      combined!.connectedClients,
      nodes.reduce((n, node) => n + node.figures.connectedClients, 0),
    );
    const perNode = nodes.map(
      (n) =>
        `${n.node} keys=${n.figures.keyspace[0]?.keys} hit=${n.figures.hitRatioInterval?.toFixed(3)} mem=${n.figures.usedMemory}`,
    );
    t.diagnostic(
      `per node: ${perNode.join(' | ')}; combined keys=${combined!.keyspace[0].keys} hit=${combined!.hitRatioInterval} mem=${combined!.usedMemory} ops/s=${combined!.opsPerSec?.toFixed(1)}`,
    );
  });

  it('reads SLOWLOG from every primary', () => {
    const nodesWithEntries = new Set(harness.poller.state.slowlog.map((e) => e.node));
    assert.deepEqual([...nodesWithEntries].sort(), harness.poller.state.nodes.map((n) => n.node).sort());
  });

  it('samples the key space across the primaries within the sample size', async () => {
    const clients = harness.poller.openConnection!.clients;
    const result = await analyzeKeyspace(clients, { sampleSize: 90 });
    assert.equal(result.totalKeys, 300);
    assert.ok(result.sampled <= 90 && result.sampled >= 85, `sampled ${result.sampled}`);
    assert.equal(result.prefixesByCount[0].prefix, 'product:');
  });
});
