import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskAgent } from '../src/index.ts';
import { type Branch, decodeQr, kioskPage, launch, startBranch } from './support.ts';

let branch: Branch;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  branch = await startBranch();
  browser = await launch();
  page = await kioskPage(browser, branch.agent.url);
  await page.locator('[data-service="cash"]:not([disabled])').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await branch?.close();
});

/** The kiosk's printer line as the hub shows it to branch IT. */
async function hubPrinterHealth() {
  const r = await branch.admin.get('/api/v1/admin/devices');
  const me = r.body.devices.find((d: any) => d.deviceId === branch.agent.deviceId);
  return me?.health?.components.find((c: any) => c.component === 'printer') ?? null;
}

async function allServicesDisabled() {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-service]')].every((b) => b.hasAttribute('disabled')),
  );
}

describe('when the printer has a problem', () => {
  it('paper out disables issuing with "please ask staff" in both languages, and the hub shows it', async () => {
    branch.printer.setStatus({ paperOut: true });
    const banner = page.locator('.problem-banner[data-problem="PAPER_OUT"]');
    await banner.waitFor();
    const text = await banner.textContent();
    expect(text).toContain('打印机缺纸');
    expect(text).toContain('请联系工作人员');
    expect(text).toContain('out of paper');
    expect(text).toContain('Please ask staff');
    expect(await allServicesDisabled()).toBe(true);
    expect(await page.locator('[data-action="appointment"]').isDisabled()).toBe(true);
    await expect
      .poll(async () => (await hubPrinterHealth())?.code === 'PAPER_OUT', { message: 'PAPER_OUT at the hub' })
      .toBeTruthy();
    expect(await hubPrinterHealth()).toMatchObject({ level: 'error', code: 'PAPER_OUT' });

    // Refused by the agent too, whatever the UI shows: no ticket the printer cannot print.
    const before = (await branch.admin.get('/api/v1/state')).body.seq;
    const r = await branch.agent.issue({ requestId: 'test-paper-out-1', serviceId: 'cash', lang: 'zh' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'printer', code: 'PAPER_OUT' } });
    expect((await branch.admin.get('/api/v1/state')).body.seq).toBe(before);

    branch.printer.setStatus({ paperOut: false });
    await page.locator('.problem-banner').waitFor({ state: 'detached' });
    expect(await allServicesDisabled()).toBe(false);
    await expect
      .poll(async () => (await hubPrinterHealth())?.code === 'OK', { message: 'OK at the hub' })
      .toBeTruthy();
  });

  it('an open cover or a printer that does not answer disables issuing too', async () => {
    branch.printer.setStatus({ coverOpen: true });
    await page.locator('.problem-banner[data-problem="COVER_OPEN"]').waitFor();
    expect(await page.locator('.problem-banner').textContent()).toContain('打印机盖未关好');
    branch.printer.setStatus({ coverOpen: false });
    await page.locator('.problem-banner').waitFor({ state: 'detached' });

    branch.printer.setStatus({ offline: true });
    await page.locator('.problem-banner[data-problem="PRINTER_OFFLINE"]').waitFor();
    expect(await allServicesDisabled()).toBe(true);
    await expect
      .poll(async () => (await hubPrinterHealth())?.code === 'TIMEOUT', { message: 'TIMEOUT at the hub' })
      .toBeTruthy();
    branch.printer.setStatus({ offline: false });
    await page.locator('.problem-banner').waitFor({ state: 'detached', timeout: 20_000 });
  });

  it('a print that fails midway keeps the number and QR on screen, tells staff, and reprints once the paper is back', async () => {
    // The roll runs out 120 bytes into the next ticket.
    branch.printer.setStatusAfter(120, { paperOut: true });
    await page.locator('[data-service="cash"]').tap();
    await page.locator('[data-print-status="failed"]').waitFor();
    const number = (await page.locator('.ticket-number').textContent())!;
    const status = await page.locator('.print-status').textContent();
    expect(status).toContain('号票未能打印');
    expect(status).toContain('could not be printed');
    expect(await page.locator('[data-action="reprint"]').isDisabled()).toBe(true);
    const followUrl = await page.locator('.ticket-qr svg').getAttribute('data-qr');
    expect(decodeQr(await page.locator('.ticket-qr svg').screenshot())).toBe(followUrl);
    const partial = branch.printer.tickets.at(-1);
    expect(partial?.interrupted?.reason === 'paperOut' || partial?.cut === false).toBe(true);

    // Branch IT sees which customer holds no paper ticket; the ticket keeps its place at the hub.
    await expect
      .poll(async () => ((await hubPrinterHealth())?.detail ?? '').includes(number), {
        message: 'number in health',
      })
      .toBeTruthy();
    // For the consoles to say in their own language: which numbers hold no paper.
    expect((await hubPrinterHealth())?.reason).toEqual({ code: 'notPrinted', params: { numbers: number } });
    const ticketId = followUrl!.split('/t/')[1]!;
    expect((await branch.admin.get(`/api/v1/follow/${ticketId}`)).body.status).toBe('waiting');

    // The screen stays well past the idle time while the customer decides.
    branch.printer.setStatus({ paperOut: false });
    const reprint = page.locator('[data-action="reprint"]:not([disabled])');
    await reprint.waitFor();
    const before = branch.printer.tickets.length;
    await reprint.tap();
    await page.locator('[data-print-status="printed"]').waitFor();
    expect(branch.printer.tickets.length).toBe(before + 1);
    const paper = branch.printer.tickets.at(-1)!;
    expect(paper.cut).toBe(true);
    expect(paper.text).toContain(number);
    expect(decodeQr(paper.png())).toBe(followUrl);
    await expect
      .poll(async () => (await hubPrinterHealth())?.code === 'OK', { message: 'OK at the hub' })
      .toBeTruthy();
    expect((await hubPrinterHealth())?.detail ?? '').not.toContain(number);
    await page.locator('[data-action="done"]').tap();
  });

  it('a ticket whose print failed follows its ticket: once called it says where to go and offers no reprint', async () => {
    branch.printer.setStatusAfter(120, { paperOut: true });
    await page.locator('[data-service="cash"]:not([disabled])').tap();
    await page.locator('[data-print-status="failed"][data-ticket-status="waiting"]').waitFor();
    const number = (await page.locator('.ticket-number').textContent())!;
    branch.printer.setStatus({ paperOut: false });
    await page.locator('[data-action="reprint"]:not([disabled])').waitFor();

    // The customer did not wait for the reprint: a teller calls the number.
    await branch.admin.must({ type: 'CallTicket', data: { counterId: 'c1', number } });
    const called = page.locator('.ticket-called[data-ticket-status="called"]');
    await called.waitFor();
    expect(await called.textContent()).toContain('您的号已叫到，请到');
    expect(await called.textContent()).toContain('1号窗口');
    expect(await page.locator('[data-action="reprint"]').count()).toBe(0);
    expect(await page.locator('[data-action="void"]').count()).toBe(0);

    await branch.admin.must({ type: 'FinishTicket', data: { counterId: 'c1' } });
    await page.locator('[data-print-status="failed"][data-ticket-status="ended"]').waitFor();
    expect(await page.locator('.print-status').textContent()).toContain('此号已结束');
    expect(await page.locator('.ticket-called').count()).toBe(0);
    expect(await page.locator('[data-action="reprint"]').count()).toBe(0);
    await page.locator('[data-action="done"]').tap();
    await page.locator('[data-service="cash"]:not([disabled])').waitFor();
  });

  it('a customer who gives up an unprinted ticket voids it at the hub (printFailed)', async () => {
    branch.printer.setStatusAfter(120, { paperOut: true });
    await page.locator('[data-service="cash"]:not([disabled])').tap();
    await page.locator('[data-print-status="failed"]').waitFor();
    const ticketId = (await page.locator('.ticket-qr svg').getAttribute('data-qr'))!.split('/t/')[1]!;
    await page.locator('[data-action="void"]').tap();
    await page.locator('[data-print-status="voided"]').waitFor();
    expect((await branch.admin.get(`/api/v1/follow/${ticketId}`)).body.status).toBe('cancelled');
    const events = (await branch.admin.get('/api/v1/events?after=0&limit=1000')).body.events;
    const cancelled = events.find(
      (e: any) => e.event.type === 'TicketCancelled' && e.event.data.ticketId === ticketId,
    );
    expect(cancelled.event.data.reason).toBe('printFailed');
    branch.printer.setStatus({ paperOut: false });
    await page.locator('[data-action="done"]').tap();
    await page.locator('[data-service="cash"]:not([disabled])').waitFor();
  });
});

