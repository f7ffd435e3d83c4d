/**
 * Keeping the queue and the open detail current: every `REFRESH_MS` while the queue is shown, when the tab
 * comes back into view, and on the 刷新 button. Whether a refresh runs is `shouldAutoRefresh`.
 */
import type { ConsoleContext } from './context';
import { REFRESH_MS, shouldAutoRefresh } from './session-logic';

export interface RefreshDeps {
  loadQueue(): Promise<void>;
  reloadDetail(): Promise<void>;
}

export interface Refresh {
  start(): void;
  stop(): void;
  wire(): void;
}

export function createRefresh({ clock, doc, el, state }: ConsoleContext, deps: RefreshDeps): Refresh {
  let timer: number | undefined;

  function refreshNow(): Promise<unknown> {
    return Promise.all([deps.loadQueue(), state.detail ? deps.reloadDetail() : undefined]);
  }

  async function tick(): Promise<void> {
    if (shouldAutoRefresh({ pageHidden: doc.hidden, actionsInFlight: state.busy, working: !el.work.hidden && !el.queuePage.hidden })) await refreshNow();
  }

  function stop(): void {
    clock.clearInterval(timer);
    timer = undefined;
  }

  return {
    start() {
      stop();
      timer = clock.setInterval(() => void tick(), REFRESH_MS);
    },
    stop,
    wire() {
      // Asked for: runs even while an action is under way.
      el.refresh.addEventListener('click', () => void refreshNow());
      doc.addEventListener('visibilitychange', () => {
        if (!doc.hidden && timer !== undefined) void tick();
      });
    },
  };
}
