// The load test's result (the JSON the CLI prints and the webview shows), its verdicts against the targets, and before/after.
import { z } from 'zod';
import { LatencyTargets } from '../settings';

export const PERCENTILES = ['p50', 'p95', 'p99', 'p999'] as const;
export type Percentile = (typeof PERCENTILES)[number];
export const PERCENTILE_LABEL: Record<Percentile, string> = { p50: 'P50', p95: 'P95', p99: 'P99', p999: 'P99.9' };

export const Latencies = z.object({
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
});
export type Latencies = z.infer<typeof Latencies>;

export const Verdict = z.enum(['ok', 'over']);
export const Verdicts = z.object({ p50: Verdict, p95: Verdict, p99: Verdict, p999: Verdict });
export type Verdicts = z.infer<typeof Verdicts>;

/** Redis during the run: INFO and commandstats deltas, new SLOWLOG entries. */
export const RedisDuringLoad = z.object({
  target: z.string(),
  commands: z.number(),
  commandsPerRequest: z.number().nullable(),
  hits: z.number(),
  misses: z.number(),
  hitRatio: z.number().nullable(),
  hitRatioTarget: z.number(),
  /** Per command over the run: calls and time inside Redis, busiest first. */
  commandStats: z.array(
    z.object({ command: z.string(), calls: z.number(), perRequest: z.number().nullable(), usecPerCall: z.number() }),
  ),
  slowlog: z.array(
    z.object({ command: z.string(), args: z.array(z.string()), durationMicros: z.number(), timestamp: z.number() }),
  ),
  error: z.string().nullable(),
});
export type RedisDuringLoad = z.infer<typeof RedisDuringLoad>;

export const LoadTestResult = z.object({
  url: z.string(),
  method: z.string(),
  requests: z.number(),
  durationS: z.number(),
  rps: z.number(),
  errors: z.number(),
  non2xx: z.number(),
  timeouts: z.number(),
  latencyMs: Latencies,
  targetsMs: LatencyTargets,
  verdict: Verdicts,
  withinTargets: z.boolean(),
  coordinatedOmission: z.enum(['corrected', 'not corrected']),
  /** The gap between two requests of one connection at the asked rate (what the correction assumes). */
  expectedIntervalMs: z.number().nullable(),
  /** The same percentiles before the correction (with a rate only): what an uncorrected tool would have said. */
  uncorrectedLatencyMs: Latencies.nullable(),
  connections: z.number(),
  rate: z.number().nullable(),
  distribution: z.array(z.object({ percentile: z.number(), latencyMs: z.number() })),
  statusCodes: z.record(z.string(), z.number()),
  /**
   * Share of the run the load generator's thread was busy (event-loop utilisation): near 1 it, not the service, limits.
   */
  loadGeneratorBusy: z.number(),
  startedAt: z.string(),
  cancelled: z.boolean(),
  redis: RedisDuringLoad.nullable(),
});
export type LoadTestResult = z.infer<typeof LoadTestResult>;

/** "ok" when the percentile is below its target (the skill says P50 < 50 ms, so 50 ms itself is over). */
export function verdictsOf(latency: Latencies, targets: LatencyTargets, responses: number): Verdicts {
  const judge = (p: Percentile) => (responses > 0 && latency[p] < targets[p] ? 'ok' : 'over');
  return { p50: judge('p50'), p95: judge('p95'), p99: judge('p99'), p999: judge('p999') };
}

export interface PercentileChange {
  percentile: Percentile;
  beforeMs: number;
  afterMs: number;
  changeMs: number;
  /** Relative change; null when the earlier run measured 0. */
  changeShare: number | null;
}

export interface Comparison {
  before: { startedAt: string; rps: number };
  percentiles: PercentileChange[];
  rpsChangeShare: number | null;
}

/** Before/after for two runs of the same endpoint. */
export function compareRuns(before: LoadTestResult, after: LoadTestResult): Comparison {
  return {
    before: { startedAt: before.startedAt, rps: before.rps },
    percentiles: PERCENTILES.map((percentile) => {
      const beforeMs = before.latencyMs[percentile];
      const afterMs = after.latencyMs[percentile];
      return {
        percentile,
        beforeMs,
        afterMs,
        changeMs: Math.round((afterMs - beforeMs) * 1000) / 1000,
        changeShare: beforeMs > 0 ? (afterMs - beforeMs) / beforeMs : null,
      };
    }),
    rpsChangeShare: before.rps > 0 ? (after.rps - before.rps) / before.rps : null,
  };
}

