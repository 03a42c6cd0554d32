import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTeller, pairDevice, setUpAdmin, startTestHub, type TestHub } from './support.ts';

let hub: TestHub;
let admin: Client;
let floor: Client;
let kiosk: Client & { deviceId: string };

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  // The floor manager (大堂经理) has a teller account with no counter of their own.
  floor = await createTeller(hub, admin, 'zhou.min', []);
  kiosk = await pairDevice(hub, admin, 'kiosk', '大厅取号机');
});
afterAll(async () => {
  await hub?.close();
});

const events = (after: number) => hub.hub.log.readAfter(after, 100);
const staffId = (username: string) => hub.hub.identities.staffByUsername(username)!.id;

describe('the floor desk', () => {
  it('issues a priority ticket as the staff member and asks the chosen kiosk to print it, once per request', async () => {
    const before = hub.hub.head;
    const body = {
      v: 1,
      requestId: 'desk-req-0001',
      serviceId: 'personal',
      class: 'priority',
      printAt: kiosk.deviceId,
      lang: 'zh',
    };
    const r = await floor.post('/api/v1/desk/tickets', body);
    expect(r.status).toBe(200);
    expect(r.body.ticket).toMatchObject({
      number: 'B001',
      class: 'priority',
      source: 'staff',
      status: 'waiting',
    });
    const logged = events(before);
    expect(logged.map((e) => e.event.type)).toEqual(['TicketIssued', 'TicketPrintRequested']);
    expect(logged[0]!.actor).toEqual({ kind: 'staff', id: staffId('zhou.min') });
    expect(logged[1]).toMatchObject({
      actor: { kind: 'staff', id: staffId('zhou.min') },
      event: {
        data: {
          ticketId: r.body.ticket.id,
          deviceId: kiosk.deviceId,
          lang: 'zh',
          followUrl: `http://hub.test:8300/t/${r.body.ticket.id}`,
        },
      },
    });
    // The same press again (a retry): the same ticket, and the kiosk is not asked a second time.
    const again = await floor.post('/api/v1/desk/tickets', body);
    expect(again.body.ticket.id).toBe(r.body.ticket.id);
    expect(hub.hub.head).toBe(logged.at(-1)!.seq);
  });

  it('lets only staff issue VIP and priority tickets: a kiosk is refused and nothing is written', async () => {
    const before = hub.hub.head;
    for (const cls of ['vip', 'priority'] as const) {
      const r = await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: cls } });
      expect(r.status).toBe(403);
      expect(r.body.error.message.zh).toContain('贵宾号和优先号请找大堂经理');
    }
    expect(
      (
        await kiosk.post('/api/v1/desk/tickets', {
          v: 1,
          serviceId: 'cash',
          class: 'normal',
          printAt: null,
          lang: 'zh',
        })
      ).status,
    ).toBe(403);
    // An unknown kiosk to print on is refused before anything is issued.
    const r = await floor.post('/api/v1/desk/tickets', {
      v: 1,
      serviceId: 'cash',
      class: 'vip',
      printAt: 'd-nope',
      lang: 'zh',
    });
    expect(r.status).toBe(400);
    expect(hub.hub.head).toBe(before);
  });

  it("records the kiosk's answer, lists the desk's tickets and voids with who did them, and audits the void", async () => {
    const vip = await floor.post('/api/v1/desk/tickets', {
      v: 1,
      serviceId: 'wealth',
      class: 'vip',
      printAt: kiosk.deviceId,
      lang: 'en',
    });
    const id = vip.body.ticket.id as string;
    // Only the kiosk that was asked may answer, and only once per request.
    const other = await pairDevice(hub, admin, 'kiosk', '二楼取号机');
    expect(
      (await other.post('/api/v1/devices/print-report', { v: 1, ticketId: id, ok: true, problem: null }))
        .status,
    ).toBe(409);
    expect(
      (await floor.post('/api/v1/devices/print-report', { v: 1, ticketId: id, ok: true, problem: null }))
        .status,
    ).toBe(403);
    const report = await kiosk.post('/api/v1/devices/print-report', {
      v: 1,
      ticketId: id,
      ok: false,
      problem: 'PAPER_OUT',
    });
    expect(report.status).toBe(200);
    expect(events(hub.hub.head - 1)[0]).toMatchObject({
      actor: { kind: 'device', id: kiosk.deviceId },
      event: { type: 'TicketPrintReported', data: { ticketId: id, ok: false, problem: 'PAPER_OUT' } },
    });
    // Printed again on the other kiosk.
    expect(
      (await floor.post(`/api/v1/desk/tickets/${id}/print`, { v: 1, printAt: other.deviceId, lang: 'en' }))
        .status,
    ).toBe(200);
    await other.post('/api/v1/devices/print-report', { v: 1, ticketId: id, ok: true, problem: null });

    // A kiosk ticket taken by mistake is voided at the desk with a reason.
    const mistake = await kiosk.command({
      type: 'IssueTicket',
      data: { serviceId: 'cash', class: 'normal' },
    });
    const before = hub.hub.head;
    await floor.must({
      type: 'CancelTicket',
      data: { ticketId: mistake.body.ticket.id, reason: 'duplicate' },
    });
    expect(events(before)[0]).toMatchObject({
      actor: { kind: 'staff', id: staffId('zhou.min') },
      event: { type: 'TicketCancelled', data: { reason: 'duplicate' } },
    });

    const list = await floor.get('/api/v1/desk/tickets');
    expect(list.status).toBe(200);
    const byNumber = new Map(list.body.tickets.map((t: { number: string }) => [t.number, t]));
    expect(byNumber.get('V001')).toMatchObject({
      class: 'vip',
      source: 'staff',
      status: 'waiting',
      issuedBy: { kind: 'staff', name: 'zhou.min' },
      prints: [
        { deviceName: '大厅取号机', outcome: 'failed', problem: 'PAPER_OUT' },
        { deviceName: '二楼取号机', outcome: 'printed', problem: null },
      ],
    });
    expect(byNumber.get('B001')).toMatchObject({ class: 'priority', prints: [{ outcome: 'requested' }] });
    expect(byNumber.get(mistake.body.ticket.number)).toMatchObject({
      source: 'kiosk',
      status: 'cancelled',
      issuedBy: { kind: 'device', name: '大厅取号机' },
      cancelled: { reason: 'duplicate', by: { kind: 'staff', name: 'zhou.min' } },
    });
    expect(list.body.kiosks.map((k: { name: string }) => k.name).sort()).toEqual([
      '二楼取号机',
      '大厅取号机',
    ]);
    // A ticket no longer waiting is not printed again.
    expect(
      (
        await floor.post(`/api/v1/desk/tickets/${mistake.body.ticket.id}/print`, {
          v: 1,
          printAt: kiosk.deviceId,
          lang: 'zh',
        })
      ).status,
    ).toBe(409);
  });
});
