/**
 * A number's request (`REQ#`) as callers make it: asking (it creates the number's request or
 * updates the one waiting, once per sid), naming its time later by SMS, and reading it back.
 */
import { MAX_REQUESTS_PER_ITEM, ID_PATTERN, reqKey, requestId, toRequest, type RequestItem } from './dynamo-items';
import { advanceGeneration, keepPhoneItem, readPhoneItem } from './dynamo-phone';
import { MAX_ROUNDS, type StoreContext, type StoreSession } from './dynamo-session';
import { normalisePhone, type E164 } from './phone-number';
import { generateReferenceCode } from './reference-code';
import {
  CallbackInputError,
  CallbackStoreError,
  InvalidPhoneError,
  NUMBER_SOURCES,
  type Actor,
  type CallbackRequest,
  type HistoryEntry,
  type RequestCallbackInput,
  type RequestCallbackResult,
  type SetWindowInput,
} from './store';
import { cleanLabel, cleanQuestion, cleanTopics, cleanWords, LIMITS } from './text-cleaning';

/** An unreached request asked for again goes back to the queue (then the ask is applied as usual). */
async function reopen(s: StoreSession, item: RequestItem, at: string, by: Actor): Promise<void> {
  await s.update({
    Key: reqKey(item.id),
    UpdateExpression: 'SET #status = :open, #missedInRow = :zero, #updatedAt = :now, #history = list_append(#history, :entry) ADD #version :one REMOVE #expiresAt',
    ConditionExpression: '#status = :unreached AND #version = :version',
    ExpressionAttributeValues: { ':open': 'open', ':zero': 0, ':now': at, ':entry': [{ at, by, action: 'reopened' }], ':one': 1, ':unreached': 'unreached', ':version': item.version },
    ReturnValues: 'NONE',
  });
}

export async function requestCallback(ctx: StoreContext, input: RequestCallbackInput): Promise<RequestCallbackResult> {
  const e164 = requireE164(input.phone);
  const window = requireWindow(input.window);
  const due = input.due === undefined ? undefined : checkDue(input.due);
  const topic = input.topic == null ? null : cleanLabel(String(input.topic), LIMITS.topic);
  const topics = cleanTopics([...(input.topics ?? []), ...(topic ? [topic] : [])]);
  const question = cleanQuestion(input.question);
  if (input.numberSource !== undefined && !NUMBER_SOURCES.includes(input.numberSource)) throw new CallbackInputError('unknown number source');
  if (input.channel !== 'voice' && input.channel !== 'sms') throw new CallbackInputError('channel must be voice or sms');
  const sid = requireSid(input.sourceSid);

  const urgent = input.urgent === true;
  const phoneHash = await ctx.hash(e164);
  const by: Actor = input.channel === 'voice' ? 'caller' : 'sms';
  const s = ctx.session();
  const replay = (item: RequestItem): RequestCallbackResult => ({ request: toRequest(item), created: item.firstSid === sid, replayed: true });

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const phone = await readPhoneItem(s, phoneHash);
    const gen = phone?.gen ?? 0;
    if (phone?.prevSids?.has(sid) && phone.prevGen !== undefined) {
      const previous = await s.getRequest(requestId(phoneHash, phone.prevGen));
      if (previous?.sids.has(sid)) return replay(previous);
    }

    const id = requestId(phoneHash, gen);
    const at = ctx.clock().toISOString();
    // The code, the time promised and how the number came are set by the request that creates the
    // item and never by a repeat: whoever asks again may not be the person who asked first.
    const setOnce = ['#window = if_not_exists(#window, :window)', ...(due ? ['#dueFrom = if_not_exists(#dueFrom, :dueFrom)', '#dueUntil = if_not_exists(#dueUntil, :dueUntil)'] : [])];
    if (input.numberSource) setOnce.push('#numberSource = if_not_exists(#numberSource, :numberSource)');
    // Always present once created (false after setWindow), so a repeat can never make a fixed time pending again.
    setOnce.push('#windowPending = if_not_exists(#windowPending, :pending)');
    const topicUpdate = topic ? '#topic = :topic' : '#topic = if_not_exists(#topic, :topic)';
    // Urgent is only ever set, never cleared: a plain repeat keeps whatever the request has.
    const urgentUpdate = urgent ? '#urgent = :true' : '#urgent = if_not_exists(#urgent, :false)';
    // `sms urgent window=… topic=… via=…`: `urgent` right after the channel, where no window text can be mistaken for it.
    const detail = `${input.channel}${urgent ? ' urgent' : ''} window=${window}${topic ? ` topic=${topic}` : ''}${input.numberSource ? ` via=${input.numberSource}` : ''}`;
    const entry: HistoryEntry = { at, by, action: 'requested', detail };
    const item = await s.update({
      Key: reqKey(id),
      UpdateExpression: [
        'SET #kind = :kind, #id = if_not_exists(#id, :id), #phoneHash = if_not_exists(#phoneHash, :phoneHash), #gen = if_not_exists(#gen, :gen)',
        '#phone = if_not_exists(#phone, :phone), #code = if_not_exists(#code, :code), #status = if_not_exists(#status, :open)',
        '#channel = if_not_exists(#channel, :channel), #createdAt = if_not_exists(#createdAt, :now), #firstSid = if_not_exists(#firstSid, :sid)',
        // Asking again says the person wants the call: the count of calls missed in a row starts over.
        `#attempts = if_not_exists(#attempts, :zero), #missedInRow = :zero, ${setOnce.join(', ')}, ${topicUpdate}, ${urgentUpdate}, #updatedAt = :now`,
        ...(question ? ['#question = :question'] : []),
        '#history = list_append(if_not_exists(#history, :empty), :entry)',
        `ADD #version :one, #requestCount :one, #sids :sidSet${topics.length ? ', #topics :topics' : ''}`,
      ].join(', ').replace(', ADD', ' ADD'),
      // A full item still takes the one ask that makes it urgent (history grows by one entry at most).
      ConditionExpression: `attribute_not_exists(#pk) OR (#status IN (:open, :claimed) AND NOT contains(#sids, :sid) AND ${
        urgent ? '(#requestCount < :max OR attribute_not_exists(#urgent) OR #urgent = :false)' : '#requestCount < :max'
      })`,
      ExpressionAttributeValues: {
        ':kind': 'request', ':id': id, ':phoneHash': phoneHash, ':gen': gen, ':phone': e164, ':code': generateReferenceCode(ctx.random),
        ':open': 'open', ':claimed': 'claimed', ':channel': input.channel, ':now': at, ':sid': sid, ':zero': 0, ':window': window,
        ':topic': topic, ':empty': [], ':entry': [entry], ':one': 1, ':sidSet': new Set([sid]), ':max': MAX_REQUESTS_PER_ITEM, ':true': true, ':false': false,
        ':dueFrom': due?.from, ':dueUntil': due?.until, ':numberSource': input.numberSource, ':question': question, ':topics': topics.length ? new Set(topics) : undefined,
        ':pending': input.windowPending === true,
      },
    });
    if (item) {
      await keepPhoneItem(s, phoneHash, phone, gen).catch(() => undefined);
      // `firstSid` is set by the write that creates the item, and a sid is applied once: it is this one's only if it created it.
      return { request: toRequest(item), created: item.firstSid === sid, replayed: false };
    }

    // Refused: this sid was applied already, the request was closed or left unreached meanwhile, or it is full.
    const current = await s.getRequest(id);
    if (!current) continue;
    if (current.sids.has(sid)) return replay(current);
    if (current.status === 'done') {
      await advanceGeneration(ctx, s, current, at);
      continue;
    }
    if (current.status === 'unreached') {
      await reopen(s, current, at, by);
      continue;
    }
    if (current.requestCount >= MAX_REQUESTS_PER_ITEM && (!urgent || current.urgent === true)) return { request: toRequest(current), created: false, replayed: false };
  }
  throw new CallbackStoreError('requestCallback: too much contention, gave up');
}

