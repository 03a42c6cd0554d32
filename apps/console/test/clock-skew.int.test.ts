import { DAY } from '@nextup/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  launch,
  newPage,
  pairDevice,
  setUpAdmin,
  signInUi,
  startTestHub,
  type TestHub,
} from './support.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

// A branch hub without NTP, or the demo's clock, can be far from the real date. Staff must still
// sign in and stay signed in: nothing the browser judges with its own clock may carry the hub's time.
describe.each([
  ['a month behind', -30 * DAY],
  ['a month ahead of', 30 * DAY],
])('a hub whose clock is %s the real date', (_name, skew) => {
  let hub: TestHub;
  let admin: Client;
  beforeAll(async () => {
    hub = await startTestHub({ at: Date.now() + skew });
    admin = await setUpAdmin(hub);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('signs staff in through a real browser, keeps the session across a reload, and gets the live view', async () => {
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'admin', '/admin/devices');
    // The browser holds a session cookie: no expiry date taken from the hub's clock.
    const cookies = await context.cookies(hub.url);
    const session = cookies.find((c) => c.name === 'nextup_session');
    expect(session?.expires).toBe(-1);
    await page.reload();
    await page.locator('.live-on').waitFor();
    expect(page.url()).not.toContain('/login');
    // The live view arrives over the stream with the same session: a box paired now shows up.
    await pairDevice(hub, admin, 'display', `叫号屏 ${skew > 0 ? 'B' : 'A'}`);
    await page
      .getByTestId('device-list')
      .getByText(`叫号屏 ${skew > 0 ? 'B' : 'A'}`)
      .waitFor();
    await context.close();
  });

  it("shows a pairing code's lifetime as a duration, not as a time on the hub's clock", async () => {
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'admin', '/admin/devices');
    await page.locator('input[name="deviceName"]').fill('取号机 2');
    await page.getByRole('button', { name: '生成配对码' }).click();
    const lifetime = page.getByTestId('pairing-code-lifetime');
    await lifetime.waitFor();
    expect(await lifetime.textContent()).toMatch(/^(10 分 00|9 分 [0-5]\d) 秒内有效，只能使用一次$/);
    await context.close();
  });
});

describe('a console whose clock is not yet synced with the hub', () => {
  let hub: TestHub;
  let admin: Client;
  beforeAll(async () => {
    hub = await startTestHub({ at: Date.now() - 7 * DAY });
    admin = await setUpAdmin(hub);
    await admin.must({ type: 'OpenCounter', data: { counterId: 'c1' } });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('shows no queue and no elapsed time until it knows the hub clock, then minutes on the hub clock', async () => {
    const { context, page } = await newPage(browser);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route('**/api/v1/health', async (route) => {
      await held;
      await route.continue();
    });
    await signInUi(page, hub.url, 'admin', '/counter');
    await page.waitForTimeout(500);
    expect(await page.getByTestId('queue-list').count()).toBe(0);
    expect(await page.getByTestId('counter-status').count()).toBe(0);
    release();
    const status = page.getByTestId('counter-status');
    await status.waitFor();
    // The counter opened moments ago on the hub's clock, a week behind this PC's: not 10,080 minutes.
    expect(await status.textContent()).toContain('（0 分钟）');
    await context.close();
  });
});
