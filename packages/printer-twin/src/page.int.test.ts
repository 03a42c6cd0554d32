import { mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from '@nextup/hub/testing';
import { createTransport, TicketPrinter } from '@nextup/printer';
import { sampleJob } from '@nextup/printer/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualPrinter } from './printer.ts';

/**
 * Branch IT (or the demo) makes the virtual printer run out of paper, nearly out, open its cover,
 * and back to normal from its web page in a real Chromium; what DLE EOT answers on the printer's TCP
 * port changes with it, and so does what a kiosk's TicketPrinter does.
 */

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '.artifacts');

let vp: VirtualPrinter;
let tcp: number;
let base: string;
let browser: Browser;
let page: Page;
let raw: Socket;
let kiosk: TicketPrinter;

/** DLE EOT 1, 2, 3, 4 on a raw socket, as a driver asks them: the four answer bytes in hex. */
async function dleEot(): Promise<string> {
  const got: number[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`DLE EOT: ${got.length} of 4 answers`)), 3000);
    const onData = (b: Buffer) => {
      got.push(...b);
      if (got.length >= 4) {
        clearTimeout(timer);
        raw.off('data', onData);
        resolve();
      }
    };
    raw.on('data', onData);
  });
  raw.write(Buffer.from([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]));
  await done;
  return got.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

const button = (name: string) => page.getByRole('button', { name });
const words = () => page.getByTestId('status-words');

async function press(name: string, pressed: boolean) {
  await button(name).click();
  await page.locator(`button[aria-pressed="${pressed}"]`, { hasText: name }).waitFor();
}

/** Waits until the status reads exactly `text` (Chinese and English run together in textContent). */
const statusIs = (text: string | RegExp) =>
  words()
    .filter({ hasText: typeof text === 'string' ? new RegExp(`^${text}$`) : text })
    .waitFor();

beforeAll(async () => {
  vp = new VirtualPrinter();
  tcp = await vp.listen({ port: 0 });
  base = `http://127.0.0.1:${await vp.listenHttp({ port: 0 })}`;
  raw = connect(tcp, '127.0.0.1');
  await new Promise((r) => raw.once('connect', r));
  kiosk = new TicketPrinter({ transport: createTransport(`tcp://127.0.0.1:${tcp}`), statusTimeoutMs: 3000 });
  browser = await chromium.launch(chromiumLaunchOptions());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  page = await context.newPage();
  await page.goto(base);
});

afterAll(async () => {
  await browser?.close();
  raw?.destroy();
  await kiosk?.dispose();
  await vp?.close();
});

describe('the virtual printer’s page', () => {
  it('starts ready, and DLE EOT says so', async () => {
    expect(await words().textContent()).toBe('正常Ready');
    expect(await dleEot()).toBe('12 12 12 12');
    expect(await page.getByTestId('dle-eot').textContent()).toBe('12 12 12 12');
  });

  it('runs out of paper at a tap: DLE EOT reports paper end and the kiosk is refused', async () => {
    await press('缺纸', true);
    expect(await words().textContent()).toBe('缺纸Paper out');
    expect(vp.status.paperOut).toBe(true);
    // n 1: offline; n 2: stopped at paper end; n 4: paper end sensors.
    expect(await dleEot()).toBe('1A 32 12 7E');
    expect(await page.getByTestId('dle-eot').textContent()).toBe('1A 32 12 7E');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'virtual-printer-paper-out.png') });
    expect(await kiosk.print(sampleJob())).toMatchObject({ ok: false, error: { code: 'PAPER_OUT' } });
  });

  it('says the paper is nearly out: still prints, with the warning', async () => {
    await press('缺纸', false);
    await press('纸将用完', true);
    expect(await words().textContent()).toBe('纸将用完Paper near end');
    expect(await dleEot()).toBe('12 12 12 1E');
    expect(await kiosk.print(sampleJob())).toMatchObject({ ok: true, warnings: ['PAPER_NEAR_END'] });
  });

  it('opens the cover: DLE EOT reports it and the kiosk is refused', async () => {
    await press('机盖打开', true);
    expect(await words().textContent()).toBe('纸将用完、机盖打开Paper near end, Cover open');
    expect(await dleEot()).toBe('1A 16 12 1E');
    expect(await kiosk.print(sampleJob())).toMatchObject({ ok: false, error: { code: 'COVER_OPEN' } });
  });

  it('goes back to normal in one tap, prints, and shows the new ticket', async () => {
    const before = vp.tickets.length;
    await button('恢复正常').click();
    await statusIs('正常Ready');
    expect(vp.status).toEqual({
      paperOut: false,
      paperNearEnd: false,
      coverOpen: false,
      error: false,
      offline: false,
    });
    for (const name of ['缺纸', '纸将用完', '机盖打开'])
      expect(await button(name).getAttribute('aria-pressed')).toBe('false');
    expect(await dleEot()).toBe('12 12 12 12');
    expect(await kiosk.print(sampleJob())).toMatchObject({ ok: true, warnings: [] });
    expect(vp.tickets.length).toBe(before + 1);
    // The page picks up the new ticket by itself.
    await page.locator(`img[src="/tickets/${vp.tickets.at(-1)!.id}.png"]`).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'virtual-printer-normal.png'), fullPage: true });
  });

  it('follows a fault set elsewhere (the HTTP API), within a second', async () => {
    await fetch(`${base}/status`, { method: 'POST', body: JSON.stringify({ coverOpen: true }) });
    await statusIs(/^机盖打开/);
    expect(await button('机盖打开').getAttribute('aria-pressed')).toBe('true');
    await button('恢复正常').click();
    await statusIs('正常Ready');
  });
});
