// Read-only by construction: the allowlist refuses writes before sending, and MONITOR sees only allowlisted commands.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HANDSHAKE_COMMANDS, isAllowed, ReadOnlyCommandError } from '../../measure/redis/allowlist';
import { RedisConnection } from '../../measure/redis/config';
import { openConnection } from '../../measure/redis/connection';
import { analyzeKeyspace } from '../../measure/redis/keyspace';
import { adminClient, createPoller } from './harness';
import { startRedisServer } from './redisServer';

describe('read-only command allowlist', () => {
  it('allows the read commands and refuses everything else', () => {
    const allowed = [
      ['INFO'],
      ['INFO', 'memory'],
      ['SLOWLOG', 'GET', 10],
      ['slowlog', 'len'],
      ['LATENCY', 'LATEST'],
      ['LATENCY', 'HISTORY', 'command'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'GET', 'maxmemory-policy', 'slowlog-log-slower-than'],
      ['CLIENT', 'LIST'],
      ['CLIENT', 'INFO'],
      ['SCAN', '0', 'COUNT', 100],
      ['TYPE', 'k'],
      ['TTL', 'k'],
      ['PTTL', 'k'],
      ['MEMORY', 'USAGE', 'k'],
      ['DBSIZE'],
      ['CLUSTER', 'INFO'],
      ['CLUSTER', 'NODES'],
      ['PING'],
    ];
    for (const argv of allowed) assert.ok(isAllowed(argv), `should allow ${argv.join(' ')}`);
    const refused = [
      [],
      ['SET', 'k', 'v'],
      ['DEL', 'k'],
      ['FLUSHALL'],
      ['KEYS', '*'],
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['CONFIG', 'GET', '*'],
      ['CONFIG', 'GET', 'requirepass'],
      ['CONFIG', 'GET'],
      ['CONFIG', 'REWRITE'],
      ['CLIENT', 'KILL', 'ID', '1'],
      ['SLOWLOG', 'RESET'],
      ['LATENCY', 'RESET'],
      ['MEMORY', 'PURGE'],
      ['CLUSTER', 'RESET'],
      ['CLUSTER', 'FAILOVER'],
      ['DEBUG', 'SLEEP', '1'],
      ['EVAL', 'return 1', '0'],
      ['SHUTDOWN'],
      ['SLOWLOG'],
      ['MONITOR'],
      ['GET', 'k'],
    ];
    for (const argv of refused) assert.ok(!isAllowed(argv), `should refuse ${argv.join(' ')}`);
  });

  it('refuses a write without sending it to the server', async () => {
    const server = await startRedisServer();
    const admin = adminClient(server.port);
    const connection = await openConnection(RedisConnection.parse({ name: 'ro', port: server.port }), {
      connectTimeoutMs: 2_000,
    });
    try {
      const client = connection.clients[0];
      const sentBefore = client.commandsSent;
      // the API is typed for any argv: the refusal is a runtime check, so cast through the public signature
      const sendAny = client.send.bind(client) as (...argv: [string, ...string[]]) => Promise<unknown>;
      await assert.rejects(sendAny('SET', 'written', '1'), ReadOnlyCommandError);
      await assert.rejects(client.pipeline([['PING'], ['DEL', 'written']]), ReadOnlyCommandError);
      await assert.rejects(sendAny('CONFIG', 'SET', 'maxmemory', '1'), ReadOnlyCommandError);
      assert.equal(client.commandsSent, sentBefore);
      assert.equal(await admin.exists('written'), 0);
      const stats = String(await admin.info('commandstats'));
      assert.ok(!/cmdstat_(set|del|config\|set):/.test(stats), stats);
    } finally {
      connection.close();
      admin.disconnect();
      await server.stop();
    }
  });

  /**
   * Whether a command (name, optional sub-command) is on the allowlist or one of the client library's handshake
   * commands.
   */
  function acceptable(argv: string[]): boolean {
    const name = argv[0].toUpperCase();
    return (
      isAllowed(argv) ||
      HANDSHAKE_COMMANDS.has(name) ||
      HANDSHAKE_COMMANDS.has(`${name} ${String(argv[1] ?? '').toUpperCase()}`)
    );
  }

  // MONITOR does not show admin commands (SLOWLOG, LATENCY, CONFIG, CLUSTER) since Redis 6.2, so the
  // server's own per-command counters (INFO commandstats, reset before the session) cover those.
  it('sends only allowlisted (and handshake) commands across a full session, seen by MONITOR and commandstats', async (t) => {
    const password = 'monitor-pw-123';
    const server = await startRedisServer({ args: ['--requirepass', password] });
    const admin = adminClient(server.port, password);
    await admin.select(1);
    const pipeline = admin.pipeline();
    for (let i = 0; i < 300; i++) pipeline.set(`item:${i}`, 'v', 'EX', 60);
    await pipeline.exec();
    await admin.config('SET', 'slowlog-log-slower-than', '0');
    await admin.config('SET', 'latency-monitor-threshold', '1');

    let commandstats = '';
    const monitor = await adminClient(server.port, password).monitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => seen.push(args));
    await admin.config('RESETSTAT');
    const harness = createPoller({ name: 'monitored', port: server.port, db: 1, username: 'default' }, { password });
    try {
      await harness.poller.pollNow();
      await harness.poller.pollNow();
      const analysis = await analyzeKeyspace(harness.poller.openConnection!.clients, { sampleSize: 100 });
      assert.equal(analysis.sampled, 100);
      await harness.poller.reconnect();
      await harness.poller.pollNow();
      assert.equal(harness.poller.state.status, 'live');
      assert.ok(harness.poller.state.slowlog.length > 0);
      await admin.ping(); // a marker: once MONITOR shows it, everything the panel sent before has been seen
      await new Promise<void>((resolve) => {
        if (seen.some((argv) => argv[0]?.toLowerCase() === 'ping')) resolve();
        monitor.on('monitor', (_time: string, args: string[]) => {
          if (args[0]?.toLowerCase() === 'ping') resolve();
        });
      });
      commandstats = String(await admin.info('commandstats'));
    } finally {
      harness.poller.dispose();
      monitor.disconnect();
      admin.disconnect();
      await server.stop();
    }
    const panelCommands = seen.filter((argv) => argv[0]?.toLowerCase() !== 'ping'); // the admin's marker
    assert.deepEqual(
      panelCommands.filter((argv) => !acceptable(argv)),
      [],
    );
    // commandstats: "cmdstat_slowlog|get:calls=…"; the admin's own CONFIG RESETSTAT, PING and INFO are not the panel's
    const counted = [...commandstats.matchAll(/^cmdstat_([a-z|-]+):calls=(\d+)/gm)]
      .map((m) => m[1].split('|'))
      .filter((argv) => argv.join(' ') !== 'config resetstat');
    const countedNames = counted.map((argv) => argv.join(' ').toUpperCase()).sort();
    for (const argv of counted)
      assert.ok(acceptable(argv) || (argv[0] === 'config' && argv[1] === 'get'), `not allowed: ${argv.join(' ')}`);
    assert.ok(!countedNames.includes('CONFIG GET'), 'the panel reads maxmemory from INFO, not CONFIG GET');
    for (const expected of ['SLOWLOG GET', 'LATENCY LATEST'])
      assert.ok(countedNames.includes(expected), `expected ${expected} in ${countedNames.join(', ')}`);
    assert.ok(!panelCommands.flat().includes(password), 'the password never appears in clear');
    const names = [
      ...new Set(
        panelCommands.map((argv) =>
          [
            argv[0],
            ...(['slowlog', 'latency', 'memory', 'client', 'config', 'cluster'].includes(argv[0].toLowerCase())
              ? [argv[1]]
              : []),
          ]
            .join(' ')
            .toUpperCase(),
        ),
      ),
    ].sort();
    for (const expected of [
      'AUTH',
      'SELECT',
      'INFO',
      'DBSIZE',
      'SCAN',
      'TYPE',
      'PTTL',
      'MEMORY USAGE',
      'CLIENT SETNAME',
    ]) {
      assert.ok(names.includes(expected), `expected ${expected} in ${names.join(', ')}`);
    }
    t.diagnostic(`commands seen by MONITOR: ${names.join(', ')} (${panelCommands.length} in total)`);
    t.diagnostic(`commands counted by INFO commandstats: ${countedNames.join(', ')}`);
  });
});
