/**
 * The SMS keywords of a language (`content/<locale>/prompts.json`, `sms.keywords`), compiled once per
 * content into the sets and patterns the router reads.
 */
import type { Content } from '../content/content';

/** Twilio's own opt-out and opt-in words: it acts on them at the carrier level in every language. */
const TWILIO_OPT_OUT = ['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit'];
const TWILIO_OPT_IN = ['start', 'unstop', 'yes'];

export interface SmsKeywords {
  menu: ReadonlySet<string>;
  optOut: ReadonlySet<string>;
  optIn: ReadonlySet<string>;
  code: ReadonlySet<string>;
  /** The whole text is a callback word, optionally followed by the rest (group 1: a time, perhaps). */
  callback: RegExp;
  /** A callback word anywhere in the text. */
  asksCallback: RegExp;
  /** A quoted menu number's prefix at the start ("回", "按"). */
  menuNumberPrefix: RegExp;
}

const compiled = new WeakMap<Content, SmsKeywords>();

export function smsKeywords(content: Content): SmsKeywords {
  let keywords = compiled.get(content);
  if (!keywords) {
    const words = content.prompts.sms.keywords;
    keywords = {
      menu: new Set(words.menu),
      optOut: new Set([...TWILIO_OPT_OUT, ...words.optOut]),
      optIn: new Set([...TWILIO_OPT_IN, ...words.optIn]),
      code: new Set(words.code),
      callback: new RegExp(`^(?:${alternatives(words.callback)})(?:\\s*(.*))?$`, 'u'),
      asksCallback: new RegExp(alternatives(words.asksCallback, { wholeWords: true }), 'u'),
      menuNumberPrefix: new RegExp(`^(?:${alternatives(words.menuNumberPrefixes)})`, 'u'),
    };
    compiled.set(content, keywords);
  }
  return keywords;
}

/** Longest first, so "回复" wins over "回"; Latin words as whole words when asked ("call", not "recall"). */
function alternatives(words: readonly string[], options: { wholeWords?: boolean } = {}): string {
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map((word) => {
      const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return options.wholeWords && /^[a-z0-9]+$/i.test(word) ? `\\b${escaped}\\b` : escaped;
    })
    .join('|');
}
