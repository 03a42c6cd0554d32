import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
  subscriber,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let kiosk: Client & { deviceId: string };
let browser: Browser;
let link: { stop(): void } | null = null;

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  // The floor manager (大堂经理): a staff account without a counter of their own.
  await createStaff(admin, 'zhou.min', 'teller', [], '周敏');
  kiosk = await pairDevice(hub, admin, 'kiosk', '大厅取号机');
  // Connected, as a running kiosk is: the desk offers only kiosks that can print now.
  link = subscriber(hub, kiosk.token!).sub;
  await vi.waitFor(
    () => {
      if (!hub.hub.view.hub.devices.find((d) => d.deviceId === kiosk.deviceId)?.online)
        throw new Error('kiosk online');
    },
    { timeout: 10_000, interval: 25 },
  );
  await admin.must({ type: 'OpenCounter', data: { counterId: 'c1' } });
  browser = await launch();
});
afterAll(async () => {
  link?.stop();
  await browser?.close();
  await hub?.close();
});

/** The kiosk stand-in answers the hub's print request for this ticket (the kiosk's own test prints). */
async function kioskAnswers(ticketNumber: string, ok: boolean, problem: string | null = null) {
  const ticket = Object.values(hub.hub.view.state.tickets).find((t) => t.number === ticketNumber)!;
  await expect
    .poll(
      () =>
        hub.hub.log
          .readAfter(0, 5000)
          .some((e) => e.event.type === 'TicketPrintRequested' && e.event.data.ticketId === ticket.id),
      { timeout: 10_000, message: `print request for ${ticketNumber}` },
    )
    .toBeTruthy();
  const r = await kiosk.post('/api/v1/devices/print-report', { v: 1, ticketId: ticket.id, ok, problem });
  expect(r.status).toBe(200);
}

const staffId = (u: string) => hub.hub.identities.staffByUsername(u)!.id;

async function chooseAndIssue(page: Page, cls: string, serviceId: string) {
  await page.locator(`[data-testid=desk-class] input[value="${cls}"]`).check();
  await page.locator(`[data-testid=desk-services] [data-service="${serviceId}"] input`).check();
  await page.locator('button[data-action=issue]').click();
}

