import type { DailyReport } from '@nextup/reports';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createStaff,
  type DayRun,
  launch,
  ledgerFigures,
  MIN,
  newPage,
  pairDevice,
  pairTablets,
  runDay,
  setUpAdmin,
  signIn,
  signInUi,
  startTestHub,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let manager: Client;
let browser: Browser;
let run: DayRun;

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  await createStaff(admin, 'wang.fang', 'manager', [], '王芳');
  manager = await signIn(hub.url, 'wang.fang');
  const kiosk = await pairDevice(hub, admin, 'kiosk');
  const tablets = await pairTablets(hub, admin, ['c1', 'c2', 'c3', 'c4']);
  run = await runDay(
    hub,
    { staff: manager, kiosk, tablets },
    { seed: 1123, minutes: 150, counters: ['c1', 'c2', 'c3', 'c4'] },
  );
  // The next morning the hub rolls the day: what is still open is "unfinished at close".
  hub.clock.set(Date.UTC(2026, 10, 24, 0, 0));
  expect(hub.hub.rollIfNewDay()).toBe(true);
  // Sessions last 12 hours: sign in again the next morning.
  manager = await signIn(hub.url, 'wang.fang');
  browser = await launch();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('the daily report', () => {
  it('equals the figures the test computed from its own ledger of a generated day', async () => {
    const f = ledgerFigures(run);
    expect(f.issued).toBeGreaterThan(40);
    expect(f.noShow + f.customerLeft + f.open).toBeGreaterThan(0);
    const r = await manager.get('/api/v1/reports/daily?date=2026-11-23');
    expect(r.status).toBe(200);
    const report = r.body as DailyReport;
    expect(report.closed).toBe(true);
    expect(report.totals.issued).toBe(f.issued);
    expect(report.totals.served).toBe(f.served);
    expect(report.totals.noShow).toBe(f.noShow);
    expect(report.totals.customerLeft).toBe(f.customerLeft);
    expect(report.totals.unfinishedAtClose).toBe(f.open);
    expect(report.totals.waitCount).toBe(f.waitCount);
    expect(report.totals.waitMeanMs).toBeCloseTo(f.waitMeanMs!, 6);
    expect(report.totals.waitP90Ms).toBe(f.waitP90Ms);
    expect(report.totals.serviceMeanMs).toBeCloseTo(f.serviceMeanMs!, 6);
    expect(report.totals.noShowRate).toBeCloseTo(f.noShowRate!, 9);
    expect(report.totals.abandonmentRate).toBeCloseTo((f.customerLeft + f.open) / f.issued, 9);
    expect(report.satisfaction.count).toBe(f.ratings.length);
    expect(report.satisfaction.mean).toBeCloseTo(f.ratingMean!, 9);
    for (const service of ['cash', 'personal', 'business'])
      expect(report.byService.find((s) => s.serviceId === service)?.issued ?? 0).toBe(
        [...run.ledger.values()].filter((t) => t.service === service).length,
      );
    // A day without tickets is an empty report, not an error; a bad date is.
    expect((await manager.get('/api/v1/reports/daily?date=2026-11-20')).body.totals.issued).toBe(0);
    expect((await manager.get('/api/v1/reports/daily?date=23-11-2026')).status).toBe(400);
  });

  it('shows the same figures on the page, exports CSV in both languages and prints', async () => {
    const f = ledgerFigures(run);
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'wang.fang', '/report?date=2026-11-23');
    await page.locator('[data-testid=kpis]').waitFor();
    const kpi = (id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`).textContent();
    const minutes = (ms: number) => {
      const m = ms / MIN;
      return `${m < 10 ? m.toFixed(1) : Math.round(m)} 分钟`;
    };
    expect(await kpi('issued')).toBe(String(f.issued));
    expect(await kpi('waitMean')).toBe(minutes(f.waitMeanMs!));
    expect(await kpi('waitP90')).toBe(minutes(f.waitP90Ms!));
    expect(await kpi('noShowRate')).toBe(`${((f.noShowRate ?? 0) * 100).toFixed(1)}%`);
    // Four charts drawn (uPlot canvases), bundled with the page.
    await page.waitForFunction(() => document.querySelectorAll('.chart-box canvas').length === 4);
    const csv = await page.evaluate(async () => {
      const href = (document.querySelector('[data-testid=csv-link]') as HTMLAnchorElement).href;
      const zh = await (await fetch(href)).text();
      const en = await (await fetch(href.replace('lang=zh', 'lang=en'))).text();
      return { zh, en };
    });
    expect(csv.zh).toContain(`\r\n取号数,${f.issued}\r\n`);
    expect(csv.en).toContain(`\r\nTickets issued,${f.issued}\r\n`);
    expect(csv.en).toContain(`\r\nNo-shows,${f.noShow}\r\n`);
    // The print stylesheet hides the menu and the buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.locator('.report-form').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=kpis]').isVisible()).toBe(true);
    await context.close();
  });
});
