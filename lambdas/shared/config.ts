import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

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

/** Secrets Manager when TWILIO_AUTH_TOKEN_SECRET is set (AWS), else TWILIO_AUTH_TOKEN (local only). */
export function authTokenFromEnv(env: NodeJS.ProcessEnv = process.env): () => Promise<string> {
  const secretId = env.TWILIO_AUTH_TOKEN_SECRET;
  if (secretId) {
    return async () => {
      const value = await getSecret<string>(secretId, { maxAge: 300 });
      if (!value) throw new ConfigError('the Twilio auth token secret is empty');
      return value.trim();
    };
  }
  const token = env.TWILIO_AUTH_TOKEN;
  if (!token) throw new ConfigError('neither TWILIO_AUTH_TOKEN_SECRET nor TWILIO_AUTH_TOKEN is set');
  return () => Promise.resolve(token);
}
