/**
 * `npm start`'s failures as one line a person can act on, instead of a stack trace: a data folder that
 * cannot be used (missing parent, not a folder, read-only, full, already open by another `npm start`),
 * a port in use, or a bad setting.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export class StartError extends Error {
  override readonly name = 'StartError';
}

/**
 * Creates the data folder one level at a time. Node's recursive mkdir never returns for some paths
 * (`/proc/x`), so this walks up to the first existing ancestor and creates each level below it.
 */
export function makeDataDir(path: string): void {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      if (!statSync(current).isDirectory()) throw new StartError(`HOTLINE_DATA_DIR: ${current} exists and is not a folder`);
      break;
    } catch (error) {
      if (error instanceof StartError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = dirname(current);
      if (parent === current) break;
      missing.unshift(current);
      current = parent;
    }
  }
  for (const dir of missing) mkdirSync(dir);
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'cannot create it here (the folder above it does not accept new folders)',
  EACCES: 'no permission to write there',
  EPERM: 'no permission to write there',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  ENOTDIR: 'part of the path is a file, not a folder',
  EEXIST: 'a file is in the way',
};

/** One line for a failure to start. */
export function describeStartError(error: unknown, context: { port: number; dataDir: string }): string {
  if (error instanceof StartError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EADDRINUSE') return `port ${context.port} is already in use: stop what uses it, or start with another PORT (PORT=3001 npm start)`;
  if (code && FS_REASONS[code]) return `HOTLINE_DATA_DIR ${context.dataDir}: ${FS_REASONS[code]}. Choose another folder (HOTLINE_DATA_DIR=…)`;
  // dynalite's LevelDB refuses a folder another process holds open, and then reports itself closed.
  if (/Database is (closed|not open)|LOCK|lock/i.test(message)) {
    return `HOTLINE_DATA_DIR ${context.dataDir} is in use by another npm start: stop that one, or give this one its own folder (HOTLINE_DATA_DIR=…)`;
  }
  return message.split('\n')[0] ?? 'unknown error';
}
