/**
 * The question inbox (待学习的问题): the questions the hotline was not sure of, a filter for
 * unlabelled and labelled ones, 更多 for the next page, and on each question a label select and a
 * delete that asks first. Loaded as its own chunk the first time staff open it (`pages.ts`).
 */
import { inboxClient } from '../../lambdas/staff/inbox-client';
import type { StaffInboxQuestion } from '../../lambdas/staff/contract';
import type { ConsoleContext, PageSection } from './context';
import { h, replace } from './dom';
import { afterLabel, INBOX_PAGE_SIZE, INBOX_TEXT, inboxRow, isGone, labelChoices, labelShown, labelToSend, without, type InboxFilter } from './inbox-logic';
import type { Notices } from './notices';
import { errorText, worthTelling } from './session-logic';

const FILTERS: InboxFilter[] = ['unlabelled', 'labelled'];

function labelSelect(id: string, value: string): HTMLSelectElement {
  const { groups, none } = labelChoices();
  const option = (v: string, text: string) => h('option', { attrs: { value: v } }, text);
  const select = h(
    'select',
    { attrs: { id: `label-${id}`, name: 'label' } },
    option('', INBOX_TEXT.choose),
    ...groups.map((g) => (g.group ? h('optgroup', { attrs: { label: g.group } }, ...g.topics.map((t) => option(t.id, t.label))) : g.topics.map((t) => option(t.id, t.label)))).flat(),
    option(none.value, none.label),
  );
  select.value = value;
  return select;
}

