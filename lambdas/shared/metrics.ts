import { once } from './once';

/** Names of the counters the alarms watch. */
export type FailureMetric = 'StoreFailure' | 'WebhookFailure' | 'StaffApiFailure' | 'FallbackServed' | 'FallbackUnverified';

/**
 * Counts a failure at once (a single-metric EMF line), so it is not lost if the function times out.
 * Await it: the metrics library is loaded on the first failure, not on every cold start.
 */
export type CountFailure = (name: FailureMetric) => Promise<void> | void;

/**
 * CloudWatch metrics through Powertools (embedded metric format on stdout). Off unless
 * POWERTOOLS_METRICS_NAMESPACE is set, which the stack does and the local server does not.
 */
export function createFailureCounter(serviceName: string, env: NodeJS.ProcessEnv = process.env): CountFailure {
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE;
  if (!namespace) return () => {};
  const metrics = once(async () => {
    const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics');
    const client = new Metrics({ namespace, serviceName });
    return (metric: FailureMetric) => {
      const single = client.singleMetric();
      single.addMetric(metric, MetricUnit.Count, 1);
      single.publishStoredMetrics();
    };
  });
  return async (name) => (await metrics())(name);
}
