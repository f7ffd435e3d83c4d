/**
 * The CSV export form, decided without the DOM: the range it starts with and what is wrong with a
 * range before anything is sent. The server checks the same (`lambdas/staff/api.ts`).
 */
import { chinaDate } from './format';

/** The most days one export may cover (the server's `MAX_EXPORT_DAYS`). */
export const EXPORT_MAX_DAYS = 366;

/** The form starts from this many days before today to today, China days (the server's default range too). */
export const EXPORT_DEFAULT_DAYS = 30;

const DAY_MS = 86_400_000;

export function defaultExportRange(now: Date): { from: string; to: string } {
  return { from: chinaDate(new Date(now.getTime() - EXPORT_DEFAULT_DAYS * DAY_MS)), to: chinaDate(now) };
}

/** What is wrong with the dates (`YYYY-MM-DD`, as date inputs give them), or undefined to send them. */
export function exportRangeProblem(from: string, to: string): string | undefined {
  if (!from || !to) return '请选择开始和结束日期。';
  if (to < from) return '结束日期不能早于开始日期。';
  if (Date.parse(to) - Date.parse(from) >= EXPORT_MAX_DAYS * DAY_MS) return `一次最多导出 ${EXPORT_MAX_DAYS} 天，请缩短日期范围。`;
  return undefined;
}

export const EXPORT_TEXT = {
  done: (filename: string) => `已下载 ${filename}。`,
  failed: (reason: string) => `导出没有完成：${reason}`,
};
