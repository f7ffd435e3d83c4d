import type { WebhookConfig } from '../shared/config';
import type { HotlineLogger } from '../shared/logging';
import type { CountFailure } from '../shared/metrics';
import { maskPhone } from '../shared/privacy';
import { parseForm, textResponse, twimlResponse, type HttpRequest, type HttpResponse } from './event';
import { requestShell, type LambdaHandler, type Refusals, type RoutedRequest } from './request-shell';
import type { FunctionName, RouteName } from './routes';
import { hasValidTwilioSignature } from './twilio-signature';

export interface TwilioRequest {
  route: RouteName;
  request: HttpRequest;
  /** The signed form parameters (From, Body, CallSid, Digits, …). */
  form: Record<string, string>;
  /** Aborts at the webhook's deadline: pass it to storage (`store.within(signal)`) so late work is cut. */
  signal: AbortSignal;
}

export interface TwilioWebhookOptions {
  /** The Lambda (`voice` or `sms`): only its routes are answered. */
  fn: Extract<FunctionName, 'voice' | 'sms'>;
  config: WebhookConfig;
  logger: HotlineLogger;
  /** Returns TwiML for a signed request. */
  respond: (request: TwilioRequest) => Promise<string>;
  /** TwiML for when `respond` fails: a plain apology, never Twilio's "application error". */
  apology: () => string;
  /** Counts failures for the alarms (no-op when metrics are off). */
  countFailure?: CountFailure;
  /**
   * One deadline for the whole answer, however many store calls it makes: past it the caller
   * hears the apology. Below the Lambda's 10 s timeout and Twilio's 15 s, so TwiML always arrives.
   */
  deadlineMs?: number;
}

export const WEBHOOK_DEADLINE_MS = 7000;

class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/**
 * Runs `work` with a signal that aborts after `ms`; rejects at that moment even if `work` ignores the
 * signal (the timer never keeps the process alive). Storage calls given the signal are cancelled.
 */
async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceeded(`no answer within ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
    // Stryker disable next-line OptionalChaining: equivalent — Node's timers always have unref (the ?. is for other runtimes).
    timer.unref?.();
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Twilio reads only the status of a refusal; plain text keeps it readable in its debugger. */
export const TWILIO_REFUSALS: Refusals = {
  badRequest: () => textResponse(400, 'Bad request'),
  notFound: () => textResponse(404, 'Not found'),
  tooLarge: () => textResponse(413, 'Payload too large'),
};

/**
 * The shell every Twilio webhook shares: after the request shell's checks, refuse what is unsigned
 * or badly signed, then hand the signed form to `respond` and return its TwiML.
 */
export function twilioWebhook(options: TwilioWebhookOptions): LambdaHandler {
  const { config, logger } = options;
  return requestShell({ fn: options.fn, logger, refusals: TWILIO_REFUSALS, handle: answer });

  async function answer({ route, request }: RoutedRequest): Promise<HttpResponse> {
    const form = parseForm(request.body);
    let authToken: string;
    try {
      authToken = await options.config.authToken();
    } catch (error) {
      // Without the token nothing can be verified: answer Twilio with the apology so the caller hears something.
      logger.error('auth token unavailable', { error: String(error) });
      await options.countFailure?.('WebhookFailure');
      return twimlResponse(options.apology());
    }
    if (!hasValidTwilioSignature(authToken, config.publicBaseUrl, request, form)) {
      logger.warn('rejected unsigned or badly signed webhook', { route, path: request.rawPath, signed: Boolean(request.headers['x-twilio-signature']) });
      return textResponse(403, 'Forbidden');
    }
    try {
      return twimlResponse(await withDeadline((signal) => options.respond({ route, request, form, signal }), options.deadlineMs ?? WEBHOOK_DEADLINE_MS));
    } catch (error) {
      const slowStore = error instanceof DeadlineExceeded || (error instanceof Error && error.name === 'CallbackStoreError');
      await options.countFailure?.(slowStore ? 'StoreFailure' : 'WebhookFailure');
      logger.error('webhook failed; answered with apology', {
        route,
        from: maskPhone(form.From),
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
      return twimlResponse(options.apology());
    }
  }
}
