import { type RunningVirtualBus, startVirtualBus } from '@nextup/ledbus-twin';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DisplayAgent, startDisplayAgent } from '../src/index.ts';
import { Admin, FakeAudioSink, startTestHub, type TestHub, tempDir, testLogger } from './support.ts';

/**
 * Brightness from the display's settings, and boards that lose power for a moment: over a real pty
 * with the virtual bus, from the hub's settings to the bytes the boards act on.
 */

let hub: TestHub;
let admin: Admin;
let vb: RunningVirtualBus;
let agent: DisplayAgent;
let data: ReturnType<typeof tempDir>;

const board = (address: number) => vb.bus.snapshot().boards.find((b) => b.address === address)!;
const text = (address: number, area = 0) => vb.bus.textOf(address, area);

async function configure(brightness: number | undefined) {
  await admin.configureDisplay(agent.link!.deviceId, {
    bus: {
      port: vb.masterPath,
      baud: 9600,
      dialect: 'v1',
      ...(brightness === undefined ? {} : { brightness }),
    },
  });
}

beforeAll(async () => {
  hub = await startTestHub();
  admin = await Admin.setUp(hub);
  vb = await startVirtualBus();
  data = tempDir();
  agent = await startDisplayAgent({
    dataDir: data.dir,
    hubUrl: hub.url,
    pairingCode: await admin.pairingCode(),
    audio: new FakeAudioSink(),
    logger: testLogger,
    busTuning: { timeoutMs: 400, retries: 2, silentPingIntervalMs: 300 },
    // Boards are asked for their STATUS this often: a restart is noticed within it.
    boardCheckMs: 300,
    reconnect: { minMs: 50, maxMs: 200 },
  });
  await vi.waitFor(
    () => {
      if (agent.status !== 'online') throw new Error('online');
    },
    { timeout: 20_000, interval: 25 },
  );
});

afterAll(async () => {
  await agent?.close();
  await vb?.close();
  await hub?.close();
  data?.remove();
});

describe('LED boards and their brightness', () => {
  it('are all set to the brightness in the display settings (100 % when it says none)', async () => {
    await configure(undefined);
    await expect.poll(() => text(3) === '3号窗口 停止服务', { message: 'counter board 3' }).toBeTruthy();
    await expect
      .poll(() => vb.bus.snapshot().boards.every((b) => b.brightness === 100 && !b.poweredUp), {
        timeout: 20_000,
        message: 'every board at 100 %, its power-up seen',
      })
      .toBeTruthy();
    await configure(40);
    await expect
      .poll(() => vb.bus.snapshot().boards.every((b) => b.brightness === 40), {
        timeout: 20_000,
        message: 'every board at 40 %',
      })
      .toBeTruthy();
  });

  it('change brightness without re-sending any text when only the brightness changes', async () => {
    const shows = vb.bus.snapshot().boards.map((b) => b.shows);
    await configure(65);
    await expect
      .poll(() => vb.bus.snapshot().boards.every((b) => b.brightness === 65), {
        timeout: 20_000,
        message: 'every board at 65 %',
      })
      .toBeTruthy();
    expect(vb.bus.snapshot().boards.map((b) => b.shows)).toEqual(shows);
  });

  it('give a counter board that lost power for a moment its text and brightness back', async () => {
    await admin.open('c3');
    await admin.issue('cash');
    hub.clock.advance(5000);
    await admin.must({ type: 'CallNext', data: { counterId: 'c3' } });
    await expect.poll(() => text(3) === 'A001 请到3号窗口', { message: 'the call on board 3' }).toBeTruthy();
    // The board never goes silent: power is back before the next request. It comes up dark at 100 %.
    vb.bus.powerCycle(3);
    expect(board(3)).toMatchObject({ areas: [], brightness: 100, poweredUp: true });
    await expect
      .poll(() => text(3) === 'A001 请到3号窗口' && board(3).brightness === 65, {
        timeout: 20_000,
        message: 'board 3 restored',
      })
      .toBeTruthy();
    // Restored, not called again: the text is shown still, not blinking.
    expect(board(3).areas[0]?.effect).toEqual({ kind: 'static' });
    expect(board(3).poweredUp).toBe(false);
    expect(agent.health.find((h) => h.address === 3)?.code).toBe('OK');
  });

  it('give the main board every line back after a restart', async () => {
    await expect
      .poll(() => text(200, 1) === 'A001 请到3号窗口', { message: 'main board line 1' })
      .toBeTruthy();
    vb.bus.powerCycle(200);
    await expect
      .poll(() => text(200, 1) === 'A001 请到3号窗口' && board(200).brightness === 65, {
        timeout: 20_000,
        message: 'main board restored',
      })
      .toBeTruthy();
    expect(board(200).areas.map((a) => a.area)).toEqual([1]);
  });
});
