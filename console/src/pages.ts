/**
 * The work area's pages: 回电请求 (the queue), 统计 and 待学习的问题 (the question inbox). The two
 * others are separate chunks, imported the first time they are opened, so the queue's page loads
 * neither them nor the chart library.
 */
import type { ConsoleContext, PageSection } from './context';
import type { Notices } from './notices';
import { errorText } from './session-logic';

export type PageName = 'queue' | 'stats' | 'inbox';

export interface PagesDeps {
  notices: Notices;
  /** The queue is shown again: read it now rather than at the next tick. */
  queueShown(): void;
}

export interface Pages {
  show(page: PageName): Promise<void>;
  /** Back to the queue, every other page emptied. */
  reset(): void;
  wire(): void;
}

export const PAGE_TEXT = { loadFailed: (reason: string) => `这一页没有打开：${reason}` };

export function createPages(ctx: ConsoleContext, deps: PagesDeps): Pages {
  const { el } = ctx;
  const sections = new Map<Exclude<PageName, 'queue'>, Promise<PageSection>>();
  const roots = { queue: el.queuePage, stats: el.statsPage, inbox: el.inboxPage };
  let current: PageName = 'queue';

  function load(page: Exclude<PageName, 'queue'>): Promise<PageSection> {
    let section = sections.get(page);
    if (!section) {
      section =
        page === 'stats'
          ? import('./stats').then(({ createStats }) => createStats(ctx, { notices: deps.notices, root: el.statsPage }))
          : import('./inbox').then(({ createInbox }) => createInbox(ctx, { notices: deps.notices, root: el.inboxPage }));
      // A chunk that failed to arrive (network) is asked for again next time.
      section.catch(() => sections.delete(page));
      sections.set(page, section);
    }
    return section;
  }

  function mark(page: PageName): void {
    current = page;
    for (const tab of el.pageTabs) {
      if (tab.dataset.page === page) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    for (const [name, root] of Object.entries(roots)) root.hidden = name !== page;
  }

  async function show(page: PageName): Promise<void> {
    mark(page);
    if (page === 'queue') {
      el.queueTitle.focus();
      deps.queueShown();
      return;
    }
    try {
      const section = await load(page);
      if (current === page) section.show();
    } catch (error) {
      deps.notices.notify(PAGE_TEXT.loadFailed(errorText(error)), 'error');
    }
  }

  return {
    show,
    reset() {
      mark('queue');
      for (const section of sections.values()) void section.then((s) => s.reset(), () => undefined);
    },
    wire() {
      for (const tab of el.pageTabs) tab.addEventListener('click', () => void show(tab.dataset.page as PageName));
    },
  };
}
