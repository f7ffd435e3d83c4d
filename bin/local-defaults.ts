/** Defaults shared by `npm start` and `npm run phone`, so both sign with the same token. */

/** The documented local Twilio auth token; Twilio never sees it. Set TWILIO_AUTH_TOKEN to use your own. */
export const LOCAL_AUTH_TOKEN = 'local-dev-twilio-auth-token';
export const DEFAULT_PORT = 3000;
