import { HubSubscriber } from '@nextup/hub-client';
import type { ClientCommand } from '@nextup/protocol';
import { queueState } from '@nextup/protocol';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webSocketWithHeaders } from '../src/testing.ts';
import {
  type Client,
  createTeller,
  pairDevice,
  setUpAdmin,
  startTestHub,
  type TestHub,
  tempDir,
} from './support.ts';

/**
 * Issue 15, defect 1, through a real hub: ids that name `Object.prototype` members are ordinary
 * unknown ids. Each attack is refused with a 4xx and writes nothing; afterwards the state still
 * passes the protocol's schema and a fresh subscriber comes up, and so does a restarted hub.
 */

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'propertyIsEnumerable', 'valueOf'];

let hub: TestHub;
let admin: Client;
let teller: Client;
let bank: Client;
const data = tempDir();

beforeAll(async () => {
  hub = await startTestHub({ dir: data.dir });
  admin = await setUpAdmin(hub);
  // A teller with no counters assigned may act on every counter: the widest teller there is.
  teller = await createTeller(hub, admin, 'wang.fang', []);
  const key = await admin.post('/api/v1/admin/api-keys', { name: 'bank app' });
  bank = new (admin.constructor as typeof Client)(hub.url);
  bank.token = key.body.key;
  await admin.must({ type: 'OpenCounter', data: { counterId: 'c1' } });
  await teller.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
});
afterAll(async () => {
  await hub?.close();
  data.remove();
});

async function expectStateSound() {
  const r = await admin.get('/api/v1/state');
  expect(r.status).toBe(200);
  const parsed = queueState.safeParse(r.body.state);
  expect(parsed.success, parsed.error?.message).toBe(true);
  for (const [id, t] of Object.entries(r.body.state.tickets as Record<string, { id: string }>))
    expect(t.id).toBe(id);
}

