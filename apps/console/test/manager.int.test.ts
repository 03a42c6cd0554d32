import { estimateWait, waitingCountByService } from '@nextup/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createStaff,
  launch,
  newPage,
  pairDevice,
  setUpAdmin,
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
  await createStaff(admin, 'wang.fang', 'manager', [], '王芳');
  const kiosk = await pairDevice(hub, admin, 'kiosk');
  await admin.must({ type: 'OpenCounter', data: { counterId: 'c1' } });
  for (let i = 0; i < 25; i++)
    await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'personal', class: 'normal' } });
  for (let i = 0; i < 3; i++)
    await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('the manager view', () => {
  it('shows live waiting counts and predicted waits, alerts on a long wait and opens the suggested counter', async () => {
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'wang.fang');
    expect(new URL(page.url()).pathname).toBe('/manager');
    const state = hub.hub.view.state;
    const waiting = waitingCountByService(state);
    const row = (id: string) => page.locator(`[data-testid=service-table] tr[data-service="${id}"]`);
    expect(await row('personal').locator('td').nth(1).textContent()).toBe(String(waiting.personal));
    expect(await row('cash').locator('td').nth(1).textContent()).toBe(String(waiting.cash));
    // The page reckons at the hub's time plus the real seconds since it asked (the hub's clock is
    // manual here), and the estimator is sensitive to time: accept the range at any of those seconds.
    const ranges = new Set<string>();
    for (let dt = 0; dt <= 30_000; dt += 500) {
      const e = estimateWait(
        state,
        { kind: 'new', serviceId: 'personal', class: 'normal' },
        hub.clock.now() + dt,
      )!;
      ranges.add(`${e.lowMinutes}–${e.highMinutes} 分钟`);
    }
    const shown = (await row('personal').locator('td').nth(3).textContent())!;
    expect(
      [...ranges].some((r) => shown.startsWith(r)),
      `${shown} in ${[...ranges]}`,
    ).toBe(true);

    // 25 waiting for accounts with one counter open: over the 20-minute threshold.
    const alert = page.locator('[data-testid=alerts] li:has-text("个人综合业务")');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('建议开放 3号窗口');
    await alert.getByRole('button', { name: '开放 3 号窗口' }).click();
    await expect
      .poll(() => hub.hub.view.state.counters.c3?.status === 'open', {
        timeout: 10_000,
        message: 'counter 3 opened',
      })
      .toBeTruthy();
    // Audited as the manager's action.
    const opened = hub.hub.log
      .readAfter(0, 1000)
      .filter((e) => e.event.type === 'CounterOpened')
      .at(-1)!;
    expect(opened.actor).toEqual({ kind: 'staff', id: hub.hub.identities.staffByUsername('wang.fang')!.id });
    await page
      .locator('[data-testid=service-table] tr[data-service="personal"] td:nth-child(3):text-is("2")')
      .waitFor();
    await context.close();
  });
});
