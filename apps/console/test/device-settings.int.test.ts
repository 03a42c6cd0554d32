import type { DeviceSettings } from '@nextup/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createStaff,
  launch,
  newPage,
  pairDevice,
  screenshot,
  setUpAdmin,
  signIn,
  signInUi,
  startTestHub,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let browser: Browser;
let page: Page;
let kiosk: Client & { deviceId: string };
let display: Client & { deviceId: string };
let tablet: Client & { deviceId: string };
/** Every settings request the admin's page sent. */
const puts: string[] = [];
/** Uncaught errors in the admin's page: a crash blanks the whole console. */
const pageErrors: string[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  await createStaff(admin, 'li.na', 'teller', ['c1'], '李娜');
  await createStaff(admin, 'wang.fang', 'manager', [], '王芳');
  kiosk = await pairDevice(hub, admin, 'kiosk', '大厅取号机 1');
  display = await pairDevice(hub, admin, 'display', '大厅叫号屏');
  tablet = await pairDevice(hub, admin, 'counterTablet', '5号贵宾室评价器');
  browser = await launch();
  page = (await newPage(browser)).page;
  page.on('request', (r) => {
    if (r.method() === 'PUT' && r.url().endsWith('/settings')) puts.push(r.postData() ?? '');
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInUi(page, hub.url, 'admin', '/admin/devices');
});
afterEach(() => {
  expect(pageErrors).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

const settingsOf = (deviceId: string): DeviceSettings | undefined =>
  hub.hub.view.hub.devices.find((d) => d.deviceId === deviceId)?.settings;
const form = () => page.getByTestId('device-settings-form');
/** The error shown under the field whose control has this name. */
const fieldError = (name: string) =>
  form().locator(`.field:has([name="${name}"]) .field-error, fieldset[data-field="${name}"] .field-error`);

async function openSettings(deviceId: string) {
  await page.goto(`${hub.url}/admin/devices`);
  const row = page.locator(`[data-device="${deviceId}"]`);
  await row.getByRole('button', { name: '修改设置' }).click();
  await form().waitFor();
}

describe('device settings', () => {
  it('lets the admin set a kiosk’s printer through the form, and the kiosk gets it', async () => {
    expect(settingsOf(kiosk.deviceId)).toEqual({
      kind: 'kiosk',
      printer: null,
      idleSeconds: 20,
      services: [],
    });
    await openSettings(kiosk.deviceId);
    expect(await form().locator('h2').textContent()).toBe('“大厅取号机 1”的设置');
    // Off until ticked: the printer's fields wait greyed out.
    expect(await form().locator('input[name=printerUrl]').isDisabled()).toBe(true);
    await form().locator('input[name=printerOn]').check();
    await form().locator('input[name=printerUrl]').fill('tcp://10.0.0.9:9100');
    await form().locator('select[name=paperWidth]').selectOption('80');
    await form().getByLabel('中文打印方式').selectOption('raster');
    await form().locator('select[name=qr]').selectOption('raster');
    await form().locator('input[name=idleSeconds]').fill('45');
    // Ticked out of order: the kiosk keeps the branch's order.
    await form().locator('input[name=services][value=personal]').check();
    await form().locator('input[name=services][value=cash]').check();
    await form().getByRole('button', { name: '保存' }).click();
    await form().getByTestId('form-saved').waitFor();

    const expected = {
      kind: 'kiosk',
      printer: { url: 'tcp://10.0.0.9:9100', paperWidth: 80, chinese: 'raster', qr: 'raster' },
      idleSeconds: 45,
      services: ['cash', 'personal'],
    };
    expect(settingsOf(kiosk.deviceId)).toEqual(expected);
    expect(puts.length).toBe(1);
    // The paired kiosk reads them with its own token.
    const me = await kiosk.get('/api/v1/devices/me');
    expect(me.status).toBe(200);
    expect(me.body.info.settings).toEqual(expected);
    // Audited under the admin's name.
    const logged = hub.hub.log
      .readAfter(0, 1000)
      .filter((e) => e.event.type === 'DeviceConfigured')
      .at(-1)!;
    expect(logged.actor.kind).toBe('staff');

    // The device list says it in a line; the form opens again with what the hub holds.
    const summary = page.locator(`[data-device="${kiosk.deviceId}"] [data-testid=device-settings]`);
    await summary.filter({ hasText: '打印机 tcp://10.0.0.9:9100 · 80 mm' }).waitFor();
    expect(await summary.textContent()).toBe(
      '打印机 tcp://10.0.0.9:9100 · 80 mm · 中文印成图片 · 空闲 45 秒回首页 · 业务：A、B',
    );
    await openSettings(kiosk.deviceId);
    expect(await form().locator('input[name=printerUrl]').inputValue()).toBe('tcp://10.0.0.9:9100');
    expect(await form().locator('select[name=chinese]').inputValue()).toBe('raster');
    expect(await form().locator('input[name=idleSeconds]').inputValue()).toBe('45');
    expect(await form().locator('input[name=services]:checked').count()).toBe(2);

    // Turning the printer off sends printer: null, and the URL is not checked any more.
    await form().locator('input[name=printerUrl]').fill('not a url');
    await form().locator('input[name=printerOn]').uncheck();
    await form().getByRole('button', { name: '保存' }).click();
    await form().getByTestId('form-saved').waitFor();
    expect(settingsOf(kiosk.deviceId)).toMatchObject({ printer: null, idleSeconds: 45 });
  });

  it('shows a bad printer URL or an out-of-range board address next to its field and sends nothing', async () => {
    await admin.request('PUT', `/api/v1/admin/devices/${kiosk.deviceId}/settings`, {
      settings: {
        kind: 'kiosk',
        printer: { url: 'tcp://10.0.0.9:9100', paperWidth: 80, chinese: 'native', qr: 'native' },
        idleSeconds: 20,
        services: [],
      },
    });
    const kioskBefore = settingsOf(kiosk.deviceId);
    const displayBefore = settingsOf(display.deviceId);
    const sent = puts.length;

    await openSettings(kiosk.deviceId);
    await form().locator('input[name=printerUrl]').fill('10.0.0.9:9100');
    await form().locator('input[name=idleSeconds]').fill('3');
    await form().getByRole('button', { name: '保存' }).click();
    await fieldError('printerUrl').waitFor();
    expect(await fieldError('printerUrl').textContent()).toBe(
      '须以 tcp://、serial: 或 file: 开头，例如 tcp://10.0.0.9:9100',
    );
    expect(await fieldError('idleSeconds').textContent()).toBe('须为 5–600 之间的整数');
    expect(await form().locator('input[name=printerUrl]').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'admin-device-errors-zh');
    await form().locator('input[name=printerUrl]').fill('tcp://10.0.0.9:70000');
    await form().getByRole('button', { name: '保存' }).click();
    await form().locator('.field-error:text("端口须为 1–65535 的数字")').waitFor();

    await openSettings(display.deviceId);
    await form().locator('input[name=mainBoards]').fill('200, 300');
    await form().getByRole('button', { name: '保存' }).click();
    await fieldError('mainBoards').waitFor();
    expect(await fieldError('mainBoards').textContent()).toBe('“300”不是 1–247 之间的地址');
    // A counter's own LED board address is taken.
    await form().locator('input[name=mainBoards]').fill('200, 3');
    await form().getByRole('button', { name: '保存' }).click();
    await form().locator('.field-error:text("地址 3 已是 3 号窗口的 LED 屏或呼叫器")').waitFor();

    expect(puts.length).toBe(sent);
    expect(settingsOf(kiosk.deviceId)).toEqual(kioskBefore);
    expect(settingsOf(display.deviceId)).toEqual(displayBefore);
  });

  it('sets a display’s bus, boards, voice and counters', async () => {
    // Straight from one device's form to another's.
    await openSettings(kiosk.deviceId);
    await page
      .locator(`[data-device="${display.deviceId}"]`)
      .getByRole('button', { name: '修改设置' })
      .click();
    await form().locator('h2:text("“大厅叫号屏”的设置")').waitFor();
    // Defaults of a new display, prefilled.
    expect(await form().locator('input[name=mainBoards]').inputValue()).toBe('200');
    expect(await form().locator('select[name=voiceLanguages]').inputValue()).toBe('zh,en');
    await form().locator('input[name=busOn]').check();
    await form().locator('input[name=busPort]').fill('/dev/ttyUSB0');
    await form().locator('select[name=busBaud]').selectOption('19200');
    await form().locator('select[name=busDialect]').selectOption('line');
    await form().locator('input[name=mainBoards]').fill('200，201');
    await form().locator('select[name=voiceLanguages]').selectOption('en,zh');
    await form().locator('select[name=voiceRepeat]').selectOption('2');
    await form().locator('input[name=counters][value=c2]').check();
    await form().locator('input[name=counters][value=c1]').check();
    await form().getByRole('button', { name: '保存' }).click();
    await form().getByTestId('form-saved').waitFor();
    expect(settingsOf(display.deviceId)).toEqual({
      kind: 'display',
      bus: { port: '/dev/ttyUSB0', baud: 19200, dialect: 'line' },
      mainBoards: [200, 201],
      voice: { languages: ['en', 'zh'], repeat: 2 },
      counters: ['c1', 'c2'],
    });
    expect((await display.get('/api/v1/devices/me')).body.info.settings.bus.dialect).toBe('line');
    await page
      .locator(`[data-device="${display.deviceId}"] [data-testid=device-settings]`)
      .filter({
        hasText: 'LED 总线 /dev/ttyUSB0 · 19200 · line · 主屏 200、201 · 语音 英文+中文 ×2 · 窗口：1、2',
      })
      .waitFor();

    // A dialect the list does not know: typed in, kept as typed.
    await form().locator('select[name=busDialect]').selectOption('*other');
    await form().locator('input[name=busDialectOther]').fill('acme-2');
    await form().getByRole('button', { name: '保存' }).click();
    await form().getByTestId('form-saved').waitFor();
    expect(settingsOf(display.deviceId)).toMatchObject({ bus: { dialect: 'acme-2' } });
    await openSettings(display.deviceId);
    expect(await form().locator('select[name=busDialect]').inputValue()).toBe('*other');
    expect(await form().locator('input[name=busDialectOther]').inputValue()).toBe('acme-2');
  });

  it('sets the LED boards’ brightness, and says next to the field when it is not 0–100', async () => {
    await openSettings(display.deviceId);
    await form().locator('input[name=busOn]').check();
    await form().locator('input[name=busPort]').fill('/dev/ttyUSB0');
    expect(await form().locator('input[name=busBrightness]').inputValue()).toBe('100');
    await form().locator('input[name=busBrightness]').fill('120');
    const sent = puts.length;
    await form().getByRole('button', { name: '保存' }).click();
    await fieldError('busBrightness').waitFor();
    expect(await fieldError('busBrightness').textContent()).toBe('须为 0–100 之间的整数');
    expect(puts.length).toBe(sent);
    await form().locator('input[name=busBrightness]').fill('40');
    await form().getByRole('button', { name: '保存' }).click();
    await form().getByTestId('form-saved').waitFor();
    expect(settingsOf(display.deviceId)).toMatchObject({ bus: { port: '/dev/ttyUSB0', brightness: 40 } });
    await page
      .locator(`[data-device="${display.deviceId}"] [data-testid=device-settings]`)
      .filter({ hasText: '亮度 40%' })
      .waitFor();
    await form().locator('input[name=busBrightness]').scrollIntoViewIfNeeded();
    await screenshot(page, 'admin-display-settings-brightness-zh');
  });

  it('sets a tablet’s counter, and shows the hub’s refusal of a counter removed meanwhile under that field', async () => {
    await openSettings(tablet.deviceId);
    await form().locator('select[name=counterId]').selectOption('c5');
    await form().getByRole('button', { name: '保存' }).click();
    await form().getByTestId('form-saved').waitFor();
    expect(settingsOf(tablet.deviceId)).toEqual({ kind: 'counterTablet', counterId: 'c5' });

    // Another admin removes counter 4 while this form has it chosen: the hub has the last word.
    await form().locator('select[name=counterId]').selectOption('c4');
    await admin.must({ type: 'RemoveCounter', data: { counterId: 'c4' } });
    await page.locator('[data-device] [data-testid=device-settings]').first().waitFor();
    await form().getByRole('button', { name: '保存' }).click();
    await fieldError('counterId').waitFor();
    expect(await fieldError('counterId').textContent()).toMatch(/^没有此窗口/);
    expect(settingsOf(tablet.deviceId)).toEqual({ kind: 'counterTablet', counterId: 'c5' });
  });

  it('keeps a teller (and a manager) away from the form and the endpoint', async () => {
    const before = settingsOf(kiosk.deviceId);
    const { context, page: tellerPage } = await newPage(browser);
    await signInUi(tellerPage, hub.url, 'li.na');
    await tellerPage.goto(`${hub.url}/admin/devices`);
    await tellerPage.locator('[data-testid=forbidden]').waitFor();
    expect(await tellerPage.getByTestId('device-settings-form').count()).toBe(0);
    expect(await tellerPage.getByRole('button', { name: '修改设置' }).count()).toBe(0);
    await context.close();

    const body = { settings: { kind: 'kiosk', printer: null, idleSeconds: 5, services: [] } };
    for (const who of ['li.na', 'wang.fang']) {
      const staff = await signIn(hub.url, who);
      const r = await staff.request('PUT', `/api/v1/admin/devices/${kiosk.deviceId}/settings`, body);
      expect(r.status, who).toBe(403);
    }
    // Nor can a paired device set its own.
    const own = await kiosk.request('PUT', `/api/v1/admin/devices/${kiosk.deviceId}/settings`, body);
    expect([401, 403]).toContain(own.status);
    expect(settingsOf(kiosk.deviceId)).toEqual(before);
  });
});
