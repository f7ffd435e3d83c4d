/**
 * Names shared by the Lambdas that emit a metric and the stack's alarms on it (kept apart so the CDK
 * app imports no SDK). Any value works as long as both sides read it from here.
 */
// Stryker disable next-line StringLiteral: equivalent — the emitter and the alarm import the same name.
export const MONITOR_SERVICE = 'hotline-monitor';
// Stryker disable next-line StringLiteral: equivalent — the emitter and the alarm import the same name.
export const OLDEST_OPEN_METRIC = 'OldestOpenCallbackAge';
// Stryker disable next-line StringLiteral: equivalent — the emitter and the alarm import the same name.
export const FALLBACK_SERVICE = 'hotline-fallback';
