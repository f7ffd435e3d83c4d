import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { FailureMetric } from '../lambdas/shared/metrics';

/** The namespace of the handlers' Powertools metrics (POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'Hotline';

const PERIOD = Duration.minutes(5);

export interface HotlineAlarmsProps {
  /** Every Lambda of the stack, by a short name used in alarm names. */
  functions: Record<string, IFunction>;
  /** The Twilio fallback function: any invocation means the main webhook failed for a caller. */
  fallback: IFunction;
  api: HttpApi;
  /** Powertools failure counters: service name → metric names it emits. */
  failureMetrics: Record<string, readonly FailureMetric[]>;
  /** The oldest open callback's age (seconds), published by the monitor. */
  oldestOpenAge: IMetric;
  callbackAlarmHours: number;
  /** Subscribed to the topic when given (the address must confirm the subscription email). */
  email?: string;
}

/**
 * Everything that should wake somebody up, to one SNS topic (email subscription optional):
 * handler errors and throttles, API 5xx, fallback hits, storage/webhook failures counted by the
 * handlers, and callers waiting too long for a callback. Each alarm fires on the first occurrence
 * in five minutes; missing data (no traffic) is fine.
 */
export class HotlineAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: HotlineAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Hotline alarms', enforceSSL: true });
    // enforceSSL gives the topic its own policy, which replaces SNS's default one: without this
    // statement CloudWatch may not publish and every alarm would fail silently ("no resource-based policy").
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
        },
      }),
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    const action = new SnsAction(this.topic);

    const add = (alarmId: string, metric: IMetric, description: string, threshold = 1) => {
      const alarm = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
      return alarm;
    };

    for (const [name, fn] of Object.entries(props.functions)) {
      add(`${name}Errors`, fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), `The ${name} Lambda failed (crash, timeout or unhandled error). See its log group.`);
      add(`${name}Throttles`, fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), `The ${name} Lambda was throttled (account concurrency exhausted).`);
    }
    add('Api5xx', props.api.metricServerError({ period: PERIOD, statistic: 'Sum' }), 'The HTTP API answered 5xx: Twilio then uses the fallback, staff see an error.');
    add(
      'FallbackHits',
      props.fallback.metricInvocations({ period: PERIOD, statistic: 'Sum' }),
      'Twilio called a Fallback URL: a caller or texter got the static apology instead of the hotline (main webhook errored, timed out, or refused the signature, e.g. a wrong auth token in the secret).',
    );
    for (const [service, names] of Object.entries(props.failureMetrics)) {
      for (const metricName of names) {
        const metric = new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service }, period: PERIOD, statistic: 'Sum' });
        add(`${metricName}-${service}`, metric, `${service} counted a ${metricName} (the caller was told plainly; see the log group).`);
      }
    }
    add(
      'OldestOpenCallback',
      props.oldestOpenAge,
      `A callback request has been open for more than ${props.callbackAlarmHours} h: somebody is waiting for a call.`,
      props.callbackAlarmHours * 3600,
    );
  }
}
