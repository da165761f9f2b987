/**
 * A time series as stacked columns, one column per time bucket and one colour per series. Columns rather than
 * lines because agent usage is bursty: a line between two busy hours would draw usage that never happened.
 */
import { svg } from '../dom.js';
import { formatCompact, formatDayAndTime, formatInteger } from '../format.js';
import { linear, niceTicks } from './scale.js';
import { timeTicks } from './time-ticks.js';

/** Wide enough on the right for a centred date label on the last tick ("Nov 24"). */
const MARGIN = { top: 12, right: 28, bottom: 30, left: 56 };

/**
 * @typedef {{ readonly key: string | null; readonly label: string; readonly color: string }} Series
 * @typedef {{ readonly time_ms: number; readonly key: string | null; readonly value: number }} Point
 */

/**
 * @param {{ description: string; fromMs: number; toMs: number; bucketMs: number; points: readonly Point[]; series: readonly Series[]; unit: string; width?: number; height?: number }} options
 */
export function stackedColumns({ description, fromMs, toMs, bucketMs, points, series, unit, width = 1100, height = 260 }) {
  /** @type {Map<number, Map<string | null, number>>} */
  const buckets = new Map();
  for (const point of points) {
    const bucket = buckets.get(point.time_ms) ?? new Map();
    bucket.set(point.key, (bucket.get(point.key) ?? 0) + point.value);
    buckets.set(point.time_ms, bucket);
  }
  const totals = [...buckets.values()].map((bucket) => [...bucket.values()].reduce((sum, value) => sum + value, 0));
  const yTicks = niceTicks(Math.max(0, ...totals), 4);
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const bottom = height - MARGIN.bottom;
  const x = linear([fromMs, toMs], [left, right]);
  const y = linear([0, yTicks.at(-1) ?? 1], [bottom, MARGIN.top]);

  const grid = yTicks.map((tick) =>
    svg(
      'g',
      { class: 'tick' },
      svg('line', { x1: left, x2: right, y1: y(tick), y2: y(tick), class: tick === 0 ? 'axis-line' : 'grid-line' }),
      svg('text', { x: left - 8, y: y(tick), class: 'axis-label', 'text-anchor': 'end', 'dominant-baseline': 'central' }, formatCompact(tick)),
    ),
  );
  const xAxis = timeTicks(fromMs, toMs, Math.max(2, Math.floor((right - left) / 110))).map((tick) =>
    svg(
      'g',
      { class: 'tick' },
      svg('line', { x1: x(tick.ms), x2: x(tick.ms), y1: bottom, y2: bottom + 5, class: 'axis-line' }),
      svg('text', { x: x(tick.ms), y: bottom + 18, class: 'axis-label', 'text-anchor': 'middle' }, tick.label),
    ),
  );

  const columns = [...buckets.entries()].flatMap(([time, bucket]) => {
    // A bucket may start before the range or end after it; draw only the part inside the plot.
    const start = x(Math.max(fromMs, time));
    const end = x(Math.min(toMs, time + bucketMs));
    const gap = end - start > 6 ? 1 : 0;
    const columnWidth = Math.max(1.5, end - start - gap);
    let stacked = 0;
    return series.flatMap((entry) => {
      const value = bucket.get(entry.key) ?? 0;
      if (value <= 0) return [];
      const top = y(stacked + value);
      const base = y(stacked);
      stacked += value;
      return [
        svg(
          'rect',
          { x: start, y: top, width: columnWidth, height: Math.max(1, base - top), fill: entry.color },
          svg('title', {}, `${formatDayAndTime(time)} · ${entry.label}: ${formatInteger(value)} ${unit}`),
        ),
      ];
    });
  });

  return svg(
    'svg',
    { class: 'chart time-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': description },
    grid,
    xAxis,
    svg('g', { class: 'columns' }, columns),
  );
}
