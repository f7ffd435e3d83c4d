/**
 * A caller's earlier requests, whatever the channel: a number's requests are `requestId(hash, gen)`
 * for gen 0, 1, 2… (`dynamo-items.ts`), so the ones before a request are reachable by key, without
 * an index and without reading the number: gen − 1, gen − 2… (at most `EARLIER_MAX`, read in
 * parallel). Those past the retention period are gone, and simply not shown.
 */
import { ID_PATTERN, requestId, toRequest } from './dynamo-items';
import type { StoreContext } from './dynamo-session';
import type { CallbackRequest } from './store';

/** Earlier requests shown with one: enough to see a pattern (wrong number twice, declined), few reads. */
export const EARLIER_MAX = 5;

export async function earlierRequests(ctx: StoreContext, id: string): Promise<CallbackRequest[]> {
  if (!ID_PATTERN.test(id)) return [];
  const s = ctx.session();
  const item = await s.getRequest(id);
  if (!item?.phoneHash) return [];
  const gen = Number(item.gen ?? 0);
  const gens = Array.from({ length: Math.min(gen, EARLIER_MAX) }, (_, i) => gen - 1 - i);
  const found = await Promise.all(gens.map((g) => s.getRequest(requestId(item.phoneHash, g))));
  // Newest first, as generations go; an item of another number cannot be at these keys.
  return found.flatMap((earlier) => (earlier && earlier.phoneHash === item.phoneHash ? [toRequest(earlier)] : []));
}
