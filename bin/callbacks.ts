// npm run callbacks -- list|show|claim|release|outcome|export|help …: the staff command line for callback requests.
import { runCallbacksCli } from '../dev/callbacks-cli';

// `npm run callbacks -- list | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

runCallbacksCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  fetch: (url, init) => fetch(url, init),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug gets here: expected failures are answered with a message and an exit code.
    console.error('✗', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
