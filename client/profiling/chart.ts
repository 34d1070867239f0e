// The latency distribution chart as inline SVG VNodes: latency by percentile on a "nines" axis, the targets, the previous run.
import { h, type VNode } from '../panel/vnode';
import type { LatencyTargets } from '../../measure/settings';

const WIDTH = 560;
const HEIGHT = 220;
const LEFT = 48;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 28;
/** The axis ends at P99.99: 4 nines. */
const MAX_NINES = 4;

/** Position of a percentile on the axis: 0 at P0, 1 at P90, 2 at P99, 3 at P99.9 (log of 1 / (1 - p)). */
export function nines(percentile: number): number {
  if (percentile >= 100) return MAX_NINES;
  return Math.min(MAX_NINES, Math.log10(100 / (100 - percentile)));
}

type Point = { percentile: number; latencyMs: number };

/** A round top for the y axis (1, 2 or 5 × 10^n) above `value`. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

export function latencyChart(
  distribution: readonly Point[],
  targets: LatencyTargets,
  previous: readonly Point[] | null,
): VNode {
  const all = [...distribution, ...(previous ?? [])].filter((p) => p.percentile < 100);
  const top = niceCeiling(Math.max(targets.p99, ...all.map((p) => p.latencyMs)) * 1.05);
  const x = (percentile: number) => LEFT + (nines(percentile) / MAX_NINES) * (WIDTH - LEFT - RIGHT);
  const y = (ms: number) => HEIGHT - BOTTOM - (Math.min(ms, top) / top) * (HEIGHT - TOP - BOTTOM);
  const line = (points: readonly Point[], cls: string) =>
    h('polyline', {
      class: cls,
      fill: 'none',
      points: points
        .filter((p) => p.percentile < 100)
        .map((p) => `${x(p.percentile).toFixed(1)},${y(p.latencyMs).toFixed(1)}`)
        .join(' '),
    });
  const ticks: [number, string][] = [
    [0, 'P0'],
    [50, 'P50'],
    [90, 'P90'],
    [95, 'P95'],
    [99, 'P99'],
    [99.9, 'P99.9'],
    [99.99, 'P99.99'],
  ];
  const targetMarks: [number, number, string][] = [
    [50, targets.p50, 'P50'],
    [95, targets.p95, 'P95'],
    [99, targets.p99, 'P99'],
    [99.9, targets.p999, 'P99.9'],
  ];
  const caption = `Latency by percentile (ms), targets dashed${previous ? ', previous run grey' : ''}`;
  return h(
    'div',
    { class: 'chart', 'data-testid': 'latency-chart' },
    h('div', { class: 'chart-title' }, caption),
    h(
      'svg',
      { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: '100%', height: HEIGHT, role: 'img', 'aria-label': caption },
      h('title', {}, caption),
      h('rect', { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: 'chart-bg' }),
      [0, 0.25, 0.5, 0.75, 1].map((share) =>
        h(
          'g',
          {},
          h('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: y(top * share), y2: y(top * share), class: 'chart-grid' }),
          h(
            'text',
            {
              x: LEFT - 4,
              y: y(top * share),
              'text-anchor': 'end',
              'dominant-baseline': 'middle',
              class: 'chart-label',
            },
            String(Math.round(top * share * 100) / 100),
          ),
        ),
      ),
      ticks.map(([p, label], i) =>
        // the last label ends at the right edge instead of being cut there
        h(
          'text',
          { x: x(p), y: HEIGHT - 8, 'text-anchor': i === ticks.length - 1 ? 'end' : 'middle', class: 'chart-label' },
          label,
        ),
      ),
      // each target as a dashed step from its percentile to the right edge: the curve must stay under it
      targetMarks.map(([p, ms, label]) =>
        h(
          'g',
          {},
          h('line', {
            x1: x(p),
            x2: WIDTH - RIGHT,
            y1: y(ms),
            y2: y(ms),
            class: 'chart-target',
            'stroke-dasharray': '4 3',
          }),
          h('text', { x: x(p) + 2, y: y(ms) - 3, class: 'chart-label' }, `${label} < ${ms}`),
        ),
      ),
      previous ? line(previous, 'chart-line chart-previous') : null,
      line(distribution, 'chart-line'),
    ),
  );
}
