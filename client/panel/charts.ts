// Session charts as inline SVG built from VNodes: no chart library, no network, no markup strings.
import { h, type VNode } from './vnode';

export interface ChartSpec {
  title: string;
  values: ReadonlyArray<number | null>;
  format: (value: number) => string;
  /** A dashed target line (e.g. the 90% hit-ratio target). */
  target?: number;
  /** Fixed y-range top (1 for ratios); otherwise the data's maximum. */
  max?: number;
}

const WIDTH = 240;
const HEIGHT = 56;
const PAD = 4;

/** A line chart of the values (gaps for null), with the latest value in the caption. */
export function lineChart(spec: ChartSpec): VNode {
  const present = spec.values.filter((v): v is number => v !== null);
  const latest = present.at(-1);
  const top = spec.max ?? Math.max(1e-9, ...present, spec.target ?? 0);
  const x = (i: number) => PAD + (spec.values.length <= 1 ? 0 : (i * (WIDTH - 2 * PAD)) / (spec.values.length - 1));
  const y = (v: number) => HEIGHT - PAD - (Math.min(v, top) / top) * (HEIGHT - 2 * PAD);
  // split into runs of consecutive non-null values so that gaps stay visible
  const runs: string[][] = [[]];
  spec.values.forEach((v, i) => {
    if (v === null) {
      if (runs.at(-1)!.length > 0) runs.push([]);
      return;
    }
    runs.at(-1)!.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  const caption = `${spec.title}: ${latest === undefined ? 'no data yet' : spec.format(latest)}`;
  return h(
    'div',
    { class: 'chart' },
    h('div', { class: 'chart-title' }, caption),
    h(
      'svg',
      {
        viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
        width: '100%',
        height: HEIGHT,
        preserveAspectRatio: 'none',
        role: 'img',
        'aria-label': caption,
      },
      h('title', {}, caption),
      h('rect', { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: 'chart-bg' }),
      spec.target !== undefined
        ? h('line', {
            x1: 0,
            x2: WIDTH,
            y1: y(spec.target).toFixed(1),
            y2: y(spec.target).toFixed(1),
            class: 'chart-target',
            'stroke-dasharray': '4 3',
          })
        : null,
      runs
        .filter((run) => run.length > 0)
        .map((run) =>
          run.length === 1
            ? h('rect', {
                x: Number(run[0].split(',')[0]) - 1,
                y: Number(run[0].split(',')[1]) - 1,
                width: 2,
                height: 2,
                class: 'chart-dot',
              })
            : h('polyline', { points: run.join(' '), class: 'chart-line', fill: 'none' }),
        ),
    ),
  );
}
