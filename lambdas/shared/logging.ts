import type { Logger } from '@aws-lambda-powertools/logger';
import { maskPhonesIn } from './privacy';

type Level = 'debug' | 'info' | 'warn' | 'error';
/** A message, then structured attributes (Powertools' `extraInput`). */
type LogArgs = [message: string, ...extra: Record<string, unknown>[]];
type Write = (...args: LogArgs) => void;

export interface HotlineLogger {
  debug(...args: LogArgs): void;
  info(...args: LogArgs): void;
  warn(...args: LogArgs): void;
  error(...args: LogArgs): void;
  /** Resolves once every line logged so far is written (handlers await it before answering). */
  flushed?: () => Promise<void>;
}

const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * Structured JSON logs (Powertools). Handlers mask numbers themselves; the replacer masks any
 * phone-like string that slips into a log line anyway.
 *
 * The logging library is loaded on the first line that passes the level (POWERTOOLS_LOG_LEVEL), not
 * at start-up: a greeting logs nothing, and on a cold Lambda loading it costs a fifth of the answer.
 * Lines logged before it has loaded are kept in order and written as soon as it has; `flushed()`
 * says when, so no line is lost when the function freezes after answering.
 */
export function createLogger(serviceName: string, env: NodeJS.ProcessEnv = process.env): HotlineLogger {
  const threshold = RANK[(env.POWERTOOLS_LOG_LEVEL ?? 'INFO').toLowerCase() as Level] ?? RANK.info;
  let logger: Logger | undefined;
  let loading: Promise<void> | undefined;
  const pending: [Level, LogArgs][] = [];
  const load = () =>
    (loading ??= import('@aws-lambda-powertools/logger').then(
      ({ Logger: PowertoolsLogger }) => {
        logger = new PowertoolsLogger({ serviceName, jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? maskPhonesIn(value) : value) });
        for (const [level, args] of pending.splice(0)) (logger[level] as Write)(...args);
      },
      // Logging must never break an answer: a library that cannot load writes the lines plainly.
      (error: unknown) => {
        for (const [level, args] of pending.splice(0)) console[level](maskPhonesIn(JSON.stringify({ level, service: serviceName, args })));
        console.error(`logger unavailable: ${error instanceof Error ? error.message : String(error)}`);
        loading = undefined;
      },
    ));
  const log =
    (level: Level) =>
    (...args: LogArgs): void => {
      if (RANK[level] < threshold) return;
      if (logger) {
        (logger[level] as Write)(...args);
        return;
      }
      pending.push([level, args]);
      void load();
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), flushed: () => loading ?? Promise.resolve() };
}
