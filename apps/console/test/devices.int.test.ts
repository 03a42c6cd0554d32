import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createStaff,
  launch,
  newPage,
  screenshot,
  setUpAdmin,
  signInUi,
  startTestHub,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  await createStaff(admin, 'wang.fang', 'manager', [], '王芳');
  browser = await launch();
  page = (await newPage(browser)).page;
  await signInUi(page, hub.url, 'admin', '/admin/devices');
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

/** A blank box pairs with the code, proposing its own (host) name, as the kiosk agent does. */
async function pairBox(code: string, proposed: string): Promise<{ token: string; deviceId: string }> {
  const r = await fetch(`${hub.url}/api/v1/devices/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ v: 1, code, name: proposed }),
  });
  return (await r.json()) as { token: string; deviceId: string };
}

async function report(token: string, components: object[]) {
  const r = await fetch(`${hub.url}/api/v1/devices/health`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ v: 1, health: { version: 'nextup-test 0.1.0', components } }),
  });
  expect(r.status).toBe(200);
}

let kiosk: { token: string; deviceId: string };

/** The text a person sees (a closed <details> hides its content), spaces collapsed. */
async function visibleText(l: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: what is rendered is the point here
  return (await l.innerText()).replace(/\s+/g, ' ');
}

describe("branch IT's device list", () => {
  it('names a device as its pairing code was named, and renames it in place (audited)', async () => {
    await page.locator('select').first().selectOption('kiosk');
    await page.locator('input[name="deviceName"]').fill('二楼取号机');
    await page.getByRole('button', { name: '生成配对码' }).click();
    const code = (await page.locator('[data-testid=pairing-code] .code-digits').textContent())!.trim();
    kiosk = await pairBox(code, 'Kiosk kiosk-7f3a');
    const device = page.locator(`[data-device="${kiosk.deviceId}"]`);
    await device.locator('[data-testid=device-name]:text-is("二楼取号机")').waitFor();

    await device.getByRole('button', { name: '改名' }).click();
    const field = device.getByLabel('新名称');
    await field.fill('一楼大厅取号机');
    await field.press('Enter');
    await device.locator('[data-testid=device-name]:text-is("一楼大厅取号机")').waitFor();
    const renamed = hub.hub.log
      .readAfter(0, 1000)
      .filter((e) => e.event.type === 'DeviceRenamed')
      .at(-1);
    expect(renamed).toMatchObject({
      actor: { kind: 'staff', id: hub.hub.identities.staffByUsername('admin')!.id },
      event: { data: { deviceId: kiosk.deviceId, name: '一楼大厅取号机' } },
    });
  });

  it('says what is wrong in Chinese (part, code, since, which tickets), the device’s English folded away', async () => {
    await report(kiosk.token, [
      {
        component: 'printer',
        address: null,
        level: 'error',
        code: 'PAPER_OUT',
        detail: 'paper roll empty; not printed: A023 A024',
        reason: { code: 'notPrinted', params: { numbers: 'A023 A024' } },
        since: hub.clock.now(),
      },
    ]);
    hub.clock.advance(12 * 60_000);
    const line = page.locator(`[data-device="${kiosk.deviceId}"] .health li[data-code="PAPER_OUT"]`);
    await line.waitFor();
    await page.reload();
    await line.waitFor();
    const shown = await visibleText(line);
    expect(shown).toContain('缺纸 打印机');
    expect(shown).toMatch(/自 09:00（1[12] 分钟）/);
    expect(shown).toContain('未打印出号票的号：A023 A024');
    expect(shown).not.toMatch(/paper|printed/i);

    // A device text no console knows the words for stays the device's, folded under 设备原文.
    await report(kiosk.token, [
      {
        component: 'printer',
        address: null,
        level: 'error',
        code: 'ERROR',
        detail: 'firmware says E42',
        since: hub.clock.now(),
      },
    ]);
    const other = page.locator(`[data-device="${kiosk.deviceId}"] .health li[data-code="ERROR"]`);
    await other.waitFor();
    expect(await visibleText(other)).not.toContain('firmware');
    await other.locator('summary:text-is("设备原文")').click();
    expect(await visibleText(other)).toContain('firmware says E42');
  });

  it('tells the manager the same in words, not just "has a fault"', async () => {
    await report(kiosk.token, [
      {
        component: 'printer',
        address: null,
        level: 'error',
        code: 'OFFLINE',
        detail: 'connect ECONNREFUSED 10.0.0.9:9100',
        reason: { code: 'connectFailed', params: { url: 'tcp://10.0.0.9:9100' } },
        since: hub.clock.now(),
      },
    ]);
    const manager = await newPage(browser);
    await signInUi(manager.page, hub.url, 'wang.fang', '/manager');
    const trouble = manager.page.locator(`[data-testid=device-trouble] li[data-device="${kiosk.deviceId}"]`);
    await trouble.locator('li[data-code="OFFLINE"]').waitFor();
    const text = await visibleText(trouble);
    expect(text).toContain('一楼大厅取号机');
    expect(text).toContain('离线 打印机');
    expect(text).toContain('连不上打印机 tcp://10.0.0.9:9100');
    expect(text).not.toContain('有故障');
    expect(text).not.toContain('ECONNREFUSED');
    await trouble.scrollIntoViewIfNeeded();
    await screenshot(manager.page, 'manager-device-trouble-zh');
    await manager.page.locator('.lang-switch').click();
    await trouble.locator(':text("cannot connect to the printer at tcp://10.0.0.9:9100")').waitFor();
    await trouble.scrollIntoViewIfNeeded();
    await screenshot(manager.page, 'manager-device-trouble-en');
    await manager.context.close();
  });

  it('never says "no LED boards" above the LED boards a display reports', async () => {
    const r = await admin.post('/api/v1/admin/pairing-codes', { kind: 'display', name: '大厅叫号屏' });
    const display = await pairBox(r.body.code, 'display-box');
    await report(display.token, [
      { component: 'ledBoard', address: 1, level: 'ok', code: 'OK', detail: null, since: hub.clock.now() },
      {
        component: 'ledBoard',
        address: 200,
        level: 'error',
        code: 'SILENT',
        detail: 'no answer after 3 tries',
        since: hub.clock.now(),
      },
    ]);
    const device = page.locator(`[data-device="${display.deviceId}"]`);
    await device.locator('.health li[data-code="SILENT"]').waitFor();
    const summary = await visibleText(device.locator('[data-testid=device-settings]'));
    expect(summary).not.toContain('无 LED 屏');
    expect(summary).toContain('LED 屏总线由本机启动参数设置');
    await expect
      .poll(async () => (await device.locator('.health li').count()) === 2, {
        timeout: 5_000,
        message: 'two board lines',
      })
      .toBeTruthy();
    await screenshot(page, 'admin-devices-zh');
  });
});
