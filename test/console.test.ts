/**
 * The staff console in a real browser (Chromium through playwright-core) against the local
 * hotline: a call asks for a callback, staff see it, claim it, call, record outcomes.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { useConsoleBrowser, type ConsoleBrowser } from './support/browser';
import { describe, expect, it } from 'vitest';
import { parseKeys, playCall, postSignedForm } from '../dev/phone-lib';
import { createDynamoClient } from '../lambdas/callbacks/dynamo-client';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { LIMITS } from '../lambdas/callbacks/text-cleaning';
import { CALLBACK_TABLE } from '../lambdas/callbacks/table';
import { buildConsoleFiles, writeConsole } from '../console/build';
import { createStaffClient } from '../lambdas/staff/client';
import { agoText, canTakeOver, chinaDate, claimLapsed, claimText, dueNow, dueSlotText, formatTime, historyLines, lapsedText, NOTE_MAX, sortForTab, waitingText } from '../console/src/format';
import type { StaffCallback } from '../lambdas/staff/contract';
import { URGENT_TEXT } from '../lambdas/staff/labels';

const ALICE = 'console-test-token-alice';
const BOB = 'console-test-token-bob-00';
const SCREENSHOT = '/tmp/console-queue.png';

/** The local hotline and Chromium of the browser suite below (set up when it is collected). */
let suite: ConsoleBrowser;
const hotline = () => suite.hotline();
const newPage = (options?: Parameters<ConsoleBrowser['newPage']>[0]) => suite.newPage(options);
const signedIn = (token: string, options?: Parameters<ConsoleBrowser['signedIn']>[1]) => suite.signedIn(token, options);

/** Plays a call that asks for a callback in the evening and confirms the caller's own number; returns the request. */
async function callAndAskForCallback(from: string) {
  const lines: string[] = [];
  const result = await playCall({ baseUrl: hotline().url, authToken: hotline().authToken, from, answers: parseKeys('9 3 1') }, { print: (line) => lines.push(line) }, fetch);
  expect(result.outcome, lines.join('\n')).not.toBe('http-error');
  const page = await hotline().store.listByStatus('open', { limit: 100 });
  const request = page.items.find((r) => r.phone === from);
  if (!request) throw new Error(`no open request for ${from}:\n${lines.join('\n')}`);
  return request;
}

/**
 * The digits of a text only: a number shown spaced (`+86 139 1234 0001`), split across elements or
 * in a `tel:` link all count. Leak checks look for the 11-digit national number in this.
 */
function digitsOnly(text: string): string {
  return text.replace(/\D/g, '');
}

/** The 11-digit national number of a `+86` number. */
function national(phone: string): string {
  return phone.replace(/^\+86/, '');
}

/** The page's HTML (hidden elements and attributes included), digits only. */
async function pageDigits(page: Page): Promise<string> {
  return digitsOnly(await page.content());
}

/** Bodies of the POST requests the page sends to the staff API. */
function postedBodies(page: Page): { path: string; body: unknown }[] {
  const posted: { path: string; body: unknown }[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/staff/')) posted.push({ path: new URL(request.url()).pathname, body: request.postDataJSON() as unknown });
  });
  return posted;
}

function queueCard(page: Page, code: string) {
  return page.locator('#queue li', { hasText: `编号 ${code}` });
}

async function openCard(page: Page, code: string): Promise<void> {
  await queueCard(page, code).getByRole('button').click();
  await page.locator('#detail-title', { hasText: code }).waitFor();
  await page.locator('#detail-history li:not(.muted)').first().waitFor();
}

async function historyTexts(page: Page): Promise<string[]> {
  return page.locator('#detail-history li').allTextContents();
}

