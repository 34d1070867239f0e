// The measuring commands of the CLI (`loadtest`, `profile`, `redis-stats`): the same engines as the VS Code commands, the skill's exit codes.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { previousRun, saveLoadTest } from '../../measure/loadtest/history';
import { parseHeader } from '../../measure/loadtest/input';
import { EndpointUnreachableError } from '../../measure/loadtest/probe';
import { compareRuns, formatLoadTestText, type LoadTestResult } from '../../measure/loadtest/result';
import { InvalidInputError, runLoadTest } from '../../measure/loadtest/run';
import { parseAttachTarget, runProfile, type ProfileTarget } from '../../measure/profile/profile';
import { formatProfileText } from '../../measure/profile/format';
import { adviseOn } from '../../measure/redis/advice';
import { sampleAll } from '../../measure/redis/collector';
import { connectWithRetry, openConnection, type OpenConnection } from '../../measure/redis/connection';
import { countersFromInfo, deriveFigures } from '../../measure/redis/figures';
import { CancelledError, SKILL_RETRY } from '../../measure/retry';
import { defaultProfilingSettings, targetsOf } from '../../measure/settings';
import { describeTarget } from '../../measure/redis/config';
import {
  MEASURE_USAGE,
  parseLoadTestArgs,
  parseProfileArgs,
  parseRedisStatsArgs,
  type MeasureCommand,
} from './measureArgs';
import { parseRedisUrl } from './redisUrl';

/** The skill's exit codes. */
const Exit = { success: 0, invalidInput: 1, unavailable: 2, targetMissed: 3 } as const;

export interface MeasureIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Aborted on Ctrl+C: the run stops and reports what it measured. */
  signal?: AbortSignal;
}

const fail = (io: MeasureIo, message: string, code: number = Exit.invalidInput) => {
  io.stderr.write(`perf-advisor: ${message}\n`);
  return code;
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export async function runMeasureCommand(
  command: MeasureCommand,
  argv: readonly string[],
  io: MeasureIo,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(MEASURE_USAGE);
    return Exit.success;
  }
  try {
    if (command === 'loadtest') return await loadTest(argv, io);
    if (command === 'profile') return await profile(argv, io);
    return await redisStats(argv, io);
  } catch (error) {
    if (error instanceof InvalidInputError) return fail(io, error.message);
    if (error instanceof EndpointUnreachableError) return fail(io, error.message, Exit.unavailable);
    if (error instanceof CancelledError) return fail(io, 'cancelled', Exit.unavailable);
    throw error;
  }
}

/** Opens a read-only Redis connection with the skill's retries; a string says what is wrong with the URL. */
async function openRedis(url: string, io: MeasureIo): Promise<{ connection: OpenConnection; target: string } | string> {
  const parsed = parseRedisUrl(url, io.env.PERF_ADVISOR_REDIS_PASSWORD);
  if (!parsed.ok) return parsed.message;
  const connection = await connectWithRetry(
    () => openConnection(parsed.connection, { password: parsed.password, connectTimeoutMs: 5_000 }),
    { ...SKILL_RETRY, signal: io.signal },
  );
  return { connection, target: describeTarget(parsed.connection) };
}

async function loadTest(argv: readonly string[], io: MeasureIo): Promise<number> {
  const parsed = parseLoadTestArgs(argv);
  if (!parsed.ok) return fail(io, `${parsed.message}\nRun "perf-advisor loadtest --help" for usage.`);
  const { args } = parsed;
  const headers: Record<string, string> = {};
  for (const text of args.headers) {
    const header = parseHeader(text);
    if (!header) return fail(io, `--header must look like "Name: value" (got "${text}")`);
    headers[header[0]] = header[1];
  }
  const defaults = targetsOf(defaultProfilingSettings);
  const targetsMs = {
    p50: args.targets.p50 ?? defaults.p50,
    p95: args.targets.p95 ?? defaults.p95,
    p99: args.targets.p99 ?? defaults.p99,
    p999: args.targets.p999 ?? defaults.p999,
  };
  let redis: { connection: OpenConnection; target: string } | undefined;
  if (args.redisUrl !== undefined) {
    let opened;
    try {
      opened = await openRedis(args.redisUrl, io);
    } catch (error) {
      return fail(
        io,
        `Redis ${args.redisUrl} is unreachable after 3 attempts: ${(error as Error).message}`,
        Exit.unavailable,
      );
    }
    if (typeof opened === 'string') return fail(io, opened);
    redis = opened;
  }
  const quietProgress = args.format === 'json';
  try {
    const { result } = await runLoadTest(
      {
        url: args.url,
        method: args.method as 'GET' | undefined,
        headers,
        body: args.body,
        connections: args.connections,
        durationS: args.durationS,
        requests: args.requests,
        rate: args.rate,
        timeoutS: args.timeoutS,
        targetsMs,
      },
      {
        signal: io.signal,
        redis: redis ? { ...redis, hitRatioTarget: defaultProfilingSettings['diagnose.hitRatioTarget'] } : undefined,
        onProgress: (progress) => {
          if (!quietProgress || progress.fraction === null) io.stderr.write(`perf-advisor: ${progress.message}\n`);
        },
      },
    );
    let comparison;
    if (args.save) {
      const root = resolve(io.cwd);
      const before = previousRun(root, result);
      if (before) comparison = compareRuns(before.value, result);
      io.stderr.write(`perf-advisor: result saved to ${saveLoadTest(root, result)}\n`);
    }
    io.stdout.write(
      args.format === 'json'
        ? json(comparison ? { ...result, comparison } : result)
        : formatLoadTestText(result, comparison),
    );
    return verdictExit(result);
  } finally {
    redis?.connection.close();
  }
}

