/**
 * What a command line's `bin/` entry does, written once: the real stdout, stderr, environment and
 * fetch in, the exit code it returns out, and a stack trace only for a bug.
 */
import type { FetchLike } from '../lambdas/staff/client';

export interface ProcessIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  fetch: FetchLike;
}

export function runEntry(run: (argv: readonly string[], io: ProcessIO) => Promise<number>): void {
  // `npm run callbacks -- list | head` closes stdout early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  run(process.argv.slice(2), {
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
}
