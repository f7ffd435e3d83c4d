/** Defaults shared by `npm start`, `npm run phone` and `npm run callbacks`, so all agree on the token and the port. */

/** The documented local Twilio auth token; Twilio never sees it. Set TWILIO_AUTH_TOKEN to use your own. */
export const LOCAL_AUTH_TOKEN = 'local-dev-twilio-auth-token';
export const DEFAULT_PORT = 3000;

/** Where the local hotline listens: HOTLINE_URL if set, else 127.0.0.1 on PORT (the port `npm start` uses). */
export function localHotlineUrl(env: Record<string, string | undefined>): string {
  return env.HOTLINE_URL?.trim() || `http://127.0.0.1:${env.PORT?.trim() || DEFAULT_PORT}`;
}
