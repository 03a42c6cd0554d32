import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DisplayAgent, startDisplayAgent } from '../src/index.ts';
import {
  Admin,
  ARTIFACTS,
  FakeAudioSink,
  launch,
  MONDAY_0900,
  openScreen,
  startTestHub,
  type TestHub,
  tempDir,
  testLogger,
} from './support.ts';

/**
 * A day on the TV, in both languages and on both TV sizes the branches have (1920×1080 and
 * 1366×768): before the counters open, at opening, a burst of calls, a call to the VIP room, after
 * closing. Every scene is checked to fit the screen (nothing cut, nothing scrolled) and saved as a
 * screenshot in apps/display/.artifacts/tv-<scene>-<lang>-<size>.png.
 */

let hub: TestHub;
let admin: Admin;
let browser: Browser;
let agent: DisplayAgent;
let data: ReturnType<typeof tempDir>;

const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
] as const;
const LANGS = ['zh', 'en'] as const;

async function act(type: 'CallNext' | 'StartServing' | 'FinishTicket' | 'CloseCounter', counterId: string) {
  hub.clock.advance(5000);
  await admin.must({ type, data: { counterId } });
}

/**
 * What does not fit: the page scrolls, a box that clips (overflow hidden) holds more than it shows,
 * or some text of a service card lies outside the card.
 */
function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth || doc.scrollHeight > window.innerHeight)
      problems.push(`page ${doc.scrollWidth}×${doc.scrollHeight}`);
    const row = document.querySelector('[data-testid=services]')!.getBoundingClientRect();
    for (const card of document.querySelectorAll<HTMLElement>('[data-testid=service]')) {
      const box = card.getBoundingClientRect();
      const id = card.dataset.service;
      if (box.right > row.right + 1 || box.left < row.left - 1) problems.push(`${id}: out of the row`);
      for (const el of card.querySelectorAll<HTMLElement>('*')) {
        const style = getComputedStyle(el);
        const clips = style.overflowX !== 'visible' || style.overflowY !== 'visible';
        const name = `${id} .${el.className || el.tagName}`;
        if (clips && el.scrollWidth > el.clientWidth + 1) problems.push(`${name}: cut on the side`);
        if (clips && el.scrollHeight > el.clientHeight + 1) problems.push(`${name}: cut at the bottom`);
      }
      const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects())
          if (
            r.left < box.left - 1 ||
            r.right > box.right + 1 ||
            r.top < box.top - 1 ||
            r.bottom > box.bottom + 1
          )
            problems.push(`${id} "${n.textContent}": out of its card`);
      }
    }
    return problems;
  });
}

/** Opens the screen in each language and size, waits for `ready`, checks the fit and takes the screenshot. */
async function scene(name: string, ready: (page: Page, lang: 'zh' | 'en') => Promise<void>) {
  for (const lang of LANGS)
    for (const size of SIZES) {
      const page = await openScreen(browser, agent.url, { lang, audio: false, size });
      try {
        await expect.poll(() => page.getByTestId('screen').isVisible(), { timeout: 20_000 }).toBe(true);
        await ready(page, lang);
        // The service names are fitted after layout: give it a frame.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
        expect(await overflows(page), `${name} ${lang} ${size.width}×${size.height}`).toEqual([]);
        // Legible from across the hall: a service name is never shrunk below 1.6 % of the height.
        const smallest = await page
          .getByTestId('service-name')
          .evaluateAll((els) => Math.min(...els.map((e) => parseFloat(getComputedStyle(e).fontSize))));
        expect(smallest / size.height).toBeGreaterThanOrEqual(0.0159);
        await page.screenshot({
          path: join(ARTIFACTS, `tv-${name}-${lang}-${size.width}x${size.height}.png`),
        });
      } finally {
        await page.context().close();
      }
    }
}

const text = (page: Page, id: string) => page.getByTestId(id).textContent();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  hub = await startTestHub();
  admin = await Admin.setUp(hub);
  // A fifth service with a long name in both languages (the row held four before it overflowed).
  const cash = hub.hub.view.state.config.services.cash!;
  await admin.must({
    type: 'UpsertService',
    data: {
      service: {
        ...cash,
        id: 'fx',
        prefix: 'D',
        name: { zh: '外汇兑换及跨境汇款', en: 'Foreign exchange & international transfers' },
        hint: null,
        selfServiceSuggested: false,
      },
    },
  });
  data = tempDir();
  agent = await startDisplayAgent({
    dataDir: data.dir,
    hubUrl: hub.url,
    pairingCode: await admin.pairingCode(),
    audio: new FakeAudioSink(),
    logger: testLogger,
    reconnect: { minMs: 50, maxMs: 200 },
    // The hall's hours follow the hub's clock, which this test moves to the evening.
    clockSampleMs: 300,
  });
  await vi.waitFor(
    () => {
      if (agent.status !== 'online') throw new Error('agent online');
    },
    { timeout: 20_000, interval: 25 },
  );
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await agent?.close();
  await hub?.close();
  data?.remove();
});