export async function setWindow(ctx: StoreContext, input: SetWindowInput): Promise<CallbackRequest | undefined> {
  const e164 = requireE164(input.phone);
  const window = requireWindow(input.window);
  const due = checkDue(input.due);
  const sid = requireSid(input.sourceSid);
  const phoneHash = await ctx.hash(e164);
  const s = ctx.session();
  const phone = await readPhoneItem(s, phoneHash);
  const id = requestId(phoneHash, phone?.gen ?? 0);
  const at = ctx.clock().toISOString();
  const entry: HistoryEntry = { at, by: 'sms', action: 'window', detail: `window=${window}` };
  // Once: the flag goes with the write, and the sid makes a retried delivery a replay.
  const item = await s.update({
    Key: reqKey(id),
    UpdateExpression: 'SET #window = :window, #dueFrom = :dueFrom, #dueUntil = :dueUntil, #windowPending = :false, #updatedAt = :now, #history = list_append(#history, :entry) ADD #version :one, #sids :sidSet',
    ConditionExpression: '#windowPending = :true AND #status <> :done AND NOT contains(#sids, :sid)',
    ExpressionAttributeValues: { ':window': window, ':dueFrom': due.from, ':dueUntil': due.until, ':now': at, ':entry': [entry], ':one': 1, ':sidSet': new Set([sid]), ':true': true, ':false': false, ':done': 'done', ':sid': sid },
  });
  if (item) return toRequest(item);
  const current = await s.getRequest(id);
  return current && current.status !== 'done' && current.sids.has(sid) ? toRequest(current) : undefined;
}

export async function get(ctx: StoreContext, id: string): Promise<CallbackRequest | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  const item = await ctx.session().getRequest(id);
  return item ? toRequest(item) : undefined;
}

export async function findPending(ctx: StoreContext, phoneInput: string): Promise<CallbackRequest | undefined> {
  const check = normalisePhone(phoneInput);
  if (!check.ok) return undefined;
  const phoneHash = await ctx.hash(check.e164);
  const s = ctx.session();
  const phone = await readPhoneItem(s, phoneHash);
  const item = await s.getRequest(requestId(phoneHash, phone?.gen ?? 0));
  return item && item.status !== 'done' ? toRequest(item) : undefined;
}

/** A due slot: two ISO instants, `from` before `until`. */
function checkDue(due: { from: string; until: string }): { from: string; until: string } {
  const from = Date.parse(String(due?.from));
  const until = Date.parse(String(due?.until));
  if (!Number.isFinite(from) || !Number.isFinite(until) || until <= from) throw new CallbackInputError('due must be two ISO times, from before until');
  return { from: new Date(from).toISOString(), until: new Date(until).toISOString() };
}

function requireE164(phone: string): E164 {
  const check = normalisePhone(phone);
  if (!check.ok) throw new InvalidPhoneError(check.reason);
  return check.e164;
}

function requireWindow(window: string): string {
  const cleaned = cleanWords(String(window ?? ''), LIMITS.window);
  if (!cleaned) throw new CallbackInputError('window is required (at most 40 characters)');
  return cleaned;
}

/** The Twilio sid that makes an ask or a named time apply once. */
function requireSid(sourceSid: string): string {
  const sid = cleanLabel(String(sourceSid ?? ''), LIMITS.sid);
  if (!sid) throw new CallbackInputError('sourceSid is required');
  return sid;
}
