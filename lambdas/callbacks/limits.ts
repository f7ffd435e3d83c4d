/**
 * The callback limits' defaults and the windows they count in, defined once: the handlers, the store,
 * the local server and the CDK settings all read them from here.
 */
export const CALLBACK_DEFAULTS = {
  /** Days a closed (or unreached) request is kept before TTL deletes it. */
  retentionDays: 30,
  /** SMS replies a number gets per hour. */
  smsRepliesPerHour: 20,
  /** Callback requests a number may make per day. */
  callbacksPerDay: 3,
  /** Unanswered calls in a row before a request becomes 未接通. */
  maxAttempts: 3,
} as const;

/** The fixed windows (seconds) the per-number counters count in. */
export const QUOTA_WINDOW_SECONDS = {
  smsReply: 3600,
  callback: 86_400,
  /** Crisis replies; a crisis counted in this window also makes a later 回电 urgent. */
  crisisReply: 86_400,
} as const;