describe('the attacks of issue 15 through a real hub', () => {
  it('DELETE /api/v1/appointments/constructor with an API key: 404, nothing written', async () => {
    for (const name of NAMES) {
      const before = hub.hub.head;
      const r = await bank.request('DELETE', `/api/v1/appointments/${encodeURIComponent(name)}`);
      expect(r.status, name).toBe(404);
      expect(r.body.error.code).toBe('UNKNOWN_APPOINTMENT');
      expect((await bank.get(`/api/v1/appointments/${encodeURIComponent(name)}`)).status, name).toBe(404);
      expect(hub.hub.head).toBe(before);
    }
    await expectStateSound();
  });

  it('CancelTicket with ticketId "constructor" from a teller: refused, nothing written', async () => {
    for (const name of NAMES) {
      const before = hub.hub.head;
      const r = await teller.command({ type: 'CancelTicket', data: { ticketId: name, reason: 'staffVoid' } });
      // `__proto__` is no id at all (400 at the edge); the others are unknown tickets (409).
      expect([400, 409], `${name}: ${JSON.stringify(r.body)}`).toContain(r.status);
      expect(r.body.error.code).toBe(name === '__proto__' ? 'INVALID_MESSAGE' : 'UNKNOWN_TICKET');
      expect(hub.hub.head).toBe(before);
    }
    await expectStateSound();
  });

  it('GET /api/v1/follow/propertyIsEnumerable answers 404', async () => {
    for (const name of NAMES) {
      const r = await fetch(`${hub.url}/api/v1/follow/${encodeURIComponent(name)}`);
      expect(r.status, name).toBe(404);
    }
  });

  it('the desk printing a ticket named for a prototype member answers 404 like any unknown ticket', async () => {
    const kiosk = await pairDevice(hub, admin, 'kiosk', 'desk kiosk');
    for (const name of NAMES) {
      const before = hub.hub.head;
      const r = await teller.post(`/api/v1/desk/tickets/${encodeURIComponent(name)}/print`, {
        v: 1,
        printAt: kiosk.deviceId,
        lang: 'zh',
      });
      expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(404);
      expect(r.body.error.code).toBe('UNKNOWN_TICKET');
      expect(hub.hub.head).toBe(before);
    }
  });

  it('every command naming a prototype member as any of its ids is refused with a 4xx and writes nothing', async () => {
    const kiosk = await pairDevice(hub, admin, 'kiosk', 'kiosk ids');
    const display = await pairDevice(hub, admin, 'display', 'display ids');
    const tablet = await pairDevice(hub, admin, 'counterTablet', 'tablet ids');
    for (const name of NAMES) {
      const commands: [Client, ClientCommand][] = [
        [teller, { type: 'IssueTicket', data: { serviceId: name, class: 'normal' } }],
        [kiosk, { type: 'IssueTicket', data: { serviceId: name, class: 'normal' } }],
        [teller, { type: 'RateTicket', data: { ticketId: name, score: 5 } }],
        [tablet, { type: 'RateTicket', data: { ticketId: name, score: 5 } }],
        [kiosk, { type: 'CancelTicket', data: { ticketId: name, reason: 'printFailed' } }],
        [display, { type: 'CallNext', data: { counterId: name } }],
        [display, { type: 'OpenCounter', data: { counterId: name } }],
        [admin, { type: 'RemoveService', data: { serviceId: name } }],
        [admin, { type: 'RemoveCounter', data: { counterId: name } }],
        [admin, { type: 'CancelAppointment', data: { appointmentId: name } }],
        [
          admin,
          {
            type: 'BookAppointment',
            data: {
              serviceId: name,
              slotStart: hub.clock.now() + 3_600_000,
              customerName: null,
              phoneTail: null,
            },
          },
        ],
        [admin, { type: 'TransferTicket', data: { counterId: 'c1', toServiceId: name, toCounterId: null } }],
        [admin, { type: 'TransferTicket', data: { counterId: 'c1', toServiceId: null, toCounterId: name } }],
      ];
      for (const type of [
        'CallNext',
        'Recall',
        'MarkNoShow',
        'StartServing',
        'FinishTicket',
        'OpenCounter',
        'ResumeCounter',
        'CloseCounter',
      ] as const)
        commands.push([teller, { type, data: { counterId: name } } as ClientCommand]);
      commands.push([teller, { type: 'PauseCounter', data: { counterId: name, reason: 'x' } }]);
      commands.push([teller, { type: 'CallTicket', data: { counterId: name, number: 'A001' } }]);
      for (const [who, command] of commands) {
        const before = hub.hub.head;
        const r = await who.command(command);
        const what = `${command.type} ${JSON.stringify(command.data)}: ${r.status} ${JSON.stringify(r.body)}`;
        expect(r.status, what).toBeGreaterThanOrEqual(400);
        expect(r.status, what).toBeLessThan(500);
        expect(hub.hub.head, what).toBe(before);
      }
    }
    await expectStateSound();
    // The routes that take an id in the path or the query.
    for (const name of NAMES) {
      const slots = await admin.get(
        `/api/v1/appointments/slots?serviceId=${encodeURIComponent(name)}&date=2026-11-24`,
      );
      expect(slots.status, name).toBe(404);
      const settings = await admin.request(
        'PUT',
        `/api/v1/admin/devices/${encodeURIComponent(name)}/settings`,
        {
          settings: { kind: 'counterTablet', counterId: 'c1' },
        },
      );
      expect(settings.status, name).toBe(404);
      const tabletCounter = await admin.request('PUT', `/api/v1/admin/devices/${tablet.deviceId}/settings`, {
        settings: { kind: 'counterTablet', counterId: name },
      });
      expect(tabletCounter.status, name).toBe(400);
      const staff = await admin.post('/api/v1/admin/staff', {
        username: `x${NAMES.indexOf(name)}`,
        displayName: 'x',
        role: 'teller',
        password: 'long enough password',
        counterIds: [name],
      });
      expect(staff.status, name).toBe(400);
    }
  });

  it('a subscriber that starts afterwards gets a valid snapshot and comes up, and so does a restarted hub', async () => {
    const sub = new HubSubscriber({
      url: `${hub.url.replace(/^http/, 'ws')}/api/v1/stream`,
      WebSocket: webSocketWithHeaders({ cookie: admin.cookie! }),
    });
    sub.start();
    try {
      await expect
        .poll(() => sub.connected && sub.view?.seq === hub.hub.head, {
          timeout: 10_000,
          message: 'subscriber up',
        })
        .toBeTruthy();
      expect(sub.stats.snapshots).toBe(1);
    } finally {
      sub.stop();
    }
    // The hub's own snapshot (taken as it stops) is accepted on restart: no replay from 0.
    const { clock } = hub;
    const head = hub.hub.head;
    const state = hub.hub.view.state;
    await hub.close();
    const lines: { msg?: string; fromSnapshot?: number }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    hub = await startTestHub({ dir: data.dir, clock, logger });
    const loaded = lines.find((l) => l.msg === 'event log loaded');
    expect(loaded?.fromSnapshot).toBe(head);
    expect(hub.hub.view.state).toEqual(state);
  });
});
