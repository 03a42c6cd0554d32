import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ServiceOffer, waitBrief } from '@nextup/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DisplayAgent, startDisplayAgent } from '../src/index.ts';
import {
  Admin,
  ARTIFACTS,
  FakeAudioSink,
  launch,
  openScreen,
  startTestHub,
  type TestHub,
  tempDir,
  testLogger,
} from './support.ts';

let hub: TestHub;
let admin: Admin;
let browser: Browser;
let agent: DisplayAgent;
let data: ReturnType<typeof tempDir>;
let sink: FakeAudioSink;
/** lastSeq of every subscription the hub saw (null = asked for a snapshot). */
const subscribes: (number | null)[] = [];

/** A teller's action a few seconds after the last one (the hub's clock is manual). */
async function act(type: 'CallNext' | 'Recall', counterId: string) {
  hub.clock.advance(5000);
  await admin.must({ type, data: { counterId } });
}

const current = (page: Page) => page.getByTestId('current');
const currentNumber = (page: Page) => page.getByTestId('current-number');

async function startAgent(): Promise<DisplayAgent> {
  sink = new FakeAudioSink();
  return startDisplayAgent({
    dataDir: data.dir,
    hubUrl: hub.url,
    pairingCode: await admin.pairingCode(),
    audio: sink,
    logger: testLogger,
    reconnect: { minMs: 50, maxMs: 200 },
  });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  hub = await startTestHub();
  const subscribe = hub.hub.subscribe.bind(hub.hub);
  hub.hub.subscribe = (lastSeq, sink, onDrop) => {
    subscribes.push(lastSeq);
    return subscribe(lastSeq, sink, onDrop);
  };
  admin = await Admin.setUp(hub);
  data = tempDir();
  agent = await startAgent();
  browser = await launch();
  await admin.open('c1', 'c2', 'c3', 'c5');
});

afterAll(async () => {
  await browser?.close();
  await agent?.close();
  await hub?.close();
  data?.remove();
});