export function createInbox(ctx: ConsoleContext, deps: { notices: Notices; root: HTMLElement }): PageSection {
  const { state } = ctx;
  const { notices, root } = deps;
  const inbox = inboxClient(ctx.api);
  let filter: InboxFilter = 'unlabelled';
  let items: StaffInboxQuestion[] = [];
  let cursor: string | null = null;
  let loaded = false;
  /** Bumped per read and per filter change: only the latest read's answer is shown. */
  let seq = 0;

  const title = h('h2', { attrs: { id: 'inbox-title', tabindex: '-1' } }, INBOX_TEXT.title);
  const filterButtons = FILTERS.map((f) =>
    h('button', { class: 'tab', attrs: { type: 'button', 'data-filter': f, 'aria-pressed': String(f === filter) }, on: { click: () => choose(f) } }, INBOX_TEXT.filters[f]),
  );
  const count = h('p', { class: 'muted small', attrs: { id: 'inbox-count' } });
  const list = h('ul', { class: 'questions', attrs: { id: 'inbox-list', 'aria-labelledby': 'inbox-title' } });
  const empty = h('p', { class: 'empty', attrs: { hidden: true } });
  const more = h('button', { attrs: { type: 'button', id: 'inbox-more', hidden: true }, on: { click: () => void read(true) } }, INBOX_TEXT.more);

  function render(): void {
    count.textContent = loaded ? `${INBOX_TEXT.filters[filter]}：${items.length}${cursor ? '+' : ''} 条` : INBOX_TEXT.loading;
    empty.hidden = !loaded || items.length > 0;
    empty.textContent = INBOX_TEXT.empty[filter];
    more.hidden = !cursor;
    replace(list, ...items.map(questionItem));
  }

  async function read(next: boolean): Promise<void> {
    const mine = ++seq;
    const session = state.session;
    more.disabled = true;
    try {
      const page = await inbox.list({ labelled: filter === 'labelled', limit: INBOX_PAGE_SIZE, ...(next && cursor ? { cursor } : {}) });
      if (mine !== seq || session !== state.session) return;
      // A question already listed (it moved while paging) is listed once.
      const known = new Set(next ? items.map((q) => q.id) : []);
      items = [...(next ? items : []), ...page.items.filter((q) => !known.has(q.id))];
      cursor = page.cursor;
      loaded = true;
      render();
    } catch (error) {
      if (mine === seq && session === state.session && worthTelling(error)) notices.notify(INBOX_TEXT.failed(errorText(error)), 'error');
    } finally {
      more.disabled = false;
    }
  }

  function choose(f: InboxFilter): void {
    filter = f;
    for (const button of filterButtons) button.setAttribute('aria-pressed', String(button.dataset.filter === f));
    items = [];
    cursor = null;
    loaded = false;
    render();
    void read(false);
  }

  /** Runs a label or delete; a question found gone leaves the list with a clear word. */
  async function act(id: string, buttons: HTMLButtonElement[], run: () => Promise<string>): Promise<void> {
    const session = state.session;
    for (const b of buttons) b.disabled = true;
    try {
      const done = await run();
      if (session === state.session) notices.notify(done);
      // The question left the list with the focus in it: the focus goes back to the heading.
      if (!ctx.doc.activeElement || ctx.doc.activeElement === ctx.doc.body) title.focus();
    } catch (error) {
      if (session !== state.session || !worthTelling(error)) return;
      if (isGone(error)) {
        items = without(items, id);
        render();
        title.focus();
        notices.notify(INBOX_TEXT.gone, 'error');
      } else notices.notify(INBOX_TEXT.actionFailed(errorText(error)), 'error');
    } finally {
      for (const b of buttons) if (b.isConnected) b.disabled = false;
    }
  }

  function questionItem(q: StaffInboxQuestion): HTMLLIElement {
    const row = inboxRow(q);
    const select = labelSelect(row.id, row.value);
    const save = h('button', { class: 'primary', attrs: { type: 'submit' } }, INBOX_TEXT.save);
    const remove = h('button', { attrs: { type: 'button' } }, INBOX_TEXT.remove);
    const buttons = h('div', { class: 'buttons' }, save, remove);
    const form = h('form', { class: 'label-form', attrs: { novalidate: true } }, h('label', { attrs: { for: select.id } }, INBOX_TEXT.labelField), select, buttons);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const topic = labelToSend(select.value);
      if (topic === undefined) {
        notices.notify(INBOX_TEXT.chooseFirst, 'error');
        select.focus();
        return;
      }
      void act(row.id, [save, remove], async () => {
        const updated = await inbox.label(row.id, topic);
        items = afterLabel(items, updated, filter);
        render();
        return INBOX_TEXT.labelled(labelShown(updated) ?? '');
      });
    });
    // Deleting asks first, in place: the question, then 确定删除 / 取消.
    remove.addEventListener('click', () => {
      const yes = h('button', { class: 'danger', attrs: { type: 'button' } }, INBOX_TEXT.confirmYes);
      const no = h('button', { attrs: { type: 'button' } }, INBOX_TEXT.cancel);
      const confirm = h('div', { class: 'confirm', attrs: { role: 'group', 'aria-label': INBOX_TEXT.confirm } }, h('p', null, INBOX_TEXT.confirm), h('div', { class: 'buttons' }, yes, no));
      buttons.replaceWith(confirm);
      no.addEventListener('click', () => {
        confirm.replaceWith(buttons);
        remove.focus();
      });
      yes.addEventListener('click', () =>
        void act(row.id, [yes, no], async () => {
          await inbox.remove(row.id);
          items = without(items, row.id);
          render();
          return INBOX_TEXT.deleted;
        }),
      );
      yes.focus();
    });
    return h(
      'li',
      { class: 'question-card', attrs: { 'data-id': row.id } },
      h('p', { class: 'question-text' }, `“${row.text}”`),
      h('p', { class: 'muted small' }, row.meta),
      h('p', { class: 'small' }, row.guess),
      row.label ? h('p', { class: 'label-given' }, row.label) : null,
      form,
    );
  }

  replace(root, title, h('p', { class: 'muted small' }, INBOX_TEXT.intro), h('div', { class: 'tabs', attrs: { role: 'group', 'aria-label': '按标注查看' } }, ...filterButtons), count, empty, list, more);

  return {
    show() {
      title.focus();
      // Opened again later: the first page afresh (others may have labelled meanwhile).
      void read(false);
    },
    reset() {
      seq++;
      filter = 'unlabelled';
      for (const button of filterButtons) button.setAttribute('aria-pressed', String(button.dataset.filter === filter));
      items = [];
      cursor = null;
      loaded = false;
      render();
    },
  };
}
