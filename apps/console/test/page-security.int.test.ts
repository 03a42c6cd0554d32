import { ADMIN_PASSWORD } from '@nextup/hub/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createStaff,
  launch,
  newPage,
  pairDevice,
  screenshot,
  setUpAdmin,
  signInUi,
  startTestHub,
  type TestHub,
} from './support.ts';

/**
 * Issue 15, defect 7: what an admin types cannot become markup on a customer's phone, and every page
 * the hub serves carries a Content-Security-Policy, frame-ancestors / X-Frame-Options and a
 * Referrer-Policy, under which the consoles and the setup page still work in Chromium.
 */

let hub: TestHub;
let admin: Client;
let browser: Browser;
const EVIL = '<img src=x onerror="document.title=\'pwned\'">窗口';

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

/** Collects CSP violations and page errors while a page is used. */
async function watch(page: Page) {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  return async () => [
    ...problems,
    ...((await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])) as string[]),
  ];
}

describe('the follow page', () => {
  it('shows a counter name with markup in it as text, and runs nothing of it', async () => {
    const c1 = hub.hub.view.state.config.counters.c1!;
    await admin.must({ type: 'UpsertCounter', data: { counter: { ...c1, name: { zh: EVIL, en: EVIL } } } });
    const kiosk = await pairDevice(hub, admin, 'kiosk');
    await admin.must({ type: 'OpenCounter', data: { counterId: 'c1' } });
    const t = (await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } }))
      .ticket;
    await admin.must({ type: 'CallNext', data: { counterId: 'c1' } });
    const { context, page } = await newPage(browser, { width: 390, height: 844 });
    const problems = await watch(page);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const res = await page.goto(`${hub.url}${new URL(t.followUrl).pathname}`);
    await page.locator('#status', { hasText: '轮到您了' }).waitFor();
    expect(await page.locator('#detail').textContent()).toContain(EVIL);
    expect(await page.locator('#detail img').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
    expect(dialogs).toEqual([]);
    const headers = res!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'sha256-[^']+'/);
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(await problems()).toEqual([]);
    await screenshot(page, 'follow-markup-as-text');
    await context.close();
  });
});

describe('headers on every page the hub serves', () => {
  it('sends CSP, frame-ancestors / X-Frame-Options and Referrer-Policy everywhere', async () => {
    const index = await fetch(`${hub.url}/counter`);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())![1]!;
    for (const path of [
      '/',
      '/counter',
      '/setup',
      '/t/AAAAAAAAAAAAAAAAAAAAAA',
      script,
      '/api/v1/health',
      '/nowhere',
    ]) {
      const r = await fetch(`${hub.url}${path}`);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
      expect(r.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});

describe('the consoles and the setup page work under the policy in Chromium', () => {
  it('signs in, runs the counter console, books with its QR image and draws the report, with no violation', async () => {
    await createStaff(admin, 'zhao.jl', 'manager', [], '赵经理');
    const { context, page } = await newPage(browser);
    const problems = await watch(page);
    await signInUi(page, hub.url, 'zhao.jl', '/counter');
    await page.locator('[data-testid=counter-console], .counter-wrap').first().waitFor();
    await page.goto(`${hub.url}/booking`);
    await page.locator('input[type=date]').fill('2026-11-25');
    await page.locator('[data-testid=slots] button[data-time="11:00"]').click();
    await page.getByRole('button', { name: '预约', exact: true }).click();
    await page.locator('[data-testid=booking-done]').waitFor();
    expect(
      await page.locator('img.qr').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(100);
    await page.goto(`${hub.url}/report?date=2026-11-23`);
    await page.locator('.uplot, canvas').first().waitFor();
    await page.goto(`${hub.url}/admin/devices`);
    await page.locator('.live-on').waitFor();
    expect(await problems()).toEqual([]);
    await context.close();
  });

  it('creates the first admin on the setup page', async () => {
    const fresh = await startTestHub();
    try {
      const { context, page } = await newPage(browser);
      const problems = await watch(page);
      await page.goto(`${fresh.url}/setup`);
      await page.locator('input[name=token]').fill(fresh.setupToken!);
      await page.locator('input[name=username]').fill('it.admin');
      await page.locator('input[name=displayName]').fill('王工');
      await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
      await page.locator('button[type=submit]').click();
      await page.locator('.msg.ok').waitFor();
      await page.waitForURL((u) => u.pathname !== '/setup');
      await page.locator('.live-on').waitFor();
      expect(fresh.identity.needsSetup()).toBe(false);
      expect(await problems()).toEqual([]);
      await context.close();
    } finally {
      await fresh.close();
    }
  });
});
