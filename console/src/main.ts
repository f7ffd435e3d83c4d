/**
 * The staff console: sign in, then the queue of callback requests, one request's detail, claim,
 * call, record the outcome, export. Vanilla DOM; the page's skeleton is in index.html.
 */
import { URGENT_TEXT, type CallbackOutcome, type CallbackStatus, type StaffCallback } from '../../lambdas/staff/contract';
import { ApiError, createApi, type Api } from './api';
import { createAuth, loadConfig, type Auth } from './auth';
import { byId, h, replace } from './dom';
import { canTakeOver, chinaDate, clockTime, CODE_LABEL, dueNow, LEASE_TEXT, outcomeLabel, sortForTab, STATUS_LABELS } from './format';
import { callBlock, card, claimBlock, doneBlock, heldBlock, historyItems, infoRows, takeOverBlock, urgentNote, type OutcomeDraft } from './views';

/** Queue and open detail refresh this often (and after every action). */
const REFRESH_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// Messages

const notice = byId('notice');
let noticeTimer: number | undefined;
let noticeShowTimer: number | undefined;

/** Shows (and announces) a message; errors stay until the next message, others fade after 8 s. */
function notify(message: string, kind: 'info' | 'error' = 'info'): void {
  clearNotice();
  notice.className = `notice ${kind}`;
  // Emptied first (clearNotice) so the same message twice is announced twice.
  noticeShowTimer = window.setTimeout(() => {
    notice.textContent = message;
  }, 30);
  if (kind === 'info') noticeTimer = window.setTimeout(() => (notice.textContent = ''), 8_000);
}

function clearNotice(): void {
  window.clearTimeout(noticeTimer);
  window.clearTimeout(noticeShowTimer);
  notice.textContent = '';
}

function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : `出错了：${error instanceof Error ? error.message : String(error)}`;
}

// ---------------------------------------------------------------------------------------------
// Sign-in

let auth: Auth;
let api: Api;
let baseUrl = '';

function showOnly(section: 'sign-in' | 'work' | 'loading'): void {
  byId('loading').hidden = section !== 'loading';
  byId('sign-in').hidden = section !== 'sign-in';
  byId('work').hidden = section !== 'work';
  byId('who').hidden = section !== 'work';
}

