import {
  apiKeyCreatedResponse,
  apiKeyListResponse,
  apiKeyRevokedResponse,
  appointmentResponse,
  bookableServicesResponse,
  bookingCancelledResponse,
  bookingResponse,
  dailyReportResponse,
  deskIssueResponse,
  deskTicketsResponse,
  deviceListResponse,
  deviceRenamedResponse,
  eventsResponse,
  healthResponse,
  okResponse,
  pairingCode as pairingCodeResponse,
  sessionInfo,
  slotsResponse,
  staffCreatedResponse,
  staffListResponse,
  stateResponse,
} from '@nextup/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { pairingCode } from '../src/testing.ts';
import { Client, setUpAdmin, startTestHub, type TestHub } from './support.ts';

let hub: TestHub;
let admin: Client;

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
});
afterAll(async () => {
  await hub?.close();
});

/** The answer is a 2xx and parses, strictly as the client will, with the protocol's schema. */
function answers<S extends z.ZodType>(schema: S, r: { status: number; body: unknown }): z.output<S> {
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  const parsed = schema.safeParse(r.body);
  expect(parsed.success, parsed.error?.message).toBe(true);
  return parsed.data as z.output<S>;
}

describe('every answer the consoles and agents read parses with its @nextup/protocol schema', () => {
  it('health and session', async () => {
    answers(healthResponse, await new Client(hub.url).get('/api/v1/health'));
    answers(sessionInfo, await admin.get('/api/v1/session'));
  });

  it('the view and the log', async () => {
    const state = answers(stateResponse, await admin.get('/api/v1/state'));
    const run = answers(eventsResponse, await admin.get('/api/v1/events?after=0&limit=50'));
    expect(run.head).toBe(state.seq);
  });

  it("branch IT's staff, devices and API keys", async () => {
    const created = answers(
      staffCreatedResponse,
      await admin.post('/api/v1/admin/staff', {
        username: 'zhao.l',
        displayName: '赵磊',
        role: 'teller',
        password: 'a long enough password',
        counterIds: ['c1'],
      }),
    );
    answers(
      okResponse,
      await admin.request('PATCH', `/api/v1/admin/staff/${created.staffId}`, { disabled: true }),
    );
    expect(answers(staffListResponse, await admin.get('/api/v1/admin/staff')).staff.length).toBeGreaterThan(
      1,
    );

    answers(
      pairingCodeResponse,
      await admin.post('/api/v1/admin/pairing-codes', { kind: 'display', name: '叫号屏' }),
    );
    const code = await pairingCode(admin, 'kiosk', '大厅取号机');
    const box = new Client(hub.url);
    const paired = await box.post('/api/v1/devices/pair', { v: 1, code, name: 'kiosk-box' });
    const id = paired.body.deviceId as string;
    answers(
      deviceRenamedResponse,
      await admin.request('PATCH', `/api/v1/admin/devices/${id}`, { name: '二楼取号机' }),
    );
    answers(
      okResponse,
      await admin.request('PUT', `/api/v1/admin/devices/${id}/settings`, {
        settings: { kind: 'kiosk', printer: null, idleSeconds: 30, services: ['cash'] },
      }),
    );
    expect(answers(deviceListResponse, await admin.get('/api/v1/admin/devices')).devices).toHaveLength(1);
    answers(okResponse, await admin.post(`/api/v1/admin/devices/${id}/revoke`, undefined));
    answers(
      okResponse,
      await admin.request('PUT', '/api/v1/notice', { notice: { zh: '通知', en: 'Notice' } }),
    );

    const key = answers(
      apiKeyCreatedResponse,
      await admin.post('/api/v1/admin/api-keys', { name: '手机银行' }),
    );
    expect(answers(apiKeyListResponse, await admin.get('/api/v1/admin/api-keys')).keys).toHaveLength(1);
    answers(apiKeyRevokedResponse, await admin.post(`/api/v1/admin/api-keys/${key.id}/revoke`, undefined));
  });

  it('the booking API', async () => {
    const services = answers(bookableServicesResponse, await admin.get('/api/v1/appointments/services'));
    const serviceId = services.services[0]!.serviceId;
    const today = new Date(hub.hub.clock.now() + 86_400_000 * 2).toISOString().slice(0, 10);
    const slots = answers(
      slotsResponse,
      await admin.get(`/api/v1/appointments/slots?serviceId=${serviceId}&date=${today}`),
    );
    const slot = slots.slots.find((s) => s.free > 0);
    expect(slot).toBeDefined();
    const booked = answers(
      bookingResponse,
      await admin.post('/api/v1/appointments', { serviceId, slotStart: slot!.start }),
    );
    answers(appointmentResponse, await admin.get(`/api/v1/appointments/${booked.appointmentId}`));
    answers(
      bookingCancelledResponse,
      await admin.request('DELETE', `/api/v1/appointments/${booked.appointmentId}`),
    );
  });

  it('the floor desk', async () => {
    answers(
      deskIssueResponse,
      await admin.post('/api/v1/desk/tickets', {
        v: 1,
        serviceId: 'cash',
        class: 'vip',
        printAt: null,
        lang: 'zh',
      }),
    );
    expect(
      answers(deskTicketsResponse, await admin.get('/api/v1/desk/tickets')).tickets.length,
    ).toBeGreaterThan(0);
  });

  // After the desk's ticket: a day with figures in every table.
  it('the daily report', async () => {
    const report = answers(dailyReportResponse, await admin.get('/api/v1/reports/daily'));
    expect(report.totals.issued).toBeGreaterThan(0);
  });
});
