import { fill, topic as topicOf, type Content } from '../content/content';
import type { MenuItem, TopicId } from '../content/schema';
import type { Understand } from '../understanding/understand';
import type { Position, VoiceReply, VoiceTarget } from './reply';

/** After this many silent prompts in a row the call ends politely. */
export const MAX_SILENT_PROMPTS = 2;

export interface MenuInput {
  at: Position;
  /** Keys pressed (Twilio's `Digits`), if any. */
  digits?: string;
  /** Recognised speech (Twilio's `SpeechResult`), if any. */
  speech?: string;
  /** How many prompts in a row have passed without input, counting this one. */
  silence: number;
}

/** The voice menu: pure functions from the caller's position and input to what the call does next. */
export class VoiceMenu {
  constructor(
    private readonly content: Content,
    private readonly understand: Understand,
  ) {}

  /** A new call: greeting, then the main menu. */
  answer(): VoiceReply {
    return this.present({ kind: 'main' }, { intro: [this.content.prompts.voice.greeting] });
  }

  /** A key press, an answer spoken, or silence at `input.at`. */
  respond(input: MenuInput): VoiceReply {
    const keys = (input.digits ?? '').trim();
    const speech = (input.speech ?? '').trim();
    if (keys) return this.pressKeys(input.at, keys);
    if (speech) return this.hear(input.at, speech);
    // Silence always arrives with s ≥ 1 (the redirect after a gather); s = 0 is a plain redirect here.
    if (input.silence === 0) return this.present(input.at);
    return this.silence(input.at, input.silence);
  }

  private pressKeys(at: Position, keys: string): VoiceReply {
    // A fast caller may type ahead ("31"): walk the menu one key at a time.
    let position = at;
    for (const [index, key] of [...keys].entries()) {
      const isLast = index === keys.length - 1;
      const next = this.press(position, key);
      if ('moveTo' in next && !isLast) {
        position = next.moveTo;
        continue;
      }
      return 'moveTo' in next ? this.present(next.moveTo) : next.reply;
    }
    return this.present(position);
  }

  private press(at: Position, key: string): { moveTo: Position } | { reply: VoiceReply } {
    const voice = this.content.prompts.voice;
    if (key === '*') return { reply: this.present(at) };
    if (key === '0') return { moveTo: { kind: 'main' } };
    if (key === '9') return { reply: this.callback(at) };
    const item = this.itemsAt(at).find((candidate) => candidate.key === key);
    if (!item) return { reply: this.reprompt(at, voice.unknownKey) };
    if ('group' in item) return { moveTo: { kind: 'group', group: item.group } };
    if (item.topic === 'callback') return { reply: this.callback(at) };
    return { moveTo: { kind: 'topic', topic: item.topic } };
  }

  /** Speech at any position: the safety check runs first (inside `understand`), then the matcher. */
  private hear(at: Position, speech: string): VoiceReply {
    const voice = this.content.prompts.voice;
    const { topic, reason } = this.understand(speech);
    if (!topic) return this.reprompt(at, voice.notUnderstood);
    if (topic === 'callback') return this.callback(at);
    const intro =
      reason === 'crisis' ? voice.crisisHeard : reason === 'threat' ? voice.threatHeard : fill(voice.heard, { label: topicOf(this.content, topic).menuLabel });
    return this.present({ kind: 'topic', topic }, { intro: [intro] });
  }

  private silence(at: Position, silence: number): VoiceReply {
    const voice = this.content.prompts.voice;
    if (silence > MAX_SILENT_PROMPTS) return { kind: 'hangup', say: [voice.goodbye] };
    return this.reprompt(at, voice.silence, silence);
  }

  private callback(from: Position): VoiceReply {
    const params: Record<string, string> = {};
    if (from.kind === 'topic') params.topic = from.topic;
    return { kind: 'redirect', say: [], to: { route: 'voiceCallback', params } };
  }

  /** Says `notice`, then the prompt of `at` again (after a topic: only the keys, not the whole answer). */
  private reprompt(at: Position, notice: string, silence = 0): VoiceReply {
    return this.present(at, { intro: [notice], silence, short: true });
  }

  /** The prompts of a position inside a gather whose action comes back to that position. */
  private present(at: Position, options: { intro?: string[]; silence?: number; short?: boolean } = {}): VoiceReply {
    const silence = options.silence ?? 0;
    const onSilence: VoiceTarget = { route: 'voiceMenu', at, silence: silence + 1 };
    return {
      kind: 'gather',
      say: [...(options.intro ?? []), ...this.promptsAt(at, options.short ?? false)],
      action: { route: 'voiceMenu', at },
      onSilence,
      numDigits: 1,
      speech: true,
      hints: this.hints(),
    };
  }

  private promptsAt(at: Position, short: boolean): string[] {
    const voice = this.content.prompts.voice;
    if (at.kind === 'topic') {
      const keys = voice.afterTopic;
      return short ? [keys] : [topicOf(this.content, at.topic).speech, keys];
    }
    const items = this.itemsAt(at).map((item) => this.describe(item));
    // The main menu is the first thing a caller hears: items first, then that speech works too (≤ 35 s with the greeting).
    if (at.kind === 'main') return [...items, voice.menuIntro];
    const group = this.content.menu.groups[at.group];
    return [fill(voice.groupIntro, { label: group?.label ?? '' }), ...items, voice.callbackItem, voice.navigation];
  }

  private describe(item: MenuItem): string {
    const voice = this.content.prompts.voice;
    if ('topic' in item && item.topic === 'callback') return voice.callbackItem;
    const label = 'group' in item ? this.content.menu.groups[item.group]?.label ?? '' : topicOf(this.content, item.topic).menuLabel;
    return fill(voice.item, { label, key: item.key });
  }

  private itemsAt(at: Position): MenuItem[] {
    if (at.kind === 'main') return this.content.menu.main;
    if (at.kind === 'group') return this.content.menu.groups[at.group]?.items ?? [];
    return [];
  }

  private hints(): string[] {
    return [...this.content.topics.values()].map((t) => t.menuLabel);
  }
}

/** Every topic reachable from the main menu, with the keys that reach it (used by tests and the phone tool). */
export function keyPaths(content: Content): Map<TopicId, string> {
  const paths = new Map<TopicId, string>();
  for (const item of content.menu.main) {
    if ('topic' in item) paths.set(item.topic, item.key);
    else for (const sub of content.menu.groups[item.group]?.items ?? []) paths.set(sub.topic, item.key + sub.key);
  }
  return paths;
}
