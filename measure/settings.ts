// Settings of the profiling commands (`perfAdvisor.profiling.*`): the skill's latency targets, load-test, profiler, retry and diagnose thresholds.
import { z } from 'zod';

/** The skill's latency targets (P50 < 50 ms, P95 < 200 ms, P99 < 500 ms, P99.9 < 1 s), in milliseconds. */
export const LatencyTargets = z.object({
  p50: z.number().positive().default(50),
  p95: z.number().positive().default(200),
  p99: z.number().positive().default(500),
  p999: z.number().positive().default(1_000),
});
export type LatencyTargets = z.infer<typeof LatencyTargets>;

/** One flat key per setting, as `perfAdvisor.profiling.<key>` in package.json; the defaults are the skill's numbers. */
export const ProfilingSettings = z.object({
  'targets.p50Ms': z.number().positive().default(50),
  'targets.p95Ms': z.number().positive().default(200),
  'targets.p99Ms': z.number().positive().default(500),
  'targets.p999Ms': z.number().positive().default(1_000),
  'loadTest.connections': z.number().int().min(1).max(10_000).default(10),
  'loadTest.durationSeconds': z.number().int().min(1).max(3_600).default(10),
  'loadTest.timeoutSeconds': z.number().int().min(1).max(600).default(10),
  'profile.durationSeconds': z.number().int().min(1).max(3_600).default(10),
  'profile.samplingIntervalMicros': z.number().int().min(50).max(100_000).default(1_000),
  'profile.hotFunctions': z.number().int().min(1).max(200).default(15),
  'retry.attempts': z.number().int().min(1).max(10).default(3),
  'retry.initialDelayMs': z.number().int().min(0).max(60_000).default(1_000),
  'diagnose.queryTimeP95Ms': z.number().positive().default(100),
  'diagnose.slowQueryShare': z.number().min(0).max(1).default(0.01),
  'diagnose.cpuBusyShare': z.number().min(0).max(1).default(0.8),
  'diagnose.heapGrowthShare': z.number().min(0).max(100).default(0.2),
  'diagnose.hitRatioTarget': z.number().min(0).max(1).default(0.9),
  'diagnose.hotspotShare': z.number().min(0).max(1).default(0.2),
});
export type ProfilingSettings = z.infer<typeof ProfilingSettings>;

export const PROFILING_SECTION = 'perfAdvisor.profiling';
export const defaultProfilingSettings: ProfilingSettings = ProfilingSettings.parse({});

export interface ProfilingSettingsProblem {
  key: string;
  message: string;
}

/** Parses raw settings leniently: a bad value falls back to its default and is reported by its full key. */
export function parseProfilingSettings(raw: Record<string, unknown>): {
  settings: ProfilingSettings;
  problems: ProfilingSettingsProblem[];
} {
  const problems: ProfilingSettingsProblem[] = [];
  const candidate: Record<string, unknown> = {};
  const shape = ProfilingSettings.shape;
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (!Object.hasOwn(raw, key) || raw[key] === undefined) continue;
    const parsed = shape[key].safeParse(raw[key]);
    if (parsed.success) candidate[key] = parsed.data;
    else
      problems.push({
        key: `${PROFILING_SECTION}.${key}`,
        message: parsed.error.issues.map((issue) => issue.message).join('; '),
      });
  }
  return { settings: ProfilingSettings.parse(candidate), problems };
}

/** The latency targets held in the settings. */
export function targetsOf(settings: ProfilingSettings): LatencyTargets {
  return {
    p50: settings['targets.p50Ms'],
    p95: settings['targets.p95Ms'],
    p99: settings['targets.p99Ms'],
    p999: settings['targets.p999Ms'],
  };
}

/** The skill's retry policy as settings: attempts, exponential back-off from the initial delay. */
export function retryOf(settings: ProfilingSettings): { attempts: number; initialDelayMs: number } {
  return { attempts: settings['retry.attempts'], initialDelayMs: settings['retry.initialDelayMs'] };
}
