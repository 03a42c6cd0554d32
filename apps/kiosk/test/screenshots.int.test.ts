import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Branch, kioskPage, launch, MIN, MONDAY_0900, screenshot, startBranch } from './support.ts';

let branch: Branch;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  branch = await startBranch();
  // A morning with people waiting, and the business desk opening later.
  for (const [serviceId, n] of [
    ['cash', 4],
    ['personal', 7],
    ['wealth', 1],
  ] as const)
    for (let i = 0; i < n; i++)
      await branch.admin.must({ type: 'IssueTicket', data: { serviceId, class: 'normal' } });
  const config = (await branch.admin.get('/api/v1/state')).body.state.config;
  await branch.admin.must({
    type: 'UpsertService',
    data: {
      service: {
        ...config.services.business,
        hours: [{ days: [1, 2, 3, 4, 5], open: '09:30', close: '16:30' }],
      },
    },
  });
  browser = await launch();
  page = await kioskPage(browser, branch.agent.url);
  await page.waitForFunction(() =>
    document.querySelector('[data-service="business"]')?.hasAttribute('disabled'),
  );
});

afterAll(async () => {
  await browser?.close();
  await branch?.close();
});

async function shoot(lang: 'zh' | 'en') {
  const shots: string[] = [];
  await page.locator('[data-screen="start"]').waitFor();
  if (lang === 'en') await page.locator('.lang-toggle').tap();
  await page.waitForFunction(
    (l) =>
      document.querySelector('[data-screen="start"]')?.getAttribute('lang') === (l === 'zh' ? 'zh-CN' : 'en'),
    lang,
  );
  await page.waitForFunction(
    () => document.querySelector('[data-service="cash"] .figure-value')?.textContent !== '0',
  );
  shots.push(await screenshot(page, `start-${lang}`));

  await page.locator('[data-service="personal"]').tap();
  await page.locator('[data-print-status="printed"]').waitFor();
  shots.push(await screenshot(page, `ticket-${lang}`));
  await page.locator('[data-action="done"]').tap();
  if (lang === 'en') await page.locator('.lang-toggle').tap();

  // The roll runs out in the middle of the ticket.
  branch.printer.setStatusAfter(120, { paperOut: true });
  await page.locator('[data-service="cash"]').tap();
  await page.locator('[data-print-status="failed"]').waitFor();
  shots.push(await screenshot(page, `print-failed-${lang}`));
  branch.printer.setStatus({ paperOut: false });
  // The customer did not wait for a reprint: their number is called. The screen follows the ticket.
  const number = (await page.locator('.ticket-number').textContent())!;
  await branch.admin.must({ type: 'CallTicket', data: { counterId: 'c1', number } });
  await page.locator('.ticket-called').waitFor();
  shots.push(await screenshot(page, `print-failed-called-${lang}`));
  await page.locator('[data-action="done"]').tap();
  if (lang === 'en') await page.locator('.lang-toggle').tap();

  await page.locator('[data-action="appointment"]').tap();
  for (const k of '2026') await page.locator(`[data-key="${k}"]`).tap();
  shots.push(await screenshot(page, `keypad-${lang}`));
  await page.locator('[data-key="ok"]').tap();
  await page.locator('[data-error="UNKNOWN_APPOINTMENT"]').waitFor();
  shots.push(await screenshot(page, `keypad-refused-${lang}`));
  // Back keeps the customer's language.
  await page.locator('[data-action="back"]').tap();

  branch.printer.setStatus({ paperOut: true });
  await page.locator('[data-problem="PAPER_OUT"]').waitFor();
  shots.push(await screenshot(page, `paper-out-${lang}`));
  branch.printer.setStatus({ paperOut: false });
  await page.locator('.problem-banner').waitFor({ state: 'detached' });

  await branch.hub.stop();
  await page.locator('[data-screen="offline"][data-problem="HUB_OFFLINE"]').waitFor();
  shots.push(await screenshot(page, `offline-${lang}`));
  await branch.hub.restart();
  await page.locator('[data-screen="start"]').waitFor();
  if (lang === 'en') await page.locator('.lang-toggle', { hasText: '中文' }).tap();
  return shots;
}

describe('the kiosk at 1080×1920', () => {
  it('renders the start, ticket, print-failed, keypad, paper-out and offline screens in Chinese', async () => {
    const shots = await shoot('zh');
    for (const s of shots) expect(existsSync(s)).toBe(true);
  });

  it('renders them in English', async () => {
    await page.locator('[data-screen="start"]').waitFor();
    const shots = await shoot('en');
    for (const s of shots) expect(existsSync(s)).toBe(true);
  });

  it('renders the start screen after closing time, check-in closed, in both languages', async () => {
    // 17:01 on Monday: every service has stopped for the day.
    branch.hub.clock.set(MONDAY_0900 + 8 * 60 * MIN + MIN);
    await branch.admin.request('PUT', '/api/v1/notice', { notice: null });
    await page.locator('[data-action="appointment"][disabled]').waitFor();
    expect(existsSync(await screenshot(page, 'closed-zh'))).toBe(true);
    await page.locator('.lang-toggle').tap();
    await page.locator('[data-screen="start"][lang="en"]').waitFor();
    expect(existsSync(await screenshot(page, 'closed-en'))).toBe(true);
    await page.locator('.lang-toggle').tap();
  });
});
