/**
 * The 统计 view: the date range (presets and two dates), the figures of `stats-logic.ts` drawn by
 * `charts.ts`, and the CSV of the same range. Loaded as its own chunk the first time staff open it
 * (`pages.ts`), with uPlot, so the queue never downloads either.
 */
import { statsClient } from '../../lambdas/staff/stats-client';
import { csvBlob } from './api';
import { drawChart, type DrawnChart } from './charts';
import type { ConsoleContext, PageSection } from './context';
import { h, replace } from './dom';
import { downloadFile } from './download';
import type { Notices } from './notices';
import { errorText, worthTelling } from './session-logic';
import { figureNode } from './stats-figure';
import { STATS_TEXT } from './stats-labels';
import { statsFigures } from './stats-logic';
import { lastDays, presetOf, rangeDays, STATS_DEFAULT_DAYS, STATS_PRESETS, statsRangeProblem, type StatsRange } from './stats-range';

export function createStats(ctx: ConsoleContext, deps: { notices: Notices; root: HTMLElement }): PageSection {
  const { clock, state } = ctx;
  const { notices, root } = deps;
  const stats = statsClient(ctx.api);
  let charts: DrawnChart[] = [];
  let loaded = false;
  /** Bumped per read: only the latest read's answer is shown. */
  let seq = 0;

  const title = h('h2', { attrs: { id: 'stats-title', tabindex: '-1' } }, STATS_TEXT.title);
  const from = h('input', { attrs: { id: 'stats-from', type: 'date', required: true } });
  const to = h('input', { attrs: { id: 'stats-to', type: 'date', required: true } });
  const presets = STATS_PRESETS.map((days) =>
    h('button', { class: 'tab', attrs: { type: 'button', 'data-days': String(days), 'aria-pressed': 'false' }, on: { click: () => void choose(lastDays(clock.now(), days)) } }, STATS_TEXT.preset(days)),
  );
  const csvButton = h('button', { attrs: { type: 'button', id: 'stats-csv' }, on: { click: () => void downloadCsv() } }, '下载 CSV');
  const form = h(
    'form',
    { class: 'stats-form', attrs: { novalidate: true } },
    h('div', { class: 'tabs presets', attrs: { role: 'group', 'aria-label': '日期范围' } }, ...presets),
    h('div', { class: 'field' }, h('label', { attrs: { for: 'stats-from' } }, '开始日期'), from),
    h('div', { class: 'field' }, h('label', { attrs: { for: 'stats-to' } }, '结束日期'), to),
    h('button', { attrs: { type: 'submit' } }, '查看'),
    csvButton,
  );
  const rangeLine = h('p', { class: 'muted small', attrs: { id: 'stats-range', 'aria-live': 'polite' } });
  const figures = h('div', { class: 'figures', attrs: { id: 'stats-figures' } });

  function range(): StatsRange {
    return { from: from.value, to: to.value };
  }

  function clearCharts(): void {
    for (const chart of charts) chart.destroy();
    charts = [];
  }

  function markPreset(): void {
    const preset = presetOf(range(), clock.now());
    for (const button of presets) button.setAttribute('aria-pressed', String(Number(button.dataset.days) === preset));
  }

  /** A range the form shows and the view reads; a problem is said and nothing is read. */
  async function choose(wanted: StatsRange): Promise<void> {
    from.value = wanted.from;
    to.value = wanted.to;
    markPreset();
    const problem = statsRangeProblem(wanted);
    if (problem) {
      notices.notify(problem, 'error');
      return;
    }
    const mine = ++seq;
    const session = state.session;
    figures.setAttribute('aria-busy', 'true');
    rangeLine.textContent = STATS_TEXT.loading;
    try {
      const answer = await stats.stats(wanted);
      if (mine !== seq || session !== state.session) return;
      loaded = true;
      rangeLine.textContent = STATS_TEXT.updated(answer.from, answer.to, rangeDays(answer));
      clearCharts();
      const shaped = statsFigures(answer);
      const nodes = shaped.map(figureNode);
      replace(figures, ...nodes.map((n) => n.root));
      // Drawn once in the page: each chart takes its holder's width.
      shaped.forEach(({ chart }, i) => {
        const { holder, readout } = nodes[i]!;
        if (!holder || !chart) return;
        try {
          charts.push(drawChart(holder, chart, readout));
        } catch (error) {
          // The words and the table still say it all; the error goes to the browser's console.
          holder.replaceWith(h('p', { class: 'muted small' }, STATS_TEXT.noChart));
          console.error(error);
        }
      });
    } catch (error) {
      if (mine !== seq || session !== state.session) return;
      rangeLine.textContent = '';
      if (worthTelling(error)) notices.notify(STATS_TEXT.failed(errorText(error)), 'error');
    } finally {
      if (mine === seq) figures.removeAttribute('aria-busy');
    }
  }

  async function downloadCsv(): Promise<void> {
    const wanted = range();
    const problem = statsRangeProblem(wanted);
    if (problem) {
      notices.notify(problem, 'error');
      return;
    }
    csvButton.disabled = true;
    try {
      const { csv, filename } = await stats.csv(wanted);
      downloadFile(ctx, csvBlob(csv), filename);
      notices.notify(STATS_TEXT.csvDone(filename));
    } catch (error) {
      if (worthTelling(error)) notices.notify(STATS_TEXT.csvFailed(errorText(error)), 'error');
    } finally {
      csvButton.disabled = false;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void choose(range());
  });
  replace(root, title, h('p', { class: 'muted small' }, STATS_TEXT.rangeNote), form, rangeLine, figures);

  return {
    show() {
      title.focus();
      // Opened again later: the same range, counted afresh.
      void choose(loaded ? range() : lastDays(clock.now(), STATS_DEFAULT_DAYS));
    },
    reset() {
      seq++;
      loaded = false;
      clearCharts();
      replace(figures);
      rangeLine.textContent = '';
    },
  };
}
