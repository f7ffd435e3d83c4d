/**
 * Estimated seconds a Mandarin TTS voice takes to say `text` at `rate` (1 = default speed).
 * Measured figure this rests on: Polly's Mandarin voices read plain prose at about 4 characters a
 * second at the default rate; we assume 3.8 to stay on the safe side, add 0.3 s for each pause mark
 * (，。；：！？、) and read every digit as its own syllable (phone numbers are spoken digit by digit).
 */
export function estimateSpeechSeconds(text: string, rate = 0.9): number {
  const syllables = [...text].filter((c) => /[\p{Script=Han}0-9]/u.test(c)).length;
  const pauses = [...text].filter((c) => /[，。；：！？、,.;:!?]/.test(c)).length;
  return syllables / (3.8 * rate) + pauses * 0.3;
}
