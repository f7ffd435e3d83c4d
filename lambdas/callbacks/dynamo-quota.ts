/** `QUOTA#` items: per-number fixed-window counters (ADD under `count < limit`), each counting a sid once. */
import { quotaKey, requirePhoneKey } from './dynamo-items';
import type { StoreContext } from './dynamo-session';
import { CallbackInputError, QUOTA_KINDS, type QuotaKind } from './store';
import { cleanLabel, LIMITS } from './text-cleaning';

export async function consumeQuota(ctx: StoreContext, phoneInput: string, kind: QuotaKind, limit: number, windowSeconds: number, tokenInput?: string): Promise<boolean> {
  if (!QUOTA_KINDS.includes(kind)) throw new CallbackInputError('unknown quota kind');
  if (!Number.isInteger(limit) || !Number.isInteger(windowSeconds) || windowSeconds < 1) throw new CallbackInputError('limit and windowSeconds must be integers');
  const token = tokenInput === undefined ? undefined : cleanLabel(String(tokenInput), LIMITS.sid);
  if (tokenInput !== undefined && !token) throw new CallbackInputError('invalid quota token');
  if (limit < 1) return false;
  const start = quotaWindowStart(ctx.clock().getTime(), windowSeconds);
  const Key = await numberQuotaKey(ctx, phoneInput, kind, start);
  const s = ctx.session();
  const under = '(attribute_not_exists(#count) OR #count < :limit)';
  const item = await s.update({
    Key,
    // Tokens are only added while under the limit, so the set never exceeds `limit` entries.
    UpdateExpression: token ? 'ADD #count :one, #tokens :tokenSet SET #expiresAt = :expiresAt' : 'ADD #count :one SET #expiresAt = :expiresAt',
    ConditionExpression: token ? `${under} AND NOT contains(#tokens, :token)` : under,
    ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': start + windowSeconds + 60, ':token': token, ':tokenSet': token ? new Set([token]) : undefined },
    ReturnValues: 'UPDATED_NEW',
  });
  if (item !== undefined) return true;
  if (!token) return false;
  // Refused: over the limit, or this token was counted already (then it was allowed).
  // Stryker disable next-line StringLiteral: equivalent — without the attribute name the whole item is read, which has the same `tokens`
  const current = await s.read<{ tokens?: Set<string> }>(Key, 'tokens');
  return current?.tokens?.has(token) === true;
}

export async function recentQuota(ctx: StoreContext, phoneInput: string, kind: QuotaKind, windowSeconds: number): Promise<number> {
  if (!QUOTA_KINDS.includes(kind)) throw new CallbackInputError('unknown quota kind');
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new CallbackInputError('windowSeconds must be an integer');
  const Key = await numberQuotaKey(ctx, phoneInput, kind, quotaWindowStart(ctx.clock().getTime(), windowSeconds));
  // Stryker disable next-line StringLiteral: equivalent — without the attribute name the whole item is read, which has the same `count`
  const item = await ctx.session().read<{ count?: number }>(Key, 'count');
  return Number(item?.count ?? 0);
}

async function numberQuotaKey(ctx: StoreContext, phoneInput: string, kind: QuotaKind, windowStart: number): Promise<{ pk: string }> {
  return quotaKey(kind, await ctx.hash(requirePhoneKey(phoneInput)), windowStart);
}

/** Start (epoch seconds) of the fixed quota window containing `nowMs`. */
function quotaWindowStart(nowMs: number, windowSeconds: number): number {
  const now = Math.floor(nowMs / 1000);
  return now - (now % windowSeconds);
}
