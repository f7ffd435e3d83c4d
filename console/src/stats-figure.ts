/**
 * DOM for one figure of the 统计 view: its heading, what it shows in words, the chart's holder and
 * legend, and the same numbers as a table (for screen readers, and for anyone who wants the exact
 * figures). The canvas itself is hidden from assistive technology: the words and the table say it all.
 */
import { h, type Child } from './dom';
import type { Figure, Table } from './stats-logic';
import { STATS_TEXT } from './stats-labels';

export interface FigureNode {
  root: HTMLElement;
  /** Where the chart is drawn (absent when the figure has nothing to draw). */
  holder: HTMLElement | undefined;
  /** The values under the pointer, in words. */
  readout: HTMLElement;
}

function table(title: string, data: Table): HTMLTableElement {
  const [rowHead = '', ...columns] = data.head;
  return h(
    'table',
    { class: 'numbers-table' },
    h('caption', { class: 'visually-hidden' }, title),
    h('thead', null, h('tr', null, h('th', { attrs: { scope: 'col' } }, rowHead), ...columns.map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
    h(
      'tbody',
      null,
      ...data.rows.map(([first, ...rest]) => h('tr', null, h('th', { attrs: { scope: 'row' } }, String(first ?? '')), ...rest.map((v) => h('td', null, String(v))))),
    ),
  );
}

function legend(figure: Figure): Child {
  if (!figure.chart || figure.chart.series.length < 2) return null;
  return h(
    'ul',
    { class: 'legend', attrs: { 'aria-hidden': 'true' } },
    ...figure.chart.series.map((s) => {
      const swatch = h('span', { class: 'swatch' });
      // Through the CSSOM, which the CSP allows (a style attribute it would refuse).
      swatch.style.backgroundColor = s.color;
      return h('li', null, swatch, s.label);
    }),
  );
}

export function figureNode(figure: Figure): FigureNode {
  const titleId = `figure-${figure.id}-title`;
  const holder = figure.chart ? h('div', { class: `chart chart-${figure.chart.kind}`, attrs: { 'aria-hidden': 'true' } }) : undefined;
  const readout = h('p', { class: 'readout muted small', attrs: { 'aria-hidden': 'true' } });
  const root = h(
    'section',
    { class: 'figure panel', attrs: { 'aria-labelledby': titleId, 'data-figure': figure.id } },
    h('h3', { attrs: { id: titleId } }, figure.title),
    h('p', { class: 'muted small' }, figure.note),
    ...figure.summary.map((line) => h('p', { class: 'summary' }, line)),
    legend(figure),
    holder,
    figure.chart?.kind === 'days' ? readout : null,
    figure.table.rows.length ? h('details', { class: 'numbers' }, h('summary', null, STATS_TEXT.numbers), table(figure.title, figure.table)) : null,
  );
  return { root, holder, readout };
}