const verdictExit = (result: LoadTestResult) => (result.withinTargets ? Exit.success : Exit.targetMissed);

async function profile(argv: readonly string[], io: MeasureIo): Promise<number> {
  const parsed = parseProfileArgs(argv);
  if (!parsed.ok) return fail(io, `${parsed.message}\nRun "perf-advisor profile --help" for usage.`);
  const { args } = parsed;
  let target: ProfileTarget;
  if (args.attach !== undefined) {
    const at = parseAttachTarget(args.attach);
    if (!at) return fail(io, `--attach must be host:port, as given to node --inspect (got "${args.attach}")`);
    target = { kind: 'attach', ...at };
  } else {
    target = { kind: 'script', script: args.script!, args: args.scriptArgs, cwd: io.cwd };
    if (!existsSync(resolve(io.cwd, args.script!))) return fail(io, `cannot profile "${args.script}": no such file`);
  }
  const durationS = args.durationS ?? defaultProfilingSettings['profile.durationSeconds'];
  let run;
  try {
    run = await runProfile(
      {
        target,
        durationS,
        hotFunctions: args.top ?? defaultProfilingSettings['profile.hotFunctions'],
        samplingIntervalUs: defaultProfilingSettings['profile.samplingIntervalMicros'],
      },
      {
        signal: io.signal,
        onOutput: (text) => io.stderr.write(text),
        during: args.loadUrl
          ? (signal) =>
              runLoadTest(
                { url: args.loadUrl!, durationS, rate: args.rate, connections: args.connections },
                { signal, onProgress: (p) => p.fraction === null && io.stderr.write(`perf-advisor: ${p.message}\n`) },
              )
          : undefined,
      },
    );
  } catch (error) {
    if (
      error instanceof InvalidInputError ||
      error instanceof EndpointUnreachableError ||
      error instanceof CancelledError
    )
      throw error;
    const code = target.kind === 'attach' ? Exit.unavailable : Exit.invalidInput;
    return fail(io, `profiling failed: ${(error as Error).message}`, code);
  }
  const result = run.result;
  if (args.output !== undefined) {
    const path = resolve(io.cwd, args.output);
    try {
      writeFileSync(path, JSON.stringify(run.profile));
    } catch (error) {
      return fail(
        io,
        `cannot write --output "${args.output}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    result.profilePath = path;
  }
  const load = run.duringResult as { result: LoadTestResult } | undefined;
  if (args.format === 'json') io.stdout.write(json(load ? { ...result, loadTest: load.result } : result));
  else {
    io.stdout.write(formatProfileText(result, io.cwd));
    if (load) io.stdout.write(`\n${formatLoadTestText(load.result)}`);
  }
  return load ? verdictExit(load.result) : Exit.success;
}

async function redisStats(argv: readonly string[], io: MeasureIo): Promise<number> {
  const parsed = parseRedisStatsArgs(argv);
  if (!parsed.ok) return fail(io, `${parsed.message}\nRun "perf-advisor redis-stats --help" for usage.`);
  let redis;
  try {
    redis = await openRedis(parsed.args.url, io);
  } catch (error) {
    return fail(io, `Redis is unreachable after 3 attempts: ${(error as Error).message}`, Exit.unavailable);
  }
  if (typeof redis === 'string') return fail(io, redis);
  try {
    const samples = await sampleAll(redis.connection, 10);
    const counters = samples.map((s) => s.counters);
    const first = counters[0] ?? countersFromInfo(new Map(), Date.now(), 0);
    const figures = deriveFigures(first, undefined, first);
    const targets = { hitRatio: defaultProfilingSettings['diagnose.hitRatioTarget'], memoryUse: 0.8 };
    const advice = adviseOn(figures, targets);
    const out = {
      target: redis.target,
      figures,
      targets,
      slowlog: samples.flatMap((s) => s.slowlog),
      latency: samples.flatMap((s) => s.latency),
      advice,
    };
    if (parsed.args.format === 'json') io.stdout.write(json(out));
    else io.stdout.write(formatRedisStats(out));
    return advice.some((a) => a.severity === 'warning') ? Exit.targetMissed : Exit.success;
  } finally {
    redis.connection.close();
  }
}

function formatRedisStats(stats: {
  target: string;
  figures: ReturnType<typeof deriveFigures>;
  slowlog: { command: string; args: string[]; durationMicros: number }[];
  advice: { severity: string; title: string; detail: string }[];
}): string {
  const f = stats.figures;
  const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);
  const lines = [
    `redis ${f.redisVersion} at ${stats.target}, up ${f.uptimeSeconds} s`,
    `hit ratio (lifetime) ${pct(f.hitRatioLifetime)}: ${f.keyspaceHits} hits, ${f.keyspaceMisses} misses`,
    `memory ${(f.usedMemory / 1048576).toFixed(1)} MiB` +
      (f.maxmemory > 0 ? ` of ${(f.maxmemory / 1048576).toFixed(1)} MiB (${pct(f.memoryUse)})` : ' (no maxmemory)') +
      `, policy ${f.maxmemoryPolicy}`,
    `clients ${f.connectedClients} connected, ${f.blockedClients} blocked, ${f.rejectedConnections} rejected`,
    `evicted ${f.evictedKeys}, expired ${f.expiredKeys}`,
  ];
  if (stats.slowlog.length > 0) {
    lines.push(`SLOWLOG (${stats.slowlog.length}):`);
    for (const e of stats.slowlog)
      lines.push(`  ${e.command} ${e.args.join(' ')}  ${(e.durationMicros / 1000).toFixed(2)} ms`);
  }
  for (const a of stats.advice) lines.push(`${a.severity}: ${a.title}`);
  if (stats.advice.length === 0) lines.push('every figure is within its target');
  return `${lines.join('\n')}\n`;
}
