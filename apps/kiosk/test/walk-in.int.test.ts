import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Branch,
  decodeQr,
  kioskPage,
  launch,
  PUBLIC_URL,
  saveArtifact,
  setKioskSettings,
  startBranch,
} from './support.ts';

let branch: Branch;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  branch = await startBranch();
  browser = await launch();
  page = await kioskPage(browser, branch.agent.url);
});

afterAll(async () => {
  await browser?.close();
  await branch?.close();
});

describe('a walk-in customer at the kiosk', () => {
  it('gets a printed ticket with one tap: number, Chinese service name and QR on paper, known to the hub', async () => {
    const cash = page.locator('[data-service="cash"]');
    await expect(cash.locator('.service-name').textContent()).resolves.toBe('个人现金业务');
    await expect(cash.isEnabled()).resolves.toBe(true);
    // The self-service suggestion is on the button, before the tap.
    await expect(cash.locator('.self-service-hint').textContent()).resolves.toContain('智能柜台');

    // The button's wait is the hub's words for this service's figure.
    const offers = (await branch.admin.get('/api/v1/offers')).body as {
      offers: { service: { id: string }; words: { wait: { zh: string } } | null }[];
    };
    const cashWords = offers.offers.find((o) => o.service.id === 'cash')?.words?.wait.zh;
    expect(cashWords).toBeTruthy();
    await expect(cash.locator('[data-testid="wait-words"]').textContent()).resolves.toBe(cashWords);

    await cash.tap();
    const number = page.locator('.ticket-number');
    await number.waitFor();
    expect(await number.textContent()).toBe('A001');
    await page.locator('[data-print-status="printed"]').waitFor();
    expect(await page.locator('.print-status').textContent()).toContain('请取走');
    // Nobody ahead, and still the screen says the wait the paper prints (it once said nothing).
    const screenWait = await page
      .locator('.ticket-figures [data-testid="wait-words"] .tfig-value')
      .textContent();
    expect(screenWait).toBeTruthy();
    expect(branch.printer.tickets.at(-1)!.text).toContain(screenWait!);

    // The paper, as the virtual printer received it.
    const t = branch.printer.tickets.at(-1)!;
    expect(t.cut).toBe(true);
    expect(t.interrupted).toBeNull();
    expect(t.text).toContain('A001');
    expect(t.text).toContain('个人现金业务');
    const followUrl = decodeQr(t.png());
    saveArtifact('printed-ticket-zh.png', t.png());
    expect(followUrl).toMatch(new RegExp(`^${PUBLIC_URL}/t/[A-Za-z0-9_-]{16,64}$`));

    // The screen's QR code is the same follow URL (decoded from a screenshot of it).
    const shot = await page.locator('.ticket-qr svg').screenshot();
    expect(decodeQr(shot)).toBe(followUrl);

    // The hub knows the ticket: its follow page says A001, issued at the kiosk.
    const ticketId = followUrl!.split('/t/')[1]!;
    const follow = await branch.admin.get(`/api/v1/follow/${ticketId}`);
    expect(follow.body).toMatchObject({ number: 'A001', status: 'waiting' });
    const state = await branch.admin.get('/api/v1/state');
    expect(state.body.state.tickets[ticketId]).toMatchObject({
      number: 'A001',
      source: 'kiosk',
      class: 'normal',
    });
  });

  it('shows the people ahead and the wait range, and the waiting count on the button grows', async () => {
    await page.locator('[data-action="done"]').tap();
    const cash = page.locator('[data-service="cash"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-service="cash"] .figure-value')?.textContent?.startsWith('1'),
    );
    await cash.tap();
    await page.locator('.ticket-number').waitFor();
    expect(await page.locator('.ticket-number').textContent()).toBe('A002');
    expect(await page.locator('[data-ahead]').getAttribute('data-ahead')).toBe('1');
    // The wait in the customer's words (counters are free, so it may be "in a moment"), as on paper.
    const wait = await page.locator('.ticket-figures [data-testid="wait-words"] .tfig-value').textContent();
    expect(wait).toMatch(/^(预计等候 \d+–\d+ 分钟|预计等候 \d+ 分钟以上|即将叫到您)$/);
    await page.locator('[data-print-status="printed"]').waitFor();
    expect(branch.printer.tickets.at(-1)!.text).toContain(wait!);
    await page.locator('[data-action="done"]').tap();
  });

  it('switches to English with one tap, and prints the English lines first', async () => {
    await page.locator('.lang-toggle').tap();
    const personal = page.locator('[data-service="personal"]');
    await expect(personal.locator('.service-name').textContent()).resolves.toBe('Accounts, cards & loans');
    await personal.tap();
    await page.locator('[data-print-status="printed"]').waitFor();
    expect(await page.locator('.ticket-label').textContent()).toBe('Your number');
    const t = branch.printer.tickets.at(-1)!;
    saveArtifact('printed-ticket-en.png', t.png());
    expect(t.text).toContain('B001');
    const en = t.text.indexOf('Accounts, cards & loans');
    const zh = t.text.indexOf('个人综合业务');
    expect(en).toBeGreaterThanOrEqual(0);
    expect(zh).toBeGreaterThan(en);
  });

  it('shows a closed or stopped service disabled with the reason', async () => {
    await page.locator('[data-action="done"]').tap();
    // Back in Chinese after "done": the next customer starts afresh.
    await page.locator('.lang-toggle', { hasText: 'English' }).waitFor();
    const view = (await branch.admin.get('/api/v1/state')).body.state.config;
    await branch.admin.must({
      type: 'UpsertService',
      data: {
        service: {
          ...view.services.business,
          hours: [{ days: [1, 2, 3, 4, 5], open: '13:00', close: '16:30' }],
        },
      },
    });
    await branch.admin.must({
      type: 'UpsertService',
      data: { service: { ...view.services.wealth, enabled: false } },
    });
    const business = page.locator('[data-service="business"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-service="business"]')?.hasAttribute('disabled'),
    );
    expect(await business.locator('.reason').textContent()).toBe('13:00 开始办理');
    const wealth = page.locator('[data-service="wealth"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-service="wealth"]')?.hasAttribute('disabled'),
    );
    expect(await wealth.locator('.reason').textContent()).toBe('暂停办理');
    const before = branch.printer.tickets.length;
    await business.click({ force: true });
    await page.waitForTimeout(300);
    expect(await page.locator('[data-screen="start"]').count()).toBe(1);
    expect(branch.printer.tickets.length).toBe(before);
  });

  it('returns to the start screen, in Chinese, after the idle seconds the admin set', async () => {
    await setKioskSettings(branch.admin, branch.agent.deviceId!, {
      printer: {
        url: `tcp://127.0.0.1:${branch.printerPort}`,
        paperWidth: 80,
        chinese: 'native',
        qr: 'native',
      },
      idleSeconds: 5,
      services: ['cash', 'personal'],
    });
    await page.waitForFunction(() => document.querySelectorAll('[data-service]').length === 2);
    await page.locator('.lang-toggle').tap();
    await page.locator('[data-service="cash"]').tap();
    await page.locator('[data-print-status="printed"]').waitFor();
    const shownAt = Date.now();
    await page.locator('[data-screen="start"]').waitFor({ timeout: 15_000 });
    expect(Date.now() - shownAt).toBeGreaterThan(3000);
    expect(await page.locator('.lang-toggle').textContent()).toBe('English');
  });
});
