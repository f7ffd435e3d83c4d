/**
 * Scheduled every few minutes by the stack: publishes how long the oldest open callback request has
 * waited (seconds; 0 when the queue is empty) as a Powertools (EMF) metric, which an alarm watches.
 * Reads one item of the `by-status` index (oldest first) and logs no phone number.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { callbackStoreFromEnv } from '../callbacks/from-env';
import { claimLapsed, claimLeaseStart } from '../callbacks/claim-lease';
import type { CallbackStore } from '../callbacks/store';
import { createLogger, type HotlineLogger } from '../shared/logging';
import { lazyHandler } from '../shared/once';
import { MONITOR_SERVICE, OLDEST_OPEN_METRIC } from './names';

export { MONITOR_SERVICE, OLDEST_OPEN_METRIC };

/**
 * Seconds since the oldest waiting request was made, 0 when there is none. Waiting means open, or
 * claimed by someone whose claim lapsed (they went home): that caller is waiting just the same.
 */
export async function oldestOpenAgeSeconds(store: Pick<CallbackStore, 'listByStatus'>, now: Date): Promise<number> {
  const { items: open } = await store.listByStatus('open', { limit: 1 });
  // Claims in hand are few (one or two per staff member): one page covers them.
  const { items: claimed } = await store.listByStatus('claimed', { limit: 100 });
  const leaseStart = claimLeaseStart(now.getTime());
  const lapsed = claimed.filter((r) => claimLapsed(r, leaseStart));
  const oldest = Math.min(...[...open, ...lapsed].map((r) => Date.parse(r.createdAt)).filter(Number.isFinite));
  return Number.isFinite(oldest) ? Math.max(0, Math.round((now.getTime() - oldest) / 1000)) : 0;
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
    await deps.logger.flushed?.();
    return { oldestOpenSeconds: seconds };
  };
}

export const handler = lazyHandler<unknown, { oldestOpenSeconds: number }>(() => {
  const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Hotline', serviceName: MONITOR_SERVICE });
  const monitor = createMonitor({
    store: callbackStoreFromEnv(),
    logger: createLogger(MONITOR_SERVICE),
    publish: (seconds) => {
      metrics.addMetric(OLDEST_OPEN_METRIC, MetricUnit.Seconds, seconds);
      metrics.publishStoredMetrics();
    },
  });
  return () => monitor();
});
