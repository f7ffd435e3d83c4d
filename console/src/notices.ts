/**
 * The message line at the top of the page (`#notice`, a polite live region): one message at a
 * time, announced each time it is shown.
 */
import type { ConsoleContext } from './context';
import { fadesAfter, NOTICE_TIMING, type NoticeKind } from './session-logic';

export interface Notices {
  /** Shows (and announces) a message; errors stay until the next message, others fade. */
  notify(message: string, kind?: NoticeKind): void;
  clear(): void;
}

export function createNotices({ el, clock }: Pick<ConsoleContext, 'el' | 'clock'>): Notices {
  let announceTimer: number | undefined;
  let fadeTimer: number | undefined;

  function clear(): void {
    clock.clearTimeout(fadeTimer);
    clock.clearTimeout(announceTimer);
    el.notice.textContent = '';
  }

  return {
    clear,
    notify(message, kind = 'info') {
      clear();
      el.notice.className = `notice ${kind}`;
      // Emptied first (clear) so the same message twice is announced twice.
      announceTimer = clock.setTimeout(() => {
        el.notice.textContent = message;
      }, NOTICE_TIMING.announceAfterMs);
      const fadeMs = fadesAfter(kind);
      if (fadeMs !== undefined) {
        fadeTimer = clock.setTimeout(() => {
          el.notice.textContent = '';
        }, fadeMs);
      }
    },
  };
}
