/**
 * How a request's status moves: whether a staff member may claim, release or record an outcome (and
 * why not), and where an outcome leaves the request. The store's conditional writes encode the same rules.
 */
import { claimLapsed, holdsClaim } from './claim-lease';
import { CALLBACK_DEFAULTS } from './limits';
import type { CallbackOutcome, CallbackRequest, CallbackStatus, ConflictReason } from './store';

export type CallbackAction = 'claim' | 'release' | 'outcome';

/**
 * Status after recording an outcome: a missed call goes back to the queue, unless it is the
 * `maxAttempts`-th in a row since the person last asked (then `unreached`, out of the active queue).
 */
export function statusAfterOutcome(outcome: CallbackOutcome, missedBefore = 0, maxAttempts: number = CALLBACK_DEFAULTS.maxAttempts): CallbackStatus {
  if (outcome !== 'no-answer') return 'done';
  return missedBefore + 1 >= maxAttempts ? 'unreached' : 'open';
}

/**
 * Why `staff` may not apply `action` to `current` (null: allowed). Used to explain a refused
 * conditional write after reading the item back, and as the rule the write's condition encodes.
 * A claim starts from open or unreached, or takes over a claim taken before `leaseStart`.
 */
export function conflictFor(
  current: Pick<CallbackRequest, 'status' | 'claimedBy' | 'claimedAt' | 'version'>,
  action: CallbackAction,
  staff: string,
  expectedVersion: number | undefined,
  leaseStart: string,
): ConflictReason | null {
  if (current.status === 'done') return 'closed';
  if (action === 'claim') {
    if (current.status === 'claimed' && !holdsClaim(current, staff) && !claimLapsed(current, leaseStart)) return 'claimed-by-other';
  } else {
    if (current.status !== 'claimed') return 'not-claimed';
    if (!holdsClaim(current, staff)) return 'claimed-by-other';
  }
  if (expectedVersion !== undefined && current.version !== expectedVersion) return 'stale';
  return null;
}
