import { Logger } from '@aws-lambda-powertools/logger';
import { maskPhonesIn } from './privacy';

/**
 * Structured JSON logs (Powertools). Handlers mask numbers themselves; the replacer masks any
 * phone-like string that slips into a log line anyway.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({
    serviceName,
    jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? maskPhonesIn(value) : value),
  });
}

export type HotlineLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
