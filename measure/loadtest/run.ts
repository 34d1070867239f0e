// Runs a load test: validates the input, probes with the skill's retries, drives autocannon in a worker, reads Redis deltas.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OpenConnection } from '../redis/connection';
import { CancelledError, SKILL_RETRY, type RetryPolicy } from '../retry';
import { decodeHistogram, distribution, summarize } from './histogram';
import { describeIssues, LoadTestInput, type LoadTestInputRaw } from './input';
import { ensureReachable } from './probe';
import { redisDelta, snapshotRedis, type RedisSnapshot } from './redisDelta';
import { verdictsOf, type LoadTestResult, type RedisDuringLoad } from './result';
import type { FromWorker, WorkerDone, WorkerJob } from './workerProtocol';

/** Bad input: the skill's exit code 1. */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

export interface LoadTestProgress {
  responses: number;
  elapsedMs: number;
  /** Share of the run done (by time or by responses); null while probing. */
  fraction: number | null;
  message: string;
}

export interface LoadTestOptions {
  signal?: AbortSignal;
  onProgress?: (progress: LoadTestProgress) => void;
  retry?: RetryPolicy;
  /** A read-only Redis connection to watch during the run. */
  redis?: { connection: OpenConnection; target: string; hitRatioTarget: number };
  now?: () => Date;
}

export interface LoadTestRun {
  result: LoadTestResult;
  /** Every latency in ms when the input asked for them (tests compare them with the histogram). */
  rawLatenciesMs: number[] | null;
}

/** How long a stopped worker may take to hand over its partial result (autocannon stops on its 1 s tick). */
const STOP_GRACE_MS = 2_500;

/**
 * Starts the worker: the bundle's sibling in dist/, or the TypeScript source through tsx when run from source (tests).
 */
export function startWorker(job: WorkerJob): Worker {
  const bundled = join(__dirname, 'loadtestWorker.js');
  if (existsSync(bundled)) return new Worker(bundled, { workerData: job });
  const source = join(__dirname, 'worker.ts');
  if (!__filename.endsWith('.ts') || !existsSync(source))
    throw new Error(`the load generator's bundle is missing: ${bundled} (run npm run build)`);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true, workerData: job });
}

export async function runLoadTest(raw: LoadTestInputRaw, options: LoadTestOptions = {}): Promise<LoadTestRun> {
  const parsed = LoadTestInput.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(describeIssues(parsed.error));
  const input = parsed.data;
  const { signal, onProgress } = options;
  const startedAt = (options.now ?? (() => new Date()))().toISOString();

  onProgress?.({ responses: 0, elapsedMs: 0, fraction: null, message: `checking that ${input.url} answers` });
  await ensureReachable(input.url, input.method, {
    policy: options.retry ?? SKILL_RETRY,
    timeoutMs: input.timeoutS * 1000,
    signal,
    onRetry: (message) => onProgress?.({ responses: 0, elapsedMs: 0, fraction: null, message }),
  });

  let redisBefore: RedisSnapshot | undefined;
  let redisError: string | null = null;
  if (options.redis) {
    try {
      redisBefore = await snapshotRedis(options.redis.connection);
    } catch (error) {
      redisError = `could not read Redis before the run: ${(error as Error).message}`;
    }
  }

  const done = await runWorker(
    {
      url: input.url,
      method: input.method,
      headers: input.headers,
      body: input.body,
      connections: input.connections,
      durationS: input.requests === undefined ? (input.durationS ?? 10) : undefined,
      requests: input.requests,
      rate: input.rate,
      timeoutS: input.timeoutS,
      keepRawLatencies: input.keepRawLatencies,
    },
    signal,
    onProgress,
  );

  let redis: RedisDuringLoad | null = null;
  if (options.redis) {
    const { target, hitRatioTarget, connection } = options.redis;
    try {
      if (redisBefore)
        redis = redisDelta(
          redisBefore,
          await snapshotRedis(connection),
          done.worker.totals.responses,
          target,
          hitRatioTarget,
        );
    } catch (error) {
      redisError = `could not read Redis after the run: ${(error as Error).message}`;
    }
    redis ??= emptyRedis(target, hitRatioTarget, redisError ?? 'no Redis figures');
  }
  return { result: buildResult(input, done.worker, done.cancelled, startedAt, redis), rawLatenciesMs: done.worker.raw };
}

