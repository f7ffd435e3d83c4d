import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** Names of the counters the alarms watch. */
export type FailureMetric = 'StoreFailure' | 'WebhookFailure' | 'StaffApiFailure';

/** Counts a failure at once (a single-metric EMF line), so it is not lost if the function times out. */
export type CountFailure = (name: FailureMetric) => void;

/**
 * CloudWatch metrics through Powertools (embedded metric format on stdout). Off unless
 * POWERTOOLS_METRICS_NAMESPACE is set, which the stack does and the local server does not.
 */
export function createFailureCounter(serviceName: string, env: NodeJS.ProcessEnv = process.env): CountFailure {
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE;
  if (!namespace) return () => {};
  const metrics = new Metrics({ namespace, serviceName });
  return (name) => {
    const single = metrics.singleMetric();
    single.addMetric(name, MetricUnit.Count, 1);
    single.publishStoredMetrics();
  };
}
