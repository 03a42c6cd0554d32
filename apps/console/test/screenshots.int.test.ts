import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createStaff,
  launch,
  newPage,
  pairDevice,
  pairTablets,
  runDay,
  screenshot,
  setUpAdmin,
  signIn,
  signInUi,
  startTestHub,
  type TestHub,
} from './support.ts';

/**
 * Screenshots of every console in Chinese and English at 1366×768 (the counter console also at
 * 1024×768), of a branch in the middle of a busy morning, saved under apps/console/.artifacts/ to be
 * looked at. Each also checks that no text overflows its box horizontally and nothing is tiny.
 */

let hub: TestHub;
let admin: Client;
let browser: Browser;
let deviceIds: { kiosk: string; display: string };

beforeAll(async () => {
  hub = await startTestHub({ at: Date.UTC(2026, 10, 23, 0, 30) }); // Monday 08:30
  admin = await setUpAdmin(hub);
  await createStaff(admin, 'li.na', 'teller', ['c1', 'c2'], '李娜');
  await createStaff(admin, 'wang.fang', 'manager', [], '王芳');
  await createStaff(admin, 'zhou.min', 'teller', [], '周敏');
  const manager = await signIn(hub.url, 'wang.fang');
  const kiosk = await pairDevice(hub, admin, 'kiosk', '大厅取号机 1');
  const tablets = await pairTablets(hub, admin, ['c1', 'c2', 'c3']);
  const display = await pairDevice(hub, admin, 'display', '大厅叫号屏');
  deviceIds = { kiosk: kiosk.deviceId, display: display.deviceId };
  for (const [deviceId, settings] of [
    [
      kiosk.deviceId,
      {
        kind: 'kiosk',
        printer: { url: 'tcp://10.0.0.9:9100', paperWidth: 80, chinese: 'native', qr: 'native' },
        idleSeconds: 30,
        services: ['cash', 'personal', 'business'],
      },
    ],
    [
      display.deviceId,
      {
        kind: 'display',
        bus: { port: '/dev/ttyUSB0', baud: 9600, dialect: 'v1' },
        mainBoards: [200, 201],
        voice: { languages: ['zh', 'en'], repeat: 2 },
        counters: [],
      },
    ],
  ] as const) {
    const r = await admin.request('PUT', `/api/v1/admin/devices/${deviceId}/settings`, { settings });
    if (r.status !== 200) throw new Error(`settings refused: ${JSON.stringify(r.body)}`);
  }
  await runDay(
    hub,
    { staff: manager, kiosk, tablets },
    { seed: 7, minutes: 120, counters: ['c1', 'c2', 'c3'], arrivalRate: 0.55 },
  );
  // A device with paper out, for the device list.
  await kiosk.post('/api/v1/devices/health', {
    v: 1,
    health: {
      version: '0.1.0',
      components: [
        {
          component: 'printer',
          address: null,
          level: 'error',
          code: 'PAPER_OUT',
          detail: 'paper roll empty; not printed: A031',
          reason: { code: 'notPrinted', params: { numbers: 'A031' } },
          since: hub.clock.now() - 7 * 60_000,
        },
        {
          component: 'scanner',
          address: null,
          level: 'ok',
          code: 'OK',
          detail: null,
          since: hub.clock.now() - 3600_000,
        },
      ],
    },
  });
  await admin.must({ type: 'PauseCounter', data: { counterId: 'c2', reason: 'lunch', backInMinutes: 60 } });
  // Counter 1 plans its lunch: the admin's counter form shows it.
  const c1 = hub.hub.view.state.config.counters.c1!;
  await admin.must({
    type: 'UpsertCounter',
    data: { counter: { ...c1, breaks: [{ start: '12:00', end: '13:00', days: [1, 2, 3, 4, 5] }] } },
  });
  // The floor desk's morning: a priority and a VIP ticket printed on the kiosk, one void.
  const floor = await signIn(hub.url, 'zhou.min');
  for (const [serviceId, cls] of [
    ['personal', 'priority'],
    ['wealth', 'vip'],
  ] as const) {
    const r = await floor.post('/api/v1/desk/tickets', {
      v: 1,
      serviceId,
      class: cls,
      printAt: kiosk.deviceId,
      lang: 'zh',
    });
    await kiosk.post('/api/v1/devices/print-report', {
      v: 1,
      ticketId: r.body.ticket.id,
      ok: true,
      problem: null,
    });
  }
  const mistake = await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
  await floor.must({ type: 'CancelTicket', data: { ticketId: mistake.ticket.id, reason: 'duplicate' } });
  await admin.post('/api/v1/appointments', {
    serviceId: 'personal',
    slotStart: Date.UTC(2026, 10, 23, 6, 0),
    customerName: '王先生',
    phoneTail: '1234',
  });
  await admin.post('/api/v1/admin/api-keys', { name: '手机银行预约' });
  await admin.request('PUT', '/api/v1/notice', {
    notice: { zh: '今日 12:00–13:00 对公业务暂停办理', en: 'Business banking closes 12:00–13:00 today' },
  });
  browser = await launch();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

/** Text that overflows its own box sideways, and text smaller than 12 px: both are bugs. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (!el.offsetParent || el.children.length > 0 || !el.textContent?.trim()) continue;
      if (el.closest('.queue-list, .table, .chart, select, option')) continue;
      const size = Number.parseFloat(getComputedStyle(el).fontSize);
      if (size < 12) problems.push(`tiny ${size}px: ${el.textContent.trim().slice(0, 30)}`);
      if (
        el.scrollWidth > el.clientWidth + 2 &&
        getComputedStyle(el).overflow === 'visible' &&
        el.clientWidth > 0
      )
        problems.push(`overflow: ${el.textContent.trim().slice(0, 30)}`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push('page scrolls sideways');
    return problems;
  });
}

async function shoot(page: Page, name: string) {
  await screenshot(page, name);
  expect(await layoutProblems(page), name).toEqual([]);
}

for (const lang of ['zh', 'en'] as const) {
  describe(`screenshots (${lang})`, () => {
    it('of the sign-in page', async () => {
      const { context, page } = await newPage(browser, { lang });
      await page.goto(`${hub.url}/login`);
      await page.locator('input[name="username"]').waitFor();
      await shoot(page, `login-${lang}`);
      await context.close();
    });

    it('of the counter console at 1366×768 and 1024×768', async () => {
      for (const [width, height] of [
        [1366, 768],
        [1024, 768],
      ] as const) {
        const { context, page } = await newPage(browser, { lang, width, height });
        await signInUi(page, hub.url, 'li.na', '/counter/c1');
        await page.locator('[data-testid=current-ticket]').waitFor();
        await page.locator('[data-testid=queue-list] li').first().waitFor();
        await shoot(page, `counter-${width}-${lang}`);
        if (width === 1366) {
          await page.keyboard.press('t');
          await page.getByRole('dialog').waitFor();
          await shoot(page, `counter-transfer-${lang}`);
        }
        await context.close();
      }
    });

    it('of the counter console when paused', async () => {
      const { context, page } = await newPage(browser, { lang });
      await signInUi(page, hub.url, 'li.na', '/counter/c2');
      await page.locator('[data-testid=counter-status]').waitFor();
      await shoot(page, `counter-paused-${lang}`);
      await context.close();
      // The pause dialog, with when the teller will be back.
      const other = await newPage(browser, { lang });
      await signInUi(other.page, hub.url, 'admin', '/counter/c1');
      await other.page.locator('[data-testid=counter-status]').waitFor();
      await other.page.locator('button[data-action=pause]').click();
      await other.page.locator('[data-testid=back-in]').waitFor();
      await shoot(other.page, `counter-pause-dialog-${lang}`);
      await other.context.close();
    });

    it('of the floor desk at 1366×768 and on a phone (390×844)', async () => {
      for (const [width, height, name] of [
        [1366, 768, 'desk'],
        [390, 844, 'desk-phone'],
      ] as const) {
        const { context, page } = await newPage(browser, { lang, width, height });
        await signInUi(page, hub.url, 'zhou.min', '/desk');
        await page.locator('[data-testid=desk-table] tbody tr').first().waitFor();
        await page.locator('[data-testid=desk-services] [data-service="personal"] input').check();
        await shoot(page, `${name}-${lang}`);
        if (width === 1366) {
          await page.locator('[data-testid=desk-table] button.btn-danger').first().click();
          await page.getByRole('dialog').waitFor();
          await shoot(page, `desk-void-dialog-${lang}`);
        }
        await context.close();
      }
    });

    it('of the manager view and the daily report', async () => {
      const { context, page } = await newPage(browser, { lang });
      await signInUi(page, hub.url, 'wang.fang', '/manager');
      await page.locator('[data-testid=service-table]').waitFor();
      await shoot(page, `manager-${lang}`);
      await page.goto(`${hub.url}/report?date=2026-11-23`);
      await page.waitForFunction(() => document.querySelectorAll('.chart-box canvas').length === 4);
      await shoot(page, `report-${lang}`);
      await page.screenshot({
        path: `${import.meta.dirname}/../.artifacts/report-full-${lang}.png`,
        fullPage: true,
      });
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({
        path: `${import.meta.dirname}/../.artifacts/report-print-${lang}.png`,
        fullPage: true,
      });
      await context.close();
    });

    it('of the booking page', async () => {
      const { context, page } = await newPage(browser, { lang });
      await signInUi(page, hub.url, 'li.na', '/booking');
      await page.locator('select').first().selectOption('personal');
      await page.locator('input[type=date]').fill('2026-11-24');
      await page.locator('[data-testid=slots] button[data-time="10:00"]').click();
      await page.locator('button[type=submit]').click();
      await page.locator('[data-testid=booking-done]').waitFor();
      await shoot(page, `booking-${lang}`);
      await context.close();
    });

    it('of every admin section', async () => {
      const { context, page } = await newPage(browser, { lang });
      await signInUi(page, hub.url, 'admin', '/admin/services');
      await page.locator('tr[data-service="cash"] button').click();
      await page.locator('#svc-form').waitFor();
      await shoot(page, `admin-services-${lang}`);
      for (const section of ['counters', 'dispatch', 'branch', 'staff', 'devices', 'notice', 'keys']) {
        await page.goto(`${hub.url}/admin/${section}`);
        await page.locator('.admin-body .panel').first().waitFor();
        if (section === 'counters') await page.locator('.admin-body tbody tr button').first().click();
        if (section === 'staff') await page.locator('[data-testid=staff-table] td').first().waitFor();
        if (section === 'devices') await page.locator('[data-testid=device-list] .device').first().waitFor();
        await page.waitForTimeout(200);
        await shoot(page, `admin-${section}-${lang}`);
      }
      // The settings form of a kiosk and of a display, as branch IT sees them.
      await page.goto(`${hub.url}/admin/devices`);
      for (const kind of ['kiosk', 'display'] as const) {
        await page
          .locator(`[data-device="${deviceIds[kind]}"] .device-actions`)
          .getByRole('button', { name: lang === 'zh' ? '修改设置' : 'Edit settings' })
          .click();
        await page.getByTestId('device-settings-form').waitFor();
        await shoot(page, `admin-device-${kind}-${lang}`);
        await page.screenshot({
          path: `${import.meta.dirname}/../.artifacts/admin-device-${kind}-full-${lang}.png`,
          fullPage: true,
        });
      }
      await context.close();
    });
  });
}

it('of the rating tablet (both languages at once)', async () => {
  const code = (
    await admin.post('/api/v1/admin/pairing-codes', { kind: 'counterTablet', name: '1号窗口评价器' })
  ).body.code;
  const { context, page } = await newPage(browser, { width: 1280, height: 800 });
  await page.goto(`${hub.url}/rating`);
  await shoot(page, 'rating-pair');
  await page.locator('#pair-code').fill(code);
  await page.getByRole('button', { name: /配对/ }).click();
  // Until the admin sets its counter on the hub, the tablet says so.
  await page.locator('[data-testid=rating-no-counter]').waitFor();
  await shoot(page, 'rating-no-counter');
  const tabletId = await page.evaluate(
    () => JSON.parse(localStorage.getItem('nextup.tablet')!).deviceId as string,
  );
  await admin.request('PUT', `/api/v1/admin/devices/${tabletId}/settings`, {
    settings: { kind: 'counterTablet', counterId: 'c3' },
  });
  await page.locator('[data-testid=tablet]').waitFor();
  await admin.must({ type: 'ResumeCounter', data: { counterId: 'c2' } });
  const c3 = hub.hub.view.state.counters.c3!;
  if (c3.ticketId && hub.hub.view.state.tickets[c3.ticketId]?.status === 'called')
    await admin.must({ type: 'StartServing', data: { counterId: 'c3' } });
  if (!c3.ticketId) {
    await admin.must({ type: 'CallNext', data: { counterId: 'c3' } });
    await admin.must({ type: 'StartServing', data: { counterId: 'c3' } });
  }
  await admin.must({ type: 'FinishTicket', data: { counterId: 'c3' } });
  await page.locator('[data-testid=rating-ask]').waitFor();
  await shoot(page, 'rating-ask');
  await context.close();
});
