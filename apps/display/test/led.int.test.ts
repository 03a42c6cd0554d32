import { BusMaster, closeBusPort, openBusPort } from '@nextup/ledbus';
import { type RunningVirtualBus, startVirtualBus } from '@nextup/ledbus-twin';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DisplayAgent, startDisplayAgent } from '../src/index.ts';
import {
  Admin,
  FakeAudioSink,
  MONDAY_0900,
  startTestHub,
  type TestHub,
  tempDir,
  testLogger,
} from './support.ts';

let hub: TestHub;
let admin: Admin;
let vb: RunningVirtualBus;
let agent: DisplayAgent;
let data: ReturnType<typeof tempDir>;

/** The agent as the box runs it, with timeouts generous enough for a loaded machine. */
function start(extra: { pairingCode?: string } = {}) {
  return startDisplayAgent({
    dataDir: data.dir,
    hubUrl: hub.url,
    ...extra,
    audio: new FakeAudioSink(),
    logger: testLogger,
    busTuning: { timeoutMs: 400, retries: 2, silentPingIntervalMs: 300 },
    boardCheckMs: 1000,
    // The hall's hours follow the hub's clock, which the tests move.
    clockSampleMs: 300,
    reconnect: { minMs: 50, maxMs: 200 },
  });
}

const text = (address: number, area = 0) => vb.bus.textOf(address, area);
const effectOf = (address: number, area = 0) =>
  vb.bus
    .snapshot()
    .boards.find((b) => b.address === address)
    ?.areas.find((a) => a.area === area)?.effect;

async function act(type: 'CallNext' | 'Recall' | 'StartServing' | 'FinishTicket', counterId: string) {
  hub.clock.advance(5000);
  await admin.must({ type, data: { counterId } });
}

beforeAll(async () => {
  hub = await startTestHub();
  admin = await Admin.setUp(hub);
  // The sample branch: counter boards 1–5, the hall's main board 200, keypads 101–105.
  vb = await startVirtualBus();
  data = tempDir();
  agent = await start({ pairingCode: await admin.pairingCode() });
  await vi.waitFor(
    () => {
      if (agent.status !== 'online') throw new Error('online');
    },
    { timeout: 20_000, interval: 25 },
  );
  // Branch IT points the display at its RS-485 adapter in the admin console.
  await admin.configureDisplay(agent.link!.deviceId, {
    bus: { port: vb.masterPath, baud: 9600, dialect: 'v1' },
  });
});

afterAll(async () => {
  await agent?.close();
  await vb?.close();
  await hub?.close();
  data?.remove();
});

