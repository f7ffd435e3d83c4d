/**
 * One request's detail beside (or, on phones, instead of) the queue: open, read, show, close.
 * The actions inside it are `actions.ts`; what may replace what is shown is `detail-logic.ts`.
 */
import type { StaffCallback } from '../../lambdas/staff/contract';
import { CODE_LABEL } from '../../lambdas/staff/labels';
import type { ConsoleContext } from './context';
import { h, replace } from './dom';
import { actionsKey, earlierLines, nextDetail } from './detail-logic';
import { errorText, worthTelling } from './session-logic';
import { historyItems, infoRows, urgentNote } from './views';

export interface DetailDeps {
  /** The action block for a request as the viewer may act on it. */
  actionsFor(item: StaffCallback): HTMLElement;
}

export interface Detail {
  open(id: string): void;
  /** Hides and empties it; `focusCard` puts the focus back on the request's card. */
  close(focusCard?: boolean): void;
  /** Reads the request again (the one shown when no id is given). */
  reload(id?: string): Promise<void>;
  /** Shows a request; `fromAction`: the answer to an action, which wins over any older read. */
  show(item: StaffCallback, fromAction?: boolean): void;
  /** The line under the title (an action's error), or none. */
  message(text: string | undefined): void;
  wire(): void;
}

export function createDetail({ api, clock, doc, el, state }: ConsoleContext, deps: DetailDeps): Detail {
  function message(text: string | undefined): void {
    el.detailMessage.hidden = !text;
    el.detailMessage.textContent = text ?? '';
  }

  /**
   * Empties the detail: the number, the tel: link, the call script, a note being typed and the
   * history must not stay in the page (hidden) once it is closed or someone signs out.
   */
  function clear(): void {
    state.detail = null;
    state.actionsKey = '';
    replace(el.detailTitle);
    replace(el.detailUrgent);
    el.detailUrgent.hidden = true;
    replace(el.detailInfo);
    replace(el.detailActions);
    replace(el.detailHistory);
    showEarlier(undefined);
    message(undefined);
  }

  /** The number's earlier requests; only the full read carries them (hidden until then, and when none). */
  function showEarlier(item: StaffCallback | undefined): void {
    const lines = earlierLines(item?.earlier ?? []);
    el.detailEarlier.hidden = lines.length === 0;
    replace(
      el.detailEarlierList,
      ...lines.map((line) =>
        h(
          'li',
          null,
          h('span', { class: 'history-time' }, line.time),
          ' ',
          h('span', null, line.what),
          ' ',
          h('strong', null, line.state),
          line.note ? h('span', { class: 'note history-note' }, `备注：${line.note}`) : null,
        ),
      ),
    );
  }

  function markCard(id: string | undefined): void {
    for (const element of el.queue.querySelectorAll<HTMLElement>('li')) {
      const selected = element.dataset.id === id;
      element.classList.toggle('selected', selected);
      const button = element.querySelector('button');
      if (selected) button?.setAttribute('aria-current', 'true');
      else button?.removeAttribute('aria-current');
    }
  }

  function show(incoming: StaffCallback, fromAction = false): void {
    const item = nextDetail(state.detail, incoming, fromAction);
    if (!item) return;
    state.detail = item;
    const now = clock.now();
    el.detailTitle.textContent = `${CODE_LABEL} ${item.code}`;
    el.detailUrgent.hidden = !item.urgent;
    replace(el.detailUrgent, ...(item.urgent ? urgentNote() : []));
    replace(el.detailInfo, ...infoRows(item, now, state.me));
    replace(el.detailHistory, ...(item.history ? historyItems(item) : [h('li', { class: 'muted' }, '正在读取……')]));
    if (item.earlier || !item.history) showEarlier(item);
    const key = actionsKey(item, state.me, now);
    if (key !== state.actionsKey) {
      state.actionsKey = key;
      replace(el.detailActions, deps.actionsFor(item));
      if (fromAction) el.detailActions.querySelector<HTMLElement>('a, button')?.focus();
    }
    markCard(item.id);
  }

  async function reload(id = state.detail?.id): Promise<void> {
    if (!id) return;
    const seq = ++state.detailSeq;
    try {
      const item = await api.show(id);
      if (seq !== state.detailSeq || el.detail.hidden) return;
      show(item);
    } catch (error) {
      if (seq !== state.detailSeq || !worthTelling(error)) return;
      message(errorText(error));
    }
  }

  function open(id: string): void {
    const known = state.items.find((i) => i.id === id);
    if (state.detail?.id !== id) clear();
    state.actionsKey = '';
    message(undefined);
    el.detail.hidden = false;
    el.panes.classList.add('detail-open');
    // The card's copy at once (with the history already read, if any); the full read follows.
    if (known) show({ ...known, history: state.detail?.id === id ? state.detail.history : undefined });
    else el.detailTitle.textContent = '正在读取……';
    el.detailTitle.focus();
    void reload(id);
  }

  function close(focusCard = true): void {
    const id = state.detail?.id;
    state.detailSeq++; // a read under way must not fill the closed detail again
    clear();
    el.detail.hidden = true;
    el.panes.classList.remove('detail-open');
    markCard(undefined);
    if (!focusCard) return;
    const button = id ? el.queue.querySelector<HTMLElement>(`button[data-id="${CSS.escape(id)}"]`) : null;
    (button ?? el.queueTitle).focus();
  }

  return {
    open,
    close,
    reload,
    show,
    message,
    wire() {
      el.detailClose.addEventListener('click', () => close());
      doc.addEventListener('keydown', (event) => {
        // Not from a form field: Escape there belongs to the field (and a note must not vanish).
        const target = event.target;
        if (event.key !== 'Escape' || !state.detail || !(target instanceof HTMLElement) || !el.detail.contains(target)) return;
        if (target.closest('input, textarea, select')) return;
        close();
      });
    },
  };
}
