import type { CallbackRequest } from '../callbacks/store';
import { maskPhone } from '../shared/privacy';
import { wallClockText } from '../shared/time-zone';
import { URGENT_TEXT } from './labels';
import type { TopicLabel } from './view';

/** Times are written as staff read them: Beijing time (UTC+8 all year), `2026-03-02 07:30:00`. */
const COLUMNS = ['id', 'code', 'status', 'outcome', 'window', 'topic', 'topicLabel', 'channel', 'attempts', 'repeats', 'createdAtBeijing', 'closedAtBeijing', 'closedBy', 'phone', 'note', URGENT_TEXT.label] as const;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
 * CR) gets a leading apostrophe: notes are free text typed by staff and exports are opened in Excel.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value == null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `2026-03-01T23:30:00.000Z` → `2026-03-02 07:30:00`. */
export function beijingTime(iso: string | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : wallClockText(ms);
}

/**
 * Closed requests as CSV, with a UTF-8 byte-order mark so Excel shows the Chinese. Numbers are
 * masked: an export is a file that leaves the system, and the outcome no longer needs the number.
 */
export function callbacksCsv(requests: readonly CallbackRequest[], topicLabel: TopicLabel): string {
  const rows = requests.map((r) =>
    [
      r.id, r.code, r.status, r.outcome, r.window, r.topic, topicLabel(r.topic), r.channel, r.attempts, r.repeats,
      beijingTime(r.createdAt), beijingTime(r.closedAt), r.closedBy, maskPhone(r.phone), r.note, r.urgent ? URGENT_TEXT.yes : URGENT_TEXT.no,
    ]
      .map(csvCell)
      .join(','),
  );
  return `\ufeff${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
