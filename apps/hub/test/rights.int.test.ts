import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTeller, pairDevice, setUpAdmin, startTestHub, type TestHub } from './support.ts';

/**
 * Issue 15, defect 5: a rating is the customer's, given on the tablet at the counter that served
 * them; a display relays only the keypads on its own bus. Rights follow the device's settings.
 */

let hub: TestHub;
let admin: Client;
let manager: Client;
let teller: Client;
let tablet: Client & { deviceId: string };
let display: Client & { deviceId: string };

const settings = (c: Client, deviceId: string, s: unknown) =>
  c.request('PUT', `/api/v1/admin/devices/${deviceId}/settings`, { settings: s });

/** Issues a ticket, serves and finishes it at `counterId`; returns its id. */
async function servedAt(counterId: string): Promise<string> {
  const t = await admin.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
  await admin.must({ type: 'CallTicket', data: { counterId, number: t.ticket.number } });
  await admin.must({ type: 'StartServing', data: { counterId } });
  hub.clock.advance(60_000);
  await admin.must({ type: 'FinishTicket', data: { counterId } });
  return t.ticket.id as string;
}

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  manager = await createTeller(hub, admin, 'zhao.jl', [], 'manager');
  teller = await createTeller(hub, admin, 'li.na', ['c1']);
  tablet = await pairDevice(hub, admin, 'counterTablet', 'Tablet at 1');
  display = await pairDevice(hub, admin, 'display', 'Hall TV');
  for (const c of ['c1', 'c2']) await admin.must({ type: 'OpenCounter', data: { counterId: c } });
});
afterAll(async () => {
  await hub?.close();
});

describe('ratings', () => {
  it('no staff member can rate a ticket, whatever the role', async () => {
    const id = await servedAt('c1');
    for (const c of [teller, manager, admin]) {
      const r = await c.command({ type: 'RateTicket', data: { ticketId: id, score: 5 } });
      expect(r.status).toBe(403);
    }
    expect(hub.hub.view.state.tickets[id]!.rating).toBeNull();
  });

  it('a tablet rates only the tickets finished at the counter its settings name', async () => {
    const atC1 = await servedAt('c1');
    const atC2 = await servedAt('c2');
    // No counter set yet: nothing to rate.
    expect((await tablet.command({ type: 'RateTicket', data: { ticketId: atC1, score: 4 } })).status).toBe(
      403,
    );
    expect((await settings(admin, tablet.deviceId, { kind: 'counterTablet', counterId: 'c1' })).status).toBe(
      200,
    );
    const other = await tablet.command({ type: 'RateTicket', data: { ticketId: atC2, score: 1 } });
    expect(other.status).toBe(403);
    expect(other.body.error.message.en).toMatch(/its own counter/);
    expect((await tablet.command({ type: 'RateTicket', data: { ticketId: atC1, score: 4 } })).status).toBe(
      200,
    );
    expect(hub.hub.view.state.tickets[atC2]!.rating).toBeNull();
    expect(hub.hub.view.state.tickets[atC1]!.rating).toBe(4);
  });
});

describe('a display relays its own keypads only', () => {
  it('without a bus it relays nothing; with one, only the counters its settings name', async () => {
    expect((await display.command({ type: 'OpenCounter', data: { counterId: 'c3' } })).status).toBe(403);
    const bus = { port: '/dev/ttyUSB0', baud: 9600, dialect: 'v1' };
    const base = { kind: 'display', mainBoards: [200], voice: { languages: ['zh'], repeat: 1 } };
    expect((await settings(admin, display.deviceId, { ...base, bus, counters: ['c3'] })).status).toBe(200);
    const notMine = await display.command({ type: 'OpenCounter', data: { counterId: 'c4' } });
    expect(notMine.status).toBe(403);
    expect(notMine.body.error.message.en).toMatch(/not on this display's bus/);
    expect((await display.command({ type: 'OpenCounter', data: { counterId: 'c3' } })).status).toBe(200);
    // No counters listed means every counter with a keypad.
    expect((await settings(admin, display.deviceId, { ...base, bus, counters: [] })).status).toBe(200);
    expect((await display.command({ type: 'OpenCounter', data: { counterId: 'c4' } })).status).toBe(200);
  });
});
