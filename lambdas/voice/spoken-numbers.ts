/**
 * How numbers are spoken. A Mandarin voice reads "12378" as a quantity (一万两千三百七十八); a
 * caller must hear digits they can dial. One rule for every <Say>: runs of 3 or more digits
 * (hyphens or spaces between groups allowed) are read digit by digit, 1 as 幺, groups
 * separated by a pause. Shorter numbers ("24小时", "4倍") stay quantities.
 */

/** Chinese digit words for reading numbers aloud one by one (1 is 幺 on the phone, as people say it). */
export const DIGIT_WORDS = ['零', '幺', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

const digitWords = (digits: string): string => [...digits].map((d) => DIGIT_WORDS[Number(d)]).join('');

/** Digit runs, possibly grouped ("400-161-9995", "010 82951332"); full-width digits count too. */
const DIGIT_RUN = /[0-9０-９](?:[0-9０-９]|[-－ ](?=[0-9０-９]))*/g;

/** Every run of 3+ digits in `text`, read digit by digit; groups keep a pause between them. */
export function speakNumbers(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const groups = run.normalize('NFKC').split(/[- ]/);
    if (groups.join('').length < 3) return run;
    return groups.map(digitWords).join('，');
  });
}

/** "13812345678" → "幺三八，幺二三四，五六七八": grouped 3-4-4 like people say mobile numbers. */
export function readDigits(digits: string): string {
  const words = [...digits.replace(/\D/g, '')].map((d) => DIGIT_WORDS[Number(d)]);
  const groups: string[] = [];
  const sizes = words.length === 11 ? [3, 4, 4] : words.length <= 4 ? [words.length] : [];
  if (sizes.length) {
    let at = 0;
    for (const size of sizes) groups.push(words.slice(at, (at += size)).join(''));
  } else {
    for (let i = 0; i < words.length; i += 4) groups.push(words.slice(i, i + 4).join(''));
  }
  return groups.join('，');
}

/** The code read one digit at a time, with pauses (「四、七、二、九」). */
export function readCode(code: string): string {
  return [...code].map((d) => DIGIT_WORDS[Number(d)]).join('、');
}

/** The national form read back for a mainland mobile; otherwise 「加」 and the full international number. */
export function spokenNumber(e164: string): string {
  return e164.startsWith('+86') ? readDigits(e164.slice(3)) : `加，${readDigits(e164)}`;
}
