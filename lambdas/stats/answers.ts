/**
 * What one answer counts, as counter names (`vocabulary.ts`): the voice reply and where it leaves the
 * caller, or the SMS router's intent. Names come from the reply's own ids (topics, groups, callback
 * steps), never from the words: a caller's speech is only looked at to know it was speech.
 */
import type { Content } from '../content/content';
import type { RouteName } from '../http/routes';
import type { SmsEvent } from '../sms/conversation';
import type { SmsIntent } from '../sms/router';
import { NOT_THIS_KEY } from '../voice/menu';
import type { Position, VoiceReply, VoiceTarget } from '../voice/reply';
import { spokenKey } from '../voice/spoken-keys';
import { COUNTER, type Heard, type SmsIntentWord } from './vocabulary';

export interface VoiceAnswer {
  route: RouteName;
  /** The menu position the request came from (`at=`), on the menu route. */
  from?: Position;
  /** The caller spoke (no keys) at the menu: the words, only to tell a spoken key from a question. */
  said?: string;
  reply: VoiceReply;
  /** The call's locale's voice prompts: a threat answer and "not understood" are told apart by the notice they start with. */
  prompts: Pick<Content['prompts']['voice'], 'threatHeard' | 'notUnderstood'>;
}

/** Where the reply leaves the caller (the call's position id, see `isPositionId`). */
export function positionOf(reply: VoiceReply): string {
  const target = targetOf(reply);
  if (!target) return 'goodbye';
  if (target.route === 'voiceCallback') return `callback.${target.state.step}`;
  return menuPositionId(target.at);
}

function menuPositionId(at: Position): string {
  return at.kind === 'group' ? `group.${at.group}` : at.kind === 'topic' ? `topic.${at.topic}` : at.kind;
}

function targetOf(reply: VoiceReply): VoiceTarget | undefined {
  if (reply.kind === 'gather') return reply.action;
  return reply.kind === 'redirect' ? reply.to : undefined;
}

/**
 * A voice request's counters: the call (on the incoming route), a topic or sub-menu reached anew, the
 * callback branch entered, and how spoken words were understood. The callback route counts nothing
 * here: the request it makes is counted by the store (`funnel.ts`), once per request.
 */
export function voiceCounters(answer: VoiceAnswer): string[] {
  const names: string[] = [];
  if (answer.route === 'voiceIncoming') names.push(COUNTER.contact('voice'));
  if (answer.route !== 'voiceMenu') return names;
  const target = targetOf(answer.reply);
  if (target?.route === 'voiceCallback') names.push(COUNTER.topic('voice', 'callback'));
  // The same topic or sub-menu again (a repeat, a reprompt, silence) is not a new answer.
  else if (target && (!answer.from || menuPositionId(answer.from) !== menuPositionId(target.at))) {
    const at = target.at;
    if (at.kind === 'topic') names.push(COUNTER.topic('voice', at.topic), ...(at.topic === 'crisis' ? [COUNTER.crisis('voice')] : []));
    if (at.kind === 'group') names.push(COUNTER.group('voice', at.group));
  }
  const heard = answer.said ? heardOf(answer, answer.said, target) : undefined;
  if (heard) names.push(COUNTER.heard('voice', heard));
  return names;
}

/** How spoken words were taken; undefined when they were a key in words ("第一个", "不是这个"). */
function heardOf(answer: VoiceAnswer, said: string, target: VoiceTarget | undefined): Heard | undefined {
  if (answer.from && spokenKey(answer.from, said, NOT_THIS_KEY)) return undefined;
  const notice = answer.reply.say[0];
  if (notice === answer.prompts.notUnderstood) return 'nomatch';
  if (target?.route === 'voiceCallback') return 'match';
  if (target?.at.kind === 'ask') return 'ask';
  if (target?.at.kind !== 'topic') return 'nomatch';
  // The safety answers: crisis is presented without the "not this" key, a threat with its own notice.
  if (target.at.topic === 'crisis' && !target.at.heard) return 'crisis';
  return notice === answer.prompts.threatHeard ? 'threat' : 'match';
}

const INTENT_WORDS: Record<SmsIntent['kind'], SmsIntentWord> = {
  crisis: 'crisis', menu: 'menu', group: 'group', topic: 'topic', ask: 'ask', callback: 'callback', code: 'code', optOut: 'opt-out', optIn: 'opt-in',
};

/**
 * A text's counters: the text, what it asked for, the topic or sub-menu, how free text was
 * understood, and whether it went unanswered. The intent's `asked` (the person's words) is read only
 * as "it was free text".
 */
export function smsCounters(intent: SmsIntent, events: readonly SmsEvent[], replies: number): string[] {
  const names = [COUNTER.contact('sms'), COUNTER.smsIntent(INTENT_WORDS[intent.kind])];
  const ownWords = 'asked' in intent && Boolean(intent.asked);
  switch (intent.kind) {
    case 'crisis':
      names.push(COUNTER.crisis('sms'));
      break;
    case 'topic':
      names.push(COUNTER.topic('sms', intent.topic));
      if (intent.threat) names.push(COUNTER.heard('sms', 'threat'));
      else if (ownWords) names.push(COUNTER.heard('sms', 'match'));
      break;
    case 'group':
      names.push(COUNTER.group('sms', intent.group));
      break;
    case 'ask':
      names.push(COUNTER.heard('sms', 'ask'));
      break;
    case 'menu':
      if (intent.notice === 'notUnderstood') names.push(COUNTER.heard('sms', 'nomatch'));
      break;
    case 'callback':
      names.push(COUNTER.topic('sms', 'callback'));
      if (ownWords) names.push(COUNTER.heard('sms', 'match'));
      break;
  }
  if (events.includes('reply-limit')) names.push(COUNTER.smsLimited);
  if (replies === 0) names.push(COUNTER.smsUnanswered);
  return names;
}