describe('the TV screen', () => {
  it('shows a call made on the hub at once, large and highlighted as new', async () => {
    await expect.poll(() => agent.status === 'online', { message: 'agent online' }).toBeTruthy();
    const page = await openScreen(browser, agent.url, { audio: false });
    await expect.poll(() => page.getByTestId('screen').isVisible(), { timeout: 20_000 }).toBe(true);
    const a1 = await admin.issue('cash');
    await admin.issue('cash');
    await admin.issue('personal');
    await act('CallNext', 'c3');
    // Counter 3 serves personal business first: B001 goes there.
    await expect.poll(() => currentNumber(page).textContent(), { timeout: 20_000 }).toBe('B001');
    await expect(current(page).getAttribute('data-new')).resolves.toBe('true');
    await expect(current(page).textContent()).resolves.toContain('3号窗口');
    await expect(current(page).textContent()).resolves.toContain('Counter 3');
    await expect
      .poll(() => page.locator('[data-service="cash"] [data-testid="waiting"]').getAttribute('data-count'))
      .toBe('2');
    // Each tile says the wait a ticket taken now would have: the kiosk's figure, in brief.
    const hubWait = async (serviceId: string) => {
      const r = await admin.request('GET', '/api/v1/offers');
      const offer = (r.body as { offers: ServiceOffer[] }).offers.find((o) => o.service.id === serviceId);
      return offer?.estimate ? waitBrief(offer.estimate).zh : null;
    };
    const cashWait = await hubWait('cash');
    expect(cashWait).toMatch(/分钟|即将叫号/);
    await expect
      .poll(() => page.locator('[data-service="cash"] [data-testid="service-wait"]').textContent())
      .toContain(cashWait!);
    // The box's own voice announced it (once).
    await expect
      .poll(() => sink.played.some((p) => p.label === 'B001 → 3'), { message: 'announced' })
      .toBeTruthy();
    expect(a1).toBe('A001');
    await page.context().close();
  });

  it('marks a recall as a recall, and as new again', async () => {
    const page = await openScreen(browser, agent.url, { audio: false });
    await expect.poll(() => currentNumber(page).textContent(), { timeout: 20_000 }).toBe('B001');
    const before = await current(page).getAttribute('data-key');
    await act('Recall', 'c3');
    await expect.poll(() => current(page).getAttribute('data-recall'), { timeout: 20_000 }).toBe('true');
    await expect(page.getByTestId('recall-badge').textContent()).resolves.toContain('重呼');
    await expect(current(page).getAttribute('data-new')).resolves.toBe('true');
    expect(await current(page).getAttribute('data-key')).not.toBe(before);
    await expect
      .poll(
        () =>
          agent.voice.history.filter((h) => h.label === 'recall B001 → 3' && h.outcome === 'spoken')
            .length === 1,
        { message: 'recall announced' },
      )
      .toBeTruthy();
    await page.context().close();
  });

  it('resumes from its last sequence number after a disconnect, without showing what it missed as new', async () => {
    const page = await openScreen(browser, agent.url, { audio: false });
    await expect.poll(() => current(page).getAttribute('data-recall'), { timeout: 20_000 }).toBe('true');
    const link = agent.link!;
    const seqBefore = agent.view!.seq;
    const announcedBefore = sink.played.length;
    subscribes.length = 0;
    link.stop();
    await expect.poll(() => page.getByTestId('link-problem').isVisible(), { timeout: 20_000 }).toBe(true);
    // Called while the display was cut off: the customer was not told by this screen.
    await act('CallNext', 'c1');
    link.start();
    await expect.poll(() => currentNumber(page).textContent(), { timeout: 20_000 }).toBe('A001');
    expect(subscribes[0]).toBe(seqBefore);
    await expect(current(page).getAttribute('data-new')).resolves.toBe('false');
    await expect(page.getByTestId('link-problem').count()).resolves.toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.played.length).toBe(announcedBefore);
    // Live again: the next call is new and heard.
    await act('CallNext', 'c2');
    await expect.poll(() => currentNumber(page).textContent(), { timeout: 20_000 }).toBe('A002');
    await expect(current(page).getAttribute('data-new')).resolves.toBe('true');
    await expect
      .poll(() => sink.played.some((p) => p.label === 'A002 → 2'), {
        timeout: 20_000,
        message: 'live call announced',
      })
      .toBeTruthy();
    expect(sink.played.some((p) => p.label === 'A001 → 1')).toBe(false);
    await page.context().close();
  });

  it('after the box restarts mid-day, shows the current calls and none of them as new', async () => {
    await agent.close();
    sink = new FakeAudioSink();
    agent = await startDisplayAgent({
      dataDir: data.dir,
      audio: sink,
      logger: testLogger,
      reconnect: { minMs: 50, maxMs: 200 },
    });
    await expect
      .poll(() => agent.status === 'online', {
        timeout: 20_000,
        message: 'back online with the saved credentials',
      })
      .toBeTruthy();
    const page = await openScreen(browser, agent.url, { audio: false });
    await expect.poll(() => currentNumber(page).textContent(), { timeout: 20_000 }).toBe('A002');
    await expect(current(page).getAttribute('data-new')).resolves.toBe('false');
    const recent = await page
      .getByTestId('recent-call')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-number')));
    expect(recent).toEqual(['A001', 'B001']);
    await expect(page.locator('li.is-new').count()).resolves.toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.played).toEqual([]);
    await page.context().close();
  });

  it('says the display service is not answering while its agent restarts, and clears that by itself', async () => {
    const page = await openScreen(browser, agent.url, { audio: false });
    await expect.poll(() => currentNumber(page).textContent(), { timeout: 20_000 }).toBe('A002');
    const problem = page.getByTestId('link-problem');
    expect(await problem.count()).toBe(0);
    const port = Number(new URL(agent.url).port);
    await agent.close();
    await expect
      .poll(() => problem.textContent(), { timeout: 20_000 })
      .toContain('叫号屏程序未响应，正在重新连接…');
    expect(await problem.textContent()).toContain('The display service is not answering; reconnecting…');
    // The same box starts its agent again on the same port; the open page finds it by itself.
    sink = new FakeAudioSink();
    agent = await startDisplayAgent({
      dataDir: data.dir,
      port,
      audio: sink,
      logger: testLogger,
      reconnect: { minMs: 50, maxMs: 200 },
    });
    await expect
      .poll(() => agent.status === 'online', { message: 'back online with the saved credentials' })
      .toBeTruthy();
    await expect.poll(() => problem.count(), { timeout: 20_000 }).toBe(0);
    expect(await currentNumber(page).textContent()).toBe('A002');
    await page.context().close();
  });

  it('is legible from 5 m at 1920×1080, in Chinese and in English (screenshots)', async () => {
    await admin.request('PUT', '/api/v1/notice', {
      notice: {
        zh: '今日下午 16:30 后对公业务暂停取号；5 万元以下存取款请使用智能柜台。',
        en: 'Business banking tickets end at 16:30 today; cash up to ¥50,000 is faster at the smart counter.',
      },
    });
    for (const s of ['cash', 'cash', 'personal', 'business', 'wealth']) await admin.issue(s);
    await act('CallNext', 'c5');
    await act('CallNext', 'c1');
    for (const lang of ['zh', 'en'] as const) {
      const page = await openScreen(browser, agent.url, { lang, audio: false });
      await expect.poll(() => currentNumber(page).textContent(), { timeout: 20_000 }).toBe('A003');
      await expect.poll(() => page.getByTestId('notice').textContent()).toContain('16:30');
      await expect.poll(() => page.getByTestId('clock').textContent()).toContain('09:00');
      // The ink of the number (not its line box), measured with the font the page uses.
      const ink = await currentNumber(page).evaluate((el) => {
        const style = getComputedStyle(el);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const m = ctx.measureText(el.textContent ?? '');
        return {
          height: m.actualBoundingBoxAscent + m.actualBoundingBoxDescent,
          fontPx: parseFloat(style.fontSize),
        };
      });
      expect(ink.height / 1080).toBeGreaterThanOrEqual(0.15);
      // Nothing spills off the screen.
      const overflow = await page.evaluate(() => ({
        w: document.documentElement.scrollWidth,
        h: document.documentElement.scrollHeight,
      }));
      expect(overflow).toEqual({ w: 1920, h: 1080 });
      await page.screenshot({ path: join(ARTIFACTS, `display-${lang}.png`) });
      await page.context().close();
    }
    const page = await openScreen(browser, agent.url, { audio: false });
    await expect.poll(() => currentNumber(page).textContent(), { timeout: 20_000 }).toBe('A003');
    await act('Recall', 'c1');
    await expect.poll(() => current(page).getAttribute('data-recall'), { timeout: 20_000 }).toBe('true');
    await page.screenshot({ path: join(ARTIFACTS, 'display-recall-zh.png') });
    await page.context().close();
  });

  it('pairs a blank box from its screen', async () => {
    const blank = tempDir();
    const fresh = await startDisplayAgent({
      dataDir: blank.dir,
      hubUrl: hub.url,
      audio: new FakeAudioSink(),
      logger: testLogger,
    });
    try {
      const page = await openScreen(browser, fresh.url, { audio: false });
      await expect.poll(() => page.getByTestId('pairing').isVisible(), { timeout: 20_000 }).toBe(true);
      await expect(page.locator('input[name=hubUrl]').inputValue()).resolves.toBe(hub.url);
      await page.locator('input[name=code]').fill('000000');
      await page.locator('button[type=submit]').click();
      await expect.poll(() => page.getByTestId('pair-error').isVisible(), { timeout: 20_000 }).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'display-pairing.png') });
      await page.locator('input[name=code]').fill(await admin.pairingCode('display', '二楼叫号屏'));
      await page.locator('button[type=submit]').click();
      await expect.poll(() => page.getByTestId('screen').isVisible(), { timeout: 20_000 }).toBe(true);
      await expect.poll(() => currentNumber(page).textContent(), { timeout: 20_000 }).toBe('A003');
      expect(fresh.status).toBe('online');
      // Removed by branch IT: the screen goes back to pairing and says why.
      await admin.request('POST', `/api/v1/admin/devices/${fresh.link!.deviceId}/revoke`);
      await expect.poll(() => page.getByTestId('pairing').isVisible(), { timeout: 20_000 }).toBe(true);
      await expect(page.getByTestId('pair-error').textContent()).resolves.toContain('重新配对');
      expect(fresh.status).toBe('pairing');
      await page.context().close();
    } finally {
      await fresh.close();
      blank.remove();
    }
  });
});
