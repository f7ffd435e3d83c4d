/** Mandarin (zh-CN), the hotline's one shipped locale: content/zh-CN, a Mandarin voice, the trained classifier. */
import { bundledContent, type Content } from '../content/content';
import type { Understand } from '../understanding/understand';
import { once } from '../shared/once';
import { speakNumbers } from '../voice/spoken-numbers';
import type { Locale, VoiceSettings } from './locale';

export const MANDARIN_VOICE: VoiceSettings = {
  voice: 'Polly.Zhiyu-Neural',
  language: 'cmn-CN',
  /** Slower than default: callers are often older, stressed, on a poor line. */
  rate: '90%',
  /**
   * Speech recognition. No `speechModel`: Twilio's documented Mandarin support is its default model
   * (Google STT V2 with `cmn-Hans-CN`), and leaving it unset keeps Twilio's fail-over to another
   * provider. `phone_call` and the experimental models have no Chinese.
   */
  recognition: 'cmn-Hans-CN',
  /**
   * Not `auto`, which stops at the first pause: callers describe their problem in one or two
   * sentences and pause while they think.
   */
  speechTimeout: '3',
  timeout: 6,
};

export interface MandarinOptions {
  content?: Content;
  /** The classifier, already built (tests, the local server); by default imported on first use. */
  understanding?: () => Promise<Understand>;
}

export function mandarin(options: MandarinOptions = {}): Locale {
  return {
    id: 'zh-CN',
    content: options.content ?? bundledContent(),
    voice: MANDARIN_VOICE,
    speakNumbers,
    understanding: options.understanding ?? once(async () => (await import('../understanding/shipped')).shippedUnderstanding()),
  };
}
