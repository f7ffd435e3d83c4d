import { fill, topic as topicOf, type Content } from '../content/content';
import type { MenuItem } from '../content/schema';
import type { TopicId } from '../content/topic-ids';
import type { Understand } from '../understanding/understand';
import type { InboxGuess } from '../callbacks/inbox';
import type { Position, VoiceReply, VoiceTarget } from './reply';
import { START } from './callback-state';
import { spokenKey } from './spoken-keys';

/** After this many silent prompts in a row the call ends politely. */
export const MAX_SILENT_PROMPTS = 2;

/**
 * Below this recogniser confidence (0…1) a transcript is not trusted to pick one answer: the caller
 * is asked back between the two likeliest topics. Twilio does not always send Confidence, and 0
 * means "not set" (Google STT), so only a value in (0, LOW_CONFIDENCE) counts as low.
 */
export const LOW_CONFIDENCE = 0.4;

/** After a spoken answer, this key says "不是这个" and goes back to the question. */
export const NOT_THIS_KEY = '8';

export interface MenuInput {
  at: Position;
  /** Keys pressed (Twilio's `Digits`), if any. */
  digits?: string;
  /** Recognised speech (Twilio's `SpeechResult`), if any. */
  speech?: string;
  /** Twilio's `Confidence` for the speech as a number: NaN or 0 when it sent none, anything outside (0, 1) is no information. */
  confidence?: number;
  /** The topic the caller has just said was not it ("不是这个"), from the URL. */
  rejected?: TopicId;
  /** How many prompts in a row have passed without input, counting this one. */
  silence: number;
}

/** The voice menu: pure functions from the caller's position and input to what the call does next. */
export class VoiceMenu {
  constructor(
    private readonly content: Content,
    private readonly understand: Understand,
    /** Told when speech was not answered confidently (asked back, or not understood): the question inbox keeps it. */
    private readonly unsure: (guess: InboxGuess) => void = () => {},
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
    if (speech) {
      // "第一个" at an ask-back, "不是这个" after a spoken answer: the key they stand for.
      const key = spokenKey(input.at, speech, NOT_THIS_KEY);
      return key ? this.pressKeys(input.at, key) : this.hear(input.at, speech, input.confidence, input.rejected);
    }
    // Nothing usable arrives with s ≥ 1: the gather's action (actionOnEmptyResult) or the redirect after it.
    // s = 0 is a plain redirect here.
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
    if (key === NOT_THIS_KEY && at.kind === 'topic' && at.heard) return { reply: this.present({ kind: 'main' }, { intro: [voice.notThis], rejected: at.topic }) };
    if (at.kind === 'ask' && (key === '1' || key === '2')) {
      const chosen = at.choices[Number(key) - 1]!;
      // Choosing "a person calls me back" starts the callback flow, as 9 does.
      return chosen === 'callback' ? { reply: this.callback(at) } : { moveTo: { kind: 'topic', topic: chosen, heard: true } };
    }
    const item = this.itemsAt(at).find((candidate) => candidate.key === key);
    if (!item) return { reply: this.reprompt(at, voice.unknownKey) };
    if ('group' in item) return { moveTo: { kind: 'group', group: item.group } };
    if (item.topic === 'callback') return { reply: this.callback(at) };
    return { moveTo: { kind: 'topic', topic: item.topic } };
  }

