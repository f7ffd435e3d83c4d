/**
 * The CSV export of closed requests: the date form, its checks (`export-logic.ts`), the download.
 */
import { csvDownload } from './api';
import type { ConsoleContext } from './context';
import { downloadFile } from './download';
import { defaultExportRange, EXPORT_TEXT, exportRangeProblem } from './export-logic';
import type { Notices } from './notices';
import { errorText, worthTelling } from './session-logic';

export function createExport({ api, clock, doc, el }: ConsoleContext, deps: { notices: Notices }): { wire(): void } {
  const { notices } = deps;

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
            downloadFile({ clock, doc }, blob, filename);
            notices.notify(EXPORT_TEXT.done(filename));
          })
          .catch((error: unknown) => {
            if (worthTelling(error)) notices.notify(EXPORT_TEXT.failed(errorText(error)), 'error');
          });
      });
    },
  };
}
