/**
 * The staff console: sign in, then the queue of callback requests, one request's detail, claim,
 * call, record the outcome, export; beside the queue, 统计 and the question inbox (`pages.ts`,
 * each its own chunk). Vanilla DOM; the page's skeleton is in index.html.
 *
 * This module only builds the context every section works with (`context.ts`) and wires the
 * sections to each other; each section is its own module.
 */
import { createActions } from './actions';
import { createConsoleClient } from './api';
import { createAuth, loadConfig, type Auth } from './auth';
import { createState, findElements, forgetSession, windowClock, type ConsoleContext } from './context';
import { createDetail } from './detail';
import { createExport } from './export';
import { createNotices } from './notices';
import { createPages } from './pages';
import { createQueue } from './queue';
import { createRefresh } from './refresh';
import { SIGN_IN_TEXT } from './session-logic';
import { createSignIn, showOnly } from './sign-in';

async function start(): Promise<void> {
  const el = findElements(document);
  showOnly(el, 'loading');
  let auth: Auth;
  let baseUrl: string;
  try {
    const config = await loadConfig();
    baseUrl = config.apiBaseUrl;
    auth = await createAuth(config);
  } catch (error) {
    el.loading.textContent = SIGN_IN_TEXT.startFailed(error);
    el.loading.className = 'error';
    return;
  }

  const ctx: ConsoleContext = {
    // Every 401, from any section, sends the page back to sign-in.
    api: createConsoleClient(baseUrl, () => auth.token(), () => signIn.expired()),
    auth,
    clock: windowClock(window),
    doc: document,
    el,
    state: createState(),
  };
  // Sections call each other only through these closures, made once every section exists.
  const notices = createNotices(ctx);
  const detail = createDetail(ctx, { actionsFor: (item) => actions.blockFor(item) });
  const queue = createQueue(ctx, { notices, openDetail: (id) => detail.open(id) });
  const actions = createActions(ctx, { notices, detail, reloadQueue: () => queue.load() });
  const refresh = createRefresh(ctx, { loadQueue: () => queue.load(), reloadDetail: () => detail.reload() });
  const pages = createPages(ctx, { notices, queueShown: () => void queue.load() });
  const signIn = createSignIn(ctx, {
    notices,
    tokenClient: (token) => createConsoleClient(baseUrl, () => token),
    leaveWork() {
      refresh.stop();
      pages.reset();
      detail.close(false);
      forgetSession(ctx.state);
      notices.clear();
      queue.reset();
      el.whoName.textContent = '';
    },
    async enterWork(staff) {
      ctx.state.me = staff;
      el.whoName.textContent = staff;
      showOnly(el, 'work');
      el.queueTitle.focus();
      await queue.load();
      refresh.start();
    },
  });

  signIn.wire();
  queue.wire();
  detail.wire();
  refresh.wire();
  pages.wire();
  createExport(ctx, { notices }).wire();
  await signIn.begin();
}

void start();
