/** When an urgent (crisis) request is due: at once, whatever the staff hours. */

/** How long an urgent request is due before it shows as overdue. */
const URGENT_DUE_MINUTES = 60;

export function urgentDue(now: Date): { from: string; until: string } {
  return { from: now.toISOString(), until: new Date(now.getTime() + URGENT_DUE_MINUTES * 60_000).toISOString() };
}