function showSignIn(message?: string): void {
  stopRefresh();
  closeDetail(false);
  resetWork();
  showOnly('sign-in');
  const error = byId('sign-in-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  const tokenMode = auth?.mode !== 'oidc';
  byId('token-form').hidden = !tokenMode;
  byId('oidc-sign-in').hidden = tokenMode;
  const input = byId<HTMLInputElement>('token-input');
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  if (message) input.setAttribute('aria-describedby', 'sign-in-error token-hint');
  else input.setAttribute('aria-describedby', 'token-hint');
  (tokenMode ? input : byId('oidc-button')).focus();
}

let signingOut = false;

function onUnauthorized(): void {
  if (signingOut) return;
  signingOut = true;
  stopRefresh();
  closeDetail(false);
  resetWork();
  void auth.forget().finally(() => {
    signingOut = false;
    showSignIn('登录已失效或令牌不对，请重新登录。');
  });
}

async function enter(): Promise<void> {
  let staff: string;
  try {
    staff = await api.me();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showSignIn(errorText(error));
    return;
  }
  byId('who-name').textContent = staff;
  me = staff;
  showOnly('work');
  byId('queue-title').focus();
  await loadList();
  startRefresh();
}

function wireSignIn(): void {
  const form = byId<HTMLFormElement>('token-form');
  const input = byId<HTMLInputElement>('token-input');
  const submit = form.querySelector('button')!;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      showSignIn('请先粘贴登录令牌。');
      return;
    }
    submit.disabled = true;
    // The token is tried before it is kept: a wrong one is not stored.
    const probe = createApi(baseUrl, () => Promise.resolve(token), () => undefined);
    probe
      .me()
      .then(() => {
        auth.useToken(token);
        input.value = '';
        return enter();
      })
      .catch((error: unknown) => {
        showSignIn(error instanceof ApiError && error.status === 401 ? '令牌不对或已失效，请检查后重新粘贴。' : errorText(error));
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  byId('oidc-button').addEventListener('click', () => {
    auth.redirectToSignIn().catch((error: unknown) => showSignIn(`无法打开登录页面：${errorText(error)}`));
  });
  byId('sign-out').addEventListener('click', () => {
    stopRefresh();
    // Nothing of the request shown stays on the page, even while the sign-out is under way.
    closeDetail(false);
    resetWork();
    void auth.signOut().then(() => showSignIn()).then(() => notify('已退出。'));
  });
}

// ---------------------------------------------------------------------------------------------
// Queue

let me = '';
const state = {
  /** Bumped on every sign-out or return to sign-in: answers that arrive later are dropped. */
  session: 0,
  tab: 'open' as CallbackStatus,
  /** Urgent first; in 待回电 then lapsed claims of others (they may be taken over); then the longest waiting. */
  items: [] as StaffCallback[],
  more: false,
  loaded: false,
  listSeq: 0,
  /** Actions in flight: auto refresh waits for them. */
  busy: 0,
  detail: null as StaffCallback | null,
  detailSeq: 0,
  /** What the action area shows: rebuilt only when this changes, so typing is never lost. */
  actionsKey: '',
  drafts: new Map<string, OutcomeDraft>(),
};

const filterDue = byId<HTMLSelectElement>('filter-due');
const filterTopic = byId<HTMLSelectElement>('filter-topic');

function topicOf(item: StaffCallback): string {
  return item.topicLabel ?? item.topic ?? item.topicLabels[0] ?? '未选';
}

/** Keeps a select's options in step with the values in the list (and the one chosen). */
function syncOptions(select: HTMLSelectElement, values: string[]): void {
  const chosen = select.value;
  const wanted = [...new Set(chosen ? [...values, chosen] : values)];
  const current = [...select.options].slice(1).map((o) => o.value);
  if (current.length === wanted.length && current.every((v, i) => v === wanted[i])) return;
  const all = select.options[0]!;
  replace(select, all, ...wanted.map((v) => h('option', { attrs: { value: v } }, v)));
  select.value = chosen;
}

/** How each tab is ordered, and which part of a long list it shows (the server's order, 500 at most). */
const QUEUE_ORDER: Record<CallbackStatus, string> = {
  open: '按约定时间排列：已过约定时间的在最前，其次是现在该打的，再是还没到时间的。时间均为北京时间。',
  claimed: '按约定时间排列：已过约定时间的在最前。时间均为北京时间。',
  unreached: '连续几次没打通、已移出待回电队列的请求，按约定时间排列；仍可认领再打，来电人再次申请时会自动回到待回电。时间均为北京时间。',
  done: '最近结束的在最前。时间均为北京时间。',
};
const QUEUE_MORE: Record<CallbackStatus, string> = {
  open: '只显示等得最久的 500 条，以及其余所有紧急的请求。',
  claimed: '只显示等得最久的 500 条，以及其余所有紧急的请求。',
  unreached: '只显示最早的 500 条，以及其余所有紧急的请求。',
  done: '只显示最近的 500 条。',
};

function renderList(): void {
  const now = new Date();
  syncOptions(filterTopic, [...new Set(state.items.map(topicOf))].sort((a, b) => a.localeCompare(b, 'zh-CN')));
  const shown = state.items.filter((i) => (!filterDue.value || dueNow(i, now) === filterDue.value) && (!filterTopic.value || topicOf(i) === filterTopic.value));

  const filtered = shown.length !== state.items.length;
  byId('queue-title').textContent = `${STATUS_LABELS[state.tab]}（${filtered ? `${shown.length} / ${state.items.length}` : shown.length}）`;
  const empty = byId('queue-empty');
  empty.hidden = shown.length > 0 || !state.loaded;
  empty.textContent = state.items.length ? '没有符合筛选条件的请求。' : state.tab === 'open' ? '现在没有待回电的请求。' : `没有${STATUS_LABELS[state.tab]}的请求。`;
  byId('queue-more').hidden = !state.more;
  byId('queue-more').textContent = QUEUE_MORE[state.tab];
  const lapsedFirst = state.tab === 'open' && state.items.some((i) => i.status === 'claimed');
  const urgentFirst = state.tab !== 'done' && state.items.some((i) => i.urgent);
  const lapsedText = `认领已超过 ${LEASE_TEXT}、可以接手的请求`;
  const first = urgentFirst
    ? `标有“${URGENT_TEXT.label}”的请求排在最前${lapsedFirst ? `，其次是${lapsedText}` : ''}。`
    : lapsedFirst
      ? `${lapsedText}排在最前。`
      : '';
  byId('queue-order').textContent = `${first}${QUEUE_ORDER[state.tab]}`;

  const list = byId('queue');
  const focused = document.activeElement instanceof HTMLElement && list.contains(document.activeElement) ? document.activeElement.dataset.id : undefined;
  replace(list, ...shown.map((item) => card(item, now, item.id === state.detail?.id, openDetail, me)));
  if (focused) list.querySelector<HTMLElement>(`button[data-id="${CSS.escape(focused)}"]`)?.focus();
}

async function loadList(): Promise<void> {
  const seq = ++state.listSeq;
  const tab = state.tab;
  const button = byId<HTMLButtonElement>('refresh');
  button.setAttribute('aria-busy', 'true');
  try {
    // 待回电 also lists claims whose lease ran out (one more list read): staff working the queue
    // take them over there instead of finding them stuck in 处理中.
    const [{ items, more }, claimed] = await Promise.all([api.list(tab), tab === 'open' ? api.list('claimed') : undefined]);
    if (seq !== state.listSeq) return;
    const now = new Date();
    const lapsed = claimed ? claimed.items.filter((i) => canTakeOver(i, me, now)) : [];
    state.items = sortForTab([...lapsed, ...items], tab);
    state.more = more;
    state.loaded = true;
    renderList();
    byId('refreshed').textContent = `更新于 ${clockTime(new Date())}`;
  } catch (error) {
    if (seq === state.listSeq && !(error instanceof ApiError && error.status === 401)) notify(`队列没有刷新：${errorText(error)}`, 'error');
  } finally {
    if (seq === state.listSeq) button.removeAttribute('aria-busy');
  }
}

/** Forgets what the last person signed in saw and typed (the next one may be someone else). */
function resetWork(): void {
  state.session++;
  state.listSeq++;
  state.detailSeq++;
  clearDetail();
  clearNotice();
  state.items = [];
  state.loaded = false;
  state.drafts.clear();
  state.tab = 'open';
  for (const tab of document.querySelectorAll<HTMLButtonElement>('.tab')) tab.setAttribute('aria-pressed', String(tab.dataset.status === 'open'));
  filterDue.value = '';
  filterTopic.value = '';
  replace(byId('queue'));
  byId('queue-empty').hidden = true;
  byId('queue-more').hidden = true;
  byId('refreshed').textContent = '';
  byId('who-name').textContent = '';
  me = '';
}

function selectTab(status: CallbackStatus): void {
  if (state.tab === status) return;
  state.tab = status;
  state.items = [];
  state.loaded = false;
  filterDue.value = '';
  filterTopic.value = '';
  for (const tab of document.querySelectorAll<HTMLButtonElement>('.tab')) tab.setAttribute('aria-pressed', String(tab.dataset.status === status));
  renderList();
  void loadList();
}

// ---------------------------------------------------------------------------------------------
// Detail

let refreshTimer: number | undefined;

function startRefresh(): void {
  stopRefresh();
  refreshTimer = window.setInterval(() => void tick(), REFRESH_MS);
}

function stopRefresh(): void {
  window.clearInterval(refreshTimer);
  refreshTimer = undefined;
}

async function tick(): Promise<void> {
  if (document.hidden || state.busy || byId('work').hidden) return;
  await Promise.all([loadList(), state.detail ? reloadDetail() : Promise.resolve()]);
}

function detailMessage(message: string | undefined): void {
  const element = byId('detail-message');
  element.hidden = !message;
  element.textContent = message ?? '';
}

function openDetail(id: string): void {
  const known = state.items.find((i) => i.id === id);
  if (state.detail?.id !== id) clearDetail();
  state.actionsKey = '';
  detailMessage(undefined);
  byId('detail').hidden = false;
  byId('panes').classList.add('detail-open');
  if (known) showDetail({ ...known, history: state.detail?.id === id ? state.detail.history : undefined });
  else byId('detail-title').textContent = '正在读取……';
  byId('detail-title').focus();
  void reloadDetail(id);
}

/**
 * Empties the detail: the number, the tel: link, the call script, a note being typed and the
 * history must not stay in the page (hidden) once it is closed or someone signs out.
 */
function clearDetail(): void {
  state.detail = null;
  state.actionsKey = '';
  replace(byId('detail-title'));
  replace(byId('detail-urgent'));
  byId('detail-urgent').hidden = true;
  replace(byId('detail-info'));
  replace(byId('detail-actions'));
  replace(byId('detail-history'));
  detailMessage(undefined);
}

function closeDetail(focusCard = true): void {
  const id = state.detail?.id;
  state.detailSeq++; // a read under way must not fill the closed detail again
  clearDetail();
  byId('detail').hidden = true;
  byId('panes').classList.remove('detail-open');
  for (const element of document.querySelectorAll('#queue [aria-current]')) element.removeAttribute('aria-current');
  for (const element of document.querySelectorAll('#queue .selected')) element.classList.remove('selected');
  if (!focusCard) return;
  const button = id ? document.querySelector<HTMLElement>(`#queue button[data-id="${CSS.escape(id)}"]`) : null;
  (button ?? byId('queue-title')).focus();
}

async function reloadDetail(id = state.detail?.id): Promise<void> {
  if (!id) return;
  const seq = ++state.detailSeq;
  try {
    const item = await api.show(id);
    if (seq !== state.detailSeq || byId('detail').hidden) return;
    showDetail(item);
  } catch (error) {
    if (seq !== state.detailSeq || (error instanceof ApiError && error.status === 401)) return;
    detailMessage(errorText(error));
  }
}

/** Shows a request in the detail; an older version than the one shown is ignored (late refresh). */
function showDetail(item: StaffCallback, fromAction = false): void {
  const shown = state.detail;
  if (!fromAction && shown?.id === item.id && shown.version > item.version) return;
  if (shown?.id === item.id && !item.history && shown.history) item = { ...item, history: shown.history };
  state.detail = item;
  const now = new Date();
  byId('detail-title').textContent = `${CODE_LABEL} ${item.code}`;
  byId('detail-urgent').hidden = !item.urgent;
  replace(byId('detail-urgent'), ...(item.urgent ? urgentNote() : []));
  replace(byId('detail-info'), ...infoRows(item, now, me));
  replace(byId('detail-history'), ...(item.history ? historyItems(item) : [h('li', { class: 'muted' }, '正在读取……')]));

  const key = `${item.id}|${item.status}|${item.claimedBy ?? ''}|${item.phoneVisible}|${item.phone}|${canTakeOver(item, me, now)}`;
  if (key !== state.actionsKey) {
    state.actionsKey = key;
    replace(byId('detail-actions'), actionsFor(item));
    if (fromAction) byId('detail-actions').querySelector<HTMLElement>('a, button')?.focus();
  }
  for (const element of document.querySelectorAll('#queue li')) {
    const selected = (element as HTMLElement).dataset.id === item.id;
    element.classList.toggle('selected', selected);
    const button = element.querySelector('button');
    if (selected) button?.setAttribute('aria-current', 'true');
    else button?.removeAttribute('aria-current');
  }
}

function actionsFor(item: StaffCallback): HTMLElement {
  if (item.status === 'open') return claimBlock(() => void act(item.id, () => api.claim(item.id), () => `已认领${CODE_LABEL} ${item.code}，请拨打下面的号码。`));
  if (item.status === 'done') return doneBlock(item);
  if (canTakeOver(item, me, new Date())) {
    const holder = item.claimedBy;
    return takeOverBlock(item, () => void act(item.id, () => api.claim(item.id), () => `已接手${CODE_LABEL} ${item.code}（原由 ${holder} 认领），请拨打下面的号码。`));
  }
  if (item.claimedBy !== me || !item.phoneVisible) return heldBlock(item);
  return callBlock(item, {
    draft: state.drafts.get(item.id) ?? { note: '' },
    onDraft: (draft) => state.drafts.set(item.id, draft),
    onOutcome: (outcome, note) => {
      if (!outcome) {
        detailMessage('请先选择通话结果。');
        notify('请先选择通话结果。', 'error');
        document.querySelector<HTMLInputElement>('#outcome-form input[name="outcome"]')?.focus();
        return;
      }
      void act(item.id, () => api.outcome(item.id, outcome, note), (changed) => outcomeMessage(outcome, changed), () => state.drafts.delete(item.id));
    },
    onRelease: () => void act(item.id, () => api.release(item.id), () => `已把${CODE_LABEL} ${item.code} 放回待回电队列。`),
  });
}

function outcomeMessage(outcome: CallbackOutcome, changed: StaffCallback): string {
  if (outcome === 'no-answer') return `已记录：无人接听（第 ${changed.attempts} 次），${CODE_LABEL} ${changed.code} 已放回待回电队列。`;
  return `已记录：${outcomeLabel(outcome)}，${CODE_LABEL} ${changed.code} 的请求已结束。`;
}

/**
 * Runs one action on the request shown. No `version` is sent: the server lets only the holder
 * record an outcome or release, and claims atomically, so a caller's repeat request (which bumps
 * the version) must not make the holder's save fail as "stale".
 */
async function act(id: string, run: () => Promise<StaffCallback>, success: (changed: StaffCallback) => string, done?: () => void): Promise<void> {
  const shown = state.detail;
  if (!shown || shown.id !== id) return;
  const session = state.session;
  /** Still signed in as the same person, with this request's detail open. */
  const stillShown = () => session === state.session && state.detail?.id === id && !byId('detail').hidden;
  state.busy++;
  const buttons = [...byId('detail-actions').querySelectorAll('button')];
  for (const button of buttons) button.disabled = true;
  detailMessage(undefined);
  try {
    const changed = await run();
    if (session !== state.session) return;
    done?.();
    if (stillShown()) {
      state.detailSeq++; // a refresh already under way must not overwrite this answer
      showDetail(changed, true);
    }
    notify(success(changed));
  } catch (error) {
    if (session !== state.session || (error instanceof ApiError && error.status === 401)) return;
    const message = errorText(error);
    notify(message, 'error');
    if (!stillShown()) return;
    detailMessage(message);
    const current = error instanceof ApiError ? error.body?.current : undefined;
    if (current) {
      state.detailSeq++;
      showDetail(current, true);
    } else void reloadDetail(id);
  } finally {
    state.busy--;
    for (const button of buttons) if (button.isConnected) button.disabled = false;
    if (session === state.session) void loadList();
  }
}

// ---------------------------------------------------------------------------------------------
// Export

function wireExport(): void {
  const from = byId<HTMLInputElement>('export-from');
  const to = byId<HTMLInputElement>('export-to');
  const today = new Date();
  to.value = chinaDate(today);
  from.value = chinaDate(new Date(today.getTime() - 30 * 86_400_000));
  byId<HTMLFormElement>('export-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!from.value || !to.value) {
      notify('请选择开始和结束日期。', 'error');
      return;
    }
    if (to.value < from.value) {
      notify('结束日期不能早于开始日期。', 'error');
      return;
    }
    if (Date.parse(to.value) - Date.parse(from.value) >= 366 * 86_400_000) {
      notify('一次最多导出 366 天，请缩短日期范围。', 'error');
      return;
    }
    api
      .exportCsv(from.value, to.value)
      .then(({ blob, filename }) => {
        const url = URL.createObjectURL(blob);
        const link = h('a', { attrs: { href: url, download: filename }, class: 'hidden-link' });
        document.body.append(link);
        link.click();
        link.remove();
        window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
        notify(`已下载 ${filename}。`);
      })
      .catch((error: unknown) => {
        if (!(error instanceof ApiError && error.status === 401)) notify(`导出没有完成：${errorText(error)}`, 'error');
      });
  });
}

