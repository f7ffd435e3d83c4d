/**
 * Callback settings read from the environment (limits, retention, staff calendar, the per-number key
 * secret): light enough for every request. The store itself is in `from-env.ts`, loaded only by requests that need it.
 */
import type { Content } from '../content/content';
import { extensionSecret } from '../shared/secrets';
import { CALLBACK_DEFAULTS } from './limits';
import { parseDaysOff, type StaffCalendar } from './schedule';

/** Limits and retention, from the environment the stack (or the local server) sets. */
export interface CallbackSettings {
  retentionDays: number;
  smsRepliesPerHour: number;
  callbacksPerDay: number;
  /** Unanswered calls in a row before a request becomes 未接通 (unreached). */
  maxAttempts: number;
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function callbackSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): CallbackSettings {
  return {
    retentionDays: positive(env.CALLBACK_RETENTION_DAYS, CALLBACK_DEFAULTS.retentionDays),
    smsRepliesPerHour: positive(env.SMS_REPLIES_PER_HOUR, CALLBACK_DEFAULTS.smsRepliesPerHour),
    callbacksPerDay: positive(env.CALLBACKS_PER_DAY, CALLBACK_DEFAULTS.callbacksPerDay),
    maxAttempts: Math.round(positive(env.CALLBACK_MAX_ATTEMPTS, CALLBACK_DEFAULTS.maxAttempts)),
  };
}

/**
 * When staff call back: the content's windows (Beijing time) on every day but CALLBACK_DAYS_OFF
 * (`sat,sun,2027-02-17`; weekdays or dates). A bad value stops the Lambda at start with its name.
 */
export function staffCalendar(content: Content, env: NodeJS.ProcessEnv = process.env): StaffCalendar {
  return { windows: content.prompts.callback.windows, ...parseDaysOff(env.CALLBACK_DAYS_OFF) };
}

/**
 * The secret of the per-number keys: Secrets Manager through the Lambda extension when
 * PHONE_KEY_SECRET names one (AWS), else PHONE_KEY (the local server sets it from a file in HOTLINE_DATA_DIR).
 */
export function phoneKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | (() => Promise<string>) | undefined {
  const secretId = env.PHONE_KEY_SECRET;
  // Never rotated (see README), so read once per process.
  if (secretId) return extensionSecret(secretId, { env, maxAgeSeconds: 24 * 3600 });
  return env.PHONE_KEY || undefined;
}
