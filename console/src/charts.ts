/**
 * Draws the 统计 view's charts with uPlot (canvas; only this module imports it, so it arrives with
 * the view's lazily loaded chunk). uPlot styles its elements through the CSSOM (`el.style.x = …`),
 * which the console's CSP (`style-src 'self'`, no inline styles) allows; its stylesheet is part of
 * styles.css (`console/build.ts`). Each chart fills its holder's width and follows it when it
 * resizes (a phone turned, a window narrowed).
 */
import uPlot from 'uplot';
import type { ChartData, Series } from './stats-logic';

export interface DrawnChart {
  destroy(): void;
}

/** Whole-number ticks only: these are counts. */
const COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000];
/** Day ticks: every day, every other, a week, a fortnight, a month, a quarter. */
const DAY_INCRS = [1, 2, 7, 14, 30, 91];
const FONT = '12px system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
const INK = '#1b1f24';
const GRID = { stroke: '#e3e7ec', width: 1 };
const DAY_HEIGHT = 220;
const DASHES = [[], [7, 4], [2, 3]];

/** A little headroom above the largest count, at least 4 so one call does not fill the chart. */
function countRange(_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax {
  return [0, Math.max(4, Math.ceil((max ?? 0) * 1.15))];
}

let measurer: CanvasRenderingContext2D | null | undefined;
/** The widest label in CSS pixels (for the category axis' width). */
function widest(labels: readonly string[]): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return 120;
  measurer.font = FONT;
  return Math.max(0, ...labels.map((label) => measurer!.measureText(label).width));
}

function dayOptions(data: Extract<ChartData, { kind: 'days' }>, width: number, readout: HTMLElement): uPlot.Options {
  const n = data.days.length;
  return {
    width,
    height: DAY_HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    scales: { x: { time: false, range: n > 1 ? [0, n - 1] : [-0.5, 0.5] }, y: { range: countRange } },
    axes: [
      { font: FONT, stroke: INK, space: 48, incrs: DAY_INCRS, grid: { show: false }, values: (_u, splits) => splits.map((i) => (Number.isInteger(i) && data.days[i] ? data.days[i]!.slice(5) : '')) },
      { font: FONT, stroke: INK, incrs: COUNT_INCRS, size: 40, grid: GRID, values: (_u, splits) => splits.map((v) => String(v)) },
    ],
    // Solid, dashed, dotted: equal counts draw one line over another, and the dashes keep both visible.
    series: [{}, ...data.series.map((s, i) => ({ label: s.label, stroke: s.color, width: i ? 2 : 3, dash: DASHES[i] ?? [], points: { show: n <= 31, size: i ? 5 : 7, fill: s.color } }))],
    hooks: {
      // What the pointer is on, in words (the canvas alone says nothing to a screen reader; the table does).
      setCursor: [
        (u) => {
          const i = u.cursor.idx;
          readout.textContent = i === null || i === undefined ? '' : `${data.days[i]}：${data.series.map((s) => `${s.label} ${s.values[i]}`).join('，')}`;
        },
      ],
    },
  };
}

/** Horizontal bars: one row per category (labels left, read top down), two series side by side. */
function barOptions(data: Extract<ChartData, { kind: 'bars' }>, width: number): uPlot.Options {
  const n = data.categories.length;
  const pair = data.series.length > 1;
  // Where each bar ends (canvas pixels), by series and category: the chart's data never changes, so
  // each rebuild of the bars overwrites its own entries.
  const boxes = new Map<string, { x: number; y: number; value: number }>();
  const labelWidth = Math.ceil(widest(data.categories)) + 14;
  const bars = (s: Series, align: -1 | 0 | 1) =>
    uPlot.paths.bars!({
      align,
      size: [pair ? 0.4 : 0.7, pair ? 14 : 24],
      each: (_u, seriesIdx, idx, left, top, w, h) => {
        boxes.set(`${seriesIdx}:${idx}`, { x: left + w, y: top + h / 2, value: s.values[idx] ?? 0 });
      },
    });
  return {
    width,
    height: n * (pair ? 36 : 28) + 36,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, ori: 1, dir: -1, range: [-0.5, n - 0.5] }, y: { ori: 0, dir: 1, range: countRange } },
    axes: [
      // The labels' width, but never more than half the chart (a phone): longer ones are cut at the edge.
      { side: 3, font: FONT, stroke: INK, size: (u) => Math.min(labelWidth, Math.floor(u.width * 0.5)), gap: 6, grid: { show: false }, ticks: { show: false }, splits: () => data.categories.map((_c, i) => i), values: (_u, splits) => splits.map((i) => data.categories[i] ?? '') },
      { side: 2, font: FONT, stroke: INK, incrs: COUNT_INCRS, grid: GRID, values: (_u, splits) => splits.map((v) => String(v)) },
    ],
    series: [{}, ...data.series.map((s, i) => ({ label: s.label, fill: s.color, stroke: s.color, width: 0, points: { show: false }, paths: bars(s, pair ? (i === 0 ? -1 : 1) : 0) }))],
    hooks: {
      // The count at the end of each bar: no need to read it off the axis.
      draw: [
        (u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.font = FONT.replace('12px', `${Math.round(12 * uPlot.pxRatio)}px`);
          ctx.fillStyle = INK;
          ctx.textBaseline = 'middle';
          for (const box of boxes.values()) if (box.value > 0) ctx.fillText(String(box.value), box.x + 4 * uPlot.pxRatio, box.y);
          ctx.restore();
        },
      ],
    },
  };
}

/** Draws `data` into `holder` at its width; `readout` gets the values under the pointer (day charts). */
export function drawChart(holder: HTMLElement, data: ChartData, readout: HTMLElement): DrawnChart {
  const width = () => Math.max(200, Math.floor(holder.clientWidth));
  const options = data.kind === 'days' ? dayOptions(data, width(), readout) : barOptions(data, width());
  const xs = data.kind === 'days' ? data.days.map((_d, i) => i) : data.categories.map((_c, i) => i);
  const plot = new uPlot(options, [xs, ...data.series.map((s) => s.values)], holder);
  let last = width();
  const observer = new ResizeObserver(() => {
    const now = width();
    // Hidden (another page shown) measures 0: keep the size until it shows again.
    if (holder.clientWidth === 0 || now === last) return;
    last = now;
    plot.setSize({ width: now, height: options.height });
  });
  observer.observe(holder);
  return {
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}
