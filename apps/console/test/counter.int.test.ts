import { queueForCounter, type Ticket } from '@nextup/core';
import type { Browser, Page } from 'playwright-core';
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
let kiosk: Client;
let browser: Browser;

const ticketByNumber = (n: string): Ticket | undefined =>
  Object.values(hub.hub.view.state.tickets).find((t) => t.number === n);
const issue = (serviceId: string, cls: 'normal' | 'vip' | 'priority' = 'normal') =>
  kiosk.must({ type: 'IssueTicket', data: { serviceId, class: cls === 'vip' ? 'normal' : cls } });

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  await createStaff(admin, 'li.na', 'teller', ['c1'], '李娜');
  await createStaff(admin, 'zhao.lei', 'teller', ['c2'], '赵磊');
  kiosk = await pairDevice(hub, admin, 'kiosk');
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

async function press(page: Page, key: string) {
  // Take the focus off any button so the key goes to the page's shortcuts.
  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await page.keyboard.press(key);
}

describe('the counter console', () => {
  it('runs the teller loop with the keyboard alone: open, call, recall, no-show, start, transfer, pause, resume, call a number, finish', async () => {
    for (let i = 0; i < 3; i++) await issue('cash');
    await issue('personal');
    hub.clock.advance(60_000);
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'li.na');
    expect(new URL(page.url()).pathname).toBe('/counter');
    await page.getByRole('heading', { name: '1号窗口' }).waitFor();
    await expect(page.locator('[data-testid=counter-status]').textContent()).resolves.toContain('未开放');

    // Visible shortcuts on every action.
    for (const k of ['N', 'R', 'X', 'S', 'F', 'T', 'P', 'C'])
      expect(await page.locator(`.actions kbd:text-is("${k}")`).count()).toBe(1);

    await press(page, 'o');
    await expect
      .poll(() => hub.hub.view.state.counters.c1?.status === 'open', {
        timeout: 10_000,
        message: 'counter open',
      })
      .toBeTruthy();
    await page.locator('[data-testid=counter-status]:has-text("营业中")').waitFor();

    // The list is the order dispatch would pick.
    const expected = queueForCounter(hub.hub.view.state, 'c1', hub.clock.now()).map((t) => t.number);
    await expect
      .poll(
        async () =>
          JSON.stringify(
            await page
              .locator('[data-testid=queue-list] li')
              .evaluateAll((els) => els.map((e) => e.getAttribute('data-number'))),
          ) === JSON.stringify(expected),
        { timeout: 10_000, message: 'queue in dispatch order' },
      )
      .toBeTruthy();
    expect(expected).toEqual(['A001', 'A002', 'A003', 'B001']);

    await press(page, 'n');
    await page.locator('[data-testid=current-number]:text-is("A001")').waitFor();
    expect(ticketByNumber('A001')?.status).toBe('called');

    await press(page, 'r');
    await expect
      .poll(() => ticketByNumber('A001')?.recalls === 1, { timeout: 10_000, message: 'recall' })
      .toBeTruthy();
    await page.locator('[data-testid=counter-message]:has-text("已重呼 A001")').waitFor();

    await press(page, 'x');
    await expect
      .poll(() => ticketByNumber('A001')?.status === 'noShow', { timeout: 10_000, message: 'no-show' })
      .toBeTruthy();
    await page.locator('[data-testid=current-ticket]:has-text("当前没有客户")').waitFor();

    // One click works as well as one key.
    await page.locator('button[data-action=next]').click();
    await page.locator('[data-testid=current-number]:text-is("A002")').waitFor();
    await press(page, 's');
    await expect
      .poll(() => ticketByNumber('A002')?.status === 'serving', { timeout: 10_000, message: 'serving' })
      .toBeTruthy();

    await press(page, 't');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.press('ArrowDown'); // the select has focus: "cash" is disabled, next is personal
    await dialog.locator('#transfer-service').selectOption('personal');
    await dialog.locator('#transfer-service').press('Enter');
    await expect
      .poll(() => ticketByNumber('A002')?.serviceId === 'personal', { timeout: 10_000, message: 'transfer' })
      .toBeTruthy();
    expect(ticketByNumber('A002')?.status).toBe('waiting');
    expect(ticketByNumber('A002')?.transfers).toBe(1);
    await dialog.waitFor({ state: 'detached' });

    await press(page, 'p');
    await page.getByRole('dialog').waitFor();
    await page.getByLabel('午休').check();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => hub.hub.view.state.counters.c1?.status === 'paused', { timeout: 10_000, message: 'paused' })
      .toBeTruthy();
    expect(hub.hub.view.state.counters.c1?.pauseReason).toBe('lunch');
    // Lunch says "back in 60 min" unless the teller picks otherwise: the estimator tells the queue.
    const lunch = hub.hub.view.state.counters.c1!;
    expect(lunch.expectedBackAt! - lunch.since).toBe(60 * 60_000);
    await page.locator('[data-testid=counter-status]:has-text("暂停服务 · 午休")').waitFor();
    expect(await page.locator('button[data-action=next]').isDisabled()).toBe(true);

    await press(page, 'p');
    await expect
      .poll(() => hub.hub.view.state.counters.c1?.status === 'open', { timeout: 10_000, message: 'resumed' })
      .toBeTruthy();

    await press(page, 'c');
    await page.locator('#call-number').waitFor();
    await page.keyboard.type('a3');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => ticketByNumber('A003')?.status === 'called', { timeout: 10_000, message: 'specific call' })
      .toBeTruthy();
    await page.locator('[data-testid=current-number]:text-is("A003")').waitFor();

    // A called customer served without "start" is finished all the same, served from the call.
    hub.clock.advance(4 * 60_000);
    await press(page, 'f');
    await expect
      .poll(() => ticketByNumber('A003')?.status === 'done', { timeout: 10_000, message: 'finished A003' })
      .toBeTruthy();
    const finished = hub.hub.log
      .readAfter(0, 1000)
      .filter((e) => e.event.type === 'TicketFinished')
      .at(-1)?.event.data as { serviceMs: number } | undefined;
    expect(finished?.serviceMs).toBe(4 * 60_000);

    // The transferred A002 now heads the queue (transfer head start) with its badge.
    await page.locator('[data-testid=queue-list] li[data-number="A002"]:has-text("转入")').waitFor();
    await context.close();
  });

  it('never gives two counters calling at the same moment the same ticket', async () => {
    await admin.must({ type: 'OpenCounter', data: { counterId: 'c2' } });
    if (hub.hub.view.state.counters.c1?.status !== 'open')
      await admin.must({ type: 'OpenCounter', data: { counterId: 'c1' } });
    for (let i = 0; i < 12; i++) await issue('cash');
    const a = await newPage(browser);
    const b = await newPage(browser);
    await signInUi(a.page, hub.url, 'li.na', '/counter/c1');
    await signInUi(b.page, hub.url, 'zhao.lei', '/counter/c2');
    await b.page.getByRole('heading', { name: '2号窗口' }).waitFor();
    const seen = new Set<string>();
    const startSeq = hub.hub.view.seq;
    for (let round = 0; round < 5; round++) {
      const before = hub.hub.view.seq;
      // A console ignores keys while its last command is still in flight: wait until both are ready.
      await a.page.locator('button[data-action=next]:enabled').waitFor();
      await b.page.locator('button[data-action=next]:enabled').waitFor();
      await Promise.all([a.page.keyboard.press('n'), b.page.keyboard.press('n')]);
      await expect
        .poll(
          () => {
            const s = hub.hub.view.state;
            const t1 = s.counters.c1?.ticketId;
            const t2 = s.counters.c2?.ticketId;
            return hub.hub.view.seq > before && !!t1 && !!t2 && !seen.has(t1) && !seen.has(t2);
          },
          { message: `both counters called (round ${round})` },
        )
        .toBeTruthy();
      const s = hub.hub.view.state;
      const t1 = s.counters.c1!.ticketId!;
      const t2 = s.counters.c2!.ticketId!;
      expect(t1).not.toBe(t2);
      seen.add(t1);
      seen.add(t2);
      // Each page shows its own ticket.
      await a.page.locator(`[data-testid=current-number]:text-is("${s.tickets[t1]!.number}")`).waitFor();
      await b.page.locator(`[data-testid=current-number]:text-is("${s.tickets[t2]!.number}")`).waitFor();
    }
    // No ticket was called by both: the calls made in this test name ten distinct tickets.
    const calls = hub.hub.log
      .readAfter(startSeq, 1000)
      .filter((e) => e.event.type === 'TicketCalled')
      .map((e) => (e.event.data as { ticketId: string }).ticketId);
    expect(seen.size).toBe(10);
    expect(calls.length).toBe(10);
    expect(new Set(calls).size).toBe(10);
    await a.context.close();
    await b.context.close();
  });

  it('pauses with the reason shown selected, in the reader’s language, and names only the step that works now', async () => {
    await createStaff(admin, 'wang.fang', 'teller', ['c3'], '王芳');
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'wang.fang', '/counter/c3');
    await page.getByRole('heading', { name: '3号窗口' }).waitFor();
    // Closed: the hint names the button that is enabled, not "call next".
    const empty = page.locator('[data-testid=current-empty]');
    expect(await empty.textContent()).toBe('窗口未开放：按“开放窗口”（O）开始');
    expect(await page.locator('button[data-action=open]').isEnabled()).toBe(true);
    expect(await page.locator('button[data-action=next]').isDisabled()).toBe(true);
    await press(page, 'o');
    await page.locator('[data-testid=current-empty]:has-text("按“叫下一位”开始")').waitFor();

    // The dialog's focus is on the reason that is selected, so Enter pauses with what is shown.
    await press(page, 'p');
    await page.getByRole('dialog').waitFor();
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return { value: el?.value, checked: el?.checked, label: el?.closest('label')?.textContent };
    });
    expect(focused).toEqual({ value: 'break', checked: true, label: '暂时离开' });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => hub.hub.view.state.counters.c3?.status === 'paused', { timeout: 10_000, message: 'paused' })
      .toBeTruthy();
    expect(hub.hub.view.state.counters.c3?.pauseReason).toBe('break');
    const status = page.locator('[data-testid=counter-status]');
    await page.locator('[data-testid=counter-status]:has-text("暂停服务 · 暂时离开")').waitFor();
    expect(await status.textContent()).not.toMatch(/[A-Za-z]/);
    expect(await empty.textContent()).toBe('暂停服务中：按“恢复服务”（P）继续叫号');

    // Resume, then pause again saying when the counter will be back: the hub keeps it, the status says it.
    await press(page, 'p');
    await expect
      .poll(() => hub.hub.view.state.counters.c3?.status === 'open', { timeout: 10_000, message: 'resumed' })
      .toBeTruthy();
    await press(page, 'p');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByLabel('15 分钟').isChecked()).toBe(true);
    await dialog.getByLabel('会议或培训').check();
    expect(await dialog.getByLabel('不确定').isChecked()).toBe(true);
    await dialog.getByLabel('30 分钟').check();
    await dialog.getByRole('button', { name: /暂停/ }).click();
    await expect
      .poll(() => hub.hub.view.state.counters.c3?.status === 'paused', {
        timeout: 10_000,
        message: 'paused again',
      })
      .toBeTruthy();
    const paused = hub.hub.view.state.counters.c3!;
    expect(paused.pauseReason).toBe('meeting');
    expect(paused.expectedBackAt! - paused.since).toBe(30 * 60_000);
    const back = new Intl.DateTimeFormat('en-GB', {
      timeZone: hub.hub.view.state.config.branch.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(paused.expectedBackAt!);
    await page.locator(`[data-testid=counter-status]:has-text("会议或培训 · 预计 ${back} 回来")`).waitFor();

    // In English the same reason reads in English, and the 中文 switch stays readable on hover.
    await page.locator('.lang-switch').click();
    await page
      .locator('[data-testid=counter-status]:has-text("Paused · Meeting or training · back about")')
      .waitFor();
    const toggle = page.locator('.lang-switch');
    expect(await toggle.textContent()).toBe('中文');
    await toggle.hover();
    await page.waitForTimeout(300);
    expect(await contrastOnTopbar(page, '.lang-switch')).toBeGreaterThanOrEqual(4.5);
    await context.close();
  });
});

/** Contrast ratio (WCAG) of an element's text against its background as painted over the top bar. */
async function contrastOnTopbar(page: Page, selector: string): Promise<number> {
  const css = await page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    const bar = el.closest('.topbar')!;
    return {
      color: getComputedStyle(el).color,
      bg: getComputedStyle(el).backgroundColor,
      bar: getComputedStyle(bar).backgroundColor,
    };
  }, selector);
  const rgba = (s: string) => {
    const [r = 0, g = 0, b = 0, a = 1] = (s.match(/[\d.]+/g) ?? []).map(Number);
    return { r, g, b, a };
  };
  const over = (top: ReturnType<typeof rgba>, under: ReturnType<typeof rgba>) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const lum = (c: { r: number; g: number; b: number }) => {
    const f = (v: number) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const bar = rgba(css.bar);
  const bg = over(rgba(css.bg), bar);
  const fg = over(rgba(css.color), bg);
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
