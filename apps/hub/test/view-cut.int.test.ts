import { HubSubscriber } from '@nextup/hub-client';
import { dropLink } from '@nextup/hub-client/testing';
import type { BranchView } from '@nextup/hub-view';
import { queueState } from '@nextup/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webSocketWithHeaders } from '../src/testing.ts';
import {
  type Client,
  collect,
  createTeller,
  MONDAY_0900,
  openStream,
  pairDevice,
  setUpAdmin,
  startTestHub,
  type TestHub,
} from './support.ts';

/**
 * Issue 15, defect 2: `/api/v1/state`, `/api/v1/events` and the stream give each principal the part
 * of the branch its role reads, the same part through all three, and exactly: a subscriber that folds
 * its cut runs holds exactly the cut of the hub's view.
 */

let hub: TestHub;
let admin: Client;
let manager: Client;
let teller: Client;
let kiosk: Client & { deviceId: string };
let kiosk2: Client & { deviceId: string };
let display: Client & { deviceId: string };
let tablet: Client & { deviceId: string };
const MIN = 60_000;

beforeAll(async () => {
  // Sessions outlive the night the exactness test crosses.
  hub = await startTestHub({ sessionHours: 48 });
  admin = await setUpAdmin(hub);
  manager = await createTeller(hub, admin, 'zhao.jl', [], 'manager');
  teller = await createTeller(hub, admin, 'li.na', ['c1']);
  kiosk = await pairDevice(hub, admin, 'kiosk', 'Kiosk A');
  kiosk2 = await pairDevice(hub, admin, 'kiosk', 'Kiosk B');
  display = await pairDevice(hub, admin, 'display', 'Hall TV');
  tablet = await pairDevice(hub, admin, 'counterTablet', 'Tablet 1');
  await admin.post('/api/v1/admin/api-keys', { name: 'bank app' });
  await admin.post('/api/v1/admin/pairing-codes', { kind: 'display', name: 'spare' });
  await admin.request('PUT', `/api/v1/admin/devices/${tablet.deviceId}/settings`, {
    settings: { kind: 'counterTablet', counterId: 'c1' },
  });
  await manager.request('PUT', '/api/v1/notice', { notice: { zh: '午间暂停', en: 'Lunch break' } });
  const booked = await manager.post('/api/v1/appointments', {
    serviceId: 'personal',
    slotStart: MONDAY_0900 + 3 * 60 * MIN,
    customerName: '李先生',
    phoneTail: '1234',
  });
  expect(booked.status).toBe(200);
  await teller.must({ type: 'OpenCounter', data: { counterId: 'c1' } });
  await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } }); // A001
  await kiosk2.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } }); // A002
  await teller.must({ type: 'IssueTicket', data: { serviceId: 'personal', class: 'vip' } }); // B001
  await teller.must({ type: 'CallNext', data: { counterId: 'c1' } });
  hub.clock.advance(3 * MIN);
  await teller.must({ type: 'CallNext', data: { counterId: 'c1' } });
  await kiosk.post('/api/v1/devices/health', {
    v: 1,
    health: {
      components: [{ component: 'printer', address: null, level: 'ok', code: 'OK', detail: null, since: 0 }],
      version: '1',
    },
  });
});
afterAll(async () => {
  await hub?.close();
});

type Body = { seq: number; state: any; hub: any };

/** What a caller received, field by field, in words a reviewer can check against the rule. */
function received(body: Body, events: any[]) {
  const { state } = body;
  const numbers = (ids: string[]) => ids.map((id) => state.tickets[id].number).sort();
  return {
    config: Object.keys(state.config).sort(),
    tickets: numbers(Object.keys(state.tickets)),
    counterHoldsTicket: Object.values(state.counters).some((c: any) => c.ticketId !== null),
    lastSeq: Object.keys(state.lastSeq).sort(),
    queueSeq: state.queueSeq,
    serviceHistory: Object.keys(state.serviceHistory).sort(),
    appointments: Object.values(state.appointments).map((a: any) => Object.keys(a).sort()),
    notice: body.hub.notice?.en ?? null,
    devices: body.hub.devices.map((d: any) => d.name).sort(),
    eventTypes: [...new Set(events.map((e) => e.event.type as string))].sort(),
  };
}

