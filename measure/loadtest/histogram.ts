// Latencies in an HdrHistogram (microseconds, 3 significant digits): recording with coordinated-omission correction, percentiles, distribution.
import * as hdr from 'hdr-histogram-js';

/** 3 significant digits: a percentile is exact to 0.1 % of its value. */
export const SIGNIFICANT_DIGITS = 3;
export const RELATIVE_PRECISION = 10 ** -SIGNIFICANT_DIGITS;

export type Histogram = hdr.Histogram;

export function createHistogram(): Histogram {
  // 1 µs to 1 h, growing if a response ever takes longer
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    autoResize: true,
  });
}

/**
 * Records one latency. With an expected interval (the constant rate's gap between two requests of one connection),
 * a response slower than the interval also records the requests that a non-coordinating client would have sent in
 * the meantime (HdrHistogram's correction, the one wrk2 applies): a stall then weighs as much as it hurt users.
 */
export function recordLatency(histogram: Histogram, latencyMs: number, expectedIntervalMs?: number): void {
  const micros = Math.max(1, Math.round(latencyMs * 1000));
  if (expectedIntervalMs && expectedIntervalMs > 0)
    histogram.recordValueWithExpectedInterval(micros, Math.max(1, Math.round(expectedIntervalMs * 1000)));
  else histogram.recordValue(micros);
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  min: number;
}

const ms = (micros: number) => Math.round(micros) / 1000;

export function summarize(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) return { p50: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0 };
  return {
    p50: ms(histogram.getValueAtPercentile(50)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: Math.round(histogram.mean) / 1000,
    min: ms(histogram.minNonZeroValue),
  };
}

/** The percentiles the chart draws: dense near the tail, where targets are missed. */
export const DISTRIBUTION_PERCENTILES = [
  0, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.5, 99.9, 99.99, 100,
] as const;

export function distribution(histogram: Histogram): { percentile: number; latencyMs: number }[] {
  if (histogram.totalCount === 0) return [];
  return DISTRIBUTION_PERCENTILES.map((percentile) => ({
    percentile,
    latencyMs: ms(percentile === 0 ? histogram.minNonZeroValue : histogram.getValueAtPercentile(percentile)),
  }));
}

export const encodeHistogram = (histogram: Histogram): string => hdr.encodeIntoCompressedBase64(histogram);
export const decodeHistogram = (encoded: string): Histogram => hdr.decodeFromCompressedBase64(encoded);
