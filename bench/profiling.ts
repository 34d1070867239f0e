// Figures for docs/profiling.md: the load generator's CPU beside the service's, its P50/P99 beside wrk on the same route, the profiler's overhead.
// Run: npm run build && node --import tsx bench/profiling.ts [--duration S] [--connections N]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const { values } = parseArgs({ options: { duration: { type: 'string' }, connections: { type: 'string' } } });
const DURATION = Number(values.duration ?? 10);
const CONNECTIONS = Number(values.connections ?? 50);
const TICKS = 100; // USER_HZ on Linux
const ROUNDS = 3;

/** A route with a little real work per request (build and serialise 50 rows), like a small JSON API. */
const SERVICE = `const http = require('http');
http.createServer((req, res) => {
  const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, name: 'item ' + i, price: (i * 1.07).toFixed(2) }));
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(rows));
}).listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'));
`;

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** utime + stime of a process in seconds (/proc/<pid>/stat fields 14 and 15). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

async function startService(dir: string, port: number, nodeArgs: string[] = []) {
  const script = join(dir, 'service.js');
  writeFileSync(script, SERVICE);
  const child = spawn(process.execPath, [...nodeArgs, script, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((done) => child.stdout.once('data', () => done()));
  return child;
}

/** Runs a command under GNU time: its output and the CPU seconds it (and its threads) used. */
function timed(command: string, args: string[]): { stdout: string; cpu: number } {
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S', command, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const last = run.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { stdout: run.stdout, cpu: last[0] + last[1] };
}

const wrkMs = (text: string, label: string) => {
  const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(text);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pa-bench-profiling-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/items`;
  const service = await startService(dir, port);
  try {
    // warm-up, so that neither tool meets a cold JIT
    timed(process.execPath, [CLI, 'loadtest', url, '--duration', '2', '--format', 'json']);
    const rows: string[] = [];
    console.log(`load average before: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    for (const tool of ['perf-advisor', 'wrk', 'perf-advisor', 'wrk', 'perf-advisor', 'wrk'] as const) {
      const before = cpuSeconds(service.pid!);
      const run =
        tool === 'wrk'
          ? timed('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${DURATION}s`, '--latency', url])
          : timed(process.execPath, [
              CLI,
              'loadtest',
              url,
              '-c',
              String(CONNECTIONS),
              '-d',
              String(DURATION),
              '--format',
              'json',
            ]);
      const serviceCpu = cpuSeconds(service.pid!) - before;
      let p50: number, p99: number, rps: number;
      if (tool === 'wrk') {
        p50 = wrkMs(run.stdout, '50%');
        p99 = wrkMs(run.stdout, '99%');
        rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(run.stdout)?.[1]);
      } else {
        const result = JSON.parse(run.stdout) as { rps: number; latencyMs: { p50: number; p99: number } };
        ({ p50, p99 } = result.latencyMs);
        rps = result.rps;
      }
      rows.push(
        `| ${tool} | ${rps.toFixed(0)} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${((run.cpu / DURATION) * 100).toFixed(0)} % | ${((serviceCpu / DURATION) * 100).toFixed(0)} % |`,
      );
    }
    console.log(`\nload generator vs service (${CONNECTIONS} connections, ${DURATION} s, one route, 2 cores shared)\n`);
    console.log('| tool | req/s | P50 ms | P99 ms | generator CPU (of one core) | service CPU (of one core) |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
  } finally {
    service.kill();
  }

  // profiler overhead: one service started with --inspect; load tests alternate without and with
  // `perf-advisor profile --attach` recording over the whole run
  const inspected = await freePort();
  const target = `http://127.0.0.1:${inspected}/items`;
  const s = await startService(dir, inspected, [`--inspect=127.0.0.1:${await freePort()}`]);
  const inspectPort = Number(/127\.0\.0\.1:(\d+)/.exec(s.spawnargs.join(' '))![1]);
  const rates = { without: [] as number[], with: [] as number[] };
  const loadRps = () =>
    (
      JSON.parse(
        timed(process.execPath, [CLI, 'loadtest', target, '-c', '10', '-d', String(DURATION), '--format', 'json'])
          .stdout,
      ) as { rps: number }
    ).rps;
  try {
    loadRps(); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of round % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const)) {
        if (mode === 'without') {
          rates.without.push(loadRps());
          continue;
        }
        const profiler = spawn(
          process.execPath,
          [
            CLI,
            'profile',
            '--attach',
            `127.0.0.1:${inspectPort}`,
            '--duration',
            String(DURATION + 3),
            '--format',
            'json',
          ],
          { stdio: ['ignore', 'ignore', 'ignore'] },
        );
        const done = new Promise((r) => profiler.once('exit', r));
        rates.with.push(loadRps());
        await done;
      }
    }
  } finally {
    s.kill();
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  const fmt = (values: number[]) => `${median(values).toFixed(0)} (${values.map((v) => v.toFixed(0)).join(', ')})`;
  console.log(`\nprofiler overhead (10 connections, ${DURATION} s runs, ${ROUNDS} rounds, median and all runs)\n`);
  console.log('| service | req/s |');
  console.log('| --- | --- |');
  console.log(`| without profiler | ${fmt(rates.without)} |`);
  console.log(`| under the CPU profiler (attached, 1 ms sampling) | ${fmt(rates.with)} |`);
  console.log(
    `\nthroughput under the profiler: ${((median(rates.with) / median(rates.without) - 1) * 100).toFixed(1)} %`,
  );
  console.log(`load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  rmSync(dir, { recursive: true, force: true });
}

void main();
