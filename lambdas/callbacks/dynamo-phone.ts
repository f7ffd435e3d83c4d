/**
 * `PHONE#` items, one per number: the generation of its current request (and the sids applied to the
 * previous one), the opt-out, and the expiry that lets the item go once nothing refers to it.
 */
import { expiresAtFor, MAX_OPT_SIDS, phoneKey, requestId, requirePhoneKey, type PhoneItem, type RequestItem } from './dynamo-items';
import type { StoreContext, StoreSession } from './dynamo-session';
import { cleanLabel, LIMITS } from './text-cleaning';

/** A `PHONE#` item outlives every request it refers to by this much (TTL deletion lags; see table.ts). */
const PHONE_EXPIRY_MARGIN_DAYS = 7;

/** Epoch seconds at which a `PHONE#` item written at `nowMs` may go: after every request it refers to. */
function phoneExpiry(ctx: StoreContext, nowMs: number): number {
  return expiresAtFor(nowMs, ctx.retentionDays + PHONE_EXPIRY_MARGIN_DAYS);
}

export function readPhoneItem(s: StoreSession, phoneHash: string): Promise<PhoneItem | undefined> {
  return s.read<PhoneItem>(phoneKey(phoneHash));
}

/** Closing a request moves the number to its next generation (idempotent: only from `gen`). */
export async function advanceGeneration(ctx: StoreContext, s: StoreSession, item: RequestItem, at: string): Promise<void> {
  // Only from the request's generation. A missing item (or one without a generation: an opt-out
  // written before any request) counts as generation 0 for a first request, and for a later one is
  // written anew at the next generation, so the number's next request can never reuse an old id.
  const sameGen = '(attribute_not_exists(#gen) OR #gen = :gen)';
  const values = { ':next': item.gen + 1, ':gen': item.gen, ':sids': item.sids, ':now': at, ':true': true, ':expiresAt': phoneExpiry(ctx, Date.parse(at)) };
  // Nothing waits for this number now: the item may expire after the request it refers to. An
  // opted-out number keeps its item (and its opt-out) without expiry.
  const applied = await s.update({
    Key: phoneKey(item.phoneHash),
    UpdateExpression: 'SET #gen = :next, #prevGen = :gen, #prevSids = :sids, #updatedAt = :now, #expiresAt = :expiresAt',
    ConditionExpression: `${sameGen} AND (attribute_not_exists(#optedOut) OR #optedOut <> :true)`,
    ExpressionAttributeValues: values,
    ReturnValues: 'UPDATED_NEW',
  });
  // Stryker disable next-line ConditionalExpression: equivalent when false — after the first write the generation moved on, so the second one's condition refuses it
  if (applied) return;
  await s.update({
    Key: phoneKey(item.phoneHash),
    UpdateExpression: 'SET #gen = :next, #prevGen = :gen, #prevSids = :sids, #updatedAt = :now',
    ConditionExpression: `${sameGen} AND #optedOut = :true`,
    ExpressionAttributeValues: values,
    ReturnValues: 'NONE',
  });
}

/** A request now waits for this number: its `PHONE#` item must not expire under it (a no-op when it has no expiry). */
export async function keepPhoneItem(s: StoreSession, phoneHash: string, phone: PhoneItem | undefined, gen: number): Promise<void> {
  if (phone?.expiresAt === undefined) return;
  await s.update({ Key: phoneKey(phoneHash), UpdateExpression: 'REMOVE #expiresAt', ConditionExpression: '#gen = :gen OR (attribute_not_exists(#gen) AND :gen = :zero)', ExpressionAttributeValues: { ':gen': gen, ':zero': 0 }, ReturnValues: 'NONE' });
}

export async function setOptOut(ctx: StoreContext, phoneInput: string, optedOut: boolean, tokenInput?: string): Promise<void> {
  await writeOptOut(ctx, phoneInput, optedOut, tokenInput);
  // Stryker disable next-line ConditionalExpression: equivalent — going on after an opt-out reads the item just written, opted out, and stops there
  if (optedOut) return;
  // Opted back in: the item may expire once nothing else refers to it (no request waiting).
  const phoneHash = await ctx.hash(requirePhoneKey(phoneInput));
  const s = ctx.session();
  const phone = await readPhoneItem(s, phoneHash);
  if (!phone || phone.optedOut || phone.expiresAt !== undefined) return;
  const gen = phone.gen ?? 0;
  const waiting = await s.getRequest(requestId(phoneHash, gen));
  if (waiting && waiting.status !== 'done') return;
  await s.update({
    Key: phoneKey(phoneHash),
    UpdateExpression: 'SET #expiresAt = :expiresAt',
    ConditionExpression: `#optedOut = :false AND ${gen === 0 ? 'attribute_not_exists(#gen)' : '#gen = :gen'}`,
    ExpressionAttributeValues: { ':expiresAt': phoneExpiry(ctx, ctx.clock().getTime()), ':false': false, ':gen': gen },
    ReturnValues: 'NONE',
  });
}

async function writeOptOut(ctx: StoreContext, phoneInput: string, optedOut: boolean, tokenInput?: string): Promise<void> {
  const at = ctx.clock().toISOString();
  const Key = phoneKey(await ctx.hash(requirePhoneKey(phoneInput)));
  // An opt-out is kept for as long as it stands: it removes any expiry.
  const set = 'SET #optedOut = :optedOut, #optOutChangedAt = :now, #updatedAt = :now';
  const tail = optedOut ? ' REMOVE #expiresAt' : '';
  const values = { ':optedOut': optedOut, ':now': at };
  const token = tokenInput === undefined ? undefined : cleanLabel(String(tokenInput), LIMITS.sid);
  const s = ctx.session();
  if (!token) {
    await s.update({ Key, UpdateExpression: set + tail, ExpressionAttributeValues: values, ReturnValues: 'NONE' });
    return;
  }
  // Once per sid: a late retry of an old 订阅 must not undo the 退订 that came after it.
  const sidValues = { ...values, ':sid': token, ':sidSet': new Set([token]), ':max': MAX_OPT_SIDS };
  const applied = await s.update({
    Key,
    UpdateExpression: `${set} ADD #optSids :sidSet${tail}`,
    ConditionExpression: 'attribute_not_exists(#optSids) OR (NOT contains(#optSids, :sid) AND size(#optSids) < :max)',
    ExpressionAttributeValues: sidValues,
    ReturnValues: 'UPDATED_NEW',
  });
  // Stryker disable next-line ConditionalExpression: equivalent — after the first write the sid is in the set, so the second one's condition refuses it
  if (applied) return;
  // Refused: already applied, or the remembered sids are full (start a new set, keeping this one).
  await s.update({
    Key,
    UpdateExpression: `${set}, #optSids = :sidSet${tail}`,
    ConditionExpression: 'NOT contains(#optSids, :sid)',
    ExpressionAttributeValues: sidValues,
    ReturnValues: 'UPDATED_NEW',
  });
}

export async function isOptedOut(ctx: StoreContext, phoneInput: string): Promise<boolean> {
  const s = ctx.session();
  // Stryker disable next-line StringLiteral: equivalent — without the attribute name the whole item is read, which has the same `optedOut`
  const phone = await s.read<PhoneItem>(phoneKey(await ctx.hash(requirePhoneKey(phoneInput))), 'optedOut');
  return phone?.optedOut === true;
}
