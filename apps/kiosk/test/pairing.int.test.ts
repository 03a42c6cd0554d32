import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPrinter } from '@nextup/printer-twin';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KioskAgent, startKioskAgent } from '../src/index.ts';
import {
  type Client,
  decodeQr,
  kioskPage,
  launch,
  pairingCode,
  screenshot,
  setKioskSettings,
  setUpAdmin,
  startTestHub,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let printer: VirtualPrinter;
let printerPort: number;
let browser: Browser;
let dataDir: string;
const agents: KioskAgent[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  await admin.must({ type: 'OpenCounter', data: { counterId: 'c1' } });
  printer = new VirtualPrinter();
  printerPort = await printer.listen({ port: 0 });
  browser = await launch();
  dataDir = mkdtempSync(join(tmpdir(), 'nextup-kiosk-blank-'));
});

afterAll(async () => {
  for (const a of agents) await a.close();
  await browser?.close();
  await printer?.close();
  await hub?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function blankKiosk(): Promise<{ agent: KioskAgent; page: Page }> {
  const agent = await startKioskAgent({ dataDir, printerPollMs: 300, reconnect: { minMs: 50, maxMs: 300 } });
  agents.push(agent);
  return { agent, page: await kioskPage(browser, agent.url) };
}

describe('a blank kiosk', () => {
  it('is paired by branch IT on its pairing screen, keeps its credentials, and needs nothing else typed', async () => {
    const { agent, page } = await blankKiosk();
    await page.locator('[data-screen="pairing"]').waitFor();
    await screenshot(page, 'pairing');

    // A wrong code is refused with the hub's words.
    const address = hub.url.replace(/^http:\/\//, '');
    await page.locator('input[name="hub"]').fill(address);
    await page.locator('input[name="code"]').fill('000000');
    await page.locator('[data-action="pair"]').tap();
    await page.locator('[data-pair-error]').waitFor();
    expect(await page.locator('[data-pair-error]').textContent()).toMatch(/配对码|code/i);

    // The right one, typed on the on-screen keys.
    const code = await pairingCode(admin, '二楼取号机');
    await page.locator('input[name="code"]').fill('');
    await page.locator('input[name="code"]').tap();
    for (const k of code) await page.locator(`[data-pair-key="${k}"]`).tap();
    expect(await page.locator('input[name="code"]').inputValue()).toBe(code);
    // Nothing else to type: the kiosk takes the name IT gave the code.
    expect(await page.locator('input[name="name"]').count()).toBe(0);
    await page.locator('[data-action="pair"]').tap();

    // Paired: the kiosk waits for its printer settings from the hub, then offers tickets.
    await agent.waitFor((s) => s.link === 'online', 15_000);
    const deviceId = agent.deviceId!;
    const devices = (await admin.get('/api/v1/admin/devices')).body.devices;
    expect(devices.find((d: any) => d.deviceId === deviceId)).toMatchObject({
      kind: 'kiosk',
      name: '二楼取号机',
    });
    expect(agent.state.device?.name).toBe('二楼取号机');
    await page.locator('.problem-banner[data-problem="NO_PRINTER"]').waitFor();
    await setKioskSettings(admin, deviceId, {
      printer: { url: `tcp://127.0.0.1:${printerPort}`, paperWidth: 58, chinese: 'raster', qr: 'raster' },
      idleSeconds: 20,
      services: [],
    });
    await page.locator('[data-service="cash"]:not([disabled])').waitFor();
    await page.locator('[data-service="cash"]').tap();
    await page.locator('[data-print-status="printed"]').waitFor();
    // Printed the way the admin set it: Chinese and the QR code as raster images (58 mm layout).
    const paper = printer.tickets.at(-1)!;
    expect(paper.text).toContain('A001');
    expect(paper.text).toContain('[image');
    expect(decodeQr(paper.png())).toMatch(/^http:\/\/hub\.test:8300\/t\//);

    const file = join(dataDir, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await agent.close();
    await page.context().close();

    // Restarted with the same data folder: straight back to work, no pairing screen.
    const again = await blankKiosk();
    expect(again.agent.deviceId).toBe(deviceId);
    await again.page.locator('[data-service="cash"]:not([disabled])').waitFor();
    await again.page.context().close();
  });

  it('goes back to its pairing screen when an admin revokes it', async () => {
    const agent = agents.at(-1)!;
    const page = await kioskPage(browser, agent.url);
    await page.locator('[data-screen="start"]').waitFor();
    const r = await admin.post(`/api/v1/admin/devices/${agent.deviceId}/revoke`);
    expect(r.status).toBe(200);
    await page.locator('[data-screen="pairing"]').waitFor();
    expect(await page.locator('[data-pair-error]').textContent()).toContain('移除');
    expect(agent.deviceId).toBeNull();
  });

  it('started with a fresh code, pairs again when the hub no longer knows its saved credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextup-kiosk-again-'));
    try {
      const first = await startKioskAgent({
        dataDir: dir,
        hubUrl: hub.url,
        pairingCode: await pairingCode(admin),
      });
      await first.waitFor((s) => s.link === 'online', 15_000);
      const oldId = first.deviceId!;
      await first.close();
      // Meanwhile the hub forgot this kiosk (an admin revoked it; a demo hub's data was reset).
      await admin.post(`/api/v1/admin/devices/${oldId}/revoke`);
      const again = await startKioskAgent({
        dataDir: dir,
        hubUrl: hub.url,
        pairingCode: await pairingCode(admin),
      });
      agents.push(again);
      await again.waitFor(
        (s) => s.link === 'online' && s.device !== null && s.device.deviceId !== oldId,
        15_000,
      );
      expect(again.deviceId).not.toBe(oldId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
