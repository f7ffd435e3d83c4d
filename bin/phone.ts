// npm run phone -- call|sms …: a terminal phone that calls or texts the local hotline as Twilio would.
import { createInterface } from 'node:readline/promises';
import { parseCommandLine, USAGE } from '../dev/phone-command-line';
import { isCleanOutcome, playCall, UsageError, type FetchLike, type PhoneIO } from '../dev/phone-lib';
import { sendSms } from '../dev/phone-sms';

/** A stuck server should not hang the terminal forever. */
const REQUEST_TIMEOUT_MS = 15_000;

const fetchWithTimeout: FetchLike = (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

async function main(argv: string[]): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`✗ ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    console.log(USAGE);
    return 0;
  }

  const keyboard = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  let closed = false;
  keyboard?.on('close', () => (closed = true));
  const io: PhoneIO = {
    print: (line) => console.log(line),
    ...(keyboard
      ? {
          readLine: async (prompt: string) => {
            if (closed) return null;
            // Ctrl-D closes the interface while question() waits: answer null (hang up) instead of hanging.
            const onClose = new Promise<null>((resolve) => keyboard.once('close', () => resolve(null)));
            return Promise.race([keyboard.question(prompt), onClose]);
          },
        }
      : {}),
  };

  try {
    if (command.kind === 'call') {
      const result = await playCall(command.options, io, fetchWithTimeout);
      if (result.outcome === 'network-error') console.error(`  热线在运行吗？先在另一个终端里 npm start（地址 ${command.options.baseUrl}）。`);
      return isCleanOutcome(result.outcome) ? 0 : 1;
    }
    const result = await sendSms(command.options, io, fetchWithTimeout);
    if (result.outcome === 'network-error') console.error(`  热线在运行吗？先在另一个终端里 npm start（地址 ${command.options.baseUrl}）。`);
    return result.outcome === 'replied' || result.outcome === 'no-reply' ? 0 : 1;
  } finally {
    keyboard?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('✗', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
