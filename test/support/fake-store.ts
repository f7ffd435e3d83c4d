/**
 * A callback store in memory for the conversation rules' unit tests (voice flow, SMS conversation):
 * it keeps requests, opt-outs, counters and recent questions the way the DynamoDB store does, and
 * records every call, so a test can say what the rules asked of the store. The DynamoDB store
 * itself is tested against dynalite (callback-store*.test.ts).
 */
import { CallbackStoreError, type CallbackRequest, type CallbackStore, type QuotaKind, type RecentQuestion, type RequestCallbackInput, type SetWindowInput } from '../../lambdas/callbacks/store';

export type FakeStore = Pick<
  CallbackStore,
  'requestCallback' | 'setWindow' | 'consumeQuota' | 'isOptedOut' | 'setOptOut' | 'findPending' | 'recentQuota' | 'rememberQuestion' | 'recentQuestion' | 'within'
> & {
  /** Every call, in order: method name and arguments. */
  calls: [string, ...unknown[]][];
  requests: CallbackRequest[];
  optedOut: Set<string>;
  /** `kind:phone` → sids counted (undefined for a count without a sid). */
  quotas: Map<string, (string | undefined)[]>;
  recent: Map<string, RecentQuestion>;
  /** Names of the calls that fail (with CallbackStoreError, as the store does when DynamoDB does), to drive the error paths. */
  failing: Set<string>;
};

export function fakeStore(now: () => Date = () => new Date('2026-12-03T02:00:00Z'), code = '4821'): FakeStore {
  const calls: FakeStore['calls'] = [];
  const requests: CallbackRequest[] = [];
  const optedOut = new Set<string>();
  const quotas = new Map<string, (string | undefined)[]>();
  const recent = new Map<string, RecentQuestion>();
  const failing = new Set<string>();
  const record = (name: string, ...args: unknown[]) => {
    calls.push([name, ...args]);
    if (failing.has(name)) throw new CallbackStoreError(`${name} failed`);
  };
  const pending = (phone: string) => requests.find((r) => r.phone === phone && r.status !== 'done');

  const store: FakeStore = {
    calls,
    requests,
    optedOut,
    quotas,
    recent,
    failing,
    within: () => store as unknown as CallbackStore,
    async requestCallback(input: RequestCallbackInput) {
      record('requestCallback', input);
      const existing = pending(input.phone);
      if (existing) {
        const replayed = existing.history.some((h) => h.detail === input.sourceSid);
        if (!replayed) {
          // A repeat: counted and in the history; never the code, window or due time.
          existing.repeats += 1;
          existing.history.push({ at: now().toISOString(), by: input.channel === 'voice' ? 'caller' : 'sms', action: 'requested', detail: input.sourceSid });
        }
        if (input.urgent) existing.urgent = true;
        return { request: existing, created: existing.history[0]?.detail === input.sourceSid, replayed };
      }
      const at = now().toISOString();
      const request: CallbackRequest = {
        id: `req${requests.length + 1}`,
        phone: input.phone,
        code,
        status: 'open',
        window: input.window,
        ...(input.due ? { due: input.due } : {}),
        ...(input.windowPending ? { windowPending: true } : {}),
        topic: input.topic ?? null,
        topics: [...(input.topics ?? [])],
        ...(input.question ? { question: input.question } : {}),
        channel: input.channel,
        ...(input.numberSource ? { numberSource: input.numberSource } : {}),
        repeats: 0,
        attempts: 0,
        missedInRow: 0,
        urgent: Boolean(input.urgent),
        version: 1,
        createdAt: at,
        updatedAt: at,
        history: [{ at, by: input.channel === 'voice' ? 'caller' : 'sms', action: 'requested', detail: input.sourceSid }],
      };
      requests.push(request);
      return { request, created: true, replayed: false };
    },
    async setWindow(input: SetWindowInput) {
      record('setWindow', input);
      const request = pending(input.phone);
      if (!request?.windowPending) return undefined;
      Object.assign(request, { window: input.window, due: input.due, windowPending: false });
      return request;
    },
    async findPending(phone: string) {
      record('findPending', phone);
      return pending(phone);
    },
    async consumeQuota(phone: string, kind: QuotaKind, limit: number, windowSeconds: number, token?: string) {
      record('consumeQuota', phone, kind, limit, windowSeconds, token);
      const key = `${kind}:${phone}`;
      const used = quotas.get(key) ?? [];
      if (token !== undefined && used.includes(token)) return true;
      if (used.length >= limit) return false;
      quotas.set(key, [...used, token]);
      return true;
    },
    async recentQuota(phone: string, kind: QuotaKind, windowSeconds: number) {
      record('recentQuota', phone, kind, windowSeconds);
      return quotas.get(`${kind}:${phone}`)?.length ?? 0;
    },
    async isOptedOut(phone: string) {
      record('isOptedOut', phone);
      return optedOut.has(phone);
    },
    async setOptOut(phone: string, value: boolean, token?: string) {
      record('setOptOut', phone, value, token);
      if (value) optedOut.add(phone);
      else optedOut.delete(phone);
    },
    async rememberQuestion(phone: string, topics: readonly string[], question?: string) {
      record('rememberQuestion', phone, topics, question);
      recent.set(phone, { topics: [...topics], ...(question ? { question } : {}), at: now().toISOString() });
    },
    async recentQuestion(phone: string) {
      record('recentQuestion', phone);
      return recent.get(phone);
    },
  };
  return store;
}

/** The names of the calls made, in order. */
export function callNames(store: FakeStore): string[] {
  return store.calls.map(([name]) => name);
}
