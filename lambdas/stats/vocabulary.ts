/**
 * The words the hotline counts with: every counter name is built here, from topic ids, menu
 * positions, callback steps and outcome words, never from anything a caller typed or said. The store
 * refuses any other name (`isCounterName`), so a bug cannot turn a message or a number into a column.
 *
 * | counter                                  | one per                                                   |
 * | ---------------------------------------- | --------------------------------------------------------- |
 * | `contact.voice`, `contact.sms`           | call answered, text received                              |
 * | `crisis.voice`, `crisis.sms`             | call that reached the crisis answer, crisis text          |
 * | `<channel>.topic.<topic>`                | topic answered (voice: reached anew; SMS: asked)          |
 * | `<channel>.group.<group>`                | sub-menu opened                                           |
 * | `<channel>.heard.<heard>`                | own words understood: match, ask (back), nomatch, crisis, threat |
 * | `sms.intent.<intent>`                    | text, by what it asked for                                |
 * | `sms.limited`, `sms.unanswered`          | text past the hourly limit, text that got no reply        |
 * | `end.<position>`                         | call that ended there (Twilio's status callback)          |
 * | `cb.requested.<channel>`, `cb.requested.urgent` | callback request created (urgent: in crisis)       |
 * | `cb.repeat`                              | a number asking again while its request waits             |
 * | `cb.first.<normal\|urgent>.<bucket>`     | request's first attempt by staff, by how long it waited   |
 * | `cb.outcome.<outcome>`, `cb.unreached`   | outcome recorded; request moved to 未接通                  |
 */
import { CALLBACK_OUTCOMES } from '../callbacks/store';
import { isTopicId } from '../content/topic-ids';
import { CALLBACK_STEPS } from '../voice/callback-state';

export const CHANNELS = ['voice', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What became of words the caller said or typed: answered, asked back between two, not understood, or a safety answer. */
export const HEARD = ['match', 'ask', 'nomatch', 'crisis', 'threat'] as const;
export type Heard = (typeof HEARD)[number];

/** What a text asked for (the SMS router's intents, in counter spelling). */
export const SMS_INTENTS = ['crisis', 'menu', 'group', 'topic', 'ask', 'callback', 'code', 'opt-out', 'opt-in'] as const;
export type SmsIntentWord = (typeof SMS_INTENTS)[number];

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * How long a request waited for its first attempt, as histogram buckets (upper bound in minutes):
 * percentiles are estimated from them, as from any histogram, without keeping a single time.
 */
export const WAIT_BUCKETS = [
  { id: 'le15m', upTo: 15 },
  { id: 'le30m', upTo: 30 },
  { id: 'le1h', upTo: 60 },
  { id: 'le2h', upTo: 120 },
  { id: 'le4h', upTo: 240 },
  { id: 'le8h', upTo: 480 },
  { id: 'le24h', upTo: 1440 },
  { id: 'gt24h', upTo: Number.POSITIVE_INFINITY },
] as const;
export type WaitBucket = (typeof WAIT_BUCKETS)[number]['id'];

export function waitBucket(minutes: number): WaitBucket {
  return WAIT_BUCKETS.find((bucket) => minutes <= bucket.upTo)?.id ?? 'gt24h';
}

/** A menu group as content names it (`report`); the builders take it only from the content's own menu. */
const GROUP = /^[a-z][a-z-]{0,23}$/;
const ONE_WORD = ['main', 'ask', 'goodbye'];

/**
 * Where a call is: `main`, `group.<group>`, `topic.<topic>`, `ask` (asked back between two topics),
 * `callback.<step>` (the spoken callback request: the step that takes the next answer; `done` = the
 * code was read out) or `goodbye` (the hotline ended the call after silence).
 */
export function isPositionId(id: string): boolean {
  if (ONE_WORD.includes(id)) return true;
  const dot = id.indexOf('.');
  if (dot < 0) return false;
  const [kind, rest] = [id.slice(0, dot), id.slice(dot + 1)];
  if (kind === 'group') return GROUP.test(rest);
  if (kind === 'topic') return isTopicId(rest);
  if (kind === 'callback') return (CALLBACK_STEPS as readonly string[]).includes(rest);
  return false;
}

const has = (words: readonly string[], word: string | undefined) => word !== undefined && words.includes(word);

/** Whether `name` is a counter of the table above: the only names the stats store writes or reads. */
export function isCounterName(name: string): boolean {
  if (typeof name !== 'string') return false;
  const [head, second, third, fourth, ...more] = name.split('.');
  if (head === 'end') return isPositionId(name.slice(4));
  if (more.length) return false;
  if (head === 'contact' || head === 'crisis') return has(CHANNELS, second) && third === undefined;
  if (has(CHANNELS, head)) {
    if (fourth !== undefined) return false;
    if (second === 'topic') return third !== undefined && isTopicId(third);
    if (second === 'group') return third !== undefined && GROUP.test(third);
    if (second === 'heard') return has(HEARD, third);
    if (head === 'sms' && second === 'intent') return has(SMS_INTENTS, third);
    return head === 'sms' && (second === 'limited' || second === 'unanswered') && third === undefined;
  }
  if (head !== 'cb') return false;
  if (second === 'requested') return (has(CHANNELS, third) || third === 'urgent') && fourth === undefined;
  if (second === 'first') return has(URGENCIES, third) && WAIT_BUCKETS.some((bucket) => bucket.id === fourth);
  if (second === 'outcome') return has(CALLBACK_OUTCOMES, third) && fourth === undefined;
  return (second === 'repeat' || second === 'unreached') && third === undefined;
}

/** The counter names, built in one place (each a name `isCounterName` accepts). */
export const COUNTER = {
  contact: (channel: Channel) => `contact.${channel}`,
  crisis: (channel: Channel) => `crisis.${channel}`,
  topic: (channel: Channel, topic: string) => `${channel}.topic.${topic}`,
  group: (channel: Channel, group: string) => `${channel}.group.${group}`,
  heard: (channel: Channel, heard: Heard) => `${channel}.heard.${heard}`,
  smsIntent: (intent: SmsIntentWord) => `sms.intent.${intent}`,
  smsLimited: 'sms.limited',
  smsUnanswered: 'sms.unanswered',
  end: (position: string) => `end.${position}`,
  requested: (channel: Channel | 'urgent') => `cb.requested.${channel}`,
  repeat: 'cb.repeat',
  firstAttempt: (urgency: Urgency, bucket: WaitBucket) => `cb.first.${urgency}.${bucket}`,
  outcome: (outcome: string) => `cb.outcome.${outcome}`,
  unreached: 'cb.unreached',
} as const;
