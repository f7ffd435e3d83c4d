/**
 * The console's Content-Security-Policy, in one place: CloudFront sends it in AWS (lib/staff-console.ts)
 * and the local server sends it to the browser tests, so the tests run the console under the policy
 * it is deployed with. Only the hosts the console may call differ (Cognito's, in AWS).
 */
export function consoleCsp(connectSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}
