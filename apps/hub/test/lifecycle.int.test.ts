import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  collect,
  createTeller,
  openStream,
  pairDevice,
  setUpAdmin,
  startTestHub,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let teller: Client;
let kiosk: Client & { deviceId: string };

beforeAll(async () => {
  hub = await startTestHub({ offlineAfterSeconds: 1 });
  admin = await setUpAdmin(hub);
  teller = await createTeller(hub, admin, 'sun', ['c1']);
  kiosk = await pairDevice(hub, admin, 'kiosk');
});
afterAll(async () => {
  await hub?.close();
});

describe('device presence', () => {
  it('marks a device online when its stream opens and offline when it stays away', async () => {
    const device = () => hub.hub.view.hub.devices.find((d) => d.deviceId === kiosk.deviceId)!;
    expect(device().online).toBe(false);
    const ws = await openStream(hub.url, { token: kiosk.token! });
    await expect.poll(() => device().online, { timeout: 5000, message: 'online' }).toBeTruthy();
    ws.close();
    await expect.poll(() => !device().online, { timeout: 5000, message: 'offline' }).toBeTruthy();
    const types = hub.hub.log.readAfter(0, 10_000).map((e) => e.event.type);
    expect(types.filter((t) => t === 'DeviceConnectionChanged')).toHaveLength(2);
  });

  it('does not report a device offline when it reconnects quickly', async () => {
    const device = () => hub.hub.view.hub.devices.find((d) => d.deviceId === kiosk.deviceId)!;
    const a = await openStream(hub.url, { token: kiosk.token! });
    await expect.poll(() => device().online, { timeout: 5000, message: 'online' }).toBeTruthy();
    const head = hub.hub.head;
    a.close();
    const b = await openStream(hub.url, { token: kiosk.token! });
    await new Promise((r) => setTimeout(r, 1500));
    expect(device().online).toBe(true);
    expect(hub.hub.head).toBe(head);
    b.close();
  });
});

describe('the business day', () => {
  it('rolls at local midnight: numbers restart and counters close', async () => {
    await teller.command({ type: 'OpenCounter', data: { counterId: 'c1' } });
    const t1 = await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    expect(t1.body.ticket.number).toBe('A001');
    const watcher = await openStream(hub.url, { token: kiosk.token! });
    const got = collect(watcher);
    watcher.send(JSON.stringify({ v: 1, type: 'subscribe', lastSeq: hub.hub.head }));
    // 00:00:30 on Tuesday in Shanghai.
    hub.clock.set(Date.UTC(2026, 10, 23, 16, 0, 30));
    expect(hub.hub.rollIfNewDay()).toBe(true);
    expect(hub.hub.rollIfNewDay()).toBe(false);
    const roll = await got.next(
      (m) => m.type === 'events' && m.events.some((e: any) => e.event.type === 'BusinessDayRolled'),
    );
    const e = roll.events.find((x: any) => x.event.type === 'BusinessDayRolled');
    expect(e.event.data).toMatchObject({ from: '2026-11-23', to: '2026-11-24' });
    expect(e.actor).toEqual({ kind: 'system' });
    expect(hub.hub.view.state.counters.c1?.status).toBe('closed');
    hub.clock.set(Date.UTC(2026, 10, 24, 1, 0));
    const t2 = await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    expect(t2.body.ticket.number).toBe('A001');
    watcher.close();
  });
});