/** The Redis part of a result when Redis could not be read: the reason, no figures. */
export function emptyRedis(target: string, hitRatioTarget: number, error: string): RedisDuringLoad {
  return {
    target,
    commands: 0,
    commandsPerRequest: null,
    hits: 0,
    misses: 0,
    hitRatio: null,
    hitRatioTarget,
    commandStats: [],
    slowlog: [],
    error,
  };
}

function buildResult(
  input: LoadTestInput,
  worker: WorkerDone,
  cancelled: boolean,
  startedAt: string,
  redis: RedisDuringLoad | null,
): LoadTestResult {
  const histogram = decodeHistogram(worker.histogram);
  const summary = summarize(histogram);
  const latencyMs = { p50: summary.p50, p95: summary.p95, p99: summary.p99, p999: summary.p999, max: summary.max };
  let uncorrectedLatencyMs = null;
  if (worker.uncorrectedHistogram) {
    const plain = summarize(decodeHistogram(worker.uncorrectedHistogram));
    uncorrectedLatencyMs = { p50: plain.p50, p95: plain.p95, p99: plain.p99, p999: plain.p999, max: plain.max };
  }
  const verdict = verdictsOf(latencyMs, input.targetsMs, worker.totals.responses);
  const { totals } = worker;
  const result: LoadTestResult = {
    url: input.url,
    method: input.method,
    requests: totals.responses,
    durationS: Math.round(totals.durationS * 1000) / 1000,
    rps: totals.durationS > 0 ? Math.round((totals.responses / totals.durationS) * 10) / 10 : 0,
    errors: totals.errors,
    non2xx: totals.non2xx,
    timeouts: totals.timeouts,
    latencyMs,
    targetsMs: input.targetsMs,
    verdict,
    withinTargets: Object.values(verdict).every((v) => v === 'ok'),
    coordinatedOmission: input.rate ? 'corrected' : 'not corrected',
    expectedIntervalMs: worker.expectedIntervalMs,
    uncorrectedLatencyMs,
    connections: totals.connections,
    rate: input.rate ?? null,
    distribution: distribution(histogram),
    statusCodes: totals.statusCodes,
    loadGeneratorBusy: Math.round(worker.busyShare * 1000) / 1000,
    startedAt,
    cancelled,
    redis,
  };
  histogram.destroy();
  return result;
}

/** Starts the worker, relays progress, stops it on abort (keeping the partial result), always terminates it. */
function runWorker(
  job: WorkerJob,
  signal: AbortSignal | undefined,
  onProgress: LoadTestOptions['onProgress'],
): Promise<{ worker: WorkerDone; cancelled: boolean }> {
  if (signal?.aborted) return Promise.reject(new CancelledError());
  const worker = startWorker(job);
  const planned = job.requests ?? (job.durationS ?? 10) * 1000;
  return new Promise((resolve, reject) => {
    let cancelled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void) => {
      signal?.removeEventListener('abort', onAbort);
      if (graceTimer) clearTimeout(graceTimer);
      void worker.terminate();
      outcome();
    };
    function onAbort() {
      cancelled = true;
      worker.postMessage({ type: 'stop' });
      graceTimer = setTimeout(() => finish(() => reject(new CancelledError())), STOP_GRACE_MS);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'progress') {
        const fraction = Math.min(1, (job.requests ? message.responses : message.elapsedMs) / planned);
        onProgress?.({
          responses: message.responses,
          elapsedMs: message.elapsedMs,
          fraction,
          message: `${message.responses} responses in ${(message.elapsedMs / 1000).toFixed(1)} s`,
        });
      } else if (message.type === 'done') finish(() => resolve({ worker: message, cancelled }));
      else finish(() => reject(new Error(`the load generator failed: ${message.message}`)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the load generator exited early (code ${code})`))));
  });
}
