/** `RECENT#` items: what a texter asked lately, so a 回电 soon after carries it to staff. */
import { recentKey, requirePhoneKey } from './dynamo-items';
import type { StoreContext } from './dynamo-session';
import type { RecentQuestion } from './store';
import { cleanQuestion, cleanTopics } from './text-cleaning';

/** How long what a texter asked is kept for a later 回电 (a read ignores older items). */
export const RECENT_QUESTION_SECONDS = 2 * 3600;

interface RecentItem {
  topics?: Set<string>;
  question?: string;
  at: string;
  expiresAt: number;
}

export async function rememberQuestion(ctx: StoreContext, phoneInput: string, topicsInput: readonly string[], questionInput?: string): Promise<void> {
  const topics = cleanTopics(topicsInput);
  const question = cleanQuestion(questionInput);
  if (!topics.length && !question) return;
  const nowMs = ctx.clock().getTime();
  const set = ['#at = :now', '#expiresAt = :expiresAt', ...(question ? ['#question = :question'] : [])];
  await ctx.session().update({
    Key: recentKey(await ctx.hash(requirePhoneKey(phoneInput))),
    // The topic set grows for as long as the person keeps asking (bounded by the topic list); the question is the latest.
    UpdateExpression: `SET ${set.join(', ')}${topics.length ? ' ADD #topics :topics' : ''}`,
    ExpressionAttributeValues: { ':now': new Date(nowMs).toISOString(), ':expiresAt': Math.floor(nowMs / 1000) + RECENT_QUESTION_SECONDS, ':question': question, ':topics': topics.length ? new Set(topics) : undefined },
    ReturnValues: 'NONE',
  });
}

export async function recentQuestion(ctx: StoreContext, phoneInput: string): Promise<RecentQuestion | undefined> {
  const item = await ctx.session().read<RecentItem>(recentKey(await ctx.hash(requirePhoneKey(phoneInput))));
  // TTL deletes late (up to days): an expired item is treated as gone.
  if (!item || Number(item.expiresAt) * 1000 <= ctx.clock().getTime()) return undefined;
  return { topics: [...(item.topics ?? [])].sort(), ...(item.question ? { question: item.question } : {}), at: item.at };
}
