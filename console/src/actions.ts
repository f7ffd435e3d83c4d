/**
 * What staff do to the request shown: claim, take over, release, record the outcome. Which block
 * the detail offers is `actionBlockFor`; each action runs through `act`.
 */
import { StaffApiError } from '../../lambdas/staff/client';
import type { StaffCallback } from '../../lambdas/staff/contract';
import type { ConsoleContext } from './context';
import type { Detail } from './detail';
import { ACTION_DONE, actionBlockFor, CHOOSE_OUTCOME } from './detail-logic';
import type { Notices } from './notices';
import { errorText, worthTelling } from './session-logic';
import { callBlock, claimBlock, doneBlock, heldBlock, takeOverBlock } from './views';

export interface ActionsDeps {
  notices: Notices;
  detail: Pick<Detail, 'show' | 'reload' | 'message'>;
  reloadQueue(): Promise<void>;
}

export interface Actions {
  /** The action block for a request, wired to the API. */
  blockFor(item: StaffCallback): HTMLElement;
}

export function createActions({ api, clock, el, state }: ConsoleContext, deps: ActionsDeps): Actions {
  const { notices, detail } = deps;

  /**
   * Runs one action on the request shown. No `version` is sent: the server lets only the holder
   * record an outcome or release, and claims atomically, so a caller's repeat request (which bumps
   * the version) must not make the holder's save fail as "stale".
   */
  async function act(id: string, run: () => Promise<StaffCallback>, success: (changed: StaffCallback) => string, done?: () => void): Promise<void> {
    if (state.detail?.id !== id) return;
    const session = state.session;
    /** Still signed in as the same person, with this request's detail open. */
    const stillShown = () => session === state.session && state.detail?.id === id && !el.detail.hidden;
    state.busy++;
    const buttons = [...el.detailActions.querySelectorAll('button')];
    for (const button of buttons) button.disabled = true;
    detail.message(undefined);
    try {
      const changed = await run();
      if (session !== state.session) return;
      done?.();
      if (stillShown()) {
        state.detailSeq++; // a refresh already under way must not overwrite this answer
        detail.show(changed, true);
      }
      notices.notify(success(changed));
    } catch (error) {
      if (session !== state.session || !worthTelling(error)) return;
      const text = errorText(error);
      notices.notify(text, 'error');
      if (!stillShown()) return;
      detail.message(text);
      // A conflict answers with the request as it is now: shown at once, no second read.
      const current = error instanceof StaffApiError ? error.body?.current : undefined;
      if (current) {
        state.detailSeq++;
        detail.show(current, true);
      } else void detail.reload(id);
    } finally {
      state.busy--;
      for (const button of buttons) if (button.isConnected) button.disabled = false;
      if (session === state.session) void deps.reloadQueue();
    }
  }

  function blockFor(item: StaffCallback): HTMLElement {
    switch (actionBlockFor(item, state.me, clock.now())) {
      case 'claim':
        return claimBlock(() => void act(item.id, () => api.claim(item.id), () => ACTION_DONE.claimed(item)));
      case 'take-over':
        return takeOverBlock(item, () => void act(item.id, () => api.claim(item.id), () => ACTION_DONE.tookOver(item, item.claimedBy)));
      case 'done':
        return doneBlock(item);
      case 'held':
        return heldBlock(item);
      case 'call':
        return callBlock(item, {
          draft: state.drafts.get(item.id) ?? { note: '' },
          onDraft: (draft) => state.drafts.set(item.id, draft),
          onOutcome: (outcome, note) => {
            if (!outcome) {
              detail.message(CHOOSE_OUTCOME);
              notices.notify(CHOOSE_OUTCOME, 'error');
              el.detailActions.querySelector<HTMLInputElement>('input[name="outcome"]')?.focus();
              return;
            }
            void act(item.id, () => api.outcome(item.id, outcome, note), (changed) => ACTION_DONE.outcome(outcome, changed), () => state.drafts.delete(item.id));
          },
          onRelease: () => void act(item.id, () => api.release(item.id), () => ACTION_DONE.released(item)),
        });
    }
  }

  return { blockFor };
}
