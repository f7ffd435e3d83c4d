/**
 * Staff actions on a request (claim, release, outcome), each one conditional write on the request
 * item that encodes `conflictFor`; a refused write is read back to say why, or retried.
 */
import { claimLeaseStart } from './claim-lease';
import { expiresAtFor, HISTORY_CAP, HISTORY_KEEP, ID_PATTERN, reqKey, toRequest, type RequestItem } from './dynamo-items';
import { advanceGeneration } from './dynamo-phone';
import { MAX_ROUNDS, type StoreContext, type StoreSession } from './dynamo-session';
import { conflictFor, statusAfterOutcome, type CallbackAction } from './status-rules';
import {
  CALLBACK_OUTCOMES,
  CallbackConflictError,
  CallbackInputError,
  CallbackNotFoundError,
  CallbackStoreError,
  type CallbackOutcome,
  type CallbackRequest,
  type HistoryEntry,
} from './store';
import { cleanLabel, cleanNote, LIMITS } from './text-cleaning';

/** Keeps the latest HISTORY_KEEP entries and counts the rest; refused (and retried by the caller) if the item moved on. */
async function trimHistory(s: StoreSession, item: RequestItem): Promise<void> {
  const { history } = item;
  await s.update({
    Key: reqKey(item.id),
    UpdateExpression: 'SET #history = :kept, #historyDropped = if_not_exists(#historyDropped, :zero) + :dropped ADD #version :one',
    ConditionExpression: '#version = :version',
    ExpressionAttributeValues: { ':kept': history.slice(-HISTORY_KEEP), ':dropped': history.length - HISTORY_KEEP, ':zero': 0, ':one': 1, ':version': item.version },
    ReturnValues: 'NONE',
  });
}

/**
 * Applies one staff action with a condition that encodes `conflictFor`; when refused, reads the
 * item back to say why (or retries if the refusal no longer applies).
 */
async function transition(
  ctx: StoreContext,
  id: string,
  staffInput: string,
  action: CallbackAction,
  expectedVersion: number | undefined,
  write: (staff: string, at: string, current: RequestItem | undefined) => { set: string[]; remove: string[]; values: Record<string, unknown>; detail?: string; historyAction: HistoryEntry['action']; condition?: string },
  /**
   * Read before the first write, for a write that depends on the item (recording a missed call).
   * Only saves a round: a write made without it is refused when the item differs, and re-made from a read.
   */
  // Stryker disable next-line BooleanLiteral: equivalent — reading first only saves a refused write (claim and release do not use the item)
  readFirst = false,
): Promise<{ item: RequestItem; at: string }> {
  const staff = cleanLabel(String(staffInput ?? ''), LIMITS.staff);
  if (!staff || staff === 'caller' || staff === 'sms') throw new CallbackInputError('staff id is required');
  if (expectedVersion !== undefined && !Number.isInteger(expectedVersion)) throw new CallbackInputError('expectedVersion must be an integer');
  if (!ID_PATTERN.test(id)) throw new CallbackNotFoundError(id);
  const s = ctx.session();
  let known = readFirst ? await s.getRequest(id) : undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const at = ctx.clock().toISOString();
    const change = write(staff, at, known);
    const entry: HistoryEntry = { at, by: staff, action: change.historyAction, ...(change.detail ? { detail: change.detail } : {}) };
    // A claim is free when open or unreached, or when its holder's lease ran out (then it can be taken
    // over: `claimLapsed`); any other action is its holder's alone (`holdsClaim`).
    const leaseStart = claimLeaseStart(Date.parse(at), ctx.claimLeaseMinutes);
    const condition =
      action === 'claim'
        ? 'attribute_exists(#pk) AND (#status IN (:from, :unreached) OR (#status = :claimed AND #claimedAt < :leaseStart))'
        : 'attribute_exists(#pk) AND #status = :from AND #claimedBy = :staff';
    const item = await s.update({
      Key: reqKey(id),
      UpdateExpression:
        `SET ${[...change.set, '#updatedAt = :now', '#history = list_append(#history, :entry)'].join(', ')} ADD #version :one REMOVE ${change.remove.join(', ')}`,
      ConditionExpression: `${condition} AND size(#history) < :historyCap${expectedVersion === undefined ? '' : ' AND #version = :expected'}${change.condition ? ` AND ${change.condition}` : ''}`,
      ExpressionAttributeValues: {
        ':historyCap': HISTORY_CAP,
        ':unreached': 'unreached',
        ':from': action === 'claim' ? 'open' : 'claimed',
        ':staff': staff,
        ':now': at,
        ':entry': [entry],
        ':one': 1,
        // Values the condition does not use are dropped (`openSession`): these two are only there with it.
        ':expected': expectedVersion,
        ':leaseStart': leaseStart,
        ...change.values,
      },
    });
    if (item) return { item, at };
    const current = await s.getRequest(id);
    if (!current) throw new CallbackNotFoundError(id);
    known = current;
    const reason = conflictFor(current, action, staff, expectedVersion, leaseStart);
    if (reason) throw new CallbackConflictError(id, reason, toRequest(current));
    // Claiming what you already hold is a no-op; anything else changed under us: try again.
    if (action === 'claim' && current.status === 'claimed') return { item: current, at };
    // A full history: drop the oldest entries (counted), then apply the action again.
    if (current.history.length >= HISTORY_CAP) await trimHistory(s, current);
  }
  throw new CallbackStoreError(`${action}: too much contention, gave up`);
}