describe('the TV through a day', () => {
  it('before the counters open: says no counter is open, and shows no call', async () => {
    await scene('before-opening', async (page, lang) => {
      await expect
        .poll(() => page.getByTestId('hall-closed').getAttribute('data-state'))
        .toBe('noCounterOpen');
      await expect(text(page, 'hall-closed')).resolves.toContain(
        lang === 'zh' ? '暂无窗口' : 'No counter is open',
      );
      await expect(page.getByTestId('current').count()).resolves.toBe(0);
    });
  });

  it('at opening: five services fit their row in both languages and sizes; no call yet', async () => {
    await admin.open('c1', 'c2', 'c3', 'c4', 'c5');
    for (const s of ['cash', 'cash', 'cash', 'personal', 'personal', 'business', 'wealth', 'fx', 'fx'])
      await admin.issue(s);
    await scene('opening', async (page, lang) => {
      await expect.poll(() => page.getByTestId('screen').getAttribute('data-hall')).toBe('open');
      await expect.poll(() => page.getByTestId('service').count()).toBe(5);
      await expect
        .poll(() => page.locator('[data-service="fx"] [data-testid="waiting"]').getAttribute('data-count'))
        .toBe('2');
      await expect(text(page, 'current')).resolves.toContain(
        lang === 'zh' ? '请留意叫号' : 'Please watch for your number',
      );
    });
  });

  it('a burst of calls: the newest large under "正在叫号 / Now calling", never a lone "请"', async () => {
    for (const c of ['c1', 'c2', 'c3', 'c4']) await act('CallNext', c);
    const newest = hub.hub.view.state.tickets[hub.hub.view.state.counters.c4!.ticketId!]!.number;
    await scene('burst', async (page, lang) => {
      await expect.poll(() => text(page, 'current-number'), { timeout: 20_000 }).toBe(newest);
      const label = [
        await page.locator('.current-head .label .p').textContent(),
        await page.locator('.current-head .label .s').textContent(),
      ];
      expect(label).toEqual(lang === 'zh' ? ['正在叫号', 'Now calling'] : ['Now calling', '正在叫号']);
      await expect(page.getByTestId('recent-call').count()).resolves.toBe(3);
    });
  });

  it('a call to the VIP room names it as configured: 5号贵宾室 / VIP room 5', async () => {
    await act('CallNext', 'c5');
    await scene('vip', async (page) => {
      await expect.poll(() => text(page, 'current-number'), { timeout: 20_000 }).toBe('V001');
      const to = await page.locator('.current .to').textContent();
      expect(to).toContain('5号贵宾室');
      expect(to).toContain('VIP room 5');
      expect(to).not.toContain('5号窗口');
    });
  });

  it('shows no current call once nobody is being called, the calls kept as recent ones', async () => {
    for (const c of ['c1', 'c2', 'c3', 'c4', 'c5']) await act('StartServing', c);
    const page = await openScreen(browser, agent.url, { audio: false });
    try {
      await expect.poll(() => text(page, 'current'), { timeout: 20_000 }).toContain('请留意叫号');
      await expect(page.getByTestId('current-number').count()).resolves.toBe(0);
      await expect
        .poll(() =>
          page.getByTestId('recent-call').evaluateAll((els) => els.map((e) => e.getAttribute('data-number'))),
        )
        .toEqual(['V001', 'C001', 'B001', 'A002', 'A001']);
    } finally {
      await page.context().close();
    }
  });

  it('after closing: no call at all, and the closed state (no counter open; after the hours, closed for today)', async () => {
    for (const c of ['c1', 'c2', 'c3', 'c4', 'c5']) await act('FinishTicket', c);
    for (const c of ['c1', 'c2', 'c3', 'c4', 'c5']) await act('CloseCounter', c);
    const page = await openScreen(browser, agent.url, { audio: false });
    try {
      await expect
        .poll(() => page.getByTestId('hall-closed').getAttribute('data-state'), { timeout: 20_000 })
        .toBe('noCounterOpen');
      await expect(page.getByTestId('recent-call').count()).resolves.toBe(0);
    } finally {
      await page.context().close();
    }
    // The hub's clock at 17:30: the sample branch closes at 17:00 on weekdays.
    hub.clock.set(MONDAY_0900 + 8.5 * 3_600_000);
    await scene('after-closing', async (page, lang) => {
      await expect
        .poll(() => page.getByTestId('hall-closed').getAttribute('data-state'), { timeout: 20_000 })
        .toBe('afterHours');
      await expect(text(page, 'hall-closed')).resolves.toContain(
        lang === 'zh' ? '今日营业已结束' : 'closed for today',
      );
      await expect(page.getByTestId('current-number').count()).resolves.toBe(0);
      await expect(page.getByTestId('recent-call').count()).resolves.toBe(0);
    });
  });
});
