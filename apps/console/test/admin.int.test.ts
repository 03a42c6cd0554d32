import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  launch,
  newPage,
  pairDevice,
  setUpAdmin,
  signInUi,
  startTestHub,
  subscriber,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  browser = await launch();
  page = (await newPage(browser)).page;
  page.on('dialog', (d) => void d.accept());
  await signInUi(page, hub.url, 'admin');
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

async function editService(id: string) {
  await page.goto(`${hub.url}/admin/services`);
  await page.locator(`tr[data-service="${id}"] button`).click();
  await page.locator('#svc-form').waitFor();
}

/** The error shown under the field whose input has this name. */
const fieldError = (name: string) => page.locator(`.field:has(input[name="${name}"]) .field-error`);

describe('the admin console', () => {
  it('sends a service change to a running kiosk (a HubSubscriber stands in for the kiosk app)', async () => {
    const kiosk = await pairDevice(hub, admin, 'kiosk', '大厅取号机 1');
    const { sub } = subscriber(hub, kiosk.token!);
    await expect.poll(() => sub.connected, { timeout: 10_000, message: 'kiosk subscribed' }).toBeTruthy();
    expect(sub.view?.state.config.services.cash?.expectedMinutes).toBe(3);

    await editService('cash');
    await page.locator('input[name="expectedMinutes"]').fill('4');
    await page.getByLabel('温馨提示（中文）').fill('2万元以下请到智能柜台');
    await page.getByLabel('温馨提示（英文）').fill('Up to ¥20,000 at the smart counter');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('[data-testid=form-saved]').waitFor();

    await expect
      .poll(() => sub.view?.state.config.services.cash?.expectedMinutes === 4, {
        timeout: 10_000,
        message: 'change at the kiosk',
      })
      .toBeTruthy();
    expect(sub.view?.state.config.services.cash?.hint).toEqual({
      zh: '2万元以下请到智能柜台',
      en: 'Up to ¥20,000 at the smart counter',
    });
    // Audited: the change is in the log under the admin's name.
    const logged = hub.hub.log
      .readAfter(0, 1000)
      .filter((e) => e.event.type === 'ServiceUpserted')
      .at(-1)!;
    expect(logged.actor.kind).toBe('staff');
    sub.stop();
  });

  it('shows the hub’s refusal next to the field it is about', async () => {
    await editService('cash');
    // A prefix another service uses: the domain refuses, and says so under the prefix.
    await page.locator('input[name="prefix"]').fill('B');
    await page.getByRole('button', { name: '保存' }).click();
    await fieldError('prefix').waitFor();
    expect(await fieldError('prefix').textContent()).toContain('前缀 B 已被“个人综合业务”使用');
    // Over the schema's limit: the message goes under the expected minutes.
    await page.locator('input[name="prefix"]').fill('A');
    await page.locator('input[name="expectedMinutes"]').fill('500');
    await page.getByRole('button', { name: '保存' }).click();
    await fieldError('expectedMinutes').waitFor();
    expect(await fieldError('prefix').count()).toBe(0);
    // Not a number at all: caught before sending.
    await page.locator('input[name="expectedMinutes"]').fill('abc');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('.field:has(input[name="expectedMinutes"]) .field-error:text("请填写数字")').waitFor();
    expect(hub.hub.view.state.config.services.cash?.expectedMinutes).toBe(4);
  });

  it('refuses before sending what the hub’s request schema bounds, with the schema’s bounds in its words', async () => {
    const head = hub.hub.head;
    /** Saves the form and waits for this message under the field with this input name. */
    const refused = async (name: string, text: string) => {
      await page.getByRole('button', { name: '保存' }).click();
      await fieldError(name).filter({ hasText: text }).waitFor();
    };
    // Services: the minutes the schema bounds (more than 0, at most 240), an appointment slot length.
    await editService('cash');
    await page.locator('input[name="expectedMinutes"]').fill('500');
    await refused('expectedMinutes', '须大于 0，且不超过 240');
    await page.locator('input[name="expectedMinutes"]').fill('4');
    await page.locator('input[name="dailyLimit"]').fill('2.5');
    await refused('dailyLimit', '请填写整数');
    await page.locator('input[name="dailyLimit"]').fill('');
    await page.getByLabel('接受预约').check();
    await page.getByLabel('每个预约时段（分钟）').fill('3');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('.field-error:text("须为 5–240 之间的整数")').waitFor();
    // Counters: a counter number and a bus address out of the schema's range.
    await page.goto(`${hub.url}/admin/counters`);
    await page.locator('tr:has-text("3号窗口") button').click();
    await page.locator('input[name="number"]').fill('0');
    await page.locator('input[name="ledAddress"]').fill('300');
    await refused('number', '须为 1–999 之间的整数');
    await fieldError('ledAddress').filter({ hasText: '须为 1–247 之间的整数' }).waitFor();
    // Dispatch: a whole number where the schema takes only one, a class boost beyond its bound.
    await page.goto(`${hub.url}/admin/dispatch`);
    await page.locator('input[name="maxOvertakes"]').fill('2.5');
    await page.locator('input[name="vip"]').fill('100001');
    await refused('maxOvertakes', '请填写整数');
    await fieldError('vip').filter({ hasText: '须在 0 到 100000 之间' }).waitFor();
    // The branch: booking days ahead beyond a year.
    await page.goto(`${hub.url}/admin/branch`);
    await page.getByLabel('可提前预约天数').fill('400');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('.field-error:text("须为 0–365 之间的整数")').waitFor();
    // The notice: a pasted tab is a control character the hub's schema refuses.
    await page.goto(`${hub.url}/admin/notice`);
    await page.getByLabel('公告（中文）').fill('今日\t维护');
    await page.getByLabel('公告（英文）').fill('Maintenance today');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('.field-error:text("不能含制表符等控制字符")').waitFor();
    // Nothing of it reached the hub (devices may come and go meanwhile).
    const written = hub.hub.log.readAfter(head, 100).map((e) => e.event.type);
    expect(written.filter((type) => !type.startsWith('Device'))).toEqual([]);
  });

  it('sets a counter’s planned lunch, keeps it through other edits, and refuses a break that ends before it starts', async () => {
    const editCounter = async () => {
      await page.goto(`${hub.url}/admin/counters`);
      await page.locator('tr:has-text("2号窗口") button').click();
      await page.locator('[data-testid=breaks]').waitFor();
    };
    await editCounter();
    await page.getByRole('button', { name: '添加休息时段' }).click();
    const row = page.locator('[data-testid=breaks-row]').first();
    await row.getByLabel('休息开始').fill('12:00');
    await row.getByLabel('休息结束').fill('13:30');
    await row.getByLabel('六').uncheck();
    await row.getByLabel('日').uncheck();
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('[data-testid=form-saved]').waitFor();
    expect(hub.hub.view.state.config.counters.c2?.breaks).toEqual([
      { start: '12:00', end: '13:30', days: [1, 2, 3, 4, 5] },
    ]);
    await page
      .locator('tr:has-text("2号窗口") [data-testid=counter-breaks]:has-text("12:00–13:30")')
      .waitFor();

    // Another edit of the counter keeps its breaks.
    await editCounter();
    await page.getByLabel('英文名称').fill('Counter Two');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('[data-testid=form-saved]').waitFor();
    expect(hub.hub.view.state.config.counters.c2?.name.en).toBe('Counter Two');
    expect(hub.hub.view.state.config.counters.c2?.breaks).toHaveLength(1);

    // A break that ends before it starts: the domain refuses, said under the breaks, nothing changes.
    await editCounter();
    await page.locator('[data-testid=breaks-row]').first().getByLabel('休息结束').fill('11:00');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('[data-testid=breaks] .field-error').waitFor();
    expect(await page.locator('[data-testid=breaks] .field-error').textContent()).toMatch(/休息/);
    expect(hub.hub.view.state.config.counters.c2?.breaks?.[0]?.end).toBe('13:30');
  });

  it('pairs a device with a code made on the page, shows its health, and revokes it at once', async () => {
    await page.goto(`${hub.url}/admin/devices`);
    await page.locator('select').first().selectOption('kiosk');
    await page.locator('input[name="deviceName"]').fill('二楼取号机');
    await page.getByRole('button', { name: '生成配对码' }).click();
    const code = (await page.locator('[data-testid=pairing-code] .code-digits').textContent())!.trim();
    expect(code).toMatch(/^\d{6}$/);
    const paired = await fetch(`${hub.url}/api/v1/devices/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ v: 1, code, name: '二楼取号机' }),
    }).then((r) => r.json() as Promise<{ token: string; deviceId: string }>);
    const { sub, closes } = subscriber(hub, paired.token);
    await expect.poll(() => sub.connected, { timeout: 10_000, message: 'device connected' }).toBeTruthy();
    const device = page.locator(`[data-device="${paired.deviceId}"]`);
    await device.locator('.badge:text("在线")').waitFor();

    // Paper out, reported by the kiosk, shows at once.
    const health = await fetch(`${hub.url}/api/v1/devices/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${paired.token}` },
      body: JSON.stringify({
        v: 1,
        health: {
          version: '0.1.0',
          components: [
            {
              component: 'printer',
              address: null,
              level: 'error',
              code: 'PAPER_OUT',
              detail: null,
              since: hub.clock.now(),
            },
          ],
        },
      }),
    });
    expect(health.status).toBe(200);
    await device.locator('.health:has-text("缺纸")').waitFor();

    await device.getByRole('button', { name: '吊销' }).click();
    await expect
      .poll(() => closes.includes(4401), { timeout: 10_000, message: 'stream closed with 4401' })
      .toBeTruthy();
    const after = await fetch(`${hub.url}/api/v1/state`, {
      headers: { authorization: `Bearer ${paired.token}` },
    });
    expect(after.status).toBe(401);
    const cmd = await fetch(`${hub.url}/api/v1/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${paired.token}` },
      body: JSON.stringify({
        v: 1,
        command: { type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } },
      }),
    });
    expect(cmd.status).toBe(401);
    await page.locator('[data-testid=device-list] .device').first().waitFor();
    expect(await device.count()).toBe(0); // revoked devices are hidden unless asked for
    sub.stop();
  });

  it('creates a teller account and a dispatch change through the forms', async () => {
    await page.goto(`${hub.url}/admin/staff`);
    await page.getByRole('button', { name: '新增账号' }).click();
    await page.locator('input[name="username"]').fill('Chen Jing');
    await page.locator('input[name="displayName"]').fill('陈静');
    await page.locator('input[name="password"]').fill('short');
    await page.getByLabel('3号窗口').check();
    await page.getByRole('button', { name: '保存' }).click();
    // The protocol's request schema decides; the form says it in its own words, and sends nothing.
    await fieldError('password').filter({ hasText: '至少 10 个字符' }).waitFor();
    await fieldError('username').filter({ hasText: '2–32 位小写字母、数字或 . _ -' }).waitFor();
    expect(hub.hub.identities.staffByUsername('Chen Jing')).toBeNull();
    await page.locator('input[name="username"]').fill('chen.jing');
    await page.locator('input[name="password"]').fill('a-long-enough-password');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('[data-testid=staff-table] td:text("chen.jing")').waitFor();
    const staff = hub.hub.identities.staffByUsername('chen.jing')!;
    expect(staff.counterIds).toEqual(['c3']);
    expect(staff.role).toBe('teller');

    await page.goto(`${hub.url}/admin/dispatch`);
    await page.locator('input[name="maxOvertakes"]').fill('3');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('[data-testid=form-saved]').waitFor();
    expect(hub.hub.view.state.config.dispatch.maxOvertakes).toBe(3);
    await page.locator('input[name="numberDigits"]').fill('9');
    await page.getByRole('button', { name: '保存' }).click();
    await fieldError('numberDigits').waitFor();
  });
});