export async function claim(ctx: StoreContext, id: string, staff: string, expectedVersion?: number): Promise<CallbackRequest> {
  const { item } = await transition(ctx, id, staff, 'claim', expectedVersion, () => ({
    set: ['#status = :claimed', '#claimedBy = :staff', '#claimedAt = :now'],
    // An unreached request taken up again no longer expires.
    remove: ['#expiresAt'],
    values: { ':claimed': 'claimed' },
    historyAction: 'claimed',
  }));
  return toRequest(item);
}

export async function release(ctx: StoreContext, id: string, staff: string, expectedVersion?: number): Promise<CallbackRequest> {
  const { item } = await transition(ctx, id, staff, 'release', expectedVersion, () => ({
    set: ['#status = :open'],
    remove: ['#claimedBy', '#claimedAt'],
    values: { ':open': 'open' },
    historyAction: 'released',
  }));
  return toRequest(item);
}

export async function recordOutcome(ctx: StoreContext, id: string, staff: string, outcome: CallbackOutcome, noteInput?: string, expectedVersion?: number): Promise<CallbackRequest> {
  if (!CALLBACK_OUTCOMES.includes(outcome)) throw new CallbackInputError('unknown outcome');
  const note = cleanNote(noteInput);
  let next = statusAfterOutcome(outcome);
  const { item, at } = await transition(
    ctx,
    id,
    staff,
    'outcome',
    expectedVersion,
    (_staff, when, current) => {
      // The note is the last outcome's: an outcome without one clears an earlier attempt's (history keeps it).
      const noteSet = note ? ['#note = :note'] : [];
      const noteRemove = note ? [] : ['#note'];
      const noteValue = note ? { ':note': note } : {};
      const detail = note ? `${outcome}: ${note}` : outcome;
      if (outcome === 'no-answer') {
        // Missed calls in a row decide between the queue and 未接通; the condition pins the count read,
        // so a repeat ask landing meanwhile (which resets it) makes this round retry with the new count.
        const missed = Number(current?.missedInRow ?? 0);
        next = statusAfterOutcome(outcome, missed, ctx.maxAttempts);
        const unreached = next === 'unreached';
        return {
          set: ['#status = :next', '#attempts = #attempts + :one', '#missedInRow = :missedAfter', ...noteSet, ...(unreached ? ['#expiresAt = :expiresAt'] : [])],
          remove: ['#claimedBy', '#claimedAt', ...noteRemove],
          values: { ':next': next, ':missedAfter': missed + 1, ':missed': missed, ':zero': 0, ':expiresAt': expiresAtFor(Date.parse(when), ctx.retentionDays), ...noteValue },
          condition: missed === 0 ? '(attribute_not_exists(#missedInRow) OR #missedInRow = :zero)' : '#missedInRow = :missed',
          historyAction: 'outcome',
          detail,
        };
      }
      return {
        set: ['#status = :done', '#outcome = :outcome', '#closedAt = :now', '#closedBy = :staff', '#expiresAt = :expiresAt', ...noteSet],
        remove: ['#claimedBy', '#claimedAt', ...noteRemove],
        values: { ':done': 'done', ':outcome': outcome, ':expiresAt': expiresAtFor(Date.parse(when), ctx.retentionDays), ...noteValue },
        historyAction: 'outcome',
        detail,
      };
    },
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — see `readFirst`: a missed call written with a count it did not read is refused by its condition and re-made
    outcome === 'no-answer',
  );
  if (next === 'done') {
    // Frees the number for a new request. If this fails the next requestCallback finds the done
    // request under the old generation and advances it itself, so the outcome stands either way.
    await advanceGeneration(ctx, ctx.session(), item, at).catch(() => undefined);
  }
  return toRequest(item);
}
