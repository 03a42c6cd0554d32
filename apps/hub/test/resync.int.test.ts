import { HubSubscriber } from '@nextup/hub-client';
import { dropLink } from '@nextup/hub-client/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webSocketWithHeaders } from '../src/testing.ts';
import {
  type Client,
  createTeller,
  foldLogged,
  pairDevice,
  setUpAdmin,
  startTestHub,
  type TestHub,
} from './support.ts';

/**
 * Subscribers whose links drop at random points while the queue runs must end with exactly the
 * hub's state, having applied every event once: no event missed, none applied twice.
 */

let hub: TestHub;
let admin: Client;
let teller: Client;
let kiosk: Client;
let display: Client;

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  teller = await createTeller(hub, admin, 'wang', [], 'manager');
  kiosk = await pairDevice(hub, admin, 'kiosk');
  display = await pairDevice(hub, admin, 'display');
});
afterAll(async () => {
  await hub?.close();
});

/** The part of the hub's view a device reads: what its subscriber must end up holding exactly. */
function cutOf(token: string) {
  const p = hub.identity.fromDeviceToken(token)!;
  return hub.hub.cutFor(p).view(hub.hub.view);
}

function subscriber(token: string): HubSubscriber & { token: string } {
  const sub = new HubSubscriber({
    url: `${hub.url.replace(/^http/, 'ws')}/api/v1/stream`,
    WebSocket: webSocketWithHeaders({ authorization: `Bearer ${token}` }),
    reconnect: { minMs: 5, maxMs: 50 },
  });
  return Object.assign(sub, { token });
}

// A small deterministic PRNG so a failure can be replayed.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('resync after dropped links', () => {
  it('every subscriber ends with exactly its cut of the hub’s view, no event missed or applied twice', async () => {
    const random = rng(20261123);
    for (const c of ['c1', 'c2', 'c3', 'c4'])
      await teller.command({ type: 'OpenCounter', data: { counterId: c } });
    const subs = Array.from({ length: 8 }, (_, i) => subscriber(i % 2 ? kiosk.token! : display.token!));
    for (const s of subs) s.start();
    const lateStarters: (HubSubscriber & { token: string })[] = [];

    const services = ['cash', 'personal', 'business', 'wealth'];
    for (let step = 0; step < 400; step++) {
      const r = random();
      if (r < 0.5)
        await kiosk.command({
          type: 'IssueTicket',
          data: { serviceId: services[Math.floor(random() * 4)]!, class: 'normal' },
        });
      else if (r < 0.8)
        await teller.command({ type: 'CallNext', data: { counterId: `c${1 + Math.floor(random() * 4)}` } });
      else if (r < 0.9)
        await teller.command({ type: 'Recall', data: { counterId: `c${1 + Math.floor(random() * 4)}` } });
      else
        await teller.command({ type: 'MarkNoShow', data: { counterId: `c${1 + Math.floor(random() * 4)}` } });
      hub.clock.advance(Math.floor(random() * 30_000));
      // Drop a random subscriber's link now and then, sometimes several at once.
      if (random() < 0.08) dropLink(subs[Math.floor(random() * subs.length)]!);
      if (random() < 0.01) for (const s of subs) dropLink(s);
      if (step === 150 || step === 300) {
        const late = subscriber(display.token!);
        late.start();
        lateStarters.push(late);
      }
      // Let the event loop deliver some messages between commands, unevenly.
      if (random() < 0.3) await new Promise((res) => setTimeout(res, Math.floor(random() * 5)));
    }

    const all = [...subs, ...lateStarters];
    await expect
      .poll(() => all.every((s) => s.view?.seq === hub.hub.head), {
        timeout: 30_000,
        message: 'subscribers to catch up',
      })
      .toBeTruthy();
    const fromLog = foldLogged(hub.hub.log.readAfter(0, 100_000));
    expect(fromLog).toEqual(hub.hub.view);
    for (const s of all) {
      expect(s.view).toEqual(cutOf(s.token));
      expect(s.stats.duplicates).toBe(0);
      expect(s.stats.gaps).toBe(0);
    }
    expect(subs.reduce((n, s) => n + s.stats.connects, 0)).toBeGreaterThan(subs.length + 5);
    expect(hub.hub.head).toBeGreaterThan(400);
    for (const s of all) s.stop();
  });

  it('a subscriber with no resume point gets a snapshot, one that is ahead of the log gets a snapshot too', async () => {
    const s = subscriber(display.token!);
    s.start();
    await expect
      .poll(() => s.view?.seq === hub.hub.head, { timeout: 10_000, message: 'snapshot' })
      .toBeTruthy();
    expect(s.stats.snapshots).toBe(1);
    s.stop();
    const ahead = new HubSubscriber({
      url: `${hub.url.replace(/^http/, 'ws')}/api/v1/stream`,
      WebSocket: webSocketWithHeaders({ authorization: `Bearer ${display.token}` }),
      initial: { ...hub.hub.view, seq: hub.hub.head + 1000 },
    });
    ahead.start();
    await expect
      .poll(() => ahead.stats.snapshots === 1, {
        timeout: 10_000,
        message: 'snapshot for a subscriber ahead of the log',
      })
      .toBeTruthy();
    expect(ahead.view).toEqual(cutOf(display.token!));
    ahead.stop();
  });
});
