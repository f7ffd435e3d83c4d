process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// npm start: the hotline on http://127.0.0.1:$PORT with embedded dynalite; no AWS or Twilio account.
import { resolve } from 'node:path';
import { ROUTES } from '../lambdas/http/routes';
import { staffUsersFromEnv } from '../lambdas/staff/auth';
import { DEFAULT_PORT } from '../dev/local-defaults';
import { LOCAL_AUTH_TOKEN, startLocalHotline } from '../dev/local-server';
import { describeStartError, makeDataDir, StartError } from '../dev/start-errors';

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const port = Number(process.env.PORT ?? DEFAULT_PORT);
const dataDir = resolve(process.env.HOTLINE_DATA_DIR ?? '.hotline');
let configuredStaff: ReturnType<typeof staffUsersFromEnv>;
let hotline: Awaited<ReturnType<typeof startLocalHotline>>;
// A failure to start is one line that says what to change, never a stack trace. Once running, the
// embedded dynalite throws its storage errors (disk full, database closed) from a callback: the
// request in flight then gets no answer from the database, our handler answers the caller with the
// apology, and the server stays up.
let running = false;
for (const event of ['unhandledRejection', 'uncaughtException'] as const) {
  process.on(event, (error: unknown) => {
    if (!running) fail(error);
    console.error(`storage error (the server keeps running; callers hear the apology): ${describeStartError(error, { port, dataDir })}`);
  });
}
try {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartError(`PORT must be a port number (0–65535), got "${process.env.PORT}"`);
  configuredStaff = staffUsersFromEnv(process.env);
  makeDataDir(dataDir);
  hotline = await startLocalHotline({ port, dataDir, authToken: process.env.TWILIO_AUTH_TOKEN ?? LOCAL_AUTH_TOKEN, staffUsers: configuredStaff });
} catch (error) {
  fail(error);
}
running = true;

function fail(error: unknown): never {
  console.error(`npm start: ${describeStartError(error, { port, dataDir })}`);
  process.exit(1);
}

console.log(`Hotline running at ${hotline.url}`);
console.log(`  voice webhook  POST ${hotline.url}${ROUTES.voiceIncoming.path}`);
console.log(`  SMS webhook    POST ${hotline.url}${ROUTES.sms.path}`);
console.log(`  DynamoDB       ${hotline.dynamoEndpoint} (dynalite, data in ${dataDir})`);
console.log(`  Twilio token   ${process.env.TWILIO_AUTH_TOKEN ? 'from TWILIO_AUTH_TOKEN' : `local default "${LOCAL_AUTH_TOKEN}"`}`);
console.log(`  staff console  ${hotline.consoleUrl}`);
if (configuredStaff) {
  console.log(`  staff tokens   from ${process.env.STAFF_USERS ? 'STAFF_USERS' : 'STAFF_TOKEN'}: ${Object.values(configuredStaff).join(', ')}`);
} else {
  // No tokens configured: one is made for this run. The fragment (#token=) never reaches a server log.
  const [token] = Object.keys(hotline.staffUsers);
  console.log(`  staff token    ${token}  (new each start; set STAFF_TOKEN or STAFF_USERS="alice:token1,bob:token2" to keep one)`);
  console.log(`  sign in        ${hotline.consoleUrl}#token=${token}`);
}
console.log('Try:  npm run phone -- call      npm run phone -- sms "通讯录被爆了怎么办"');
console.log('      STAFF_TOKEN=<token> npm run callbacks -- list');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void hotline.close().then(() => process.exit(0));
  });
}
