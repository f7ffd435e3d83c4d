/** A clock the test moves by hand (`now` is what stores and handlers take). */
export function manualClock(start: number) {
  let t = start;
  return { now: () => new Date(t), set: (ms: number) => (t = ms), advance: (ms: number) => (t += ms), get ms() { return t; } };
}
