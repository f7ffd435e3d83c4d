import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStartError, makeDataDir, StartError } from '../dev/start-errors';

const context = { port: 3000, dataDir: '/data/here' };
const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('npm start: failures in one line', () => {
  it('creates a nested data folder, and refuses a file or a folder that cannot be made (without hanging on /proc)', () => {
    const root = mkdtempSync(join(tmpdir(), 'hotline-start-'));
    makeDataDir(join(root, 'a', 'b'));
    expect(statSync(join(root, 'a', 'b')).isDirectory()).toBe(true);
    writeFileSync(join(root, 'file'), 'x');
    expect(() => makeDataDir(join(root, 'file'))).toThrow(StartError);
    let below: unknown;
    try {
      makeDataDir(join(root, 'file', 'below'));
    } catch (error) {
      below = error;
    }
    expect(describeStartError(below, context)).toMatch(/part of the path is a file/);
    // Node's recursive mkdir never returns for this path; one level at a time fails at once.
    expect(() => makeDataDir('/proc/hotline-test/data')).toThrow();
  });

  it.each([
    [errno('EADDRINUSE'), /port 3000 is already in use/],
    [errno('ENOSPC'), /the disk is full/],
    [errno('EROFS'), /read-only/],
    [errno('EACCES'), /no permission/],
    [new Error('Database is closed'), /in use by another npm start/],
    [new StartError('PORT must be a port number'), /^PORT must be a port number$/],
    [new Error('staff token for "x" must be at least 16 characters\n    at somewhere'), /^staff token for "x" must be at least 16 characters$/],
  ])('says %s plainly', (error, expected) => {
    const line = describeStartError(error, context);
    expect(line).toMatch(expected);
    expect(line).not.toContain('\n');
  });

  it('a second npm start on the same data folder exits with one line, and the first keeps serving', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hotline-start-'));
    const start = (port: number) => spawn(process.execPath, ['--import', 'tsx', 'bin/start.ts'], { env: { ...process.env, PORT: String(port), HOTLINE_DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'ERROR' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const first = start(0);
    try {
      let firstOut = '';
      first.stdout.on('data', (d) => (firstOut += d));
      await expect.poll(() => firstOut, { timeout: 20_000 }).toContain('Hotline running at');
      const second = start(0);
      let err = '';
      second.stderr.on('data', (d) => (err += d));
      const code = await new Promise<number | null>((resolve) => second.on('close', resolve));
      expect(code).toBe(1);
      expect(err.trim().split('\n')).toEqual([expect.stringMatching(/^npm start: HOTLINE_DATA_DIR .* is in use by another npm start/)]);
      const url = /Hotline running at (\S+)/.exec(firstOut)![1]!;
      expect((await fetch(`${url}/console/`)).status).toBe(200);
    } finally {
      first.kill('SIGTERM');
    }
  }, 40_000);
});