describe('when the hub is unreachable', () => {
  it('shows the offline screen, issues nothing the hub does not know, and recovers by itself', async () => {
    const printedBefore = branch.printer.tickets.length;
    await branch.hub.stop();
    const offline = page.locator('[data-screen="offline"][data-problem="HUB_OFFLINE"]');
    await offline.waitFor();
    const text = await offline.textContent();
    expect(text).toContain('暂停取号');
    expect(text).toContain('Tickets paused');
    expect(text).toContain('请联系工作人员');
    const r = await branch.agent.issue({ requestId: 'test-offline-1', serviceId: 'cash', lang: 'zh' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'offline' } });
    expect(branch.printer.tickets.length).toBe(printedBefore);

    await branch.hub.restart();
    await page
      .locator('[data-screen="start"] [data-service="cash"]:not([disabled])')
      .waitFor({ timeout: 30_000 });
    await page.locator('[data-service="cash"]').tap();
    await page.locator('[data-print-status="printed"]').waitFor();
    expect(branch.printer.tickets.length).toBe(printedBefore + 1);
    await page.locator('[data-action="done"]').tap();
  });

  it('a repeated request (a double tap, a retry) gets the same ticket and prints once', async () => {
    const before = branch.printer.tickets.length;
    const [a, b] = await Promise.all([
      branch.agent.issue({ requestId: 'test-same-request-1', serviceId: 'personal', lang: 'zh' }),
      branch.agent.issue({ requestId: 'test-same-request-1', serviceId: 'personal', lang: 'zh' }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(b.ticket.ticketId).toBe(a.ticket.ticketId);
    await branch.agent.printOutcome(a.ticket.ticketId);
    const again = await branch.agent.issue({
      requestId: 'test-same-request-1',
      serviceId: 'personal',
      lang: 'zh',
    });
    expect(again.ok && again.ticket.number).toBe(a.ticket.number);
    await new Promise((r) => setTimeout(r, 300));
    expect(branch.printer.tickets.length).toBe(before + 1);
  });
});

describe('when its own agent restarts', () => {
  it('the screen says the kiosk is restarting while the agent is gone, and comes back to the start screen by itself', async () => {
    const port = Number(new URL(branch.agent.url).port);
    await branch.agent.close();
    const lost = page.locator('[data-screen="agent-lost"]');
    await lost.waitFor();
    expect(await lost.textContent()).toContain('取号机正在重新启动，请稍候');
    expect(await lost.textContent()).toContain('The kiosk is restarting, please wait');
    // The same box starts its agent again on the same port, with its saved credentials.
    const again = await startKioskAgent({
      dataDir: branch.dataDir,
      port,
      printerPollMs: 300,
      reconnect: { minMs: 50, maxMs: 300 },
    });
    try {
      await page
        .locator('[data-screen="start"] [data-service="cash"]:not([disabled])')
        .waitFor({ timeout: 30_000 });
      expect(await lost.count()).toBe(0);
    } finally {
      await again.close();
    }
  });
});
