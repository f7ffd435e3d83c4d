/**
 * The question inbox's calls (`inbox-contract.ts`) on the one staff client (`client.ts`): same token,
 * timeout and errors (a 404 `not-found` for a question that is gone). For the console and the
 * `corpus` command line; nothing Node-only.
 */
import { CLIENT_MESSAGES, isObject, search, staffPath, StaffApiError, type StaffClient } from './client';
import type { StaffInboxDeleted, StaffInboxPage, StaffInboxQuestion } from './inbox-contract';

export interface InboxQuery {
  /** Only labelled (true) or unlabelled (false); by default unlabelled first, then labelled. */
  labelled?: boolean;
  /** 1–100 (the server's default is 25). */
  limit?: number;
  cursor?: string;
}

export interface InboxClient {
  list(query?: InboxQuery): Promise<StaffInboxPage>;
  /** Follows `cursor` for up to `maxPages` pages; the answer's `cursor` is not null when there were more. */
  listPages(query: Omit<InboxQuery, 'cursor'>, maxPages: number): Promise<StaffInboxPage>;
  /** `topic` null: none of the topics (out of scope). */
  label(id: string, topic: string | null): Promise<StaffInboxQuestion>;
  remove(id: string): Promise<StaffInboxDeleted>;
}

function isQuestion(value: unknown): value is StaffInboxQuestion {
  return isObject(value) && typeof value.id === 'string' && typeof value.text === 'string' && typeof value.labelled === 'boolean' && isObject(value.guess);
}

function isPage(value: unknown): value is StaffInboxPage {
  return isObject(value) && Array.isArray(value.items) && value.items.every(isQuestion) && (value.cursor === null || typeof value.cursor === 'string');
}

function isDeleted(value: unknown): value is StaffInboxDeleted {
  return isObject(value) && typeof value.id === 'string' && value.deleted === true;
}

export function inboxClient(client: StaffClient): InboxClient {
  const list = (query: InboxQuery = {}) =>
    client.call('GET', `${staffPath('staffInbox')}${search({ labelled: query.labelled?.toString(), limit: query.limit?.toString(), cursor: query.cursor || undefined })}`, isPage);
  return {
    list,
    async listPages(query, maxPages) {
      const items: StaffInboxQuestion[] = [];
      const seen = new Set<string>();
      let page: StaffInboxPage = { items: [], cursor: null };
      for (let read = 0; read < maxPages; read++) {
        page = await list({ ...query, ...(page.cursor ? { cursor: page.cursor } : {}) });
        items.push(...page.items);
        if (!page.cursor) break;
        // A server that hands out a cursor twice would be read for ever.
        if (seen.has(page.cursor)) throw new StaffApiError({ status: 200, message: CLIENT_MESSAGES.repeatedCursor });
        seen.add(page.cursor);
      }
      return { items, cursor: page.cursor };
    },
    label: (id, topic) => client.call('POST', staffPath('staffInboxLabel', id), isQuestion, { topic }),
    remove: (id) => client.call('DELETE', staffPath('staffInboxDelete', id), isDeleted),
  };
}
