import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { MONITOR_SERVICE, OLDEST_OPEN_METRIC } from '../lambdas/monitoring/names';
import { METRICS_NAMESPACE } from './alarms';
import type { CallbackTable } from './callback-table';
import { HotlineFunction } from './hotline-function';

export const MONITOR_ENTRY = 'lambdas/monitoring/oldest-callback.ts';
export const MONITOR_DESCRIPTION = 'Every 5 minutes: publishes the age of the oldest waiting callback request (open, or a lapsed claim)';
const EVERY = Duration.minutes(5);

/**
 * A small scheduled Lambda (not an HTTP route, so not in ROUTES/FUNCTIONS) that reads the oldest
 * open request from the `by-status` index and publishes its age for the alarm.
 */
export class CallbackMonitor extends Construct {
  readonly fn: HotlineFunction;
  /** Maximum age in seconds over each 5-minute period (0 when the queue is empty). */
  readonly oldestOpenAge: Metric;

  constructor(scope: Construct, id: string, props: { callbacks: CallbackTable; logRetention: RetentionDays }) {
    super(scope, id);
    this.fn = new HotlineFunction(this, 'Function', {
      entry: MONITOR_ENTRY,
      description: MONITOR_DESCRIPTION,
      serviceName: MONITOR_SERVICE,
      memorySize: 256,
      timeoutSeconds: 10,
      logRetention: props.logRetention,
      environment: { TABLE_NAME: props.callbacks.table.tableName, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE },
    });
    props.callbacks.grantQueueRead(this.fn);
    new Rule(this, 'Schedule', {
      description: 'Runs the callback queue monitor',
      schedule: Schedule.rate(EVERY),
      targets: [new LambdaFunction(this.fn, { retryAttempts: 0 })],
    });
    this.oldestOpenAge = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: OLDEST_OPEN_METRIC,
      dimensionsMap: { service: MONITOR_SERVICE },
      statistic: 'Maximum',
      period: EVERY,
    });
  }
}
