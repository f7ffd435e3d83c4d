/**
 * The seam for a second language. Everything that differs by language comes from a `Locale`: the
 * words and menus (`content/<id>/`, SMS keywords included), the voice and recogniser settings, how
 * numbers are spoken, and the understanding of free text (normaliser and classifier). A call carries
 * its locale in its action URLs (`l=`), a text takes the one of the number it was sent to.
 * Mandarin is the only locale shipped; docs/adding-a-locale.md says how to add one.
 */
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import type { Content } from '../content/content';
import type { Understand } from '../understanding/understand';

/** A BCP 47 tag naming a folder of `content/` ("zh-CN"). */
export type LocaleId = string;

/** Text-to-speech and recognition settings for Twilio's <Say> and <Gather>. */
export interface VoiceSettings {
  /** Twilio's `voice` (an Amazon Polly voice) and its `language`. */
  voice: NonNullable<VoiceResponse.SayAttributes['voice']>;
  language: NonNullable<VoiceResponse.SayAttributes['language']>;
  /** SSML prosody rate of every <Say>. */
  rate: string;
  /** <Gather language>: the recogniser's language. */
  recognition: NonNullable<VoiceResponse.GatherAttributes['language']>;
  /** Seconds of silence that end an utterance. */
  speechTimeout: string;
  /** Seconds Twilio waits for a key after the prompts end. */
  timeout: number;
}

export interface Locale {
  id: LocaleId;
  content: Content;
  voice: VoiceSettings;
  /** What a voice reads aloud for a text: digits a caller can dial, in this language. */
  speakNumbers: (text: string) => string;
  /** Safety check, then the classifier with this language's normaliser: loaded on first free text. */
  understanding: () => Promise<Understand>;
}

/** The locales a function serves. */
export interface Locales {
  /** Mandarin today: used when nothing names another, and for apologies when the request could not be read. */
  readonly default: Locale;
  get(id: LocaleId): Locale | undefined;
  readonly ids: readonly LocaleId[];
}

/** Which locale each hotline number answers in (E.164 → id); numbers not listed use the default. */
export type NumberLocales = Readonly<Record<string, LocaleId>>;

export function localesOf(all: readonly Locale[]): Locales {
  if (!all[0]) throw new Error('at least one locale is needed');
  const byId = new Map(all.map((locale) => [locale.id, locale]));
  return { default: all[0], get: (id) => byId.get(id), ids: [...byId.keys()] };
}

/**
 * The locale of a request: the one a call in progress carries in its URL, else the one of the
 * number called or texted, else the default. Anything unknown is the default, never an error.
 */
export function chooseLocale(locales: Locales, fromUrl: string | null | undefined, dialled: string | undefined, numberLocales: NumberLocales = {}): Locale {
  const named = fromUrl ? locales.get(fromUrl) : undefined;
  if (named) return named;
  const byNumber = dialled ? numberLocales[dialled.trim()] : undefined;
  return (byNumber && locales.get(byNumber)) || locales.default;
}

/**
 * `HOTLINE_NUMBER_LOCALES="+8610…=zh-CN,+8521…=yue-HK"`: which number answers in which locale.
 * A pair naming a locale that is not shipped is an error, so a typo fails at start-up, not on a caller.
 */
export function parseNumberLocales(text: string | undefined, known: readonly LocaleId[]): NumberLocales {
  const map: Record<string, LocaleId> = {};
  for (const pair of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [number, id] = pair.split('=').map((part) => part.trim());
    if (!number || !id || !known.includes(id)) throw new Error(`HOTLINE_NUMBER_LOCALES: "${pair}" is not "<number>=<one of ${known.join(', ')}>"`);
    map[number] = id;
  }
  return map;
}

/** A value built once per locale, the first time a request in that locale needs it. */
export function perLocale<T>(build: (locale: Locale) => T): (locale: Locale) => T {
  const built = new Map<LocaleId, T>();
  return (locale) => {
    if (!built.has(locale.id)) built.set(locale.id, build(locale));
    return built.get(locale.id)!;
  };
}
