/**
 * Scheduled every few minutes by the stack: publishes how long the oldest open callback request has
 * waited (seconds; 0 when the queue is empty) as a Powertools (EMF) metric, which an alarm watches.
 * Reads one item of the `by-status` index (oldest first) and logs no phone number.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { callbackStoreFromEnv } from '../callbacks/from-env';
import type { CallbackStore } from '../callbacks/store';
import { createLogger, type HotlineLogger } from '../shared/logging';
import { MONITOR_SERVICE, OLDEST_OPEN_METRIC } from './names';

export { MONITOR_SERVICE, OLDEST_OPEN_METRIC };

/** Seconds since the oldest open request was made, 0 when there is none. */
export async function oldestOpenAgeSeconds(store: Pick<CallbackStore, 'listByStatus'>, now: Date): Promise<number> {
  const { items } = await store.listByStatus('open', { limit: 1 });
  const createdAt = items[0] ? Date.parse(items[0].createdAt) : NaN;
  return Number.isFinite(createdAt) ? Math.max(0, Math.round((now.getTime() - createdAt) / 1000)) : 0;
}

export interface MonitorDeps {
  store: Pick<CallbackStore, 'listByStatus'>;
  publish: (seconds: number) => void;
  logger: HotlineLogger;
  clock?: () => Date;
}

/** Throws when the store fails, so the invocation counts as an error (the function's Errors alarm). */
export function createMonitor(deps: MonitorDeps): () => Promise<{ oldestOpenSeconds: number }> {
  return async () => {
    const seconds = await oldestOpenAgeSeconds(deps.store, (deps.clock ?? (() => new Date()))());
    deps.publish(seconds);
    deps.logger.info('oldest open callback', { oldestOpenSeconds: seconds });
    return { oldestOpenSeconds: seconds };
  };
}

let production: (() => Promise<{ oldestOpenSeconds: number }>) | undefined;

export const handler = async (): Promise<{ oldestOpenSeconds: number }> => {
  if (!production) {
    const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Hotline', serviceName: MONITOR_SERVICE });
    production = createMonitor({
      store: callbackStoreFromEnv(),
      logger: createLogger(MONITOR_SERVICE),
      publish: (seconds) => {
        metrics.addMetric(OLDEST_OPEN_METRIC, MetricUnit.Seconds, seconds);
        metrics.publishStoredMetrics();
      },
    });
  }
  return production();
};
