import { startLocalHotline, type LocalHotline, type LocalHotlineOptions } from '../../bin/local-server';

/** Two staff members' local bearer tokens (the server wants at least 16 characters). */
export const ALICE = 'alice-token-0123456789';
export const BOB = 'bob-token-0123456789ab';

/** The local hotline in memory on a free port, with alice and bob signed up. */
export function startStaffHotline(options: LocalHotlineOptions = {}): Promise<LocalHotline> {
  return startLocalHotline({ port: 0, staffUsers: { [ALICE]: 'alice', [BOB]: 'bob' }, ...options });
}