async function readAs(c: Client) {
  const state = await c.get('/api/v1/state');
  expect(state.status).toBe(200);
  expect(queueState.safeParse(state.body.state).success).toBe(true);
  const events = await c.get('/api/v1/events?after=0&limit=1000');
  expect(events.status).toBe(200);
  expect(events.body.through).toBe(hub.hub.head);
  // The stream's snapshot is the same cut.
  const ws = await openStream(hub.url, c.token ? { token: c.token } : { cookie: c.cookie! });
  const got = collect(ws);
  ws.send(JSON.stringify({ v: 1, type: 'subscribe', lastSeq: null }));
  const snapshot = await got.next((m) => m.type === 'snapshot');
  ws.close();
  // (Opening the stream marks a device online, so the device list is compared by what it lists.)
  expect(snapshot.state).toEqual(state.body.state);
  expect(received(snapshot, events.body.events)).toEqual(received(state.body, events.body.events));
  return received(state.body, events.body.events);
}

const CONFIG = ['branch', 'counterOrder', 'counters', 'dispatch', 'serviceOrder', 'services'];
const APPOINTMENT = [
  'bookedAt',
  'code',
  'customerName',
  'id',
  'phoneTail',
  'serviceId',
  'slotEnd',
  'slotStart',
  'status',
  'ticketId',
];
const QUEUE_EVENTS = [
  'BranchConfigured',
  'BusinessDayRolled',
  'CounterOpened',
  'CounterUpserted',
  'DispatchSettingsChanged',
  'ServiceUpserted',
];
const TICKET_EVENTS = ['TicketCalled', 'TicketFinished', 'TicketIssued'];
const DEVICE_EVENTS = ['DeviceConfigured', 'DeviceHealthReported', 'DevicePaired'];
const AUDIT_EVENTS = ['ApiKeyCreated', 'PairingCodeCreated', 'StaffAccountCreated', 'StaffSignedIn'];
const sorted = (...lists: string[][]) => lists.flat().sort();

describe('what each principal receives (state, events and stream alike)', () => {
  it('an admin: everything, the audit events included', async () => {
    expect(await readAs(admin)).toEqual({
      config: CONFIG,
      tickets: ['A001', 'A002', 'B001'],
      counterHoldsTicket: true,
      lastSeq: ['cash', 'personal'],
      queueSeq: 3,
      serviceHistory: ['cash'],
      appointments: [APPOINTMENT],
      notice: 'Lunch break',
      devices: ['Hall TV', 'Kiosk A', 'Kiosk B', 'Tablet 1'],
      eventTypes: sorted(QUEUE_EVENTS, TICKET_EVENTS, DEVICE_EVENTS, AUDIT_EVENTS, [
        'AppointmentBooked',
        'NoticeChanged',
      ]),
    });
  });

  it('a manager: the queue, the day’s bookings and the devices, no staff accounts, keys or pairing codes', async () => {
    expect(await readAs(manager)).toEqual({
      config: CONFIG,
      tickets: ['A001', 'A002', 'B001'],
      counterHoldsTicket: true,
      lastSeq: ['cash', 'personal'],
      queueSeq: 3,
      serviceHistory: ['cash'],
      appointments: [APPOINTMENT],
      notice: 'Lunch break',
      devices: ['Hall TV', 'Kiosk A', 'Kiosk B', 'Tablet 1'],
      eventTypes: sorted(QUEUE_EVENTS, TICKET_EVENTS, DEVICE_EVENTS, ['AppointmentBooked', 'NoticeChanged']),
    });
  });

  it('a teller: the queue and the counters, no bookings, no devices, no accounts', async () => {
    expect(await readAs(teller)).toEqual({
      config: CONFIG,
      tickets: ['A001', 'A002', 'B001'],
      counterHoldsTicket: true,
      lastSeq: ['cash', 'personal'],
      queueSeq: 3,
      serviceHistory: ['cash'],
      appointments: [],
      notice: 'Lunch break',
      devices: [],
      eventTypes: sorted(QUEUE_EVENTS, TICKET_EVENTS, ['NoticeChanged']),
    });
  });

  it('a display: calls, counters, the queue per service, the notice and its own settings', async () => {
    expect(await readAs(display)).toEqual({
      config: CONFIG,
      tickets: ['A001', 'A002', 'B001'],
      counterHoldsTicket: true,
      lastSeq: ['cash', 'personal'],
      queueSeq: 3,
      serviceHistory: ['cash'],
      appointments: [],
      notice: 'Lunch break',
      devices: ['Hall TV'],
      eventTypes: sorted(QUEUE_EVENTS, TICKET_EVENTS, ['DevicePaired', 'NoticeChanged']),
    });
  });

  it('a rating tablet: the tickets (finished ones at its counter), counters and its own settings', async () => {
    expect(await readAs(tablet)).toEqual({
      config: CONFIG,
      tickets: ['A001', 'A002', 'B001'],
      counterHoldsTicket: true,
      lastSeq: ['cash', 'personal'],
      queueSeq: 3,
      serviceHistory: ['cash'],
      appointments: [],
      notice: 'Lunch break',
      devices: ['Tablet 1'],
      eventTypes: sorted(QUEUE_EVENTS, TICKET_EVENTS, ['DeviceConfigured', 'DevicePaired', 'NoticeChanged']),
    });
  });

  it('a kiosk: the services, its own tickets and its own settings; no other ticket, no running numbers', async () => {
    expect(await readAs(kiosk)).toEqual({
      config: CONFIG,
      tickets: ['A001'],
      counterHoldsTicket: false,
      lastSeq: [],
      queueSeq: 0,
      serviceHistory: [],
      appointments: [],
      notice: 'Lunch break',
      devices: ['Kiosk A'],
      eventTypes: sorted(QUEUE_EVENTS, ['DeviceHealthReported', 'DevicePaired', 'NoticeChanged']),
    });
    expect((await readAs(kiosk2)).tickets).toEqual(['A002']);
    // Its ticket records come with the runs instead of ticket events.
    const run = (await kiosk.get('/api/v1/events?after=0&limit=1000')).body;
    expect(run.tickets.map((t: any) => t.number)).toEqual(['A001']);
    expect(JSON.stringify(run)).not.toContain('A002');
  });
});

