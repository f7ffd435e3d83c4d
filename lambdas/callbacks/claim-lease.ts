/**
 * A claim lapses after this long (a callback takes minutes; two hours covers a retry and a break);
 * then another staff member may take the request over. A file of its own: the console imports it
 * without pulling in the store's classes.
 */
export const DEFAULT_CLAIM_LEASE_MINUTES = 120;
