/** The 4-digit code staff say first on a callback, so the person knows the call is really us. */

export type RandomSource = () => number;

/**
 * Easy to say and hear on a bad line: 4 digits, no leading 0, no digit twice in a row (`1123`,
 * `1111`), no digit more than twice, no straight run (`1234`, `9876`).
 */
export function isSpeakableCode(code: string): boolean {
  if (!/^[1-9]\d{3}$/.test(code)) return false;
  const d = [...code].map(Number) as [number, number, number, number];
  // Stryker disable next-line EqualityOperator: equivalent — `i <= d.length` compares d[4], which is undefined, never a digit.
  for (let i = 1; i < d.length; i++) if (d[i] === d[i - 1]) return false;
  // Stryker disable all: equivalent — with no digit twice in a row, four digits cannot hold one digit three times; the rule is implied and written out to say so.
  const counts = new Map<number, number>();
  for (const x of d) counts.set(x, (counts.get(x) ?? 0) + 1);
  if ([...counts.values()].some((n) => n > 2)) return false;
  // Stryker restore all
  const steps = d.slice(1).map((x, i) => x - d[i]!);
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return false;
  return true;
}

/** A speakable 4-digit code. `random` returns [0, 1) like Math.random (inject it in tests). */
export function generateReferenceCode(random: RandomSource = Math.random): string {
  for (let i = 0; i < 50; i++) {
    const n = 1000 + Math.floor(clamp01(random()) * 9000);
    const code = String(n);
    if (isSpeakableCode(code)) return code;
  }
  // A source that keeps failing (a stuck stub): still a valid code.
  return '2580';
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(Math.max(x, 0), 0.9999999) : 0;
}
