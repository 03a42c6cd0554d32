import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock, type RunningHub } from '@nextup/hub';
import {
  type Client,
  chromiumLaunchOptions,
  pairingCode as hubPairingCode,
  MONDAY_0900,
  setUpAdmin,
  startTestHub as startHubForTest,
  tempDir,
} from '@nextup/hub/testing';
import { VirtualPrinter } from '@nextup/printer-twin';
import type { KioskSettings } from '@nextup/protocol';
import jsQR from 'jsqr';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { type KioskAgent, type StartKioskAgentOptions, startKioskAgent } from '../src/index.ts';

// A real hub, its client, and the first admin come from the hub's test support; what follows
// is the kiosk's own: a hub that can be stopped and restarted on its port, a whole branch with a
// virtual printer and the agent, the portrait touch screen, QR decoding, a scanner.
export { Client, MONDAY_0900, setUpAdmin, TEST_PUBLIC_URL as PUBLIC_URL } from '@nextup/hub/testing';

export const MIN = 60_000;
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '.artifacts');

export interface TestHub {
  running: RunningHub;
  /** The first-run setup token of the running hub (for `setUpAdmin`). */
  readonly setupToken: string | null;
  clock: ManualClock;
  dir: string;
  port: number;
  url: string;
  /** Stops the hub (the kiosk loses it); `restart()` brings it back on the same port and data. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A real hub (SQLite in a temp folder) with a manual clock at Monday 09:00 that can stop and come back. */
export async function startTestHub(): Promise<TestHub> {
  const { dir, remove } = tempDir('nextup-kiosk-hub-');
  const clock = new ManualClock(MONDAY_0900);
  let running: RunningHub = await startHubForTest({ dir, clock });
  let stopped = false;
  const port = running.port;
  const hub: TestHub = {
    get running() {
      return running;
    },
    get setupToken() {
      return running.setupToken;
    },
    clock,
    dir,
    port,
    url: running.url,
    async stop() {
      stopped = true;
      await running.close();
    },
    async restart() {
      running = await startHubForTest({ dir, clock, port });
      stopped = false;
    },
    async close() {
      if (!stopped) await running.close();
      remove();
    },
  };
  return hub;
}

export function pairingCode(admin: Client, name = '大厅取号机'): Promise<string> {
  return hubPairingCode(admin, 'kiosk', name);
}

export async function setKioskSettings(
  admin: Client,
  deviceId: string,
  settings: Omit<KioskSettings, 'kind'>,
) {
  const r = await admin.request('PUT', `/api/v1/admin/devices/${deviceId}/settings`, {
    settings: { kind: 'kiosk', ...settings },
  });
  if (r.status !== 200) throw new Error(`settings refused: ${JSON.stringify(r.body)}`);
}

export interface Branch {
  hub: TestHub;
  admin: Client;
  printer: VirtualPrinter;
  printerPort: number;
  agent: KioskAgent;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A whole kiosk setup on this machine: a real hub, a virtual printer on a real TCP port, and the
 * kiosk agent in-process, paired with a code on its command line and configured by the admin.
 */
export async function startBranch(
  options: {
    printer?: Partial<NonNullable<KioskSettings['printer']>>;
    idleSeconds?: number;
    openCounters?: string[];
    agent?: Partial<StartKioskAgentOptions>;
  } = {},
): Promise<Branch> {
  const hub = await startTestHub();
  const admin = await setUpAdmin(hub);
  // Three counters open, as at 09:00 on a Monday: the kiosk has waits to show.
  for (const counterId of options.openCounters ?? ['c1', 'c2', 'c3'])
    await admin.must({ type: 'OpenCounter', data: { counterId } });
  const printer = new VirtualPrinter();
  const printerPort = await printer.listen({ port: 0 });
  const dataDir = mkdtempSync(join(tmpdir(), 'nextup-kiosk-'));
  const agent = await startKioskAgent({
    dataDir,
    hubUrl: hub.url,
    pairingCode: await pairingCode(admin),
    name: '大厅取号机',
    printerPollMs: 300,
    reconnect: { minMs: 50, maxMs: 300 },
    ...options.agent,
  });
  await agent.waitFor((s) => s.link === 'online', 15_000);
  await setKioskSettings(admin, agent.deviceId!, {
    printer: {
      url: `tcp://127.0.0.1:${printerPort}`,
      paperWidth: 80,
      chinese: 'native',
      qr: 'native',
      ...options.printer,
    },
    idleSeconds: options.idleSeconds ?? 20,
    services: [],
  });
  await agent.waitFor((s) => s.blocked === null && s.offers.length > 0, 15_000);
  return {
    hub,
    admin,
    printer,
    printerPort,
    agent,
    dataDir,
    async close() {
      await agent.close();
      await printer.close();
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

/** The kiosk's screen: 1080×1920 portrait, touch. */
export async function kioskPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1080, height: 1920 },
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Let transitions and fonts settle.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(150);
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Keeps a file (a printed ticket's picture) with the screenshots. */
export function saveArtifact(name: string, data: Buffer): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  writeFileSync(path, data);
  return path;
}

/** The QR code in a PNG, decoded. */
export function decodeQr(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  const data = new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length);
  return jsQR(data, img.width, img.height)?.data ?? null;
}

/** Books an appointment as staff for `slotStart` and returns its check-in code. */
export async function book(admin: Client, serviceId: string, slotStart: number): Promise<string> {
  const r = await admin.must({
    type: 'BookAppointment',
    data: { serviceId, slotStart, customerName: '李女士', phoneTail: '1234' },
  });
  return r.appointment.code as string;
}

/**
 * Types like a keyboard-wedge scanner: a key every 3 ms, then Enter, as one burst in the page (a
 * scanner's keys reach the page back to back; keys sent one by one over the DevTools protocol could
 * arrive tens of ms apart on a loaded machine and look like a person typing).
 */
export async function scan(page: Page, code: string, gapMs = 3) {
  await page.evaluate(
    ({ code, gapMs }) => {
      const spin = (ms: number) => {
        const end = performance.now() + ms;
        while (performance.now() < end) {
          /* a scanner's inter-key time */
        }
      };
      for (const key of [...code, 'Enter']) {
        const init = {
          key,
          code: key === 'Enter' ? 'Enter' : `Digit${key}`,
          bubbles: true,
          cancelable: true,
        };
        window.dispatchEvent(new KeyboardEvent('keydown', init));
        window.dispatchEvent(new KeyboardEvent('keyup', init));
        spin(gapMs);
      }
    },
    { code, gapMs },
  );
}
