/**
 * Who may act on a claimed request: its holder, or anyone once the claim has lapsed. A file of its
 * own with no imports: the console imports it without pulling in the store's classes.
 */

/**
 * A claim lapses after this long (a callback takes minutes; two hours covers a retry and a break);
 * then another staff member may take the request over.
 */
export const DEFAULT_CLAIM_LEASE_MINUTES = 120;

/** The instant (ISO 8601) before which a claim taken has lapsed at `nowMs`. */
export function claimLeaseStart(nowMs: number, leaseMinutes: number = DEFAULT_CLAIM_LEASE_MINUTES): string {
  return new Date(nowMs - leaseMinutes * 60_000).toISOString();
}

/** Another staff member may take the request over. */
export function claimLapsed(request: { claimedAt?: string }, leaseStart: string): boolean {
  return request.claimedAt !== undefined && request.claimedAt < leaseStart;
}

/** The only staff member who may release the request, record its outcome or see its full number. */
export function holdsClaim(request: { status: string; claimedBy?: string }, staff: string): boolean {
  return request.status === 'claimed' && request.claimedBy === staff;
}