  /**
   * Speech at any position: the safety check runs first (inside `understand`), then the classifier.
   * A crisis or a threat is answered whatever the recogniser's confidence; anything else heard with
   * low confidence is asked back rather than answered.
   */
  private hear(at: Position, speech: string, confidence?: number, rejected?: TopicId): VoiceReply {
    const voice = this.content.prompts.voice;
    const understood = this.understand(speech);
    const { topic, reason } = understood;
    // Said again after "不是这个": never the same answer; ask between the next two likeliest instead.
    if (rejected && reason !== 'crisis' && reason !== 'threat' && (topic === rejected || understood.choices?.includes(rejected))) {
      const [first, second] = understood.candidates.filter((c) => c !== rejected);
      this.unsure(first && second ? { kind: 'ask', topics: [first, second] } : { kind: 'none', topics: [] });
      if (first && second) return this.present({ kind: 'ask', choices: [first, second] }, {});
      return this.reprompt(at, voice.notUnderstood);
    }
    if (reason === 'crisis') return this.present({ kind: 'topic', topic: topic! }, { intro: [voice.crisisHeard] });
    // A threat is answered with the police answer; one caller in six who hears it raised no threat
    // (the blind safety set's false alarms), so 8 ("不是这个") stays open there. Never after a crisis.
    if (reason === 'threat') return this.present({ kind: 'topic', topic: topic!, heard: true }, { intro: [voice.threatHeard] });
    const level = confidence ?? Number.NaN;
    const unsure = level > 0 && level < LOW_CONFIDENCE;
    const [first, second] = understood.choices ?? (unsure ? understood.candidates : []);
    if (first && second && (reason === 'ask' || (unsure && topic))) {
      this.unsure({ kind: 'ask', topics: [first, second] });
      return this.present({ kind: 'ask', choices: [first, second] }, { intro: unsure ? [voice.unsure] : [] });
    }
    if (!topic) {
      // The topic that came closest, if any, tells staff what the matcher leaned to.
      this.unsure(understood.top ? { kind: 'topic', topics: [understood.top] } : { kind: 'none', topics: [] });
      return this.reprompt(at, voice.notUnderstood);
    }
    if (topic === 'callback') return this.callback(at);
    return this.present({ kind: 'topic', topic, heard: true }, { intro: [fill(voice.heard, { label: topicOf(this.content, topic).menuLabel, key: NOT_THIS_KEY })] });
  }

  /** Nothing heard or nothing recognised (Twilio does not say which): "没有听清", twice, then goodbye. */
  private silence(at: Position, silence: number): VoiceReply {
    const voice = this.content.prompts.voice;
    if (silence > MAX_SILENT_PROMPTS) return { kind: 'hangup', say: [voice.goodbye] };
    return this.reprompt(at, voice.notHeard, silence);
  }

  /** The callback flow, carrying what the caller was asking about (the topic, or both of an ask-back). */
  private callback(from: Position): VoiceReply {
    const topics = from.kind === 'topic' ? [from.topic] : from.kind === 'ask' ? from.choices.filter((t) => t !== 'callback') : [];
    return { kind: 'redirect', say: [], to: { route: 'voiceCallback', state: { ...START, topics } } };
  }

  /** Says `notice`, then the prompt of `at` again (after a topic: only the keys, not the whole answer). */
  private reprompt(at: Position, notice: string, silence = 0): VoiceReply {
    return this.present(at, { intro: [notice], silence, short: true });
  }

  /** The prompts of a position inside a gather whose action comes back to that position. */
  private present(at: Position, options: { intro?: string[]; silence?: number; short?: boolean; rejected?: TopicId } = {}): VoiceReply {
    const silence = options.silence ?? 0;
    // With actionOnEmptyResult the action itself brings back an empty result, so it carries the count too;
    // any key or speech resets it.
    const next: VoiceTarget = { route: 'voiceMenu', at, silence: silence + 1, ...(options.rejected ? { rejected: options.rejected } : {}) };
    return {
      kind: 'gather',
      say: [...(options.intro ?? []), ...this.promptsAt(at, options.short ?? false)],
      action: next,
      onSilence: next,
      numDigits: 1,
      speech: true,
      hints: this.content.prompts.voice.speechHints,
    };
  }

  private promptsAt(at: Position, short: boolean): string[] {
    const voice = this.content.prompts.voice;
    if (at.kind === 'topic') {
      const keys = at.heard ? fill(voice.afterHeardTopic, { key: NOT_THIS_KEY }) : voice.afterTopic;
      return short ? [keys] : [topicOf(this.content, at.topic).speech, keys];
    }
    if (at.kind === 'ask') {
      const [first, second] = at.choices.map((id) => topicOf(this.content, id).menuLabel);
      return [fill(voice.askBack, { first: first!, second: second! })];
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
}
