import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createStaff,
  launch,
  newPage,
  pairDevice,
  setUpAdmin,
  signIn,
  signInUi,
  startTestHub,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let browser: Browser;

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  await createStaff(admin, 'li.na', 'teller', ['c1'], '李娜');
  const kiosk = await pairDevice(hub, admin, 'kiosk');
  for (let i = 0; i < 3; i++)
    await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('who sees what', () => {
  it('keeps a teller out of the admin, manager and report pages and their endpoints', async () => {
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'li.na');
    // The teller's menu has no admin, manager or report entries.
    expect(await page.locator('nav .nav-link').allTextContents()).toEqual([
      '柜员叫号',
      '大堂发号',
      '预约登记',
    ]);
    for (const path of ['/admin', '/admin/staff', '/admin/devices', '/manager', '/report']) {
      await page.goto(`${hub.url}${path}`);
      await page.locator('[data-testid=forbidden]').waitFor();
      expect(
        await page
          .locator('[data-testid=services-table], [data-testid=staff-table], [data-testid=device-list]')
          .count(),
      ).toBe(0);
    }
    // The endpoints refuse the teller's own session, from the browser.
    const statuses = await page.evaluate(async () => {
      const get = async (p: string) => (await fetch(p)).status;
      return {
        staff: await get('/api/v1/admin/staff'),
        devices: await get('/api/v1/admin/devices'),
        keys: await get('/api/v1/admin/api-keys'),
        report: await get('/api/v1/reports/daily?date=2026-11-23'),
      };
    });
    expect(statuses).toEqual({ staff: 403, devices: 403, keys: 403, report: 403 });
    const teller = await signIn(hub.url, 'li.na');
    const change = await teller.command({
      type: 'UpsertService',
      data: { service: { ...hub.hub.view.state.config.services.cash!, expectedMinutes: 9 } },
    });
    expect(change.status).toBe(403);
    expect((await teller.post('/api/v1/admin/pairing-codes', { kind: 'kiosk', name: 'x' })).status).toBe(403);
    expect((await teller.post('/api/v1/admin/api-keys', { name: 'x' })).status).toBe(403);
    expect(hub.hub.view.state.config.services.cash!.expectedMinutes).toBe(3);
    await context.close();
  });

  it('shows a signed-out browser nothing of the queue', async () => {
    const { context, page } = await newPage(browser);
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    for (const path of ['/', '/counter', '/manager', '/report', '/admin/devices', '/booking']) {
      await page.goto(`${hub.url}${path}`);
      await page.waitForURL(/\/login/);
      await page.locator('input[name="username"]').waitFor();
      const html = await page.content();
      expect(html).not.toMatch(/A00\d/);
      expect(html).not.toContain('个人现金业务');
    }
    expect(sockets).toEqual([]);
    const answers = await page.evaluate(async () => {
      const get = async (p: string) => (await fetch(p)).status;
      const ws = await new Promise<number>((resolve) => {
        const s = new WebSocket(`ws://${location.host}/api/v1/stream`);
        s.onclose = (e) => resolve(e.code);
      });
      return {
        state: await get('/api/v1/state'),
        events: await get('/api/v1/events?after=0'),
        offers: await get('/api/v1/offers'),
        report: await get('/api/v1/reports/daily'),
        slots: await get('/api/v1/appointments/slots?serviceId=personal&date=2026-11-24'),
        ws,
      };
    });
    expect(answers).toEqual({ state: 401, events: 401, offers: 401, report: 401, slots: 401, ws: 4401 });
    await context.close();
  });

  it('signs out and the page goes back to the sign-in form', async () => {
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'li.na');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${hub.url}/counter`);
    await page.waitForURL(/\/login/);
    await context.close();
  });
});
