// Unavailable Redis on a real server: auth failure, server killed mid-poll (stale figures kept), restart (recovers), retry back-off.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectWithRetry, ConnectionUnavailableError } from '../../measure/redis/connection';
import { adminClient, createPoller } from './harness';
import { freePort, startRedisServer } from './redisServer';

describe('Redis panel when the server is unavailable', () => {
  it('reports "auth failed" without retrying a wrong password, and connects with the right one', async () => {
    const server = await startRedisServer({ args: ['--requirepass', 's3cret-pw'] });
    const wrong = createPoller({ name: 'auth', port: server.port }, { password: 'wrong' });
    const right = createPoller({ name: 'auth', port: server.port }, { password: 's3cret-pw' });
    try {
      await wrong.poller.pollNow();
      assert.equal(wrong.poller.state.status, 'unavailable');
      assert.equal(wrong.poller.state.reason?.kind, 'auth');
      assert.ok(!wrong.poller.state.reason?.message.includes('wrong'), 'the password is never echoed');
      assert.equal(wrong.opens.length, 1, 'auth failures are not retried');
      await right.poller.pollNow();
      assert.equal(right.poller.state.status, 'live');
    } finally {
      wrong.poller.dispose();
      right.poller.dispose();
      await server.stop();
    }
  });

  it('reports "refused" after 3 attempts when nothing listens', async () => {
    const port = await freePort();
    const harness = createPoller({ name: 'down', port });
    try {
      await harness.poller.pollNow();
      assert.equal(harness.poller.state.status, 'unavailable');
      assert.equal(harness.poller.state.reason?.kind, 'refused');
      assert.equal(harness.opens.length, 3);
      assert.equal(harness.poller.state.stale, false, 'nothing to mark stale before the first figures');
      assert.equal(harness.poller.state.combined, null);
    } finally {
      harness.poller.dispose();
    }
  });

  it('backs off exponentially from the initial delay between attempts', async () => {
    const times: number[] = [];
    const failing = async () => {
      times.push(Date.now());
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    };
    await assert.rejects(connectWithRetry(failing, { attempts: 3, initialDelayMs: 40 }), (error: unknown) => {
      assert.ok(error instanceof ConnectionUnavailableError);
      assert.equal(error.reason.kind, 'refused');
      return true;
    });
    assert.equal(times.length, 3);
    assert.ok(times[1] - times[0] >= 39, `first delay ${times[1] - times[0]}`);
    assert.ok(times[2] - times[1] >= 79, `second delay ${times[2] - times[1]}`);
  });

  it('keeps the last figures marked stale when the server dies mid-poll, then recovers when it is back', async () => {
    const server = await startRedisServer({ args: ['--enable-debug-command', 'yes'] });
    const port = server.port;
    const harness = createPoller({ name: 'flaky', port });
    const admin = adminClient(port);
    try {
      await admin.set('k', 'v');
      await harness.poller.pollNow();
      await admin.get('k');
      await harness.poller.pollNow();
      const live = harness.poller.state;
      assert.equal(live.status, 'live');
      // Make the server busy, start a poll (its INFO waits behind the sleep), then kill the server under it.
      void admin.call('DEBUG', 'SLEEP', '5').catch(() => undefined);
      const polling = harness.poller.pollNow();
      await new Promise((resolve) => setImmediate(resolve));
      const opensBefore = harness.opens.length;
      await server.stop('SIGKILL');
      await polling;
      const down = harness.poller.state;
      assert.equal(down.status, 'unavailable');
      assert.equal(down.reason?.kind, 'refused');
      assert.equal(down.stale, true);
      assert.deepEqual(down.combined, live.combined, 'the last figures are kept');
      assert.equal(harness.opens.length - opensBefore, 3, 'three reconnection attempts');

      const restarted = await startRedisServer({ port });
      try {
        await harness.poller.pollNow();
        const back = await harness.waitFor((s) => s.status === 'live');
        assert.equal(back.stale, false);
        assert.equal(back.reason, null);
        assert.equal(back.combined!.keyspace.length, 0, 'figures come from the new (empty) server');
        assert.equal(back.history.length, live.history.length + 1, 'the session history continues');
      } finally {
        await restarted.stop();
      }
    } finally {
      admin.disconnect();
      harness.poller.dispose();
      await server.stop();
    }
  });

  it('polls on its interval once started, never stacking polls, and stops', async () => {
    const server = await startRedisServer({ args: ['--enable-debug-command', 'yes'] });
    const harness = createPoller({ name: 'interval', port: server.port }, { intervalMs: 50 });
    const admin = adminClient(server.port);
    try {
      harness.poller.start();
      await harness.waitFor((s) => s.history.length >= 3);
      // a slow server: for 400 ms every reply waits; with a 50 ms interval, stacked polls would pile up ~8 INFOs
      const panelClient = harness.connections.at(-1)!.clients[0];
      const sentBefore = panelClient.commandsSent;
      await admin.call('DEBUG', 'SLEEP', '0.4');
      const sentDuringSleep = panelClient.commandsSent - sentBefore;
      assert.ok(sentDuringSleep <= 6, `at most the blocked poll and one just before it: ${sentDuringSleep} commands`);
      const historyBefore = harness.poller.state.history.length;
      await harness.waitFor((s) => s.history.length >= historyBefore + 2);
      const server2Clients = String(await admin.client('LIST'))
        .split('\n')
        .filter((line) => line.includes('name=perf-advisor-panel'));
      assert.equal(server2Clients.length, 1, 'one connection reused');
      harness.poller.stop();
      const stoppedAt = harness.poller.state.history.length;
      await harness.poller.pollNow(); // an explicit poll still works while stopped
      assert.equal(harness.poller.state.history.length, stoppedAt + 1);
      assert.equal(harness.poller.isRunning, false);
    } finally {
      admin.disconnect();
      harness.poller.dispose();
      await server.stop();
    }
  });

  it('with acknowledgements required, holds the next poll until a view has shown the last state', async () => {
    const server = await startRedisServer();
    const harness = createPoller({ name: 'ack', port: server.port }, { intervalMs: 20, requireAcknowledgement: true });
    const until = async (condition: () => boolean, what: string) => {
      const deadline = Date.now() + 5_000;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    try {
      harness.poller.start();
      await harness.waitFor((s) => s.status === 'live');
      await until(() => harness.poller.isWaitingForView, 'the poller to wait for the view');
      const panelClient = harness.connections.at(-1)!.clients[0];
      const sent = panelClient.commandsSent;
      assert.equal(harness.poller.state.history.length, 1, 'one poll, then nothing until the view shows it');
      // several intervals later, still nothing sent
      const deadline = Date.now() + 200;
      await until(() => Date.now() > deadline, '200 ms');
      assert.equal(panelClient.commandsSent, sent);
      harness.poller.acknowledge();
      await harness.waitFor((s) => s.history.length === 2);
      await until(() => harness.poller.isWaitingForView, 'the poller to wait again');
      harness.poller.acknowledge();
      await harness.waitFor((s) => s.history.length === 3);
      harness.poller.stop();
      assert.equal(harness.poller.isWaitingForView, false);
      harness.poller.acknowledge(); // stopped: an acknowledgement does not restart polling
      assert.equal(harness.poller.isRunning, false);
    } finally {
      harness.poller.dispose();
      await server.stop();
    }
  });
});
