import type { CallbackRequest } from '../callbacks/store';
import { maskPhone } from '../shared/privacy';

const COLUMNS = ['id', 'code', 'status', 'outcome', 'window', 'topic', 'channel', 'attempts', 'repeats', 'createdAt', 'closedAt', 'closedBy', 'phone', 'note'] as const;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
 * CR) gets a leading apostrophe: notes are free text typed by staff and exports are opened in Excel.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value == null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Closed requests as CSV, with a UTF-8 byte-order mark so Excel shows the Chinese. Numbers are
 * masked: an export is a file that leaves the system, and the outcome no longer needs the number.
 */
export function callbacksCsv(requests: readonly CallbackRequest[]): string {
  const rows = requests.map((r) =>
    [r.id, r.code, r.status, r.outcome, r.window, r.topic, r.channel, r.attempts, r.repeats, r.createdAt, r.closedAt, r.closedBy, maskPhone(r.phone), r.note]
      .map(csvCell)
      .join(','),
  );
  return `\ufeff${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