describe('staff console in a browser', () => {
  suite = useConsoleBrowser({ authToken: 'console-test-twilio', staffUsers: { [ALICE]: 'alice', [BOB]: 'bob' } });

  describe('with token sign-in', () => {
    it('takes a callback from a call through claim, no answer, a second claim and reached, with the whole history', async () => {
      const phone = '+8613912340001';
      const request = await callAndAskForCallback(phone);
      const page = await signedIn(ALICE);
      const posted = postedBodies(page);
      await expect.poll(() => page.locator('#who-name').textContent()).toBe('alice');
      expect(page.url()).not.toContain('#token');

      const card = queueCard(page, request.code);
      await card.waitFor();
      const cardText = await card.textContent();
      expect(cardText).toContain('+86 139****0001');
      // The promised time in Beijing clock time (the slot starts later when the call comes inside it);
      // the words the caller heard are in the detail.
      expect(cardText).toMatch(/\d\d:\d\d–21:00/);
      expect(cardText).toMatch(/等了/);
      expect(await pageDigits(page)).not.toContain(national(phone));

      // First claim: the full number as a tel: link, and the call script.
      await openCard(page, request.code);
      expect(await pageDigits(page)).not.toContain(national(phone));
      await page.getByRole('button', { name: '认领', exact: true }).click();
      const tel = page.locator('#detail-actions a.tel');
      await tel.waitFor();
      expect(await tel.getAttribute('href')).toBe('tel:+8613912340001');
      expect(await tel.textContent()).toBe('+86 139 1234 0001');
      const script = await page.locator('.script').textContent();
      expect(script).toContain('现在方便说话吗');
      expect(script).toContain(request.code);
      expect(script).toContain('验证码');
      await expect.poll(() => queueCard(page, request.code).count()).toBe(0);

      await page.getByLabel('无人接听').check();
      await page.getByRole('button', { name: '保存结果' }).click();
      await page.locator('#claim-button').waitFor();
      await expect.poll(() => page.locator('#notice').textContent()).toContain('无人接听');
      expect(await page.locator('#detail-info').textContent()).toContain('1 次');
      await queueCard(page, request.code).waitFor();
      expect(await queueCard(page, request.code).textContent()).toContain('未接通1 次');
      expect(await page.locator('#detail-actions a.tel').count()).toBe(0);

      // Second claim: reached, with a note that looks like markup (it must stay text).
      await page.locator('#claim-button').click();
      await page.locator('#detail-actions a.tel').waitFor();
      await page.getByLabel('已接通').check();
      const note = '已说明证据怎么保留 <img src=x onerror="window.__xss=1"> 明晚再联系';
      await page.getByLabel('备注').fill(note);
      expect(await page.locator('#note-count').textContent()).toBe(`${note.length} / 1000 字`);
      expect(await page.getByLabel('备注').getAttribute('maxlength')).toBe('1000');
      await page.getByRole('button', { name: '保存结果' }).click();
      await page.locator('#detail-actions .held', { hasText: '已接通' }).waitFor();
      await expect.poll(() => queueCard(page, request.code).count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await page.locator('#detail-history img, #detail-info img').count()).toBe(0);

      const history = await historyTexts(page);
      expect(history).toHaveLength(5);
      expect(history[0]).toMatch(/来电者（电话）\s*请求回电：电话，时段：(今天|明天)晚上(七点到)?九点(以前)?(，话题：[^，]+)?，号码：来电显示/);
      expect(history[1]).toMatch(/alice\s*认领/);
      expect(history[2]).toMatch(/alice\s*记录结果：无人接听/);
      expect(history[3]).toMatch(/alice\s*认领/);
      expect(history[4]).toMatch(/alice\s*记录结果：已接通/);
      expect(history[4]).toContain(`备注：${note}`);

      const stored = await hotline().store.get(request.id);
      expect(stored).toMatchObject({ status: 'done', outcome: 'reached', attempts: 1, closedBy: 'alice', note });

      // The done tab lists it; the CSV export downloads it with the number masked.
      await page.getByRole('button', { name: '已结束' }).click();
      await queueCard(page, request.code).waitFor();
      await page.locator('summary', { hasText: '导出' }).click();
      const today = chinaDate(new Date());
      await page.getByLabel('开始日期').fill(today);
      await page.getByLabel('结束日期').fill(today);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV' }).click()]);
      expect(download.suggestedFilename()).toBe(`callbacks-${today}-${today}.csv`);
      const csv = await readFile((await download.path())!, 'utf8');
      expect(csv).toContain(request.code);
      expect(csv).toContain('+86 139****0001');
      expect(digitsOnly(csv)).not.toContain(national(phone));

      // Claim, release and outcome went out without `version` (the server only lets the holder act).
      expect(posted.map((p) => p.path.split('/').pop())).toEqual(['claim', 'outcome', 'claim', 'outcome']);
      for (const { body } of posted) expect(body).not.toHaveProperty('version');
    });

    it('tells a second staff member who tries to claim a request alice holds that alice has it', async () => {
      const phone = '+8613912340002';
      const request = await callAndAskForCallback(phone);
      const bob = await signedIn(BOB);
      await openCard(bob, request.code);
      await bob.locator('#claim-button').waitFor();

      const alice = await signedIn(ALICE);
      await openCard(alice, request.code);
      await alice.locator('#claim-button').click();
      await alice.locator('#detail-actions a.tel').waitFor();

      // Bob still sees the claim button from before alice claimed: the API refuses with 409.
      await bob.locator('#claim-button').click();
      await bob.locator('#detail-message', { hasText: '已被 alice 认领' }).waitFor();
      await expect.poll(() => bob.locator('#notice').textContent()).toContain('已被 alice 认领');
      await bob.locator('#detail-actions .held', { hasText: 'alice' }).waitFor();
      expect(await bob.locator('#detail-actions a.tel').count()).toBe(0);
      expect(await pageDigits(bob)).not.toContain(national(phone));
      expect(await bob.locator('#detail-info').textContent()).toContain('+86 139****0002');

      // The caller asks again while alice holds it (the version moves on): alice's save still goes through.
      const before = (await hotline().store.get(request.id))!.version;
      await hotline().store.requestCallback({ phone, window: '上午九点到十二点', channel: 'sms', sourceSid: 'SMconsole-repeat' });
      expect((await hotline().store.get(request.id))!.version).toBeGreaterThan(before);
      await alice.getByLabel('已接通').check();
      await alice.getByRole('button', { name: '保存结果' }).click();
      await alice.locator('#detail-actions .held', { hasText: '已接通' }).waitFor();
      expect(await alice.locator('#detail-message').isVisible()).toBe(false);
      expect(await hotline().store.get(request.id)).toMatchObject({ status: 'done', outcome: 'reached', closedBy: 'alice' });
    });

    it('lets bob take over a claim alice left lapsed, from the 待回电 tab, but not a fresh one', async () => {
      // A second store on the same table whose clock is 3 hours behind: alice's claims through it have lapsed.
      const past = createDynamoCallbackStore({
        client: createDynamoClient({ endpoint: hotline().dynamoEndpoint }),
        tableName: CALLBACK_TABLE.defaultName,
        now: () => new Date(Date.now() - 3 * 3600_000),
      });
      const ask = (store: typeof past, phone: string) => store.requestCallback({ phone, window: '晚上七点到九点', topic: 'negotiate', channel: 'voice', sourceSid: `CAlapsed${phone}` });
      const { request: lapsed } = await ask(past, '+8613912340007');
      await past.claim(lapsed.id, 'alice');
      const { request: raced } = await ask(past, '+8613912340008');
      await past.claim(raced.id, 'alice');
      const { request: fresh } = await ask(hotline().store, '+8613912340009');
      await hotline().store.claim(fresh.id, 'alice');

      // Alice sees her own lapsed claim in 处理中 only, marked for her.
      const alice = await signedIn(ALICE);
      expect(await queueCard(alice, lapsed.code).count()).toBe(0);
      await alice.getByRole('button', { name: '处理中' }).click();
      await queueCard(alice, lapsed.code).waitFor();
      expect(await queueCard(alice, lapsed.code).textContent()).toContain('你的认领已超过 2 小时，其他同事可以接手');

      // Bob's 待回电 lists the lapsed claims first, marked, with who holds them and since when; not the fresh one.
      const bob = await signedIn(BOB);
      const listed: string[] = [];
      bob.on('request', (request) => {
        const url = new URL(request.url());
        if (request.method() === 'GET' && url.pathname === '/staff/callbacks') listed.push(url.searchParams.get('status') ?? '');
      });
      const card = queueCard(bob, lapsed.code);
      await card.waitFor();
      const cardText = (await card.textContent()) ?? '';
      expect(cardText).toContain('认领已超过 2 小时，可以接手');
      expect(cardText).toMatch(/alice 认领于 (\d+月\d+日 )?\d\d:\d\d（3 小时( \d+ 分)?前）/);
      expect(cardText).toContain('+86 139****0007');
      expect(await queueCard(bob, raced.code).count()).toBe(1);
      expect(await queueCard(bob, fresh.code).count()).toBe(0);
      const codes = await bob.locator('#queue li .code').allTextContents();
      expect(codes.slice(0, 2).sort()).toEqual([`编号 ${lapsed.code}`, `编号 ${raced.code}`].sort());
      expect(await bob.locator('#queue-order').textContent()).toContain('认领已超过 2 小时、可以接手的请求排在最前');

      // One refresh of 待回电 reads two lists: open, and claimed for the lapsed ones.
      await bob.getByRole('button', { name: '刷新' }).click();
      await bob.waitForLoadState('networkidle');
      await expect.poll(() => [...listed].sort()).toEqual(['claimed', 'open']);

      // The detail says who holds it and since when, and offers 接手; the number stays masked until then.
      await openCard(bob, lapsed.code);
      const info = (await bob.locator('#detail-info').textContent()) ?? '';
      expect(info).toContain('alice 认领于');
      expect(info).toContain('认领已超过 2 小时，可以接手');
      expect(await pageDigits(bob)).not.toContain(national('+8613912340007'));
      expect(await bob.locator('#claim-button').count()).toBe(0);
      await bob.getByRole('button', { name: '接手', exact: true }).click();
      const tel = bob.locator('#detail-actions a.tel');
      await tel.waitFor();
      expect(await tel.getAttribute('href')).toBe('tel:+8613912340007');
      expect(await bob.locator('.script').textContent()).toContain(lapsed.code);
      expect(await bob.locator('#detail-info').textContent()).toMatch(/bob 认领于 \d\d:\d\d（不到 1 分钟前）/);
      await expect.poll(() => bob.locator('#notice').textContent()).toContain('已接手');
      await expect.poll(() => queueCard(bob, lapsed.code).count()).toBe(0);
      expect(await hotline().store.get(lapsed.id)).toMatchObject({ status: 'claimed', claimedBy: 'bob' });

      // Alice comes back and claims the other one again before bob presses 接手: the API's message.
      await openCard(bob, raced.code);
      await bob.locator('#take-over-button').waitFor();
      await hotline().store.claim(raced.id, 'alice');
      await bob.locator('#take-over-button').click();
      await bob.locator('#detail-message', { hasText: '这条回电请求已被 alice 认领，请选择别的请求。' }).waitFor();
      await bob.locator('#detail-actions .held', { hasText: 'alice' }).waitFor();
      expect(await bob.locator('#take-over-button').count()).toBe(0);
      expect(await pageDigits(bob)).not.toContain(national('+8613912340008'));
      await expect.poll(() => queueCard(bob, raced.code).count()).toBe(0);

      // A fresh claim: shown with its holder in 处理中, no mark and no 接手.
      await bob.getByRole('button', { name: '处理中' }).click();
      const freshCard = queueCard(bob, fresh.code);
      await freshCard.waitFor();
      expect(await freshCard.textContent()).toMatch(/alice 认领于 \d\d:\d\d（不到 1 分钟前）/);
      expect(await freshCard.textContent()).not.toContain('接手');
      await openCard(bob, fresh.code);
      await bob.locator('#detail-actions .held', { hasText: 'alice' }).waitFor();
      expect(await bob.locator('#take-over-button').count()).toBe(0);
      expect(await bob.locator('#detail').textContent()).not.toContain('接手');
    });

    it('leaves none of the number in the page once the detail closes, alice signs out and bob signs in in the same tab', async () => {
      const phone = '+8613912340005';
      const request = await callAndAskForCallback(phone);
      const page = await signedIn(ALICE);
      await openCard(page, request.code);
      await page.locator('#claim-button').click();
      await page.locator('#detail-actions a.tel').waitFor();
      await page.getByLabel('备注').fill('明晚再打');
      // The check sees the holder's spaced number (`+86 139 1234 0005`) and the tel: link.
      expect(await pageDigits(page)).toContain(national(phone));

      // Closing the detail empties it.
      await page.getByRole('button', { name: '返回列表' }).click();
      await page.locator('#detail').waitFor({ state: 'hidden' });
      expect(await pageDigits(page)).not.toContain(national(phone));
      expect(await page.locator('#detail-info, #detail-actions, #detail-history, #detail-title').evaluateAll((elements) => elements.map((e) => e.childNodes.length))).toEqual([0, 0, 0, 0]);

      // Open again, then sign out with it open: nothing of it stays, even hidden.
      await page.getByRole('button', { name: '处理中' }).click();
      await openCard(page, request.code);
      await page.locator('#detail-actions a.tel').waitFor();
      await page.getByRole('button', { name: '退出' }).click();
      await page.locator('#sign-in').waitFor();
      expect(await pageDigits(page)).not.toContain(national(phone));
      expect(await page.content()).not.toContain('明晚再打');

      await page.getByLabel('登录令牌').fill(BOB);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('#who-name', { hasText: 'bob' }).waitFor();
      await page.locator('#queue-title', { hasText: '（' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.locator('#detail').isVisible()).toBe(false);
      expect(await pageDigits(page)).not.toContain(national(phone));
      expect(await page.content()).not.toContain('明晚再打');
      await page.getByRole('button', { name: '处理中' }).click();
      await queueCard(page, request.code).waitFor();
      expect(await pageDigits(page)).not.toContain(national(phone));
    });

    it('leaves none of the number in the page when a 401 sends the holder back to sign-in', async () => {
      const phone = '+8613912340006';
      const request = await callAndAskForCallback(phone);
      const page = await signedIn(ALICE);
      await openCard(page, request.code);
      await page.locator('#claim-button').click();
      await page.locator('#detail-actions a.tel').waitFor();
      expect(await pageDigits(page)).toContain(national(phone));

      // The token stops working (revoked): the next request gets 401.
      await page.route('**/staff/**', (route) => route.fulfill({ status: 401, json: { error: 'unauthorized', message: '登录已失效，请重新登录。' } }));
      await page.getByRole('button', { name: '刷新' }).click();
      await page.locator('#sign-in-error', { hasText: '登录已失效' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await pageDigits(page)).not.toContain(national(phone));
      await page.unroute('**/staff/**');
    });

    it('refuses a wrong token with a message and shows no queue', async () => {
      const page = await newPage();
      await page.goto(hotline().consoleUrl);
      await page.getByLabel('登录令牌').fill('not-a-real-token-1234567');
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('#sign-in-error', { hasText: '令牌不对' }).waitFor();
      expect(await page.locator('#work').isVisible()).toBe(false);
      expect(await page.getByLabel('登录令牌').getAttribute('aria-invalid')).toBe('true');

      await page.getByLabel('登录令牌').fill(ALICE);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('#who-name', { hasText: 'alice' }).waitFor();
    });

    it('goes back to sign-in with a message when the token stops working', async () => {
      const page = await signedIn(ALICE);
      await page.evaluate(() => sessionStorage.setItem('hotline.staff.token', 'revoked-token-0000000000'));
      await page.reload();
      await page.locator('#sign-in-error', { hasText: '登录已失效' }).waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('hotline.staff.token'))).toBeNull();

      await page.getByLabel('登录令牌').fill(ALICE);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('#who-name', { hasText: 'alice' }).waitFor();
      await page.getByRole('button', { name: '退出' }).click();
      await page.locator('#sign-in').waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('hotline.staff.token'))).toBeNull();
    });

    it("shows the number's earlier requests in the detail, with how they ended and their codes", async () => {
      const phone = '+8613912340077';
      // First by text, closed as a wrong number with a note; then by phone.
      const sms = await postSignedForm(hotline().url, '/twilio/sms', { MessageSid: `SM${'7'.repeat(32)}`, From: phone, Body: '回电 晚上' }, hotline().authToken);
      expect(sms.status).toBe(200);
      const first = (await hotline().store.findPending(phone))!;
      const staff = createStaffClient({ baseUrl: hotline().url, token: () => ALICE, fetch });
      await staff.claim(first.id);
      await staff.outcome(first.id, 'wrong-number', '接电话的说不认识');
      const again = await callAndAskForCallback(phone);

      const page = await signedIn(ALICE);
      await queueCard(page, again.code).waitFor();
      await openCard(page, again.code);
      const earlier = page.locator('#detail-earlier');
      await earlier.waitFor();
      expect(await earlier.locator('h3').textContent()).toBe('这个号码以前的请求');
      const lines = await earlier.locator('li').allTextContents();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(formatTime(first.createdAt));
      expect(lines[0]).toContain(`短信 · 编号 ${first.code}`);
      expect(lines[0]).toContain('已结束：号码错误');
      expect(lines[0]).toContain('备注：接电话的说不认识');
      expect(await pageDigits(page)).not.toContain(national(phone));

      // A request with no earlier ones shows none; closing the detail empties it.
      await page.locator('#detail-close').click();
      expect(await earlier.isHidden()).toBe(true);
      expect(await earlier.locator('li').count()).toBe(0);
    });

    it('shows the queue and a claimed request on a 375 px phone without horizontal scrolling', async () => {
      const request = await callAndAskForCallback('+8613912340003');
      const page = await signedIn(ALICE, { viewport: { width: 375, height: 667 } });
      await queueCard(page, request.code).waitFor();
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(await overflow()).toBe(0);
      await openCard(page, request.code);
      expect(await page.locator('.queue').isVisible()).toBe(false);
      await page.locator('#claim-button').click();
      await page.locator('#detail-actions a.tel').waitFor();
      expect(await overflow()).toBe(0);
      await page.getByRole('button', { name: '放回队列' }).click();
      await page.locator('#claim-button').waitFor();
      await page.getByRole('button', { name: '返回列表' }).click();
      await queueCard(page, request.code).waitFor();
      expect(await overflow()).toBe(0);
      // Recording an outcome shows the success notice: it must fit too.
      await openCard(page, request.code);
      await page.locator('#claim-button').click();
      await page.locator('#detail-actions a.tel').waitFor();
      // Chinese set in a CJK font is about 1 em a character; without one (a bare CI machine) the
      // message is far narrower. Spacing its letters makes it at least as wide as staff see it, so a
      // layout that keeps it on one line (the detail list's `.info` grid once did) overflows here too.
      await page.locator('#notice').evaluate((notice) => {
        notice.style.letterSpacing = '0.4em';
      });
      await page.getByLabel('无人接听').check();
      await page.getByRole('button', { name: '保存结果' }).click();
      await expect.poll(() => page.locator('#notice').textContent()).toContain('无人接听');
      const oneLineWidth = await page.locator('#notice').evaluate((notice) => {
        const probe = document.createElement('span');
        probe.style.cssText = 'position: absolute; visibility: hidden; white-space: nowrap; letter-spacing: 0.4em';
        probe.textContent = notice.textContent;
        document.body.append(probe);
        const width = probe.getBoundingClientRect().width;
        probe.remove();
        return width;
      });
      expect(oneLineWidth, 'the message is wider than the screen on one line, or the checks below prove nothing').toBeGreaterThan(375);
      expect(await page.locator('#notice').evaluate((el) => el.className)).toBe('notice info');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      expect(await overflow()).toBe(0);
      // The notice wraps inside the screen (it once became a one-line grid 488 px wide).
      expect(await page.locator('#notice').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
      expect(await page.locator('#notice').evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(375);
    });

    it('works from the keyboard: a card opens the detail, focus moves there and back', async () => {
      const request = await callAndAskForCallback('+8613912340004');
      const page = await signedIn(ALICE);
      const button = queueCard(page, request.code).getByRole('button');
      await button.focus();
      await page.keyboard.press('Enter');
      await page.locator('#detail-title', { hasText: request.code }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('detail-title');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('返回列表');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('claim-button');
      await page.keyboard.press('Enter');
      // After claiming, focus lands on the number to dial.
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('tel:+8613912340004');
      await page.getByRole('button', { name: '放回队列' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('#claim-button').waitFor();
      // Released: the card is back in 待回电 once the list has refreshed (Escape before that focuses the heading).
      await queueCard(page, request.code).waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('li')?.textContent ?? '')).toContain(request.code);
      expect(await page.locator('#detail').isVisible()).toBe(false);
    });

    it('orders the queue by the time promised, says in words which are overdue, due now or not yet, and lists 未接通 apart', async () => {
      const now = Date.now();
      const slot = (fromMin: number, untilMin: number) => ({ from: new Date(now + fromMin * 60_000).toISOString(), until: new Date(now + untilMin * 60_000).toISOString() });
      const ask = (phone: string, due: { from: string; until: string }, extra: object = {}) =>
        hotline().store.requestCallback({ phone, window: '今天晚上七点到九点', due, topic: 'negotiate', channel: 'voice', sourceSid: `CAdue${phone}`, ...extra });
      // Asked in this order; the queue shows them by the promised time instead.
      const { request: upcoming } = await ask('+8613912340021', slot(120, 240));
      const { request: overdue } = await ask('+8613912340022', slot(-240, -120), { question: '他们说明天上门', numberSource: 'keyed-in' });
      const { request: due } = await ask('+8613912340023', slot(-10, 50));
      const { request: gone } = await ask('+8613912340024', slot(-30, 30));
      for (let i = 0; i < 3; i++) {
        await hotline().store.claim(gone.id, 'bob');
        await hotline().store.recordOutcome(gone.id, 'bob', 'no-answer');
      }

      const page = await signedIn(ALICE);
      await queueCard(page, upcoming.code).waitFor();
      const ids = await page.locator('#queue li').evaluateAll((items) => items.map((li) => li.getAttribute('data-id')));
      const order = [overdue.id, due.id, upcoming.id].map((id) => ids.indexOf(id));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(ids).not.toContain(gone.id);
      expect(await queueCard(page, overdue.code).locator('.badge.due-overdue').textContent()).toBe('已过约定时间');
      expect(await queueCard(page, due.code).locator('.badge.due-due').textContent()).toBe('现在该打');
      expect(await queueCard(page, upcoming.code).locator('.badge.due-upcoming').textContent()).toBe('还没到时间');
      // Only what is due now, by the filter.
      await page.locator('#filter-due').selectOption('due');
      await expect.poll(() => page.locator('#queue li').evaluateAll((items) => items.map((li) => li.getAttribute('data-id')))).toContain(due.id);
      expect(await page.locator('#queue .badge.due-overdue').count()).toBe(0);
      await page.locator('#filter-due').selectOption('');

      // The detail: the words the caller heard, the question, and a keyed-in number marked.
      await openCard(page, overdue.code);
      const detail = await page.locator('#detail').textContent();
      expect(detail).toContain('今天晚上七点到九点');
      expect(detail).toContain('他们说明天上门');
      expect(detail).toContain('按键输入');

      await page.getByRole('button', { name: '未接通' }).click();
      await queueCard(page, gone.code).waitFor();
      expect(await page.locator('#queue-title').textContent()).toContain('未接通');
    });

    it('puts an urgent request first in 待回电 and 处理中 with a red 紧急 badge, and tells staff what to do first', async () => {
      // Two plain requests, then an urgent one: newer, yet first.
      const ask = (phone: string, sid: string, urgent = false) =>
        hotline().store.requestCallback({ phone, window: '晚上七点到九点', topic: 'negotiate', channel: urgent ? 'sms' : 'voice', sourceSid: sid, ...(urgent ? { urgent } : {}) });
      const { request: older } = await ask('+8613912340011', 'CAurgent-older-1');
      const { request: plain } = await ask('+8613912340012', 'CAurgent-older-2');
      await hotline().store.claim(plain.id, 'bob');
      const { request: urgent } = await ask('+8613912340013', 'SMurgent-newest', true);
      expect(urgent.urgent).toBe(true);

      const page = await signedIn(ALICE);
      const first = page.locator('#queue li').first();
      await expect.poll(() => first.locator('.code').textContent()).toBe(`编号 ${urgent.code}`);
      expect(await page.locator('#queue li').count()).toBeGreaterThan(1);
      const badge = first.locator('.badge.urgent');
      expect(await badge.isVisible()).toBe(true);
      expect(await badge.locator('[aria-hidden="true"]').textContent()).toBe(URGENT_TEXT.label);
      expect(await badge.locator('.visually-hidden').evaluate((element) => element.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
      // Red, and the word itself (not colour alone); screen readers hear why, first, in the card's name.
      expect(await badge.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(179, 38, 30)');
      expect(await first.getByRole('button').getAttribute('data-id')).toBe(urgent.id);
      expect(await page.getByRole('button', { name: URGENT_TEXT.description }).getAttribute('data-id')).toBe(urgent.id);
      expect(await queueCard(page, older.code).locator('.badge.urgent').count()).toBe(0);
      expect(await page.locator('#queue .badge.urgent').count()).toBe(1);
      expect(await page.locator('#queue-order').textContent()).toContain(`标有“${URGENT_TEXT.label}”的请求排在最前`);

      // The detail: the note for staff, and the crisis ask in the history.
      await openCard(page, urgent.code);
      const note = page.locator('#detail-urgent');
      expect(await note.isVisible()).toBe(true);
      expect(await note.textContent()).toBe(`${URGENT_TEXT.label} ${URGENT_TEXT.guidance}`);
      expect((await historyTexts(page))[0]).toMatch(/来电者（短信）\s*请求回电：短信，紧急，时段：晚上七点到九点/);
      await page.locator('#claim-button').click();
      await page.locator('#detail-actions a.tel').waitFor();
      expect(await note.isVisible()).toBe(true);

      // 处理中: claimed longer ago (bob's) still comes after it.
      await page.getByRole('button', { name: '处理中' }).click();
      await queueCard(page, plain.code).waitFor();
      expect(await page.locator('#queue li').first().getAttribute('data-id')).toBe(urgent.id);
      expect(await page.locator('#queue li').first().locator('.badge.urgent').isVisible()).toBe(true);

      // A plain request's detail has no note.
      await page.getByRole('button', { name: '待回电' }).click();
      await openCard(page, older.code);
      expect(await page.locator('#detail-urgent').isVisible()).toBe(false);
      expect(await page.locator('#detail-urgent').textContent()).toBe('');

      // On a 375 px phone the badge fits: no horizontal scrolling, in the queue or the detail.
      const phone = await signedIn(BOB, { viewport: { width: 375, height: 667 } });
      await phone.getByRole('button', { name: '处理中' }).click();
      const phoneFirst = phone.locator('#queue li').first();
      await expect.poll(() => phoneFirst.getAttribute('data-id')).toBe(urgent.id);
      expect(await phoneFirst.locator('.badge.urgent').isVisible()).toBe(true);
      const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(await overflow()).toBe(0);
      const box = await phoneFirst.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
      await openCard(phone, urgent.code);
      expect(await phone.locator('#detail-urgent').isVisible()).toBe(true);
      expect(await overflow()).toBe(0);

      // Leave the queue as it was for the tests after this one.
      await page.getByRole('button', { name: '处理中' }).click();
      await openCard(page, urgent.code);
      await page.getByLabel('已接通').check();
      await page.getByRole('button', { name: '保存结果' }).click();
      await page.locator('#detail-actions .held', { hasText: '已接通' }).waitFor();
      await hotline().store.recordOutcome(plain.id, 'bob', 'reached');
      await page.getByRole('button', { name: '已结束' }).click();
      await queueCard(page, urgent.code).locator('.badge.urgent').waitFor();
    });

    it('loads in well under 150 KB in token mode, without the OIDC library, and keeps the detail open across refreshes', async () => {
      for (const [i, window] of ['上午九点到十二点', '下午两点到六点'].entries()) {
        await hotline().store.requestCallback({ phone: `+861381234560${i}`, window, topic: i ? 'report-police' : 'for-contacts', channel: i ? 'sms' : 'voice', sourceSid: `SMconsole${i}` });
      }
      const page = await newPage();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const urls = new Map<string, string>();
      let transferred = 0;
      cdp.on('Network.responseReceived', (event) => urls.set(event.requestId, event.response.url));
      cdp.on('Network.loadingFinished', (event) => {
        transferred += event.encodedDataLength;
      });
      const bodies: { url: string; bytes: number }[] = [];
      page.on('response', (response) => {
        void response.body().then(
          (body) => bodies.push({ url: new URL(response.url()).pathname, bytes: body.length }),
          () => undefined,
        );
      });

      await page.goto(`${hotline().consoleUrl}#token=${ALICE}`);
      await page.locator('#queue li').first().waitFor();
      await page.waitForLoadState('networkidle');
      const bodyBytes = bodies.reduce((sum, b) => sum + b.bytes, 0);
      console.log(
        `console first load (token mode): ${bodies.length} responses, ${transferred} bytes transferred (CDP encodedDataLength, headers included), ${bodyBytes} bytes of bodies: ` +
          bodies.map((b) => `${b.url} ${b.bytes}`).join(', '),
      );
      expect(transferred).toBeGreaterThan(0);
      expect(transferred).toBeLessThan(150_000);

      const oidcChunk = (await buildConsoleFiles()).find((f) => f.body.includes('signinRedirect') && f.path !== 'app.js');
      expect(oidcChunk, 'oidc-client-ts is a separate chunk').toBeDefined();
      expect([...urls.values()].some((url) => url.endsWith(oidcChunk!.path))).toBe(false);

      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // A note being typed survives an automatic refresh of the list and of the detail.
      const [first] = (await hotline().store.listByStatus('open', { limit: 1 })).items;
      await openCard(page, first!.code);
      await page.locator('#claim-button').click();
      await page.getByLabel('备注').fill('正在写的备注');
      const detailRead = (response: { url(): string; request(): { method(): string } }) => response.url().endsWith(`/staff/callbacks/${first!.id}`) && response.request().method() === 'GET';
      // The page refreshes when it becomes visible again, as on its 15 s timer, and on the refresh button.
      await Promise.all([page.waitForResponse(detailRead), page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))]);
      await Promise.all([page.waitForResponse(detailRead), page.getByRole('button', { name: '刷新' }).click()]);
      await page.waitForLoadState('networkidle');
      expect(await page.getByLabel('备注').inputValue()).toBe('正在写的备注');
      expect(await page.getByLabel('备注').evaluate((element) => element === document.activeElement)).toBe(false);
      await page.getByRole('button', { name: '放回队列' }).click();
      await page.locator('#claim-button').waitFor();
    });
  });

  describe('with Cognito sign-in (OIDC)', () => {
    it('signs in through the hosted UI with code flow and PKCE, loading the OIDC chunk only then, and signs out there', async () => {
      const authority = 'https://cognito-idp.example.test/pool_1';
      const logoutUrl = 'https://auth.example.test/logout?client_id=console-client&logout_uri=x';
      const page = await newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.route(`${hotline().consoleUrl}config.json`, (route) =>
        route.fulfill({ json: { apiBaseUrl: '', auth: { mode: 'oidc', authority, clientId: 'console-client', redirectUri: hotline().consoleUrl, scope: 'openid email', logoutUrl } } }),
      );
      const cors = { 'access-control-allow-origin': '*' };
      await page.route(`${authority}/.well-known/openid-configuration`, (route) =>
        route.fulfill({
          headers: cors,
          json: { issuer: authority, authorization_endpoint: 'https://auth.example.test/oauth2/authorize', token_endpoint: 'https://auth.example.test/oauth2/token', jwks_uri: `${authority}/.well-known/jwks.json` },
        }),
      );
      let authorize: URL | undefined;
      await page.route('https://auth.example.test/oauth2/authorize*', (route) => {
        authorize = new URL(route.request().url());
        const back = new URL(hotline().consoleUrl);
        back.searchParams.set('code', 'one-time-code');
        back.searchParams.set('state', authorize.searchParams.get('state') ?? '');
        return route.fulfill({ status: 302, headers: { location: back.href } });
      });
      let tokenForm: URLSearchParams | undefined;
      await page.route('https://auth.example.test/oauth2/token', (route) => {
        tokenForm = new URLSearchParams(route.request().postData() ?? '');
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const idToken = `${part({ alg: 'none' })}.${part({ sub: 'alice-sub', iss: authority, aud: 'console-client', exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
        // The local server knows alice by her local token: it stands in for a Cognito access token here.
        return route.fulfill({ headers: cors, json: { access_token: ALICE, id_token: idToken, token_type: 'Bearer', expires_in: 3600, refresh_token: 'refresh' } });
      });
      await page.route('https://auth.example.test/logout*', (route) => route.fulfill({ contentType: 'text/plain', body: 'signed out' }));

      await page.goto(hotline().consoleUrl);
      await page.getByRole('button', { name: '用工作账号登录' }).click();
      await page.locator('#who-name', { hasText: 'alice' }).waitFor();

      expect(authorize?.searchParams.get('response_type')).toBe('code');
      expect(authorize?.searchParams.get('client_id')).toBe('console-client');
      expect(authorize?.searchParams.get('redirect_uri')).toBe(hotline().consoleUrl);
      expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize?.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(tokenForm?.get('grant_type')).toBe('authorization_code');
      expect(tokenForm?.get('code')).toBe('one-time-code');
      expect(tokenForm?.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);
      expect(page.url()).toBe(hotline().consoleUrl);
      const oidcChunk = (await buildConsoleFiles()).find((f) => f.body.includes('signinRedirect') && f.path !== 'app.js')!;
      expect(requested.some((url) => url.endsWith(oidcChunk.path))).toBe(true);

      await page.getByRole('button', { name: '退出' }).click();
      await page.waitForURL(/auth\.example\.test\/logout/);
    });
  });
});

describe('console build', () => {
  it('bundles app.js, index.html and styles.css with no external URLs, and writes them to a folder', async () => {
    const files = await buildConsoleFiles();
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['index.html', 'styles.css', 'app.js']));
    expect(paths).not.toContain('config.json');
    const html = files.find((f) => f.path === 'index.html')!.body.toString();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('src="app.js"');
    for (const file of files.filter((f) => f.path !== 'app.js' && !f.path.startsWith('chunk-'))) expect(file.body.toString()).not.toMatch(/https?:\/\//);
    expect(files.find((f) => f.path === 'app.js')!.body.toString()).not.toContain('innerHTML');

    const dir = await mkdtemp(join(tmpdir(), 'console-'));
    try {
      await writeConsole(dir);
      expect((await readdir(dir)).sort()).toEqual([...paths].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('console limits', () => {
  it('allows notes as long as the server does', () => {
    expect(NOTE_MAX).toBe(LIMITS.note);
  });
});

describe('console wording', () => {
  const now = new Date('2026-11-28T06:30:00Z'); // 14:30 in Beijing

  it('says how long a caller has waited', () => {
    expect(waitingText('2026-11-28T06:29:40Z', now)).toBe('等了不到 1 分钟');
    expect(waitingText('2026-11-28T06:05:00Z', now)).toBe('等了 25 分钟');
    expect(waitingText('2026-11-28T04:25:00Z', now)).toBe('等了 2 小时 5 分');
    expect(waitingText('2026-11-28T04:30:00Z', now)).toBe('等了 2 小时');
    expect(waitingText('2026-11-26T03:30:00Z', now)).toBe('等了 2 天 3 小时');
  });

  it('says where a promised time stands by the console\'s clock, in Beijing time, and keeps old requests\' words', () => {
    // now is 14:30 Beijing on 28 November.
    const item = (from: string, until: string, status: 'open' | 'done' = 'open') => ({ status, window: '今天下午两点到六点', due: { from, until } });
    expect(dueNow(item('2026-11-28T06:00:00Z', '2026-11-28T10:00:00Z'), now)).toBe('due');
    expect(dueNow(item('2026-11-28T11:00:00Z', '2026-11-28T13:00:00Z'), now)).toBe('upcoming');
    expect(dueNow(item('2026-11-28T01:00:00Z', '2026-11-28T04:00:00Z'), now)).toBe('overdue');
    expect(dueNow(item('2026-11-28T01:00:00Z', '2026-11-28T04:00:00Z', 'done'), now)).toBeNull();
    expect(dueSlotText(item('2026-11-29T01:00:00Z', '2026-11-29T04:00:00Z'), now)).toBe('明天 09:00–12:00');
    expect(dueSlotText({ due: null, window: '晚上七点到九点' }, now)).toBe('晚上七点到九点');
  });

  it('says who holds a claim since when, and when its lease ran out', () => {
    const claim = (claimedAt: string, claimedBy = 'alice') => ({ status: 'claimed' as const, claimedBy, claimedAt });
    expect(agoText('2026-11-28T04:25:00Z', now)).toBe('2 小时 5 分前');
    expect(agoText('2026-11-28T06:29:40Z', now)).toBe('不到 1 分钟前');
    expect(claimText(claim('2026-11-28T04:25:00Z'), now)).toBe('alice 认领于 12:25（2 小时 5 分前）');
    expect(claimText(claim('2026-11-27T14:05:00Z'), now)).toBe('alice 认领于 11月27日 22:05（16 小时 25 分前）');
    expect(claimText({ claimedBy: 'alice', claimedAt: null }, now)).toBe('alice 认领');
    // The lease is 120 minutes (store.ts): lapsed strictly after it, as the server decides.
    expect(claimLapsed(claim('2026-11-28T04:30:00Z'), now)).toBe(false);
    expect(claimLapsed(claim('2026-11-28T04:29:59Z'), now)).toBe(true);
    expect(claimLapsed({ status: 'claimed', claimedBy: 'alice', claimedAt: null }, now)).toBe(false);
    expect(claimLapsed({ status: 'open', claimedBy: null, claimedAt: null }, now)).toBe(false);
    expect(canTakeOver(claim('2026-11-28T04:00:00Z'), 'bob', now)).toBe(true);
    expect(canTakeOver(claim('2026-11-28T04:00:00Z'), 'alice', now)).toBe(false);
    expect(canTakeOver(claim('2026-11-28T05:00:00Z'), 'bob', now)).toBe(false);
    expect(lapsedText({ claimedBy: 'alice' }, 'bob')).toBe('认领已超过 2 小时，可以接手');
    expect(lapsedText({ claimedBy: 'alice' }, 'alice')).toBe('你的认领已超过 2 小时，其他同事可以接手');
  });

  it('orders the queue urgent first, then lapsed claims (in 待回电), then the longest waiting', () => {
    const item = (id: string, createdAt: string, extra: Partial<StaffCallback> = {}) => ({ id, createdAt, status: 'open', urgent: false, updatedAt: createdAt, closedAt: null, ...extra }) as StaffCallback;
    const items = [
      item('plain-old', '2026-11-28T01:00:00Z'),
      item('urgent-new', '2026-11-28T05:00:00Z', { urgent: true }),
      item('lapsed', '2026-11-28T02:00:00Z', { status: 'claimed' }),
      item('plain-new', '2026-11-28T04:00:00Z'),
      item('urgent-old', '2026-11-28T03:00:00Z', { urgent: true }),
      item('urgent-lapsed', '2026-11-28T04:30:00Z', { status: 'claimed', urgent: true }),
    ];
    expect(sortForTab(items, 'open').map((i) => i.id)).toEqual(['urgent-lapsed', 'urgent-old', 'urgent-new', 'lapsed', 'plain-old', 'plain-new']);
    const claimed = items.map((i) => ({ ...i, status: 'claimed' as const }));
    expect(sortForTab(claimed, 'claimed').map((i) => i.id)).toEqual(['urgent-old', 'urgent-lapsed', 'urgent-new', 'plain-old', 'lapsed', 'plain-new']);
  });

  it('puts the history in Chinese, marking a repeat request and keeping the note apart', () => {
    const lines = historyLines({
      topic: 'negotiate',
      topicLabel: '跟平台协商还款',
      history: [
        { at: '2026-11-28T01:00:00Z', by: 'caller', action: 'requested', detail: 'voice window=晚上七点到九点 topic=negotiate' },
        { at: '2026-11-28T02:00:00Z', by: 'sms', action: 'requested', detail: 'sms window=上午九点到十二点' },
        { at: '2026-11-28T03:00:00Z', by: 'alice', action: 'claimed' },
        { at: '2026-11-28T03:10:00Z', by: 'alice', action: 'outcome', detail: 'no-answer: 关机\n明天再打' },
        { at: '2026-11-28T04:00:00Z', by: 'sms', action: 'requested', detail: 'sms urgent window=上午九点到十二点 topic=negotiate' },
      ],
    });
    expect(lines.map((l) => [l.who, l.action, l.detail])).toEqual([
      ['来电者（电话）', '请求回电', '电话，时段：晚上七点到九点，话题：跟平台协商还款'],
      ['来电者（短信）', '再次请求回电', '短信，时段：上午九点到十二点'],
      ['alice', '认领', ''],
      ['alice', '记录结果', '无人接听（放回队列）'],
      ['来电者（短信）', '再次请求回电', '短信，紧急，时段：上午九点到十二点，话题：跟平台协商还款'],
    ]);
    expect(lines[3]!.note).toBe('关机\n明天再打');
    expect(lines[0]!.time).toBe('11月28日 09:00');
  });
});