describe('the floor desk', () => {
  it('issues a priority ticket for an elderly customer, printed on the kiosk beside them, audited as the floor manager', async () => {
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'zhou.min', '/desk');
    await page.getByRole('heading', { name: '大堂发号', exact: true }).waitFor();
    await page.locator('#desk-kiosk option:has-text("大厅取号机")').waitFor({ state: 'attached' });
    await page.locator('#desk-kiosk').selectOption({ label: '大厅取号机' });
    expect(await page.locator('button[data-action=issue]').textContent()).toContain('发号并打印');

    await chooseAndIssue(page, 'priority', 'personal');
    const card = page.locator('[data-testid=desk-issued]');
    await card.locator('.desk-issued-number:text-is("B001")').waitFor();
    expect(await card.textContent()).toContain('优先');
    await page.locator('[data-testid=desk-issued-print]:has-text("正在 大厅取号机 打印")').waitFor();
    await kioskAnswers('B001', true);
    await page.locator('[data-testid=desk-issued-print]:has-text("已在 大厅取号机 打印")').waitFor();

    const issued = hub.hub.log
      .readAfter(0, 5000)
      .find((e) => e.event.type === 'TicketIssued' && e.event.data.number === 'B001')!;
    expect(issued.actor).toEqual({ kind: 'staff', id: staffId('zhou.min') });
    expect(issued.event.data).toMatchObject({ class: 'priority', source: 'staff' });
    const row = page.locator('[data-testid=desk-table] tr[data-number="B001"]');
    await row.locator(':text("大厅取号机：已打印")').waitFor();
    expect(await row.textContent()).toContain('周敏');
    await screenshot(page, 'desk-zh');
    await context.close();
  });

  it('tells the floor manager when the kiosk could not print a VIP ticket, and offers to print it again', async () => {
    const { context, page } = await newPage(browser, { lang: 'en' });
    await signInUi(page, hub.url, 'zhou.min', '/desk');
    await page.getByRole('heading', { name: 'Floor desk', exact: true }).waitFor();
    await page.locator('#desk-kiosk option:has-text("大厅取号机")').waitFor({ state: 'attached' });
    // The kiosk chosen last time is remembered only per browser: choose it here.
    await page.locator('#desk-kiosk').selectOption({ label: '大厅取号机' });
    await chooseAndIssue(page, 'vip', 'wealth');
    await page.locator('.desk-issued-number:text-is("V001")').waitFor();
    await kioskAnswers('V001', false, 'PAPER_OUT');
    const line = page.locator('[data-testid=desk-issued-print]');
    await page
      .locator('[data-testid=desk-issued-print]:has-text("could not print it: out of paper")')
      .waitFor();
    expect(await line.textContent()).toBe('大厅取号机 could not print it: out of paper');
    await page.getByRole('button', { name: 'Print on the chosen kiosk' }).waitFor();
    await screenshot(page, 'desk-en');

    // The kiosk's own health says paper out: the desk will not send it the next ticket.
    await kiosk.post('/api/v1/devices/health', {
      v: 1,
      health: {
        version: 'test',
        components: [
          { component: 'printer', address: null, level: 'error', code: 'PAPER_OUT', detail: null, since: 0 },
        ],
      },
    });
    const blocked = page.locator('[data-testid=kiosk-blocked]');
    await blocked.waitFor();
    expect(await blocked.textContent()).toContain('大厅取号机 (Paper out) cannot print now');
    expect(await page.locator('button[data-action=issue]').isDisabled()).toBe(true);
    await kiosk.post('/api/v1/devices/health', {
      v: 1,
      health: {
        version: 'test',
        components: [
          { component: 'printer', address: null, level: 'ok', code: 'OK', detail: null, since: 0 },
        ],
      },
    });
    await blocked.waitFor({ state: 'detached' });
    await context.close();
  });

  it('voids a ticket taken by mistake with a reason, shown in the list and counted in the report', async () => {
    const mistake = await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    const number = mistake.ticket.number as string;
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'zhou.min', '/desk');
    await page.locator('#void-number').fill(number.toLowerCase());
    await page.locator('#void-number').press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // The focus is on the chosen reason; arrow keys move the choice, Enter confirms it.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('staffVoid');
    await dialog.getByLabel('重复取号').check();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => hub.hub.view.state.tickets[mistake.ticket.id]?.status === 'cancelled', {
        timeout: 10_000,
        message: 'voided',
      })
      .toBeTruthy();
    const cancelled = hub.hub.log
      .readAfter(0, 5000)
      .filter((e) => e.event.type === 'TicketCancelled')
      .at(-1)!;
    expect(cancelled).toMatchObject({
      actor: { kind: 'staff', id: staffId('zhou.min') },
      event: { data: { ticketId: mistake.ticket.id, reason: 'duplicate' } },
    });
    const row = page.locator(`[data-testid=desk-table] tr[data-number="${number}"]`);
    await row.locator(':text("已作废")').waitFor();
    expect(await row.textContent()).toContain('周敏 作废：重复取号');
    expect(await row.textContent()).toContain('大厅取号机');

    // The day's report counts the desk's classes and the void.
    const day = hub.hub.view.state.day!;
    const report = (await admin.get(`/api/v1/reports/daily?date=${day}`)).body;
    const cls = (c: string) => report.byClass.find((r: { class: string }) => r.class === c);
    expect(cls('priority')).toMatchObject({ issued: 1, atDesk: 1, voided: 0 });
    expect(cls('vip')).toMatchObject({ issued: 1, atDesk: 1, voided: 0 });
    expect(cls('normal')).toMatchObject({ issued: 1, atDesk: 0, voided: 1 });
    await screenshot(page, 'desk-void-zh');
    await context.close();
  });
});
