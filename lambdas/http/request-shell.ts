/**
 * What every API Lambda does before its own work, written once: take the route API Gateway chose,
 * refuse one this function does not serve, decode the event, refuse a body that is too large, and
 * wait for the log lines before returning. The Twilio webhooks (`twilio-webhook.ts`) and the staff
 * API (`../staff/handler.ts`) differ only in what they do next and in how a refusal looks.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HotlineLogger } from '../shared/logging';
import { decodeEvent, MAX_BODY_BYTES, type HttpRequest, type HttpResponse } from './event';
import { ROUTES, routeNamed, type FunctionName, type RouteName } from './routes';

export type LambdaHandler = (event: APIGatewayProxyEventV2) => Promise<HttpResponse>;

export interface RoutedRequest {
  route: RouteName;
  /** `{id}` and other path parameters, as API Gateway passed them. */
  params: Record<string, string>;
  request: HttpRequest;
}

/** How a function says no before its own work starts: text for Twilio, the staff contract's JSON for staff. */
export interface Refusals {
  badRequest: () => HttpResponse;
  notFound: () => HttpResponse;
  tooLarge: () => HttpResponse;
}

export interface RequestShellOptions {
  /** The Lambda this shell runs in: a route of another function is "not found" here. */
  fn: FunctionName;
  logger: HotlineLogger;
  refusals: Refusals;
  handle: (routed: RoutedRequest) => Promise<HttpResponse>;
}

export function requestShell(options: RequestShellOptions): LambdaHandler {
  const { logger, refusals } = options;
  // Every answer waits for its log lines (the logger loads lazily; a frozen function would lose them).
  return async (event) => {
    const response = await answer(event);
    await logger.flushed?.();
    return response;
  };

  async function answer(event: APIGatewayProxyEventV2): Promise<HttpResponse> {
    // In AWS only this function's routes reach it; anything else is a wiring mistake, not a caller's.
    const route = routeNamed(event?.routeKey);
    if (!route || ROUTES[route].fn !== options.fn) {
      logger.warn('request for a route this function does not serve', { routeKey: String(event?.routeKey) });
      return refusals.notFound();
    }
    let request: HttpRequest;
    try {
      request = decodeEvent(event);
    } catch (error) {
      logger.warn('undecodable event', { route, error: String(error) });
      return refusals.badRequest();
    }
    if (request.bodyBytes > MAX_BODY_BYTES) return refusals.tooLarge();
    return options.handle({ route, params: pathParameters(event), request });
  }
}

function pathParameters(event: APIGatewayProxyEventV2): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) if (value !== undefined) params[name] = value;
  return params;
}
