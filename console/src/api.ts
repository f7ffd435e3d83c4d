/**
 * The staff API as the page uses it: the one client (`lambdas/staff/client.ts`) over the browser's
 * fetch, plus what only a page needs: a queue read of several pages, and the CSV as a Blob to
 * download. Errors, messages and paths are the client's.
 */
import { createStaffClient, type StaffApiError, type StaffClient } from '../../lambdas/staff/client';
import type { CallbackStatus, StaffCallback } from '../../lambdas/staff/contract';

/** Pages read per queue refresh: the queue shows at most this many × `QUEUE_PAGE_SIZE`, plus the urgent ones after them. */
export const QUEUE_PAGES = 5;
export const QUEUE_PAGE_SIZE = 100;

/** `token` is asked before every request (sign-in may have renewed it); `onUnauthorized` hears every 401. */
export function createConsoleClient(baseUrl: string, token: () => Promise<string | undefined> | string | undefined, onUnauthorized?: (error: StaffApiError) => void): StaffClient {
  return createStaffClient({ baseUrl, token, fetch: (url, init) => fetch(url, init), ...(onUnauthorized ? { onUnauthorized } : {}) });
}

/**
 * One tab's queue: up to `QUEUE_PAGES` pages, the last also asked for the urgent requests beyond it
 * (they are shown first, so none may hide among the ones not read: `StaffCallbackPage.urgentAfter`).
 */
export async function readQueue(client: StaffClient, status: CallbackStatus): Promise<{ items: StaffCallback[]; more: boolean }> {
  const read = await client.listPages({ status, limit: QUEUE_PAGE_SIZE }, { maxPages: QUEUE_PAGES, urgentAfterLastPage: true });
  return { items: [...read.items, ...(read.urgentAfter ?? [])], more: read.cursor !== null };
}

/** The closed requests of `from`–`to` (China days) as a file to hand to the browser's download. */
export async function csvDownload(client: StaffClient, from: string, to: string): Promise<{ blob: Blob; filename: string }> {
  const { csv, filename } = await client.exportCsv({ from, to });
  return { blob: csvBlob(csv), filename };
}

/** CSV text as a file; it keeps its byte-order mark: Excel needs it to read the Chinese as UTF-8. */
export function csvBlob(csv: string): Blob {
  return new Blob([csv], { type: 'text/csv;charset=utf-8' });
}