describe('a cut is exact', () => {
  function subscriber(auth: { token?: string; cookie?: string }) {
    const headers: Record<string, string> = {};
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.cookie) headers.cookie = auth.cookie;
    const sub = new HubSubscriber({
      url: `${hub.url.replace(/^http/, 'ws')}/api/v1/stream`,
      WebSocket: webSocketWithHeaders(headers),
      reconnect: { minMs: 5, maxMs: 50 },
    });
    sub.start();
    return sub;
  }

  it('every role’s subscriber folds its runs into exactly its cut of the hub’s view, links dropping at random', async () => {
    const readers: [string, Client, HubSubscriber][] = [
      admin,
      manager,
      teller,
      kiosk,
      kiosk2,
      display,
      tablet,
    ].map((c, i) => [String(i), c, subscriber(c.token ? { token: c.token } : { cookie: c.cookie! })]);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    for (const c of ['c2', 'c3']) await manager.command({ type: 'OpenCounter', data: { counterId: c } });
    for (let step = 0; step < 250; step++) {
      const r = random();
      if (r < 0.3)
        await pick([kiosk, kiosk2, teller]).command({
          type: 'IssueTicket',
          data: { serviceId: pick(['cash', 'personal']), class: 'normal' },
        });
      else if (r < 0.55)
        await manager.command({ type: 'CallNext', data: { counterId: pick(['c1', 'c2', 'c3']) } });
      else if (r < 0.62)
        await manager.command({ type: 'StartServing', data: { counterId: pick(['c1', 'c2', 'c3']) } });
      else if (r < 0.7)
        await manager.command({
          type: 'TransferTicket',
          data: { counterId: pick(['c1', 'c2', 'c3']), toServiceId: 'personal', toCounterId: null },
        });
      else if (r < 0.75)
        await manager.command({ type: 'MarkNoShow', data: { counterId: pick(['c1', 'c2', 'c3']) } });
      else if (r < 0.8) {
        const done = Object.values(hub.hub.view.state.tickets).find((t) => t.status === 'done' && !t.rating);
        if (done) await tablet.command({ type: 'RateTicket', data: { ticketId: done.id, score: 5 } });
      } else if (r < 0.85)
        await manager.post('/api/v1/appointments', {
          serviceId: 'personal',
          slotStart: MONDAY_0900 + (4 + Math.floor(random() * 8)) * 30 * MIN,
          customerName: null,
          phoneTail: null,
        });
      else if (r < 0.88)
        await pick([kiosk, kiosk2, display]).post('/api/v1/devices/health', {
          v: 1,
          health: { components: [], version: String(step) },
        });
      else if (r < 0.9)
        await manager.request('PUT', '/api/v1/notice', {
          notice: { zh: `通知${step}`, en: `Notice ${step}` },
        });
      else if (r < 0.91) await admin.post('/api/v1/admin/pairing-codes', { kind: 'kiosk', name: `k${step}` });
      hub.clock.advance(Math.floor(random() * 90_000));
      if (random() < 0.06) dropLink(pick(readers)[2]);
      if (step === 200) {
        // The next business day: every cut rolls too.
        hub.clock.advance(24 * 60 * MIN);
        hub.hub.rollIfNewDay();
      }
      if (random() < 0.3) await new Promise((res) => setTimeout(res, Math.floor(random() * 4)));
    }
    await expect
      .poll(() => readers.every(([, , s]) => s.view?.seq === hub.hub.head), {
        timeout: 30_000,
        message: 'readers to catch up',
      })
      .toBeTruthy();
    for (const [, c, s] of readers) {
      const p = c.token
        ? hub.identity.fromDeviceToken(c.token)!
        : hub.identity.fromSession(cookieValue(c))!.principal;
      const cut: BranchView = hub.hub.cutFor(p).view(hub.hub.view);
      expect(s.view).toEqual(cut);
      expect(s.stats.gaps).toBe(0);
      s.stop();
    }
    // The kiosk's cut is not trivially the whole: it held only its own tickets throughout.
    const k = hub.hub.cutFor(hub.identity.fromDeviceToken(kiosk.token!)!).view(hub.hub.view);
    expect(Object.keys(k.state.tickets).length).toBeLessThan(Object.keys(hub.hub.view.state.tickets).length);
    expect(Object.keys(k.state.tickets).length).toBeGreaterThan(0);
  });

  it('a run from /api/v1/events folded onto an earlier /api/v1/state gives the later /api/v1/state', async () => {
    await manager.command({ type: 'OpenCounter', data: { counterId: 'c1' } });
    for (const c of [manager, teller, kiosk, display, tablet]) {
      const before = (await c.get('/api/v1/state')).body;
      await kiosk.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
      await manager.must({ type: 'CallNext', data: { counterId: 'c1' } });
      await manager.request('PUT', '/api/v1/notice', { notice: { zh: '你好', en: `Hello ${before.seq}` } });
      const run = (await c.get(`/api/v1/events?after=${before.seq}`)).body;
      const after = (await c.get('/api/v1/state')).body;
      const { applyRun } = await import('@nextup/hub-view');
      const r = applyRun({ seq: before.seq, state: before.state, hub: before.hub }, run);
      expect(r.kind).toBe('applied');
      if (r.kind === 'applied')
        expect(r.view).toEqual({ seq: after.seq, state: after.state, hub: after.hub });
    }
  });
});

