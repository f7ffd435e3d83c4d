import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';
import { bundledContent, topic, type Content } from '../content/content';
import { twilioWebhook, type LambdaHandler, type TwilioRequest } from '../http/twilio-webhook';
import { createMatcher, type Matcher } from '../matcher/matcher';
import { webhookConfigFromEnv, type WebhookConfig } from '../shared/config';
import { createLogger, type HotlineLogger } from '../shared/logging';
import { maskPhone } from '../shared/privacy';
import { smsReplyText } from './replies';
import { routeSms, type SmsIntent } from './router';

export interface SmsDeps {
  content: Content;
  match: Matcher;
  logger: HotlineLogger;
  /** Time windows a texter may name for a callback ("回电 晚上"). */
  callbackWindows: readonly string[];
  /** Carries out what needs storage: callbacks and opt-outs. Returns the reply text, or null for silence. */
  act?: (intent: Extract<SmsIntent, { kind: 'callback' | 'optOut' | 'optIn' }>, request: TwilioRequest) => Promise<string | null>;
}

export const DEFAULT_CALLBACK_WINDOWS = ['上午', '下午', '晚上'] as const;

/** Without storage (issue of callbacks), the callback branch explains how callbacks work. */
function replyWithoutStorage(intent: Extract<SmsIntent, { kind: 'callback' | 'optOut' | 'optIn' }>, content: Content): string | null {
  if (intent.kind === 'callback') return topic(content, 'callback').sms + content.prompts.sms.footer;
  if (intent.kind === 'optOut') return content.prompts.sms.optOut;
  return content.prompts.sms.optIn + content.prompts.sms.menu;
}

export function createSmsResponder(deps: SmsDeps): (request: TwilioRequest) => Promise<string> {
  return async (twilio) => {
    const body = twilio.form.Body ?? '';
    const intent = routeSms(body, deps.content, deps.match, deps.callbackWindows);
    deps.logger.info('sms routed', { from: maskPhone(twilio.form.From), intent: intent.kind, length: body.length });
    const text =
      intent.kind === 'callback' || intent.kind === 'optOut' || intent.kind === 'optIn'
        ? await (deps.act ? deps.act(intent, twilio) : Promise.resolve(replyWithoutStorage(intent, deps.content)))
        : smsReplyText(intent, deps.content);
    const response = new MessagingResponse();
    if (text) response.message(text);
    return response.toString();
  };
}

export function smsApology(content: Content): string {
  const response = new MessagingResponse();
  response.message(content.prompts.sms.systemError);
  return response.toString();
}

export function createSmsHandler(deps: SmsDeps & { config: WebhookConfig }): LambdaHandler {
  return twilioWebhook({ config: deps.config, logger: deps.logger, respond: createSmsResponder(deps), apology: () => smsApology(deps.content) });
}

let production: LambdaHandler | undefined;

/** Lambda entry: dependencies built from the environment on the first request, then reused. */
export const handler: LambdaHandler = async (event) => {
  if (!production) {
    const content = bundledContent();
    production = createSmsHandler({
      content,
      match: createMatcher([...content.topics.values()]),
      logger: createLogger('hotline-sms'),
      callbackWindows: DEFAULT_CALLBACK_WINDOWS,
      config: webhookConfigFromEnv(),
    });
  }
  return production(event);
};
