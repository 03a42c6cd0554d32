import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Branch, book, kioskPage, launch, MIN, MONDAY_0900, scan, startBranch } from './support.ts';

let branch: Branch;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  branch = await startBranch();
  browser = await launch();
  page = await kioskPage(browser, branch.agent.url);
  await page.locator('[data-action="appointment"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await branch?.close();
});

async function backToStart() {
  const done = page.locator('[data-action="done"], [data-action="back"]');
  if ((await done.count()) > 0) await done.first().tap();
  await page.locator('[data-screen="start"]').waitFor();
}

describe('appointment check-in at the kiosk', () => {
  it('checks in a scanned code at once, from the start screen, and prints its ticket', async () => {
    const code = await book(branch.admin, 'personal', MONDAY_0900 + 30 * MIN);
    const before = branch.printer.tickets.length;
    await scan(page, code);
    await page.locator('[data-screen="ticket"]').waitFor();
    expect(await page.locator('.ticket-number').textContent()).toBe('B001');
    expect(await page.locator('.ticket-slot').textContent()).toContain('09:30–10:00');
    await page.locator('[data-print-status="printed"]').waitFor();
    expect(branch.printer.tickets.length).toBe(before + 1);
    const paper = branch.printer.tickets.at(-1)!;
    expect(paper.text).toContain('B001');
    // The printer writes the en dash as a hyphen, which every Chinese printer font has (hardware/escpos.md §2.1).
    expect(paper.text).toContain('预约时段 09:30-10:00');
    const state = (await branch.admin.get('/api/v1/state')).body.state;
    const appt = Object.values<any>(state.appointments).find((a) => a.code === code);
    expect(appt.status).toBe('checkedIn');
    expect(state.tickets[appt.ticketId]).toMatchObject({
      number: 'B001',
      class: 'appointment',
      source: 'appointment',
    });
    await backToStart();
  });

  it('takes slow keys for a person typing: the keypad fills, and only Enter checks in', async () => {
    const code = await book(branch.admin, 'personal', MONDAY_0900 + 30 * MIN);
    await page.keyboard.type(code.slice(0, 4), { delay: 150 });
    await page.locator('[data-screen="keypad"]').waitFor();
    await page.waitForFunction(
      (c) => document.querySelector('.code-display')?.getAttribute('data-code') === c,
      code.slice(0, 4),
    );
    await page.keyboard.type(code.slice(4), { delay: 150 });
    await page.waitForFunction(
      (c) => document.querySelector('.code-display')?.getAttribute('data-code') === c,
      code,
    );
    // Nothing happened yet: a person's keys are never taken for a scan.
    expect(await page.locator('[data-screen="keypad"]').count()).toBe(1);
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await page.locator('[data-screen="ticket"]').waitFor();
    expect(await page.locator('.ticket-number').textContent()).toBe('B002');
    await page.locator('[data-print-status="printed"]').waitFor();
    await backToStart();
  });

  it('checks in a code typed on the on-screen keypad', async () => {
    const code = await book(branch.admin, 'wealth', MONDAY_0900 + 30 * MIN);
    await page.locator('[data-action="appointment"]').tap();
    for (const k of code) await page.locator(`[data-key="${k}"]`).tap();
    expect(await page.locator('.code-display').getAttribute('data-code')).toBe(code);
    await page.locator('[data-key="ok"]').tap();
    await page.locator('[data-screen="ticket"]').waitFor();
    expect(await page.locator('.ticket-number').textContent()).toBe('V001');
    await page.locator('[data-print-status="printed"]').waitFor();
    await backToStart();
  });

  it('says "too early, come back at 10:00" in both languages, and prints nothing', async () => {
    const code = await book(branch.admin, 'personal', MONDAY_0900 + 90 * MIN);
    const before = branch.printer.tickets.length;
    await scan(page, code);
    const error = page.locator('[data-error="APPOINTMENT_TOO_EARLY"]');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).toContain('预约时间未到，请于 10:00 后再来签到');
    expect(text).toContain('Too early: please check in from 10:00');
    expect(branch.printer.tickets.length).toBe(before);
    await backToStart();
  });

  it('says an unknown code is unknown', async () => {
    await scan(page, '99999999');
    await page.locator('[data-error="UNKNOWN_APPOINTMENT"]').waitFor();
    expect(await page.locator('.keypad-error').textContent()).toContain('预约码无效');
    await backToStart();
  });

  it('says "this appointment expired" once its window has passed', async () => {
    const code = await book(branch.admin, 'business', MONDAY_0900 + 30 * MIN);
    branch.hub.clock.set(MONDAY_0900 + 46 * MIN);
    const before = branch.printer.tickets.length;
    await scan(page, code);
    const error = page.locator('[data-error="APPOINTMENT_EXPIRED"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('此预约已过期');
    expect(await error.textContent()).toContain('This appointment has expired');
    expect(branch.printer.tickets.length).toBe(before);
  });
});

describe('the check-in button follows the day', () => {
  it('keeps English when the customer goes back from the keypad (only the next customer starts in Chinese)', async () => {
    await backToStart();
    await page.locator('.lang-toggle').tap();
    await page.locator('[data-screen="start"][lang="en"]').waitFor();
    await page.locator('[data-action="appointment"]').tap();
    await page.locator('[data-screen="keypad"][lang="en"]').waitFor();
    await page.locator('[data-action="back"]').tap();
    await page.locator('[data-screen="start"]').waitFor();
    expect(await page.locator('[data-screen="start"]').getAttribute('lang')).toBe('en');
    expect(await page.locator('.title').textContent()).toBe('Please choose a service');
    await page.locator('.lang-toggle').tap();
    await page.locator('[data-screen="start"][lang="zh-CN"]').waitFor();
  });

  it('after closing time the check-in button is disabled and says why, and a scan is answered the same', async () => {
    const button = page.locator('[data-action="appointment"]');
    expect(await button.isDisabled()).toBe(false);
    const code = await book(branch.admin, 'personal', MONDAY_0900 + 7 * 60 * MIN);
    // 17:01 on Monday: every service has stopped for the day. Any change makes the kiosk look again.
    branch.hub.clock.set(MONDAY_0900 + 8 * 60 * MIN + MIN);
    await branch.admin.request('PUT', '/api/v1/notice', { notice: null });
    await page.locator('[data-action="appointment"][disabled]').waitFor();
    expect(await page.locator('.appointment-hint').textContent()).toBe('今日预约签到已结束');
    const before = (await branch.admin.get('/api/v1/state')).body.seq;
    await scan(page, code);
    const error = page.locator('[data-error="CHECK_IN_CLOSED"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('Check-in has closed for today');
    expect(await page.locator('[data-key="ok"]').isDisabled()).toBe(true);
    expect((await branch.admin.get('/api/v1/state')).body.seq).toBe(before);
    await backToStart();
  });
});
