import type { TopicId } from '../content/topic-ids';
import type { CallbackState } from './callback-state';

/** Where a caller is in the voice menu. It travels in the action URL, so no table is read per key press. */
export type Position =
  | { kind: 'main' }
  | { kind: 'group'; group: string }
  /** `heard`: reached by what the caller said, so one key (8) says "不是这个". */
  | { kind: 'topic'; topic: TopicId; heard?: boolean }
  /** Asking back: "您是想问…请按1；还是…请按2". */
  | { kind: 'ask'; choices: [TopicId, TopicId] };

/** A voice route the reply sends the call to next (rendered as a relative action or redirect URL). */
export type VoiceTarget =
  /** `rejected`: the topic the caller just said was not it (key 8): the next spoken question is not answered with it. */
  | { route: 'voiceMenu'; at: Position; silence?: number; rejected?: TopicId }
  | { route: 'voiceCallback'; state: CallbackState };

/**
 * What the voice says and does next, independent of TwiML. Speech inside a gather can be interrupted
 * by a key press or an answer; `silence` counts the prompts the caller has already let pass.
 */
export type VoiceReply =
  | {
      kind: 'gather';
      say: string[];
      action: VoiceTarget;
      onSilence: VoiceTarget | 'hangup';
      /** Keys to collect; absent for free-length entry ended by `finishOnKey` (a phone number). */
      numDigits?: number;
      finishOnKey?: string;
      speech: boolean;
      hints: readonly string[];
    }
  | { kind: 'redirect'; say: string[]; to: VoiceTarget }
  | { kind: 'hangup'; say: string[] };

export function encodePosition(position: Position): string {
  switch (position.kind) {
    case 'main':
      return 'main';
    case 'group':
      return `g.${position.group}`;
    case 'topic':
      return `${position.heard ? 'h' : 't'}.${position.topic}`;
    case 'ask':
      return `a.${position.choices[0]}.${position.choices[1]}`;
  }
}

/** Parses `at=`; anything unknown or tampered with is the main menu, never an error. */
export function decodePosition(value: string | undefined, isTopic: (id: string) => id is TopicId, isGroup: (name: string) => boolean): Position {
  if (value?.startsWith('g.') && isGroup(value.slice(2))) return { kind: 'group', group: value.slice(2) };
  if (value?.startsWith('t.') || value?.startsWith('h.')) {
    const id = value.slice(2);
    if (isTopic(id)) return value.startsWith('h.') ? { kind: 'topic', topic: id, heard: true } : { kind: 'topic', topic: id };
  }
  if (value?.startsWith('a.')) {
    const [first, second, ...rest] = value.slice(2).split('.');
    if (first && second && rest.length === 0 && first !== second && isTopic(first) && isTopic(second)) return { kind: 'ask', choices: [first, second] };
  }
  return { kind: 'main' };
}
