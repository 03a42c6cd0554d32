import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  createStaff,
  launch,
  newPage,
  pairDevice,
  setUpAdmin,
  signIn,
  signInUi,
  startTestHub,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let teller: Client;
let bank: Client;
let kiosk: Client;
let browser: Browser;

/** Tuesday 2026-11-24, local time in Asia/Shanghai (UTC+8). */
const tue = (h: number, m = 0) => Date.UTC(2026, 10, 24, h - 8, m);

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  await createStaff(admin, 'li.na', 'teller', ['c1'], '李娜');
  teller = await signIn(hub.url, 'li.na');
  kiosk = await pairDevice(hub, admin, 'kiosk');
  const key = await admin.post('/api/v1/admin/api-keys', { name: '手机银行' });
  expect(key.status).toBe(200);
  expect(key.body.key).toMatch(/^nxk_/);
  bank = new Client(hub.url);
  bank.token = key.body.key;
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

const book = (
  c: Client,
  serviceId: string,
  slotStart: number,
  extra: Record<string, unknown> = {},
  headers = {},
) => c.post('/api/v1/appointments', { serviceId, slotStart, ...extra }, headers);

describe('booking', () => {
  it('lists the slots of a day with their free places, for staff and for the bank’s key alike', async () => {
    const staffView = await teller.get('/api/v1/appointments/slots?serviceId=personal&date=2026-11-24');
    const bankView = await bank.get('/api/v1/appointments/slots?serviceId=personal&date=2026-11-24');
    expect(staffView.status).toBe(200);
    expect(bankView.body).toEqual(staffView.body);
    const slots = staffView.body.slots as { time: string; free: number; capacity: number }[];
    // Branch hours 08:30–17:00 on weekdays, 30-minute slots, 2 places each.
    expect(slots.map((s) => s.time)).toEqual([
      '08:30',
      '09:00',
      '09:30',
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '12:00',
      '12:30',
      '13:00',
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
      '16:00',
      '16:30',
    ]);
    expect(slots.every((s) => s.free === 2 && s.capacity === 2)).toBe(true);
    // Today's past slots are not offered.
    const today = (await bank.get('/api/v1/appointments/slots?serviceId=personal&date=2026-11-23')).body
      .slots;
    expect(today[0].time).toBe('09:30');
    const services = await bank.get('/api/v1/appointments/services');
    expect(services.body.services.map((s: { serviceId: string }) => s.serviceId)).toEqual([
      'personal',
      'business',
      'wealth',
    ]);
    expect((await new Client(hub.url).get('/api/v1/appointments/services')).status).toBe(401);
  });

  it('refuses one more booking than a slot holds', async () => {
    const a = await book(teller, 'personal', tue(10), { customerName: '王先生', phoneTail: '1234' });
    const b = await book(bank, 'personal', tue(10));
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.code).toMatch(/^\d{8}$/);
    expect(a.body.code).not.toBe(b.body.code);
    expect(a.body.qr).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(a.body.qr.split(',')[1], 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(a.body.checkIn).toEqual({ opensAt: tue(9, 30), closesAt: tue(10, 15) });
    const c = await book(bank, 'personal', tue(10));
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('SLOT_FULL');
    expect(c.body.error.message.zh).toBe('该时段已约满');
    const slot = (
      await bank.get('/api/v1/appointments/slots?serviceId=personal&date=2026-11-24')
    ).body.slots.find((s: { time: string }) => s.time === '10:00');
    expect(slot).toMatchObject({ booked: 2, free: 0 });
    // The domain's slot rules apply to the API too.
    const odd = await book(bank, 'personal', tue(10, 10));
    expect(odd.body.error.code).toBe('SLOT_INVALID');
    const notBookable = await book(bank, 'cash', tue(10));
    expect(notBookable.body.error.code).toBe('APPOINTMENT_NOT_OFFERED');
    // The bank's booking is audited under its key.
    const booked = hub.hub.log.readAfter(0, 1000).filter((e) => e.event.type === 'AppointmentBooked');
    expect(booked.at(-1)!.actor).toEqual({ kind: 'apiKey', id: expect.stringMatching(/^k-/) });
  });

  it('gives exactly one booking to requests racing for the last place', async () => {
    // Business banking: one place per slot. Eight requests at once, from staff and the bank.
    const racers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        book(i % 2 ? teller : bank, 'business', tue(11), { phoneTail: `000${i}` }),
      ),
    );
    expect(racers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(racers.filter((r) => r.status === 409 && r.body.error.code === 'SLOT_FULL')).toHaveLength(7);
    const held = Object.values(hub.hub.view.state.appointments).filter(
      (a) => a.serviceId === 'business' && a.slotStart === tue(11) && a.status !== 'cancelled',
    );
    expect(held).toHaveLength(1);
  });

  it('makes a retry with the same Idempotency-Key book once', async () => {
    const headers = { 'idempotency-key': 'bank-req-000123' };
    const first = await book(bank, 'wealth', tue(14), {}, headers);
    const again = await book(bank, 'wealth', tue(14), {}, headers);
    expect(first.status).toBe(200);
    expect(again.body.appointmentId).toBe(first.body.appointmentId);
    expect(
      Object.values(hub.hub.view.state.appointments).filter(
        (a) => a.serviceId === 'wealth' && a.slotStart === tue(14),
      ),
    ).toHaveLength(1);
  });

  it('checks the booked code in at the kiosk in its window, and not a cancelled or expired one', async () => {
    const ok = await book(bank, 'personal', tue(9, 30));
    const cancelled = await book(bank, 'personal', tue(9, 30));
    const late = await book(teller, 'personal', tue(9));
    // The morning of the slot.
    hub.clock.set(tue(8, 50));
    expect(
      (await bank.request('DELETE', `/api/v1/appointments/${cancelled.body.appointmentId}`)).status,
    ).toBe(200);
    expect((await bank.get(`/api/v1/appointments/${cancelled.body.appointmentId}`)).body.status).toBe(
      'cancelled',
    );
    // A cancelled booking frees its place.
    teller = await signIn(hub.url, 'li.na');
    const again = await book(teller, 'personal', tue(9, 30));
    expect(again.status).toBe(200);

    const checkIn = (code: string) => kiosk.command({ type: 'CheckInAppointment', data: { code } });
    const early = await checkIn(ok.body.code);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('APPOINTMENT_TOO_EARLY');
    hub.clock.set(tue(9, 20)); // within 30 minutes before the 09:30 slot
    const inWindow = await checkIn(ok.body.code);
    expect(inWindow.status).toBe(200);
    expect(inWindow.body.ticket).toMatchObject({
      class: 'appointment',
      source: 'appointment',
      number: 'B001',
    });
    expect((await checkIn(ok.body.code)).body.error.code).toBe('APPOINTMENT_ALREADY_CHECKED_IN');
    expect((await checkIn(cancelled.body.code)).body.error.code).toBe('APPOINTMENT_CANCELLED');
    // The 09:00 booking's window closed at 09:15.
    expect((await checkIn(late.body.code)).body.error.code).toBe('APPOINTMENT_EXPIRED');
    // A checked-in booking can no longer be cancelled.
    const cancelAfter = await bank.request('DELETE', `/api/v1/appointments/${ok.body.appointmentId}`);
    expect(cancelAfter.status).toBe(409);
  });

  it('refuses a revoked API key at once', async () => {
    admin = await signIn(hub.url, 'admin'); // a new day: sessions last 12 hours
    const made = await admin.post('/api/v1/admin/api-keys', { name: '官网预约' });
    const web = new Client(hub.url);
    web.token = made.body.key;
    expect((await web.get('/api/v1/appointments/services')).status).toBe(200);
    expect((await admin.post(`/api/v1/admin/api-keys/${made.body.id}/revoke`)).status).toBe(200);
    const refused = await web.get('/api/v1/appointments/services');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('BAD_API_KEY');
    // An API key cannot do anything else: not even read the queue.
    expect((await bank.get('/api/v1/state')).status).toBe(401);
    const list = (await admin.get('/api/v1/admin/api-keys')).body.keys;
    expect(JSON.stringify(list)).not.toContain(made.body.key);
  });

  it('books from the staff page with the same rules, and shows the code and its QR image', async () => {
    const { context, page } = await newPage(browser);
    await signInUi(page, hub.url, 'li.na', '/booking');
    await page.locator('select').first().selectOption('personal');
    await page.locator('input[type=date]').fill('2026-11-25');
    await page.locator('[data-testid=slots] button[data-time="11:00"]').click();
    await page.getByLabel('手机尾号（可选）').fill('12');
    await page.getByRole('button', { name: '预约', exact: true }).click();
    await page.locator('.field-error:text("请填写手机号的后 4 位数字")').waitFor();
    await page.getByLabel('手机尾号（可选）').fill('8888');
    await page.getByLabel('客户称呼（可选）').fill('刘女士');
    await page.getByRole('button', { name: '预约', exact: true }).click();
    await page.locator('[data-testid=booking-done]').waitFor();
    const code = (await page.locator('[data-testid=booking-code]').textContent())!.trim();
    const a = Object.values(hub.hub.view.state.appointments).find((x) => x.code === code)!;
    expect(a).toMatchObject({ serviceId: 'personal', customerName: '刘女士', phoneTail: '8888' });
    expect(a.slotStart).toBe(Date.UTC(2026, 10, 25, 3, 0));
    expect(
      await page.locator('img.qr').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(100);
    // A teller's view has no customers' names, phone tails or codes: the day's list is a manager's.
    await page.locator('[data-testid=booking-list-managers]').waitFor();
    expect(await page.locator('[data-testid=booking-list]').count()).toBe(0);
    await context.close();
    await createStaff(admin, 'zhao.jl', 'manager', [], '赵经理');
    const m = await newPage(browser);
    await signInUi(m.page, hub.url, 'zhao.jl', '/booking');
    await m.page.locator('input[type=date]').fill('2026-11-25');
    await m.page.locator('[data-testid=booking-list] td:text("刘女士 ·8888")').waitFor();
    await m.context.close();
  });
});
