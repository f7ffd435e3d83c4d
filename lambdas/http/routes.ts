/**
 * Every HTTP route of the hotline, in one place: the CDK stack, the Lambda handlers and the local
 * server all read this list, so a path is written once.
 */
export const FUNCTIONS = {
  voice: { entry: 'lambdas/voice/handler.ts', description: 'Twilio voice webhooks: Mandarin menu and callback flow' },
  sms: { entry: 'lambdas/sms/handler.ts', description: 'Twilio messaging webhook: keyword router and matcher' },
  staff: { entry: 'lambdas/staff/handler.ts', description: 'Staff API: callback queue, claims, outcomes, CSV export' },
  fallback: { entry: 'lambdas/fallback/handler.ts', description: "Twilio fallback URLs: a static Mandarin apology, no database, no dependencies" },
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  fn: FunctionName;
  /**
   * `twilio`: X-Twilio-Signature, checked by the handler. `staff`: a bearer token (Cognito JWT in
   * AWS, checked by the API's JWT authorizer and again by the handler; a local token in `npm start`).
   * `none`: only the fallback routes, which read no input and answer the same static apology to
   * anyone, so they keep working when the secret or the database does not.
   */
  auth: 'twilio' | 'staff' | 'none';
}

export const ROUTES = {
  voiceIncoming: { method: 'POST', path: '/twilio/voice', fn: 'voice', auth: 'twilio' },
  voiceMenu: { method: 'POST', path: '/twilio/voice/menu', fn: 'voice', auth: 'twilio' },
  voiceCallback: { method: 'POST', path: '/twilio/voice/callback', fn: 'voice', auth: 'twilio' },
  /** Twilio's call status callback (the number's StatusCallback): where the call ended, for the counts. */
  voiceStatus: { method: 'POST', path: '/twilio/voice/status', fn: 'voice', auth: 'twilio' },
  sms: { method: 'POST', path: '/twilio/sms', fn: 'sms', auth: 'twilio' },
  voiceFallback: { method: 'POST', path: '/fallback/voice', fn: 'fallback', auth: 'none' },
  smsFallback: { method: 'POST', path: '/fallback/sms', fn: 'fallback', auth: 'none' },
  staffMe: { method: 'GET', path: '/staff/me', fn: 'staff', auth: 'staff' },
  staffList: { method: 'GET', path: '/staff/callbacks', fn: 'staff', auth: 'staff' },
  staffExport: { method: 'GET', path: '/staff/callbacks/export.csv', fn: 'staff', auth: 'staff' },
  staffShow: { method: 'GET', path: '/staff/callbacks/{id}', fn: 'staff', auth: 'staff' },
  staffClaim: { method: 'POST', path: '/staff/callbacks/{id}/claim', fn: 'staff', auth: 'staff' },
  staffRelease: { method: 'POST', path: '/staff/callbacks/{id}/release', fn: 'staff', auth: 'staff' },
  staffOutcome: { method: 'POST', path: '/staff/callbacks/{id}/outcome', fn: 'staff', auth: 'staff' },
  staffInbox: { method: 'GET', path: '/staff/inbox', fn: 'staff', auth: 'staff' },
  staffInboxLabel: { method: 'POST', path: '/staff/inbox/{id}/label', fn: 'staff', auth: 'staff' },
  staffInboxDelete: { method: 'DELETE', path: '/staff/inbox/{id}', fn: 'staff', auth: 'staff' },
  staffStats: { method: 'GET', path: '/staff/stats', fn: 'staff', auth: 'staff' },
  staffStatsCsv: { method: 'GET', path: '/staff/stats.csv', fn: 'staff', auth: 'staff' },
} as const satisfies Record<string, Route>;
export type RouteName = keyof typeof ROUTES;

/** Where the staff console is served (by the local server; in AWS by CloudFront). */
export const CONSOLE_PATH = '/console';

export function routeKey(route: Route): string {
  return `${route.method} ${route.path}`;
}

const ROUTE_BY_KEY: ReadonlyMap<string, RouteName> = new Map((Object.keys(ROUTES) as RouteName[]).map((name) => [routeKey(ROUTES[name]), name]));

/**
 * The route API Gateway chose for a request (its `routeKey`, e.g. `POST /staff/callbacks/{id}/claim`).
 * Handlers dispatch on this instead of matching the path again: the gateway has already done it.
 */
export function routeNamed(key: string | undefined): RouteName | undefined {
  return key === undefined ? undefined : ROUTE_BY_KEY.get(key);
}

/**
 * A URL relative to the page at `fromPath` that leads to `toPath` (both route paths). Twilio resolves
 * relative action URLs against the URL it called, so a stage prefix or a custom domain's base path
 * carries through without the handler knowing it.
 */
export function relativePath(fromPath: string, toPath: string): string {
  const from = fromPath.split('/').slice(1, -1);
  const to = toPath.split('/').slice(1);
  let common = 0;
  // The last segment of `to` is always written out, even when it names the page itself.
  const shared = Math.min(from.length, to.length - 1);
  while (common < shared && from[common] === to[common]) common++;
  const up = from.length - common;
  return `${'../'.repeat(up)}${to.slice(common).join('/')}`;
}
