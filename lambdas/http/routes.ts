/**
 * Every HTTP route of the hotline, in one place: the CDK stack, the Lambda handlers and the local
 * server all read this list, so a path is written once.
 */
export const FUNCTIONS = {
  voice: { entry: 'lambdas/voice/handler.ts', description: 'Twilio voice webhooks: Mandarin menu and callback flow' },
  sms: { entry: 'lambdas/sms/handler.ts', description: 'Twilio messaging webhook: keyword router and matcher' },
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  fn: FunctionName;
  /** Twilio webhooks are authenticated by X-Twilio-Signature. */
  auth: 'twilio';
}

export const ROUTES = {
  voiceIncoming: { method: 'POST', path: '/twilio/voice', fn: 'voice', auth: 'twilio' },
  voiceMenu: { method: 'POST', path: '/twilio/voice/menu', fn: 'voice', auth: 'twilio' },
  voiceCallback: { method: 'POST', path: '/twilio/voice/callback', fn: 'voice', auth: 'twilio' },
  sms: { method: 'POST', path: '/twilio/sms', fn: 'sms', auth: 'twilio' },
} as const satisfies Record<string, Route>;
export type RouteName = keyof typeof ROUTES;

export function routeKey(route: Route): string {
  return `${route.method} ${route.path}`;
}

export function findRoute(method: string, path: string): RouteName | undefined {
  return (Object.keys(ROUTES) as RouteName[]).find((name) => ROUTES[name].method === method && ROUTES[name].path === path);
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
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  return `${'../'.repeat(up)}${to.slice(common).join('/')}`;
}