function cookieValue(c: Client): string {
  return c.cookie!.replace(/^nextup_session=/, '');
}

describe('a role change', () => {
  it('closes the account’s streams, which reopen with the new role’s cut', async () => {
    const boss = await createTeller(hub, admin, 'qian.m', [], 'manager');
    // A booking for tomorrow, so that the manager's cut has one to show.
    const day = hub.hub.view.state.day!;
    const tomorrow = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const slots = (await boss.get(`/api/v1/appointments/slots?serviceId=personal&date=${tomorrow}`)).body
      .slots;
    expect(
      (await boss.post('/api/v1/appointments', { serviceId: 'personal', slotStart: slots[0].start })).status,
    ).toBe(200);
    const ws = await openStream(hub.url, { cookie: boss.cookie! });
    const got = collect(ws);
    ws.send(JSON.stringify({ v: 1, type: 'subscribe', lastSeq: null }));
    const before = await got.next((m) => m.type === 'snapshot');
    expect(Object.keys(before.state.appointments).length).toBeGreaterThan(0);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const staffId = (await boss.get('/api/v1/session')).body.staffId as string;
    expect((await admin.request('PATCH', `/api/v1/admin/staff/${staffId}`, { role: 'teller' })).status).toBe(
      200,
    );
    expect(await closed).toBe(4401);
    const again = await openStream(hub.url, { cookie: boss.cookie! });
    const got2 = collect(again);
    again.send(JSON.stringify({ v: 1, type: 'subscribe', lastSeq: null }));
    const after = await got2.next((m) => m.type === 'snapshot');
    expect(after.state.appointments).toEqual({});
    again.close();
  });
});
