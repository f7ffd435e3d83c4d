/**
 * The queue: the status tabs, the filters, the cards, and reading a tab's list. What it shows is
 * decided in `queue-logic.ts`; this puts it on the page.
 */
import type { CallbackStatus, DueState } from '../../lambdas/staff/contract';
import { DUE_TEXT, STATUS_LABELS } from '../../lambdas/staff/labels';
import { readQueue } from './api';
import type { ConsoleContext } from './context';
import { h, replace } from './dom';
import { clockTime } from './format';
import type { Notices } from './notices';
import { queueView, selectValues, tabItems, type QueueFilters } from './queue-logic';
import { errorText, worthTelling } from './session-logic';
import { card } from './views';

export interface QueueDeps {
  notices: Notices;
  openDetail(id: string): void;
}

export interface Queue {
  /** Reads the tab shown (only the latest read's answer is shown). */
  load(): Promise<void>;
  render(): void;
  /** Empties the cards, tabs and filters for the next person. */
  reset(): void;
  wire(): void;
}

/** Keeps a select's options (after its first, "all") in step with the values listed and the one chosen. */
function syncOptions(select: HTMLSelectElement, listed: string[]): void {
  const chosen = select.value;
  const wanted = selectValues(listed, chosen);
  const current = [...select.options].slice(1).map((o) => o.value);
  if (current.length === wanted.length && current.every((v, i) => v === wanted[i])) return;
  replace(select, select.options[0]!, ...wanted.map((v) => h('option', { attrs: { value: v } }, v)));
  select.value = chosen;
}

export function createQueue({ api, clock, doc, el, state }: ConsoleContext, deps: QueueDeps): Queue {
  function filters(): QueueFilters {
    return { due: el.filterDue.value as DueState | '', topic: el.filterTopic.value };
  }

  function pressTab(status: CallbackStatus): void {
    for (const tab of el.tabs) tab.setAttribute('aria-pressed', String(tab.dataset.status === status));
  }

  function clearFilters(): void {
    el.filterDue.value = '';
    el.filterTopic.value = '';
  }

  function render(): void {
    const now = clock.now();
    const view = queueView(state, filters(), now);
    syncOptions(el.filterTopic, view.topics);
    el.queueTitle.textContent = view.title;
    el.queueEmpty.hidden = view.empty === undefined;
    el.queueEmpty.textContent = view.empty ?? '';
    el.queueMore.hidden = view.more === undefined;
    el.queueMore.textContent = view.more ?? '';
    el.queueOrder.textContent = view.order;
    // A refresh rebuilds the cards: the one that had the focus gets it back.
    const active = doc.activeElement;
    const focused = active instanceof HTMLElement && el.queue.contains(active) ? active.dataset.id : undefined;
    replace(el.queue, ...view.shown.map((item) => card(item, now, item.id === state.detail?.id, deps.openDetail, state.me)));
    if (focused) el.queue.querySelector<HTMLElement>(`button[data-id="${CSS.escape(focused)}"]`)?.focus();
  }

  async function load(): Promise<void> {
    const seq = ++state.listSeq;
    const tab = state.tab;
    el.refresh.setAttribute('aria-busy', 'true');
    try {
      // 待回电 also reads 处理中, for the claims whose lease ran out (`tabItems`).
      const [{ items, more }, claimed] = await Promise.all([readQueue(api, tab), tab === 'open' ? readQueue(api, 'claimed') : undefined]);
      if (seq !== state.listSeq) return;
      state.items = tabItems(tab, items, claimed?.items, state.me, clock.now());
      state.more = more;
      state.loaded = true;
      render();
      el.refreshed.textContent = `更新于 ${clockTime(clock.now())}`;
    } catch (error) {
      if (seq === state.listSeq && worthTelling(error)) deps.notices.notify(`队列没有刷新：${errorText(error)}`, 'error');
    } finally {
      if (seq === state.listSeq) el.refresh.removeAttribute('aria-busy');
    }
  }

  function selectTab(status: CallbackStatus): void {
    if (state.tab === status) return;
    state.tab = status;
    state.items = [];
    state.loaded = false;
    clearFilters();
    pressTab(status);
    render();
    void load();
  }

  return {
    load,
    render,
    reset() {
      pressTab(state.tab);
      clearFilters();
      replace(el.queue);
      el.queueEmpty.hidden = true;
      el.queueMore.hidden = true;
      el.refreshed.textContent = '';
    },
    wire() {
      // The tabs, the heading and the due filter read as everywhere else (`labels.ts`).
      el.queueTitle.textContent = STATUS_LABELS[state.tab];
      for (const tab of el.tabs) {
        const status = tab.dataset.status as CallbackStatus;
        tab.textContent = STATUS_LABELS[status];
        tab.addEventListener('click', () => selectTab(status));
      }
      for (const option of el.filterDue.options) if (option.value) option.textContent = DUE_TEXT[option.value as DueState];
      el.filterDue.addEventListener('change', render);
      el.filterTopic.addEventListener('change', render);
    },
  };
}
