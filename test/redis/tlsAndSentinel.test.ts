// TLS (trusted CA vs unknown CA → "tls") and Sentinel (figures of the master it names) on real redis-server processes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminClient, createPoller } from './harness';
import {
  createTestCertificate,
  startRedisServer,
  startSentinel,
  type RedisServer,
  type TestCertificate,
} from './redisServer';

describe('TLS connections', () => {
  let dir: string;
  let cert: TestCertificate;
  let server: RedisServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pa-tls-'));
    cert = createTestCertificate(dir);
    server = await startRedisServer({ tls: cert });
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects over TLS when the CA is configured', async () => {
    const harness = createPoller({ name: 'tls', port: server.port, tls: { caFile: cert.certFile } });
    try {
      await harness.poller.pollNow();
      assert.equal(harness.poller.state.status, 'live', JSON.stringify(harness.poller.state.reason));
      assert.ok(harness.poller.state.combined!.redisVersion.length > 0);
    } finally {
      harness.poller.dispose();
    }
  });

  it('reports "tls" when the server certificate is not trusted', async () => {
    const harness = createPoller({ name: 'tls-untrusted', port: server.port, tls: true });
    try {
      await harness.poller.pollNow();
      assert.equal(harness.poller.state.status, 'unavailable');
      assert.equal(harness.poller.state.reason?.kind, 'tls', JSON.stringify(harness.poller.state.reason));
    } finally {
      harness.poller.dispose();
    }
  });
});

describe('Sentinel connections', () => {
  let master: RedisServer;
  let sentinel: RedisServer;

  before(async () => {
    master = await startRedisServer();
    sentinel = await startSentinel(master.port);
    const admin = adminClient(master.port);
    await admin.set('behind:sentinel', '1');
    admin.disconnect();
  });
  after(async () => {
    await sentinel.stop();
    await master.stop();
  });

  it('asks the Sentinel for the master and shows the master’s figures', async () => {
    const harness = createPoller({
      name: 'sentinel',
      mode: 'sentinel',
      sentinelName: 'mymaster',
      nodes: [{ host: '127.0.0.1', port: sentinel.port }],
    });
    try {
      await harness.poller.pollNow();
      assert.equal(harness.poller.state.status, 'live', JSON.stringify(harness.poller.state.reason));
      assert.equal(harness.poller.state.combined!.keyspace.find((db) => db.db === 0)?.keys, 1);
      assert.equal(harness.poller.state.commandsPerPoll, 3);
    } finally {
      harness.poller.dispose();
    }
  });

  it('reports the failure when the Sentinel does not know the master name', async () => {
    const harness = createPoller({
      name: 'sentinel-unknown',
      mode: 'sentinel',
      sentinelName: 'nosuchmaster',
      nodes: [{ host: '127.0.0.1', port: sentinel.port }],
    });
    try {
      await harness.poller.pollNow();
      assert.equal(harness.poller.state.status, 'unavailable');
      assert.ok(harness.poller.state.reason!.message.length > 0);
    } finally {
      harness.poller.dispose();
    }
  });
});
