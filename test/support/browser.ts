import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * A real Chromium for the console tests, with nothing installed by hand: `CHROMIUM_PATH` or Debian's
 * `/usr/bin/chromium` when present, otherwise the one `@sparticuz/chromium` ships inside its npm
 * package (unpacked to /tmp on first use, about 2 s). Says which one it launched.
 */
export async function launchChromium(): Promise<{ browser: Browser; source: string }> {
  const installed = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((path): path is string => Boolean(path) && existsSync(path!));
  if (installed) return { browser: await chromium.launch({ executablePath: installed }), source: installed };
  // Loaded only when needed: the package unpacks a browser on import of its executable path.
  const { default: bundled } = await import('@sparticuz/chromium');
  const executablePath = await bundled.executablePath();
  return { browser: await chromium.launch({ executablePath, args: bundled.args, headless: true }), source: `@sparticuz/chromium (${executablePath})` };
}