const fmtMs = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

/** The text report of the CLI. */
export function formatLoadTestText(result: LoadTestResult, comparison?: Comparison): string {
  const lines: string[] = [];
  lines.push(`${result.method} ${result.url}${result.cancelled ? '  (cancelled: partial run)' : ''}`);
  lines.push(
    `${result.requests} responses in ${result.durationS.toFixed(1)} s over ${result.connections} connection(s): ${result.rps.toFixed(1)} req/s` +
      (result.rate ? ` (asked: ${result.rate} req/s)` : ''),
  );
  lines.push(`errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}`);
  lines.push(
    result.coordinatedOmission === 'corrected'
      ? `coordinated omission: corrected (constant rate, expected interval ${fmtMs(result.expectedIntervalMs ?? 0)} ms per connection)`
      : 'coordinated omission: not corrected (no --rate: a stall hides the requests it held back)',
  );
  lines.push('');
  lines.push('percentile   latency      target    verdict' + (result.uncorrectedLatencyMs ? '   uncorrected' : ''));
  for (const p of PERCENTILES) {
    const row = [
      PERCENTILE_LABEL[p].padEnd(10),
      `${fmtMs(result.latencyMs[p])} ms`.padStart(10),
      `< ${result.targetsMs[p]} ms`.padStart(11),
      `   ${result.verdict[p] === 'ok' ? 'ok  ' : 'OVER'}`,
    ];
    if (result.uncorrectedLatencyMs) row.push(`${fmtMs(result.uncorrectedLatencyMs[p])} ms`.padStart(14));
    lines.push(`  ${row.join(' ')}`);
  }
  lines.push(`  ${'max'.padEnd(10)} ${`${fmtMs(result.latencyMs.max)} ms`.padStart(10)}`);
  lines.push('');
  if (comparison) {
    lines.push(`compared with the run of ${comparison.before.startedAt}:`);
    for (const change of comparison.percentiles) {
      const share =
        change.changeShare === null
          ? ''
          : ` (${change.changeShare >= 0 ? '+' : ''}${(change.changeShare * 100).toFixed(0)} %)`;
      lines.push(
        `  ${PERCENTILE_LABEL[change.percentile].padEnd(6)} ${fmtMs(change.beforeMs)} → ${fmtMs(change.afterMs)} ms${share}`,
      );
    }
    lines.push('');
  }
  if (result.redis) lines.push(...formatRedisText(result.redis), '');
  lines.push(
    result.withinTargets
      ? 'verdict: within the latency targets'
      : `verdict: ${PERCENTILES.filter((p) => result.verdict[p] === 'over')
          .map((p) => PERCENTILE_LABEL[p])
          .join(', ')} over target`,
  );
  lines.push(`load generator busy: ${(result.loadGeneratorBusy * 100).toFixed(0)} % of its thread`);
  return `${lines.join('\n')}\n`;
}

function formatRedisText(redis: RedisDuringLoad): string[] {
  if (redis.error) return [`redis (${redis.target}): ${redis.error}`];
  const lines = [
    `redis during the run (${redis.target}): ${redis.commands} commands` +
      (redis.commandsPerRequest === null ? '' : `, ${redis.commandsPerRequest.toFixed(2)} per request`) +
      (redis.hitRatio === null
        ? ''
        : `, hit ratio ${(redis.hitRatio * 100).toFixed(1)} % (target > ${(redis.hitRatioTarget * 100).toFixed(0)} %)`),
  ];
  for (const stat of redis.commandStats.slice(0, 8))
    lines.push(
      `  ${stat.command.padEnd(12)} ${String(stat.calls).padStart(8)} calls` +
        (stat.perRequest === null ? '' : `  ${stat.perRequest.toFixed(2)}/request`) +
        `  ${stat.usecPerCall.toFixed(1)} µs/call`,
    );
  if (redis.slowlog.length > 0) {
    lines.push(`  new SLOWLOG entries: ${redis.slowlog.length}`);
    for (const entry of redis.slowlog.slice(0, 5))
      lines.push(`    ${entry.command} ${entry.args.join(' ')}  ${(entry.durationMicros / 1000).toFixed(2)} ms`);
  }
  return lines;
}