describe('the LED boards', () => {
  it('are all set from the branch state as soon as the bus is configured', async () => {
    // A new business day: every counter is closed until its teller opens it.
    await expect.poll(() => text(3) === '3号窗口 停止服务', { message: 'counter board 3' }).toBeTruthy();
    for (const n of [1, 2, 4])
      await expect.poll(() => text(n) === `${n}号窗口 停止服务`, { message: `board ${n}` }).toBeTruthy();
    // Counter 5 is "5号贵宾室": with its name the text is 19 columns wide, the board 16.
    await expect.poll(() => text(5) === '停止服务', { message: 'board 5' }).toBeTruthy();
    // No counter open yet (09:00, within the hours): the main board says so rather than a welcome to calls.
    await expect
      .poll(() => text(200, 1) === '暂无窗口办理 请稍候', { message: 'main board line 1' })
      .toBeTruthy();
    expect([text(200, 2), text(200, 3), text(200, 4)]).toEqual([null, null, null]);
    expect(agent.health.filter((h) => h.component === 'ledBoard').map((h) => [h.address, h.code])).toEqual([
      [1, 'OK'],
      [2, 'OK'],
      [3, 'OK'],
      [4, 'OK'],
      [5, 'OK'],
      [200, 'OK'],
    ]);
  });

  it('show a call on the counter board (blinking) and number and counter on the main board', async () => {
    await admin.open('c1', 'c3');
    await expect.poll(() => text(3) === '3号窗口 欢迎光临', { message: 'counter 3 open' }).toBeTruthy();
    const a1 = await admin.issue('cash');
    await act('CallNext', 'c3');
    await expect
      .poll(() => text(3) === `${a1} 请到3号窗口`, {
        timeout: 20_000,
        message: 'counter board shows the call',
      })
      .toBeTruthy();
    expect(effectOf(3)).toEqual({ kind: 'blink', times: 3 });
    await expect
      .poll(() => text(200, 1) === `${a1} 请到3号窗口`, { message: 'main board line 1' })
      .toBeTruthy();
    expect(effectOf(200, 1)).toEqual({ kind: 'blink', times: 3 });
    // A recall blinks the same text again.
    const shows = vb.bus.snapshot().boards.find((b) => b.address === 3)!.shows;
    await act('Recall', 'c3');
    await expect
      .poll(() => vb.bus.snapshot().boards.find((b) => b.address === 3)!.shows > shows, {
        timeout: 20_000,
        message: 'recall re-shown',
      })
      .toBeTruthy();
    expect(text(3)).toBe(`${a1} 请到3号窗口`);
    expect(effectOf(3)).toEqual({ kind: 'blink', times: 3 });
  });

  it('say when a counter is paused or closed', async () => {
    await admin.must({ type: 'PauseCounter', data: { counterId: 'c1', reason: 'lunch' } });
    await expect.poll(() => text(1) === '1号窗口 暂停服务', { message: 'paused' }).toBeTruthy();
    expect(text(2)).toBe('2号窗口 停止服务');
    await admin.must({ type: 'ResumeCounter', data: { counterId: 'c1' } });
    await expect.poll(() => text(1) === '1号窗口 欢迎光临', { message: 'resumed' }).toBeTruthy();
    await admin.must({ type: 'CloseCounter', data: { counterId: 'c1' } });
    await expect.poll(() => text(1) === '1号窗口 停止服务', { message: 'closed' }).toBeTruthy();
    await admin.open('c1');
    await expect.poll(() => text(1) === '1号窗口 欢迎光临', { message: 'open again' }).toBeTruthy();
  });

  it('show a board that comes back what it missed while it was silent', async () => {
    vb.bus.setSilent(3, true);
    try {
      await missedWhileSilent();
    } finally {
      vb.bus.setSilent(3, false);
    }
    await expect
      .poll(() => text(3) === 'A002 请到3号窗口', {
        timeout: 20_000,
        message: 'board 3 set right when it answers again',
      })
      .toBeTruthy();
    // It is no longer a new call by then: shown still, not blinking.
    expect(effectOf(3)).toEqual({ kind: 'static' });
    await expect
      .poll(() => agent.health.find((h) => h.component === 'ledBoard' && h.address === 3)?.code === 'OK', {
        timeout: 20_000,
        message: 'board 3 OK',
      })
      .toBeTruthy();
  });

  async function missedWhileSilent() {
    const a2 = await admin.issue('cash');
    await act('CallNext', 'c3');
    await expect
      .poll(() => text(200, 1) === `${a2} 请到3号窗口`, {
        timeout: 20_000,
        message: 'main board has the call',
      })
      .toBeTruthy();
    // A001 is no longer at counter 3: it left the main board (nothing was ever on line 2).
    expect(text(200, 2)).toBeNull();
    // The silent board still shows the old number (a real one unplugged would be dark).
    expect(text(3)).toBe('A001 请到3号窗口');
    await expect
      .poll(
        () => agent.health.find((h) => h.component === 'ledBoard' && h.address === 3)?.code === 'SILENT',
        { message: 'board 3 reported silent' },
      )
      .toBeTruthy();
    await expect
      .poll(
        () =>
          hub.hub.view.hub.devices
            .find((d) => d.deviceId === agent.link!.deviceId)
            ?.health?.components.some((c) => c.address === 3 && c.code === 'SILENT'),
        { message: 'the hub knows board 3 is silent' },
      )
      .toBeTruthy();
    expect(a2).toBe('A002');
  }

  it('are all set from the current state when the display box comes back', async () => {
    await agent.close();
    // While the box is down: the boards go dark (a power cut) and counter 1 calls a customer.
    const port = await openBusPort({ path: vb.masterPath });
    const other = new BusMaster({ port, timeoutMs: 400 });
    await other.clear(0);
    await other.close();
    await closeBusPort(port);
    await expect
      .poll(() => text(3) === null && text(200, 1) === null, { message: 'boards dark' })
      .toBeTruthy();
    const a3 = await admin.issue('cash');
    await act('CallNext', 'c1');

    agent = await start();
    await expect
      .poll(() => text(1) === `${a3} 请到1号窗口`, {
        timeout: 20_000,
        message: 'board 1 shows the call made while the box was down',
      })
      .toBeTruthy();
    expect(effectOf(1)).toEqual({ kind: 'static' });
    await expect.poll(() => text(3) === 'A002 请到3号窗口', { message: 'board 3' }).toBeTruthy();
    for (const n of [2, 4])
      await expect.poll(() => text(n) === `${n}号窗口 停止服务`, { message: `board ${n}` }).toBeTruthy();
    await expect.poll(() => text(5) === '停止服务', { message: 'board 5' }).toBeTruthy();
    await expect
      .poll(() => text(200, 1) === `${a3} 请到1号窗口`, { message: 'main board line 1' })
      .toBeTruthy();
    await expect
      .poll(() => text(200, 2) === 'A002 请到3号窗口', { message: 'main board line 2' })
      .toBeTruthy();
    // Only the calls still in effect: A001 is done.
    expect(text(200, 3)).toBeNull();
    expect(effectOf(200, 1)).toEqual({ kind: 'static' });
  });

  it('move to another line and dialect when branch IT changes the settings (the line dialect: whole-board texts)', async () => {
    const line = await startVirtualBus({ dialect: 'line', keypads: [] });
    try {
      await admin.configureDisplay(agent.link!.deviceId, {
        bus: { port: line.masterPath, baud: 9600, dialect: 'line' },
      });
      await expect
        .poll(() => line.bus.textOf(1) === 'A003 请到1号窗口', {
          timeout: 20_000,
          message: 'board 1 on the new line',
        })
        .toBeTruthy();
      await expect
        .poll(() => line.bus.textOf(200) === 'A003 请到1号窗口', {
          timeout: 20_000,
          message: 'the main board: the latest call, whole board',
        })
        .toBeTruthy();
      expect(line.bus.textOf(3)).toBe('A002 请到3号窗口');
      expect(agent.led.config?.keypads).toEqual([]);
    } finally {
      await admin.configureDisplay(agent.link!.deviceId, {
        bus: { port: vb.masterPath, baud: 9600, dialect: 'v1' },
      });
      await line.close();
    }
  });

  it('call the VIP room by its name, on its own board and on the main board', async () => {
    await admin.open('c5');
    // "5号贵宾室 欢迎光临" is 19 wide: a 16-column board says the welcome alone, never "5号窗口".
    await expect.poll(() => text(5) === '欢迎光临', { message: 'c5 open' }).toBeTruthy();
    const v1 = await admin.issue('wealth');
    await act('CallNext', 'c5');
    // 16 columns cannot hold "V001 请到5号贵宾室" (18): the short form keeps the name.
    await expect
      .poll(() => text(5) === `${v1} 5号贵宾室`, {
        timeout: 20_000,
        message: 'counter board 5 names the room',
      })
      .toBeTruthy();
    await expect
      .poll(() => text(200, 1) === `${v1} 请到5号贵宾室`, {
        timeout: 20_000,
        message: 'main board names the room',
      })
      .toBeTruthy();
    expect([text(5), text(200, 1)].join()).not.toContain('5号窗口');
  });

  it('follow the state to the end of the day: a finished call leaves the main board, closed counters say so, and the main board says why', async () => {
    for (const counterId of ['c1', 'c3', 'c5']) {
      await act('StartServing', counterId);
      await act('FinishTicket', counterId);
    }
    await expect
      .poll(() => text(200, 1) === '欢迎光临 请留意叫号', {
        timeout: 20_000,
        message: 'no call in effect: the welcome',
      })
      .toBeTruthy();
    await expect
      .poll(() => text(200, 2) === null && text(200, 3) === null, {
        timeout: 20_000,
        message: 'the finished calls cleared',
      })
      .toBeTruthy();
    for (const counterId of ['c1', 'c3', 'c5'])
      await admin.must({ type: 'CloseCounter', data: { counterId } });
    for (const n of [1, 2, 3, 4])
      await expect
        .poll(() => text(n) === `${n}号窗口 停止服务`, { message: `board ${n} closed` })
        .toBeTruthy();
    await expect
      .poll(() => text(5) === '停止服务', {
        timeout: 20_000,
        message: 'board 5 closed (its name does not fit beside it)',
      })
      .toBeTruthy();
    // Every counter closed within the opening hours …
    await expect
      .poll(() => text(200, 1) === '暂无窗口办理 请稍候', {
        timeout: 20_000,
        message: 'main board: no counter open',
      })
      .toBeTruthy();
    // … and after them (the hub's clock at 17:30; the sample branch closes at 17:00).
    hub.clock.set(MONDAY_0900 + 8.5 * 3_600_000);
    await expect
      .poll(() => text(200, 1) === '今日营业已结束 谢谢光临', {
        timeout: 20_000,
        message: 'main board: closed for today',
      })
      .toBeTruthy();
  });
});
