import { afterAll, beforeAll } from 'vitest';
import { startLocalHotline, type LocalHotline, type LocalHotlineOptions } from '../../dev/local-server';

/** Two staff members' local bearer tokens (the server wants at least 16 characters). */
export const ALICE = 'alice-token-0123456789';
export const BOB = 'bob-token-0123456789ab';

/** The local hotline in memory on a free port, with alice and bob signed up. */
export function startStaffHotline(options: LocalHotlineOptions = {}): Promise<LocalHotline> {
  return startLocalHotline({ port: 0, staffUsers: { [ALICE]: 'alice', [BOB]: 'bob' }, ...options });
}

/**
 * Starts the two-staff hotline before the tests of the enclosing file or `describe`, stops it after; returns a
 * getter. A start that fails fails each test that asks for the hotline (a throwing beforeAll would only skip them).
 */
export function useStaffHotline(options: LocalHotlineOptions = {}): () => LocalHotline {
  let hotline: LocalHotline | undefined;
  let failed: { error: unknown } | undefined;
  beforeAll(async () => {
    try {
      hotline = await startStaffHotline(options);
    } catch (error) {
      failed = { error };
    }
  });
  afterAll(async () => {
    await hotline?.close();
  });
  return () => {
    if (failed) throw failed.error;
    if (!hotline) throw new Error('the staff hotline is not started yet');
    return hotline;
  };
}
