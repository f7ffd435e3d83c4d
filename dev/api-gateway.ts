/**
 * The part of API Gateway (HTTP API, payload 2.0, `$default` stage) the local server and the tests
 * stand in for: choose the route for a method and path, and build the event the Lambda receives.
 * The handlers trust the route it names (`routeKey`), exactly as they trust API Gateway in AWS.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROUTES, routeKey, type Route, type RouteName } from '../lambdas/http/routes';

export interface RouteMatch {
  name: RouteName;
  route: Route;
  /** Values of `{name}` segments, decoded. */
  params: Record<string, string>;
}

/** API Gateway's own answer when no route matches the method and path (HTTP APIs have no 405). */
export const NO_ROUTE = { statusCode: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not Found"}' } as const;

/** Literal paths first, so `/staff/callbacks/export.csv` wins over `/staff/callbacks/{id}` (as in API Gateway). */
const ROUTE_ORDER = (Object.keys(ROUTES) as RouteName[]).sort((a, b) => paramCount(ROUTES[a].path) - paramCount(ROUTES[b].path));

function paramCount(path: string): number {
  return path.split('/').filter((segment) => segment.startsWith('{')).length;
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith('{') && w.endsWith('}')) {
      if (!g) return undefined;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}

/** The route for a method and path, or undefined (API Gateway answers `NO_ROUTE`). */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  for (const name of ROUTE_ORDER) {
    if (ROUTES[name].method !== method) continue;
    const params = matchPath(ROUTES[name].path, path);
    if (params) return { name, route: ROUTES[name], params };
  }
  return undefined;
}

export interface GatewayRequest {
  method: string;
  path: string;
  /** Raw query string, without `?`. */
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body base64-encoded, as API Gateway does for binary or unknown content types. */
  base64?: boolean;
}

/**
 * The event for a request. A request that matches no route gets `routeKey` `METHOD path` (which no
 * handler serves): only tests build such events, to show a handler refuses what it does not serve.
 */
export function gatewayEvent(request: GatewayRequest): APIGatewayProxyEventV2 {
  const match = matchRoute(request.method, request.path);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const headers = request.headers ?? {};
  return {
    version: '2.0',
    routeKey: match ? routeKey(match.route) : `${request.method} ${request.path}`,
    rawPath: request.path,
    rawQueryString: request.query ?? '',
    headers,
    ...(match && Object.keys(match.params).length ? { pathParameters: match.params } : {}),
    ...(body === undefined ? {} : { body: request.base64 ? body.toString('base64') : body.toString('utf8') }),
    isBase64Encoded: Boolean(request.base64 && body !== undefined),
    requestContext: {
      stage: '$default',
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
    },
  } as unknown as APIGatewayProxyEventV2;
}
