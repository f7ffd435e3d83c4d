/**
 * Hands a file to the browser's download (the callback export, the 统计 CSV): a link to an object
 * URL, clicked once. Blob URLs are `'self'` enough for the CSP; nothing leaves the page.
 */
import type { ConsoleContext } from './context';
import { h } from './dom';

/** The download's object URL is kept this long: the browser may still be reading it after the click. */
const REVOKE_AFTER_MS = 60_000;

export function downloadFile({ clock, doc }: Pick<ConsoleContext, 'clock' | 'doc'>, blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { attrs: { href: url, download: filename }, class: 'hidden-link' });
  doc.body.append(link);
  link.click();
  link.remove();
  clock.setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
