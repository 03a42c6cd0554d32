import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  launch,
  newPage,
  pairDevice,
  screenshot,
  setUpAdmin,
  startTestHub,
  type TestHub,
} from './support.ts';

/**
 * The page a customer's phone opens from the ticket's QR code (served by the hub at /t/:id): one
 * ticket, live, readable on a phone, in Chinese or English.
 */
let hub: TestHub;
let admin: Client;
let browser: Browser;

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('the follow page on a phone', () => {
  it('shows the ticket, its place and wait, then the counter when it is called, in zh and en', async () => {
    const kiosk = await pairDevice(hub, admin, 'kiosk');
    await admin.command({ type: 'OpenCounter', data: { counterId: 'c1' } });
    await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    const mine = (await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } }))
      .body.ticket;
    const path = new URL(mine.followUrl).pathname;
    expect(path).toMatch(/^\/t\/[A-Za-z0-9_-]{22}$/);

    const { context, page } = await newPage(browser, { width: 390, height: 844 });
    await page.goto(`${hub.url}${path}`);
    await page.locator('#number', { hasText: mine.number }).waitFor();
    await page.locator('#status', { hasText: '等候中' }).waitFor();
    expect(await page.locator('#detail').textContent()).toMatch(/前面还有 1 人/);
    // Nothing wider than the phone, and the number is large.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const numberPx = await page
      .locator('#number')
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(numberPx).toBeGreaterThanOrEqual(56);
    await screenshot(page, 'follow-waiting-zh');

    await page.locator('#lang').click();
    await page.locator('#status', { hasText: 'Waiting' }).waitFor();
    expect(await page.locator('#detail').textContent()).toMatch(/1 person ahead of you/);
    await screenshot(page, 'follow-waiting-en');
    await page.locator('#lang').click();

    await admin.command({ type: 'CallNext', data: { counterId: 'c1' } });
    await admin.command({ type: 'CallNext', data: { counterId: 'c1' } });
    await page.locator('#status', { hasText: '轮到您了' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#detail').textContent()).toContain('1号窗口');
    await screenshot(page, 'follow-called-zh');

    // Nothing else of the queue: the page only ever asks for this ticket.
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.waitForTimeout(3500);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((p) => p === `/api/v1/follow/${path.slice(3)}`)).toBe(true);

    await page.goto(`${hub.url}/t/AAAAAAAAAAAAAAAAAAAAAA`);
    await page.locator('#status', { hasText: '找不到此号' }).waitFor();
    await context.close();
  });
});
