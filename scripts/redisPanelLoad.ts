// Dev script: the load the Redis panel adds — commands per poll, and redis-benchmark throughput with and without a 1 s poller.
// Run: node --import tsx scripts/redisPanelLoad.ts [--rounds 8] [--requests 100000]
import { spawn } from 'node:child_process';
import Redis from 'ioredis';
import { RedisConnection } from '../measure/redis/config';
import { openConnection } from '../measure/redis/connection';
import { RedisPoller } from '../measure/redis/poller';
import { startRedisServer } from '../test/redis/redisServer';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Runs redis-benchmark and returns requests/s per test (GET, SET). */
function benchmark(port: number, requests: number): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'redis-benchmark',
      ['-h', '127.0.0.1', '-p', String(port), '-t', 'get,set', '-n', String(requests), '-q'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`redis-benchmark exited ${code}`));
      const result: Record<string, number> = {};
      // -q prints progress with \r, then e.g. "SET: 98039.22 requests per second, p50=0.263 msec"
      for (const m of out.matchAll(/(GET|SET): ([\d.]+) requests per second/g)) result[m[1]] = Number(m[2]);
      resolve(result);
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const rounds = arg('rounds', 8);
  const requests = arg('requests', 100_000);
  const server = await startRedisServer();
  const connection = RedisConnection.parse({ name: 'load', port: server.port });
  let polls = 0;
  const poller = new RedisPoller({
    open: () => openConnection(connection, { connectTimeoutMs: 5_000 }),
    intervalMs: 1_000,
    slowlogEntries: 10,
    targets: { hitRatio: 0.9, memoryUse: 0.8 },
    historyPoints: 1000,
    describe: { connectionName: 'load', mode: 'standalone', target: `127.0.0.1:${server.port}` },
    onState: (s) => {
      if (s.status === 'live') polls++;
    },
  });
  const admin = new Redis({ host: '127.0.0.1', port: server.port });
  let pollingMs = 0;
  const without: Record<string, number[]> = { GET: [], SET: [] };
  const withPanel: Record<string, number[]> = { GET: [], SET: [] };
  try {
    await benchmark(server.port, 20_000); // warm-up
    for (let round = 0; round < rounds; round++) {
      // alternate the order so that drift on a shared machine hits both sides alike
      const order = round % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
      for (const side of order) {
        if (side === 'with') poller.start();
        const started = Date.now();
        const result = await benchmark(server.port, requests);
        if (side === 'with') {
          poller.stop();
          pollingMs += Date.now() - started;
        }
        for (const test of ['GET', 'SET']) (side === 'with' ? withPanel : without)[test].push(result[test]);
      }
    }
    // Server-side cost: Redis is single-threaded, so the µs it spent on the panel's commands per second of
    // polling is the share of its capacity the panel takes (stable even when the shared machine is noisy).
    const stats = String(await admin.info('commandstats'));
    const usec = (name: string) =>
      Number(new RegExp(`cmdstat_${name.replace('|', '\\|')}:calls=\\d+,usec=(\\d+)`).exec(stats)?.[1] ?? 0);
    const panelUsec = usec('info') + usec('slowlog|get') + usec('latency|latest');
    console.log(
      `server time on the panel's commands: ${panelUsec} µs over ${(pollingMs / 1000).toFixed(1)} s of polling = ${((panelUsec / (pollingMs * 1000)) * 100).toFixed(4)}% of Redis's thread`,
    );
    console.log(
      `  (for scale: GET ${usec('get')} µs and SET ${usec('set')} µs of server time for the benchmark's ${2 * rounds * requests + 20_000} requests of each)`,
    );
  } finally {
    admin.disconnect();
    poller.dispose();
    await server.stop();
  }
  console.log(`redis-benchmark -t get,set -n ${requests} -q, ${rounds} rounds each, median requests/s:`);
  for (const test of ['GET', 'SET']) {
    const a = median(without[test]);
    const b = median(withPanel[test]);
    console.log(
      `  ${test}: without panel ${a.toFixed(0)}, with panel polling every 1 s ${b.toFixed(0)} (${(((b - a) / a) * 100).toFixed(2)}%)`,
    );
    console.log(
      `    runs without: ${without[test].map((v) => v.toFixed(0)).join(', ')}; with: ${withPanel[test].map((v) => v.toFixed(0)).join(', ')}`,
    );
  }
  // Each round runs both sides back to back, so the paired difference cancels the slow drift of a shared machine.
  console.log('paired difference per round (with − without) / without:');
  for (const test of ['GET', 'SET']) {
    const diffs = without[test].map((a, i) => (withPanel[test][i] - a) / a);
    const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
    const sorted = [...diffs].sort((a, b) => a - b);
    console.log(
      `  ${test}: median ${pct(median(diffs))}, range ${pct(sorted[0])} … ${pct(sorted.at(-1)!)} over ${diffs.length} rounds`,
    );
  }
  const commandsPerPoll = poller.state.commandsPerPoll;
  const benchRate = median(without.GET);
  console.log(
    `commands per poll: ${commandsPerPoll} (INFO, SLOWLOG GET, LATENCY LATEST in one pipeline); polls run: ${polls}`,
  );
  console.log(
    `panel commands at 1 s: ${commandsPerPoll}/s = ${((commandsPerPoll / benchRate) * 100).toFixed(4)}% of the GET throughput`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