// ---------------------------------------------------------------------------------------------
// Start

function wireWork(): void {
  for (const tab of document.querySelectorAll<HTMLButtonElement>('.tab')) tab.addEventListener('click', () => selectTab(tab.dataset.status as CallbackStatus));
  filterDue.addEventListener('change', renderList);
  filterTopic.addEventListener('change', renderList);
  byId('refresh').addEventListener('click', () => {
    void loadList();
    if (state.detail) void reloadDetail();
  });
  byId('detail-close').addEventListener('click', () => closeDetail());
  document.addEventListener('keydown', (event) => {
    // Not from a form field: Escape there belongs to the field (and a note must not vanish).
    const target = event.target;
    if (event.key !== 'Escape' || !state.detail || !(target instanceof HTMLElement) || !byId('detail').contains(target)) return;
    if (target.closest('input, textarea, select')) return;
    closeDetail();
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && refreshTimer !== undefined) void tick();
  });
}

async function start(): Promise<void> {
  showOnly('loading');
  try {
    const config = await loadConfig();
    baseUrl = config.apiBaseUrl;
    auth = await createAuth(config);
  } catch (error) {
    byId('loading').textContent = `工作台无法启动：${error instanceof Error ? error.message : String(error)}`;
    byId('loading').className = 'error';
    return;
  }
  api = createApi(baseUrl, () => auth.token(), onUnauthorized);
  wireSignIn();
  wireWork();
  wireExport();
  if (auth.initialError) showSignIn(auth.initialError);
  else if (await auth.token()) await enter();
  else showSignIn();
}

void start();
