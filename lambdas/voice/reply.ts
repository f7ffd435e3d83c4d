import type { TopicId } from '../content/topic-ids';

/** Where a caller is in the voice menu. It travels in the action URL, so no table is read per key press. */
export type Position =
  | { kind: 'main' }
  | { kind: 'group'; group: string }
  | { kind: 'topic'; topic: TopicId };

/** A voice route the reply sends the call to next (rendered as a relative action or redirect URL). */
export type VoiceTarget =
  | { route: 'voiceMenu'; at: Position; silence?: number }
  | { route: 'voiceCallback'; params: Record<string, string> };

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
      hints: string[];
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
      return `t.${position.topic}`;
  }
}

/** Parses `at=`; anything unknown or tampered with is the main menu, never an error. */
export function decodePosition(value: string | undefined, isTopic: (id: string) => id is TopicId, isGroup: (name: string) => boolean): Position {
  if (value?.startsWith('g.') && isGroup(value.slice(2))) return { kind: 'group', group: value.slice(2) };
  if (value?.startsWith('t.')) {
    const id = value.slice(2);
    if (isTopic(id)) return { kind: 'topic', topic: id };
  }
  return { kind: 'main' };
}
