/**
 * The CSV export of closed requests: the date form, its checks (`export-logic.ts`), the download.
 */
import { csvDownload } from './api';
import type { ConsoleContext } from './context';
import { h } from './dom';
import { defaultExportRange, EXPORT_TEXT, exportRangeProblem } from './export-logic';
import type { Notices } from './notices';
import { errorText, worthTelling } from './session-logic';

/** The download's object URL is kept this long: the browser may still be reading it after the click. */
const REVOKE_AFTER_MS = 60_000;

export function createExport({ api, clock, doc, el }: ConsoleContext, deps: { notices: Notices }): { wire(): void } {
  const { notices } = deps;

  function download(blob: Blob, filename: string): void {
    const url = URL.createObjectURL(blob);
    const link = h('a', { attrs: { href: url, download: filename }, class: 'hidden-link' });
    doc.body.append(link);
    link.click();
    link.remove();
    clock.setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }

  return {
    wire() {
      const { from, to } = defaultExportRange(clock.now());
      el.exportFrom.value = from;
      el.exportTo.value = to;
      el.exportForm.addEventListener('submit', (event) => {
        event.preventDefault();
        const problem = exportRangeProblem(el.exportFrom.value, el.exportTo.value);
        if (problem) {
          notices.notify(problem, 'error');
          return;
        }
        csvDownload(api, el.exportFrom.value, el.exportTo.value)
          .then(({ blob, filename }) => {
            download(blob, filename);
            notices.notify(EXPORT_TEXT.done(filename));
          })
          .catch((error: unknown) => {
            if (worthTelling(error)) notices.notify(EXPORT_TEXT.failed(errorText(error)), 'error');
          });
      });
    },
  };
}
