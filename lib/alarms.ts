import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Route } from '../lambdas/http/routes';
import { FALLBACK_SERVICE } from '../lambdas/monitoring/names';
import type { FailureMetric } from '../lambdas/shared/metrics';

/** The namespace of the handlers' Powertools metrics (POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'Hotline';

const PERIOD = Duration.minutes(5);

/**
 * 4xx on a Twilio route in five minutes before the alarm: one is a scanner's unsigned post, five is a
 * pattern (a wrong auth token in the secret makes every call a 403; a flood past the throttle, 429s).
 */
export const TWILIO_ROUTE_4XX_THRESHOLD = 5;


export interface HotlineAlarmsProps {
  /** Every Lambda of the stack, by a short name used in alarm names. */
  functions: Record<string, IFunction>;
  /** The Twilio fallback function (its signed visits are counted as `FallbackServed`). */
  fallback: IFunction;
  api: HttpApi;
  /** The API stage, for route-level metrics. */
  stageName: string;
  /** Routes with route-level metrics (Twilio's and the fallbacks'): 4xx on them is watched. */
  routes: readonly Route[];
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
 * handler errors and throttles, API 5xx, 4xx on Twilio's routes (refused signatures, throttling), any
 * throttled fallback, fallbacks Twilio really used (signed visits only: scanners page nobody),
 * storage/webhook failures counted by the handlers, and callers waiting too long for a callback.
 * Each alarm fires on the first occurrence in five minutes; missing data (no traffic) is fine, except
 * for the queue monitor, whose silence means nobody is watching the queue.
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

    const add = (alarmId: string, metric: IMetric, description: string, threshold = 1, missing = TreatMissingData.NOT_BREACHING) => {
      const alarm = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: missing,
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
    const fallbackMetric = (metricName: FailureMetric) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: FALLBACK_SERVICE }, period: PERIOD, statistic: 'Sum' });
    add(
      'FallbackServed',
      fallbackMetric('FallbackServed'),
      'Twilio called a Fallback URL (signed): a caller or texter got the static apology instead of the hotline (main webhook errored, timed out, or refused the signature, e.g. a wrong auth token in the secret).',
    );
    add('FallbackUnverified', fallbackMetric('FallbackUnverified'), 'The fallback was called and could not read the Twilio token to check the signature: the secret or the secrets extension is failing, so the main webhooks are failing too.');
    for (const route of props.routes) {
      const metric = new Metric({
        namespace: 'AWS/ApiGateway',
        metricName: '4xx',
        dimensionsMap: { ApiId: props.api.apiId, Stage: props.stageName, Method: route.method, Resource: route.path },
        period: PERIOD,
        statistic: 'Sum',
      });
      const id = route.path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
      if (route.auth === 'twilio') {
        add(`${id}-4xx`, metric, `${route.method} ${route.path} answered 4xx ${TWILIO_ROUTE_4XX_THRESHOLD}+ times in 5 min: 403 = signatures refused (wrong auth token in the secret, or a public URL that is not the one Twilio calls); 429 = throttled (a flood, or limits too low).`, TWILIO_ROUTE_4XX_THRESHOLD);
      } else {
        add(`${id}-4xx`, metric, `${route.method} ${route.path} (a Twilio fallback) answered 4xx: throttled, so callers heard Twilio's own error instead of the apology.`);
      }
    }
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
      // The monitor publishes every few minutes: no data means it stopped, and nobody watches the queue.
      TreatMissingData.BREACHING,
    );
  }
}
