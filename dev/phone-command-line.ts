/**
 * The terminal phone's command line: `npm run phone -- call|sms …` read into options for the call
 * player and the SMS sender (dev/phone-lib.ts). `bin/phone.ts` runs it.
 */
import { parseArgs } from 'node:util';
import { ROUTES } from '../lambdas/http/routes';
import { localHotlineUrl } from './local-defaults';
import { DEFAULT_FROM, LOCAL_DEV_AUTH_TOKEN, parseKeys, UsageError, type Answer, type CallOptions } from './phone-lib';
import type { SmsOptions } from './phone-sms';


export const USAGE = `用法 / usage:
  npm run phone -- call [--from +8613812345678] [--keys "4 2 0"] [--say "我要人工"] [--url http://127.0.0.1:3000]
  npm run phone -- sms "短信内容" [--from +8613812345678] [--url http://127.0.0.1:3000]

call   打进本地热线（POST /twilio/voice），念出每句 <Say>，按 --keys 逐个回答 <Gather>：
         "4"、"31" = 按键；"_" 或 "-" = 沉默；"说…" = 说话。--keys 用完后在终端里从键盘读
         （回车 = 沉默，"说…" 或 "say:…" = 说话，q = 挂断）；不是终端时挂断。
       --say "文字"  第一个 <Gather> 用语音回答（SpeechResult，Confidence 0.9）。
       通话结束时像 Twilio 一样 POST 状态回调（${ROUTES.voiceStatus.path}，CallStatus=completed）。
sms    发一条短信到 POST /twilio/sms，打印每条回复和它的分段数与编码。

--from   来电/发信号码（E.164），默认 ${DEFAULT_FROM}
--url    热线地址，默认 $HOTLINE_URL 或 http://127.0.0.1:\${PORT:-3000}（须与服务器签名用的地址一致）
令牌     $TWILIO_AUTH_TOKEN，未设置时用本地默认 "${LOCAL_DEV_AUTH_TOKEN}"

退出码：0 正常结束；1 服务器出错、连不上或 TwiML 无效；2 参数错误。`;

export type Command =
  | { kind: 'help' }
  | { kind: 'call'; options: CallOptions }
  | { kind: 'sms'; options: SmsOptions };

export function defaultBaseUrl(env: Record<string, string | undefined>): string {
  return localHotlineUrl(env);
}

function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url: "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url: "${value}" must be http or https`);
  if (url.search || url.hash) throw new UsageError(`--url: "${value}" must not have a query or fragment`);
  return value.replace(/\/+$/, '');
}

function checkPhone(value: string): string {
  if (!/^\+[1-9][0-9]{6,14}$/.test(value)) throw new UsageError(`--from: "${value}" is not an E.164 number like +8613812345678`);
  return value;
}

const CLI_OPTIONS = {
  from: { type: 'string' },
  keys: { type: 'string' },
  say: { type: 'string' },
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Reads the command line (after `phone`); throws UsageError on anything it does not understand. */
export function parseCommandLine(argv: string[], env: Record<string, string | undefined>): Command {
  const parsed = (() => {
    try {
      return parseArgs({ args: argv, allowPositionals: true, strict: true, options: CLI_OPTIONS });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  })();
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') return { kind: 'help' };
  if (!command) throw new UsageError('missing command: call or sms');
  const baseUrl = checkBaseUrl(values.url ?? defaultBaseUrl(env));
  const authToken = env.TWILIO_AUTH_TOKEN || LOCAL_DEV_AUTH_TOKEN;
  const from = checkPhone(values.from ?? DEFAULT_FROM);
  if (env.TWILIO_ACCOUNT_SID !== undefined && !/^AC[0-9a-f]{32}$/i.test(env.TWILIO_ACCOUNT_SID)) {
    throw new UsageError('TWILIO_ACCOUNT_SID must be "AC" followed by 32 hex digits');
  }
  const accountSid = env.TWILIO_ACCOUNT_SID ? { accountSid: env.TWILIO_ACCOUNT_SID } : {};

  if (command === 'call') {
    if (rest.length) throw new UsageError(`call takes no text ("${rest.join(' ')}"); use --keys or --say`);
    const answers: Answer[] = [];
    if (values.say !== undefined) {
      if (!values.say.trim()) throw new UsageError('--say needs the words to say');
      answers.push({ kind: 'speech', text: values.say.trim() });
    }
    if (values.keys !== undefined) answers.push(...parseKeys(values.keys));
    // Twilio posts the number's status callback when a call ends: the hotline counts where calls end.
    return { kind: 'call', options: { baseUrl, authToken, from, answers, statusCallback: ROUTES.voiceStatus.path, ...accountSid } };
  }
  if (command === 'sms') {
    if (values.keys !== undefined || values.say !== undefined) throw new UsageError('--keys and --say are for call, not sms');
    if (rest.length > 1) throw new UsageError('put the SMS text in quotes: sms "你好 我被催收"');
    const body = rest[0] ?? '';
    if (!body.trim()) throw new UsageError('sms needs the message text: sms "你好"');
    return { kind: 'sms', options: { baseUrl, authToken, from, body, ...accountSid } };
  }
  throw new UsageError(`unknown command "${command}": use call or sms`);
}
