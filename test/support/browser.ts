import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startLocalHotline, type LocalHotline, type LocalHotlineOptions } from '../../dev/local-server';

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

type Viewport = { width: number; height: number };

/** A console suite's local hotline and browser, and its pages (see `useConsoleBrowser`). */
export interface ConsoleBrowser {
  hotline(): LocalHotline;
  /** A page in a context of its own (zh-CN, Beijing time, downloads allowed), watched for script and CSP errors. */
  newPage(options?: { viewport?: Viewport }): Promise<Page>;
  /** A new page signed in with `#token=`, once the open queue has loaded. */
  signedIn(token: string, options?: { viewport?: Viewport }): Promise<Page>;
}

/**
 * One local hotline and one Chromium for a console suite: started before its tests (call this
 * before the suite's own beforeAll, which may then use the hotline), closed after. Each test must
 * leave no uncaught error and no console error in any page; refused requests (401, 409) are expected.
 */
export function useConsoleBrowser(options: LocalHotlineOptions): ConsoleBrowser {
  let hotline: LocalHotline | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the console suite's ${what} is not started`);
    return value;
  };

  beforeAll(async () => {
    hotline = await startLocalHotline({ port: 0, ...options });
    ({ browser } = await launchChromium());
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await hotline?.close();
  });

  const newPage = async (pageOptions: { viewport?: Viewport } = {}): Promise<Page> => {
    const context = await started(browser, 'browser').newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: pageOptions.viewport ?? { width: 1280, height: 800 }, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // CSP violations and script errors show up as console errors; a refused request is logged as a failed load.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
    return page;
  };

  return {
    hotline: () => started(hotline, 'hotline'),
    newPage,
    async signedIn(token, pageOptions = {}) {
      const page = await newPage(pageOptions);
      await page.goto(`${started(hotline, 'hotline').consoleUrl}#token=${token}`);
      await page.locator('#work').waitFor();
      await page.locator('#queue-title', { hasText: '（' }).waitFor();
      return page;
    },
  };
}
