/**
 * The staff API's Lambda: decode the API Gateway event, find the route, verify the bearer token,
 * hand the request to the core (`api.ts`) and render JSON or CSV. Answers are never cached and
 * never show a full number to anyone but the claim holder (`view.ts`).
 */
import { bundledContent, type Content } from '../content/content';
import { isTopicId } from '../content/topic-ids';
import { callbackStoreFromEnv } from '../callbacks/from-env';
import { CallbackStoreError } from '../callbacks/store';
import { textResponse, type HttpResponse } from '../http/event';
import { requestShell, type LambdaHandler, type Refusals, type RoutedRequest } from '../http/request-shell';
import { ConfigError } from '../shared/config';
import { createLogger, type HotlineLogger } from '../shared/logging';
import { createFailureCounter, type CountFailure } from '../shared/metrics';
import { lazyHandler } from '../shared/once';
import { countingFromEnv, statsStoreFromEnv } from '../stats/production';
import { createStaffApi, type StaffApiResponse } from './api';
import { createCognitoAuthenticator, type Authenticator } from './auth';
import type { StaffError } from './contract';
import type { TopicLabel } from './view';

export interface StaffHandlerDeps {
  api: ReturnType<typeof createStaffApi>;
  authenticate: Authenticator;
  logger: HotlineLogger;
  countFailure?: CountFailure;
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

function json(statusCode: number, body: unknown, extra: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...extra }, body: JSON.stringify(body) };
}

function failure(statusCode: number, code: StaffError['error'], message: string, extra: Record<string, string> = {}): HttpResponse {
  return json(statusCode, { error: code, message } satisfies StaffError, extra);
}

function render(result: StaffApiResponse): HttpResponse {
  if ('csv' in result) {
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${result.filename}"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
      body: result.csv,
    };
  }
  return json(result.status, result.json);
}

/** A database or network failure, as opposed to a bug: the client may try again. */
function isUnavailable(error: unknown): boolean {
  return error instanceof CallbackStoreError || (typeof error === 'object' && error !== null && '$metadata' in error);
}

/** Refusals before the staff API's own work, in its contract's JSON (the console shows `message`). */
export const STAFF_REFUSALS: Refusals = {
  badRequest: () => failure(400, 'bad-request', '请求无法解析。'),
  notFound: () => failure(404, 'not-found', '没有这个接口。'),
  tooLarge: () => failure(413, 'payload-too-large', '请求内容太大。'),
};

export function createStaffHandler(deps: StaffHandlerDeps): LambdaHandler {
  const { logger } = deps;
  return requestShell({ fn: 'staff', logger, refusals: STAFF_REFUSALS, handle: answer });

  async function answer({ route, params, request }: RoutedRequest): Promise<HttpResponse> {
    // Checked before anything else is read: without a valid token the answer is the same for every path.
    let staff: string | undefined;
    try {
      staff = await deps.authenticate(request.headers.authorization);
    } catch (error) {
      await deps.countFailure?.('StaffApiFailure');
      logger.error('staff token check unavailable', { route, error: error instanceof Error ? error.message : String(error) });
      return failure(503, 'unavailable', '暂时无法验证登录，请稍后再试（不用重新登录）。', { 'retry-after': '5' });
    }
    if (!staff) {
      logger.warn('staff request without a valid token', { route, hasToken: Boolean(request.headers.authorization) });
      return failure(401, 'unauthorized', '请先登录（登录已失效或令牌不对）。', { 'www-authenticate': 'Bearer' });
    }
    try {
      const result = await deps.api({ route, params, query: request.query, body: request.body, staff });
      logger.info('staff request', { route, staff, status: result.status, id: params.id });
      return render(result);
    } catch (error) {
      const unavailable = isUnavailable(error);
      await deps.countFailure?.(unavailable ? 'StoreFailure' : 'StaffApiFailure');
      logger.error('staff request failed', { route, staff, error: error instanceof Error ? { name: error.name, message: error.message } : String(error) });
      return unavailable
        ? failure(503, 'unavailable', '数据库暂时不可用，请稍后再试。', { 'retry-after': '5' })
        : failure(500, 'internal', '系统出错了，已记录，请稍后再试。');
    }
  }
}

/** Chinese menu labels of the topics, for the queue. */
export function topicLabels(content: Content): TopicLabel {
  return (topic) => (topic && isTopicId(topic) ? (content.topics.get(topic)?.menuLabel ?? null) : null);
}

/** Lambda entry: Cognito pool and table from the environment the stack sets; built once, then reused. */
export const handler: LambdaHandler = lazyHandler(() => {
  const userPoolId = process.env.STAFF_USER_POOL_ID;
  const clientId = process.env.STAFF_USER_POOL_CLIENT_ID;
  if (!userPoolId || !clientId) {
    createLogger('hotline-staff').error('STAFF_USER_POOL_ID / STAFF_USER_POOL_CLIENT_ID not set');
    return async () => textResponse(500, new ConfigError('staff auth is not configured').message);
  }
  const content = bundledContent();
  const logger = createLogger('hotline-staff');
  return createStaffHandler({
    // Outcomes are counted for the callback funnel as they are recorded (`lambdas/stats/funnel.ts`).
    api: createStaffApi({ store: countingFromEnv(logger).callbacks(callbackStoreFromEnv()), stats: statsStoreFromEnv(), topicLabel: topicLabels(content) }),
    authenticate: createCognitoAuthenticator({ userPoolId, clientId }),
    logger,
    countFailure: createFailureCounter('hotline-staff'),
  });
});
