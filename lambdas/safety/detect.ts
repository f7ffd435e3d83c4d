import { toSimplified } from '../understanding/normalize';
import { CRISIS_CUES, CRISIS_PINYIN, DENIAL_BEFORE, DIRECT_NO, THREAT_CUES, THREAT_PINYIN, TOLD_TO } from './cues';

/** What the safety check found; `cue` is the words that triggered it (for logs it is never stored with the text). */
export type SafetySignal = { kind: 'crisis' | 'threat'; cue: string };

/** Longest text read: a crisis sentence buried in a long SMS is still found (an SMS is at most 1,600 characters). */
const MAX_TEXT = 2000;

/** Clauses, simplified, lower case, without spaces (speech transcripts put them anywhere). */
function clauses(text: string): string[] {
  // Stryker disable next-line StringLiteral: equivalent — no cue holds 爆 (the folding is shared with the understanding layer's habits).
  const folded = toSimplified(text.slice(0, MAX_TEXT).normalize('NFKC').toLowerCase()).replace(/[曝]/g, '爆');
  // Stryker disable next-line Regex,MethodExpression: equivalent — an empty clause holds no cue, so splitting on each mark, keeping empty clauses or removing spaces one by one reads the same.
  return folded.split(/[。！？!?；;，,\n、…~～]+/u).map((clause) => clause.replace(/\s+/g, '')).filter(Boolean);
}

/** Global copies, compiled once: every match of a cue is checked for a denial, not only the first. */
const globalOf = (cues: readonly RegExp[]) => cues.map((cue) => new RegExp(cue.source, 'g'));
const CRISIS = globalOf(CRISIS_CUES);
const THREAT = globalOf(THREAT_CUES);

function firstCue(clause: string, cues: readonly RegExp[], crisis: boolean): string | undefined {
  for (const cue of cues) {
    // matchAll works on a copy of the regex, so the shared global ones keep no state between calls.
    for (const found of clause.matchAll(cue)) {
      const before = clause.slice(0, found.index);
      // A cue that is itself a negation (不想活) is not undone by a 没 before it (「好几天没吃饭了不想活」).
      if (!/^[不没唔]/.test(found[0]) && DENIAL_BEFORE.test(before)) continue;
      if (crisis && (found[0].startsWith('想') || found[0] === '死') && DIRECT_NO.test(before)) continue;
      if (crisis && found[0].endsWith('死') && TOLD_TO.test(before)) continue;
      return found[0];
    }
  }
  return undefined;
}

/**
 * Safety before everything: despair or self-harm (crisis) first, then threats to physical safety.
 * Runs on every SMS and every spoken answer, before keywords and the matcher, and does not depend
 * on the matcher's threshold. Pure: no I/O.
 */
export function detectSafety(text: string): SafetySignal | null {
  // Stryker disable next-line ConditionalExpression: equivalent — an empty text has no clause and no letters, so it is null below as well.
  if (!text) return null;
  const parts = clauses(text);
  const latin = parts.join('').replace(/[^a-z]/g, '');
  for (const part of parts) {
    const cue = firstCue(part, CRISIS, true);
    if (cue) return { kind: 'crisis', cue };
  }
  const pinyinCrisis = latin && CRISIS_PINYIN.map((p) => latin.match(p)?.[0]).find(Boolean);
  if (pinyinCrisis) return { kind: 'crisis', cue: pinyinCrisis };
  for (const part of parts) {
    const cue = firstCue(part, THREAT, false);
    if (cue) return { kind: 'threat', cue };
  }
  const pinyinThreat = latin && THREAT_PINYIN.map((p) => latin.match(p)?.[0]).find(Boolean);
  return pinyinThreat ? { kind: 'threat', cue: pinyinThreat } : null;
}
