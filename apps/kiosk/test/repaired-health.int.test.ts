import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPrinter } from '@nextup/printer-twin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KioskAgent, startKioskAgent } from '../src/index.ts';
import {
  type Client,
  pairingCode,
  setKioskSettings,
  setUpAdmin,
  startTestHub,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let printer: VirtualPrinter;
let printerPort: number;
let dataDir: string;
const agents: KioskAgent[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  printer = new VirtualPrinter();
  printerPort = await printer.listen({ port: 0 });
  dataDir = mkdtempSync(join(tmpdir(), 'nextup-kiosk-repaired-'));
});

afterAll(async () => {
  for (const a of agents) await a.close();
  await printer?.close();
  await hub?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const printerSettings = () => ({
  printer: {
    url: `tcp://127.0.0.1:${printerPort}`,
    paperWidth: 80 as const,
    chinese: 'native' as const,
    qr: 'native' as const,
  },
  idleSeconds: 20,
  services: [],
});

/** The printer's health as the hub holds it for a device (null before any report). */
const healthAtHub = (deviceId: string) =>
  hub.running.hub.view.hub.devices.find((d) => d.deviceId === deviceId)?.health?.components[0]?.code ?? null;

describe('a kiosk revoked and paired again with its start code', () => {
  it('reports its health to the hub under its new device at once, not only with the next heartbeat', async () => {
    // Paired once; the box then restarts with a fresh code on its command line (saved credentials win).
    const first = await startKioskAgent({ dataDir, hubUrl: hub.url, pairingCode: await pairingCode(admin) });
    await first.waitFor((s) => s.link === 'online', 15_000);
    await first.close();
    const agent = await startKioskAgent({
      dataDir,
      hubUrl: hub.url,
      pairingCode: await pairingCode(admin),
      printerPollMs: 300,
      reconnect: { minMs: 50, maxMs: 300 },
    });
    agents.push(agent);
    await agent.waitFor((s) => s.link === 'online', 15_000);
    const oldId = agent.deviceId!;
    await setKioskSettings(admin, oldId, printerSettings());
    await expect
      .poll(() => healthAtHub(oldId) === 'OK', { message: 'health of the first pairing' })
      .toBeTruthy();

    // Revoked: the kiosk pairs again with the code it was started with, as a new device.
    await admin.post(`/api/v1/admin/devices/${oldId}/revoke`);
    const s = await agent.waitFor((st) => st.link === 'online' && st.device?.deviceId !== oldId, 15_000);
    const newId = s.device!.deviceId;
    await setKioskSettings(admin, newId, printerSettings());
    // The same printer, the same health: still news to the hub, which has never heard from this device.
    await expect
      .poll(() => healthAtHub(newId) === 'OK', { timeout: 5_000, message: 'health of the new pairing' })
      .toBeTruthy();
    expect(healthAtHub(newId)).toBe('OK');
  });
});
