import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, launch, newPage, pairDevice, setUpAdmin, startTestHub, type TestHub } from './support.ts';

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

describe('the rating tablet', () => {
  it('refuses a code made for another kind of device, and the code stays usable for it', async () => {
    const code = (await admin.post('/api/v1/admin/pairing-codes', { kind: 'kiosk', name: '门口取号机' })).body
      .code;
    const { context, page } = await newPage(browser, { width: 1280, height: 800 });
    await page.goto(`${hub.url}/rating`);
    await page.locator('#pair-code').fill(code);
    await page.getByRole('button', { name: /配对/ }).click();
    await page.locator('.note-error:has-text("此配对码用于取号机，不是评价器")').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('nextup.tablet'))).toBeNull();
    const devices = (await admin.request('GET', '/api/v1/admin/devices')).body.devices as { name: string }[];
    expect(devices.map((d) => d.name)).not.toContain('门口取号机');
    const kiosk = await new Client(hub.url).post('/api/v1/devices/pair', {
      v: 1,
      code,
      name: 'x',
      kind: 'kiosk',
    });
    expect([kiosk.status, kiosk.body.kind, kiosk.body.name]).toEqual([200, 'kiosk', '门口取号机']);
    await context.close();
  });

  it('pairs as a counter tablet, asks after each finished ticket at its counter, and the rating reaches the report', async () => {
    const kiosk = await pairDevice(hub, admin, 'kiosk');
    const code = (
      await admin.post('/api/v1/admin/pairing-codes', { kind: 'counterTablet', name: '1号窗口评价器' })
    ).body.code;
    const { context, page } = await newPage(browser, { width: 1280, height: 800 });
    await page.goto(`${hub.url}/rating`);
    await page.locator('#pair-code').fill(code);
    await page.locator('#pair-name').fill('1号窗口评价器');
    await page.getByRole('button', { name: /配对/ }).click();
    // The tablet's counter is set by the admin on the hub (a tablet rates only its counter's tickets).
    await page.locator('[data-testid=rating-no-counter]').waitFor();
    const pairedId = await page.evaluate(
      () => JSON.parse(localStorage.getItem('nextup.tablet')!).deviceId as string,
    );
    expect(
      (
        await admin.request('PUT', `/api/v1/admin/devices/${pairedId}/settings`, {
          settings: { kind: 'counterTablet', counterId: 'c1' },
        })
      ).status,
    ).toBe(200);
    await page.locator('[data-testid=rating-idle]').waitFor();

    await admin.must({ type: 'OpenCounter', data: { counterId: 'c1' } });
    await admin.must({ type: 'OpenCounter', data: { counterId: 'c2' } });
    await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    await admin.must({ type: 'CallNext', data: { counterId: 'c1' } });
    await admin.must({ type: 'CallNext', data: { counterId: 'c2' } });
    hub.clock.advance(60_000);
    await admin.must({ type: 'StartServing', data: { counterId: 'c2' } });
    await admin.must({ type: 'FinishTicket', data: { counterId: 'c2' } });
    // Another counter's customer is not asked here.
    await page.waitForTimeout(2000);
    expect(await page.locator('[data-testid=rating-ask]').count()).toBe(0);

    await admin.must({ type: 'StartServing', data: { counterId: 'c1' } });
    hub.clock.advance(3 * 60_000);
    await admin.must({ type: 'FinishTicket', data: { counterId: 'c1' } });
    await page.locator('[data-testid=rating-ask]:has-text("A001")').waitFor();
    await page.locator('button[data-score="4"]').click();
    await page.locator('[data-testid=rating-thanks]').waitFor();
    const a001 = Object.values(hub.hub.view.state.tickets).find((t) => t.number === 'A001')!;
    await expect
      .poll(() => hub.hub.view.state.tickets[a001.id]?.rating === 4, {
        timeout: 10_000,
        message: 'rating stored',
      })
      .toBeTruthy();
    const report = await admin.get(`/api/v1/reports/daily?date=2026-11-23`);
    expect(report.body.satisfaction).toMatchObject({ count: 1, mean: 4, distribution: [0, 0, 0, 1, 0] });

    // The admin assigns the tablet to counter 2 on the hub: the tablet follows at once.
    const tabletId = await page.evaluate(
      () => JSON.parse(localStorage.getItem('nextup.tablet')!).deviceId as string,
    );
    const set = await admin.request('PUT', `/api/v1/admin/devices/${tabletId}/settings`, {
      settings: { kind: 'counterTablet', counterId: 'c2' },
    });
    expect(set.status).toBe(200);
    await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    await admin.must({ type: 'CallNext', data: { counterId: 'c2' } });
    await admin.must({ type: 'StartServing', data: { counterId: 'c2' } });
    hub.clock.advance(2 * 60_000);
    await admin.must({ type: 'FinishTicket', data: { counterId: 'c2' } });
    await page.locator('[data-testid=rating-ask]:has-text("A003")').waitFor();

    // The tablet may do nothing but rate.
    const token = await page.evaluate(
      () => JSON.parse(localStorage.getItem('nextup.tablet')!).token as string,
    );
    const call = await fetch(`${hub.url}/api/v1/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ v: 1, command: { type: 'CallNext', data: { counterId: 'c1' } } }),
    });
    expect(call.status).toBe(403);

    // Revoked: the tablet falls back to pairing.
    const deviceId = await page.evaluate(
      () => JSON.parse(localStorage.getItem('nextup.tablet')!).deviceId as string,
    );
    await admin.post(`/api/v1/admin/devices/${deviceId}/revoke`);
    await page.locator('#pair-code').waitFor();
    await page.locator('.note-error:has-text("已被吊销")').waitFor();
    await context.close();
  });
});
