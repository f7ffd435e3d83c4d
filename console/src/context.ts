/**
 * What every section of the console works with, passed in explicitly instead of module-level
 * singletons: the staff API client, sign-in, the clock and its timers, the page's elements and
 * the shared state. `main.ts` builds one; a test can build another.
 */
import type { StaffClient } from '../../lambdas/staff/client';
import type { CallbackStatus, StaffCallback } from '../../lambdas/staff/contract';
import type { Auth } from './auth';
import { byId } from './dom';
import type { OutcomeDraft } from './views';

/** Time and timers: the window's in the page. */
export interface Clock {
  now(): Date;
  setTimeout(run: () => void, ms: number): number;
  clearTimeout(id: number | undefined): void;
  setInterval(run: () => void, ms: number): number;
  clearInterval(id: number | undefined): void;
}

export function windowClock(win: Window): Clock {
  return {
    now: () => new Date(),
    setTimeout: (run, ms) => win.setTimeout(run, ms),
    clearTimeout: (id) => win.clearTimeout(id),
    setInterval: (run, ms) => win.setInterval(run, ms),
    clearInterval: (id) => win.clearInterval(id),
  };
}

/** The fixed elements of index.html, found once (a missing one stops the start with its id). */
export function findElements(doc: Document) {
  const get = <T extends HTMLElement = HTMLElement>(id: string) => byId<T>(doc, id);
  // One line per part of the page, in the order of index.html.
  return {
    loading: get('loading'), notice: get('notice'), who: get('who'), whoName: get('who-name'), signOut: get('sign-out'),
    signIn: get('sign-in'), signInError: get('sign-in-error'), tokenForm: get<HTMLFormElement>('token-form'), tokenInput: get<HTMLInputElement>('token-input'), oidcSignIn: get('oidc-sign-in'), oidcButton: get<HTMLButtonElement>('oidc-button'),
    work: get('work'), pageTabs: [...doc.querySelectorAll<HTMLButtonElement>('.page-tab[data-page]')], queuePage: get('queue-page'), statsPage: get('stats-page'), inboxPage: get('inbox-page'),
    tabs: [...doc.querySelectorAll<HTMLButtonElement>('.tab[data-status]')], filterDue: get<HTMLSelectElement>('filter-due'), filterTopic: get<HTMLSelectElement>('filter-topic'), refresh: get<HTMLButtonElement>('refresh'), refreshed: get('refreshed'),
    panes: get('panes'), queueTitle: get('queue-title'), queueOrder: get('queue-order'), queueEmpty: get('queue-empty'), queue: get('queue'), queueMore: get('queue-more'),
    detail: get('detail'), detailTitle: get('detail-title'), detailClose: get('detail-close'), detailMessage: get('detail-message'), detailUrgent: get('detail-urgent'), detailInfo: get('detail-info'), detailActions: get('detail-actions'), detailHistory: get('detail-history'), detailEarlier: get('detail-earlier'), detailEarlierList: get('detail-earlier-list'),
    exportForm: get<HTMLFormElement>('export-form'), exportFrom: get<HTMLInputElement>('export-from'), exportTo: get<HTMLInputElement>('export-to'),
  };
}
export type ConsoleElements = ReturnType<typeof findElements>;

export interface ConsoleState {
  /** The staff member signed in; `''` when nobody is. */
  me: string;
  /** Bumped on every sign-out or return to sign-in: answers that arrive later are dropped. */
  session: number;
  tab: CallbackStatus;
  /** Urgent first; in 待回电 then lapsed claims of others (they may be taken over); then by the time promised. */
  items: StaffCallback[];
  more: boolean;
  loaded: boolean;
  /** Bumped per list read: only the latest read's answer is shown. */
  listSeq: number;
  /** Actions in flight: auto refresh waits for them. */
  busy: number;
  detail: StaffCallback | null;
  /** Bumped per detail read, action and close: only the latest may fill the detail. */
  detailSeq: number;
  /** What the action area shows (`actionsKey`): rebuilt only when this changes, so typing is never lost. */
  actionsKey: string;
  /** Outcome forms being filled in, per request, across refreshes. */
  drafts: Map<string, OutcomeDraft>;
}

export function createState(): ConsoleState {
  return { me: '', session: 0, tab: 'open', items: [], more: false, loaded: false, listSeq: 0, busy: 0, detail: null, detailSeq: 0, actionsKey: '', drafts: new Map() };
}

/**
 * Forgets what the last person signed in saw and typed (the next one may be someone else), and
 * makes every answer still on its way arrive too late to be shown.
 */
export function forgetSession(state: ConsoleState): void {
  state.session++;
  state.listSeq++;
  state.detailSeq++;
  state.me = '';
  state.tab = 'open';
  state.items = [];
  state.more = false;
  state.loaded = false;
  state.detail = null;
  state.actionsKey = '';
  state.drafts.clear();
}

/** A page of the work area other than the queue (`pages.ts`), as `stats.ts` and `inbox.ts` make one. */
export interface PageSection {
  /** It is on screen now: read what it shows if it has not yet. */
  show(): void;
  /** Forgets what it showed (sign-out: the next person starts afresh). */
  reset(): void;
}

export interface ConsoleContext {
  api: StaffClient;
  auth: Auth;
  clock: Clock;
  doc: Document;
  el: ConsoleElements;
  state: ConsoleState;
}
