import { type RunningVirtualBus, startVirtualBus } from '@nextup/ledbus-twin';
import type { LoggedEvent } from '@nextup/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DisplayAgent, startDisplayAgent } from '../src/index.ts';
import { Admin, FakeAudioSink, startTestHub, type TestHub, tempDir, testLogger } from './support.ts';

let hub: TestHub;
let admin: Admin;
let vb: RunningVirtualBus;
let agent: DisplayAgent;
let data: ReturnType<typeof tempDir>;

/** The hub's log after `seq`, as the admin reads it. */
async function eventsAfter(seq: number): Promise<LoggedEvent[]> {
  const r = await admin.request('GET', `/api/v1/events?after=${seq}&limit=1000`);
  return r.body.events as LoggedEvent[];
}

/** Presses a key on the virtual keypad and waits for the hub to record what it meant. */
async function press(address: number, key: 'next' | 'recall' | 'noShow' | 'pause', expected: string) {
  const from = hub.hub.head;
  expect(vb.bus.press(address, key)).toBe(true);
  return vi.waitFor(
    async () => {
      const found = (await eventsAfter(from)).find((e) => e.event.type === expected);
      if (!found) throw new Error(`${expected} at the hub`);
      return found;
    },
    { timeout: 20_000, interval: 25 },
  );
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
    busTuning: { timeoutMs: 400, retries: 2, pollIntervalMs: 100 },
    reconnect: { minMs: 50, maxMs: 200 },
  });
  await vi.waitFor(
    () => {
      if (agent.status !== 'online') throw new Error('online');
    },
    { timeout: 20_000, interval: 25 },
  );
  await admin.configureDisplay(agent.link!.deviceId, {
    bus: { port: vb.masterPath, baud: 9600, dialect: 'v1' },
  });
  await vi.waitFor(
    () => {
      if (vb.bus.textOf(3) === null) throw new Error('bus up');
    },
    { timeout: 20_000, interval: 25 },
  );
  await admin.open('c3');
});

afterAll(async () => {
  await agent?.close();
  await vb?.close();
  await hub?.close();
  data?.remove();
});

describe('a caller keypad on the bus', () => {
  it("reaches the hub as its counter's action, sent by this display", async () => {
    const number = await admin.issue('personal');
    const called = await press(103, 'next', 'TicketCalled');
    expect(called.actor).toEqual({ kind: 'device', id: agent.link!.deviceId });
    expect(called.event.data).toMatchObject({ counterId: 'c3' });
    expect(hub.hub.view.state.tickets[(called.event.data as { ticketId: string }).ticketId]?.number).toBe(
      number,
    );
    // …and the call it made is on the counter's own board.
    await expect
      .poll(() => vb.bus.textOf(3) === `${number} 请到3号窗口`, {
        timeout: 20_000,
        message: 'board 3 shows the call',
      })
      .toBeTruthy();

    const recalled = await press(103, 'recall', 'TicketRecalled');
    expect(recalled.event.data).toMatchObject({ counterId: 'c3', recalls: 1 });
    await press(103, 'noShow', 'TicketNoShow');
  });

  it('pauses the counter with the pause key and resumes it with the next press', async () => {
    const paused = await press(103, 'pause', 'CounterPaused');
    expect(paused.event.data).toMatchObject({ counterId: 'c3', reason: 'keypad' });
    await expect
      .poll(() => vb.bus.textOf(3) === '3号窗口 暂停服务', { message: 'board says paused' })
      .toBeTruthy();
    await press(103, 'pause', 'CounterResumed');
    await expect
      .poll(() => vb.bus.textOf(3) === '3号窗口 欢迎光临', { message: 'board says open' })
      .toBeTruthy();
  });

  it('delivers each press once, in order, even in a quick burst', async () => {
    for (const s of ['personal', 'personal', 'personal']) await admin.issue(s);
    const from = hub.hub.head;
    for (let i = 0; i < 3; i++) expect(vb.bus.press(103, 'next')).toBe(true);
    await expect
      .poll(
        async () => (await eventsAfter(from)).filter((e) => e.event.type === 'TicketCalled').length === 3,
        { message: 'three calls' },
      )
      .toBeTruthy();
    await new Promise((r) => setTimeout(r, 500));
    const calls = (await eventsAfter(from)).filter((e) => e.event.type === 'TicketCalled');
    expect(calls).toHaveLength(3);
    const numbers = calls.map(
      (e) => hub.hub.view.state.tickets[(e.event.data as { ticketId: string }).ticketId]?.number,
    );
    expect(numbers).toEqual(['B002', 'B003', 'B004']);
  });
});
