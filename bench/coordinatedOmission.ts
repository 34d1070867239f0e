// Figures for docs/profiling.md: a service that stalls once for 1 s, measured at a constant 100 req/s by perf-advisor,
// and by autocannon with and without its own correction. Run: npm run build && node --import tsx
// bench/coordinatedOmission.ts
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const CLI = join(resolve(__dirname, '..'), 'dist', 'cli.js');
const RATE = 100;
const CONNECTIONS = 2;
const DURATION = 6;

/** The whole service stalls for 1 s at its `stallAt`-th request; before and after, 1 ms. */
async function stallingService(stallAt: number) {
  let n = 0;
  let stallEnds = 0;
  const server = createServer((_req, res) => {
    const now = Date.now();
    if (++n === stallAt) stallEnds = now + 1000;
    setTimeout(() => res.end('ok'), now < stallEnds ? stallEnds - now : 1);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Runs a child without blocking this process, whose event loop serves the stalling service. */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('close', () => done(out));
  });
}

async function main(): Promise<void> {
  const rows: string[] = [];
  {
    const { server, url } = await stallingService(200);
    const out = JSON.parse(
      await run(process.execPath, [
        CLI,
        'loadtest',
        url,
        '-c',
        String(CONNECTIONS),
        '-d',
        String(DURATION),
        '--rate',
        String(RATE),
        '--format',
        'json',
      ]),
    ) as { latencyMs: Record<string, number>; uncorrectedLatencyMs: Record<string, number>; requests: number };
    rows.push(
      `| perf-advisor --rate ${RATE} (corrected) | ${out.latencyMs.p50} | ${out.latencyMs.p99} | ${out.latencyMs.p999} | ${out.latencyMs.max} |`,
    );
    rows.push(
      `| same run, uncorrected | ${out.uncorrectedLatencyMs.p50} | ${out.uncorrectedLatencyMs.p99} | ${out.uncorrectedLatencyMs.p999} | ${out.uncorrectedLatencyMs.max} |`,
    );
    server.close();
  }
  {
    const { server, url } = await stallingService(200);
    const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, overallRate: RATE });
    const l = result.latency as unknown as Record<string, number>;
    rows.push(`| autocannon overallRate ${RATE} (its correction) | ${l.p50} | ${l.p99} | ${l.p99_9} | ${l.max} |`);
    server.close();
  }
  {
    const { server, url } = await stallingService(200);
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: DURATION,
      overallRate: RATE,
      ignoreCoordinatedOmission: true,
    });
    const l = result.latency as unknown as Record<string, number>;
    rows.push(
      `| autocannon overallRate ${RATE}, ignoreCoordinatedOmission | ${l.p50} | ${l.p99} | ${l.p99_9} | ${l.max} |`,
    );
    server.close();
  }
  console.log(`\none 1 s stall, ${CONNECTIONS} connections, ${DURATION} s, ${RATE} req/s asked (ms)\n`);
  console.log('| tool | P50 | P99 | P99.9 | max |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}

void main();
