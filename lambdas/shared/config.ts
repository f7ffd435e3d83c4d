import { extensionSecret } from './secrets';

/** Settings every webhook needs, read from the environment (set by the CDK stack or the local server). */
export interface WebhookConfig {
  /** Origin Twilio calls (`https://abc.execute-api.eu-west-1.amazonaws.com`, or a custom domain with its base path). */
  publicBaseUrl: string;
  /** Twilio's auth token, fetched lazily (Secrets Manager in AWS, cached by Powertools). */
  authToken: () => Promise<string>;
}

export class ConfigError extends Error {}

export function webhookConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const publicBaseUrl = env.PUBLIC_BASE_URL;
  if (!publicBaseUrl) throw new ConfigError('PUBLIC_BASE_URL is not set');
  return { publicBaseUrl, authToken: authTokenFromEnv(env) };
}

/**
 * Secrets Manager through the Lambda extension when TWILIO_AUTH_TOKEN_SECRET is set (AWS; cached five
 * minutes, so a rotated token is picked up), else TWILIO_AUTH_TOKEN (local only).
 */
export function authTokenFromEnv(env: NodeJS.ProcessEnv = process.env): () => Promise<string> {
  const secretId = env.TWILIO_AUTH_TOKEN_SECRET;
  if (secretId) return extensionSecret(secretId, { env, maxAgeSeconds: 300 });
  const token = env.TWILIO_AUTH_TOKEN;
  if (!token) throw new ConfigError('neither TWILIO_AUTH_TOKEN_SECRET nor TWILIO_AUTH_TOKEN is set');
  return () => Promise.resolve(token);
}
