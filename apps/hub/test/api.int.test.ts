import { waitWords } from '@nextup/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  ADMIN_PASSWORD,
  Client,
  collect,
  createTeller,
  openStream,
  pairDevice,
  setUpAdmin,
  signIn,
  startTestHub,
  type TestHub,
} from './support.ts';

let hub: TestHub;
let admin: Client;
let teller: Client;
let kiosk: Client & { deviceId: string };
let display: Client & { deviceId: string };

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
  teller = await createTeller(hub, admin, 'li.na', ['c1']);
  kiosk = await pairDevice(hub, admin, 'kiosk');
  display = await pairDevice(hub, admin, 'display');
  // The display's bus hosts the keypads it relays (every counter's, as no counters are listed).
  await admin.request('PUT', `/api/v1/admin/devices/${display.deviceId}/settings`, {
    settings: {
      kind: 'display',
      bus: { port: '/dev/ttyUSB0', baud: 9600, dialect: 'v1' },
      mainBoards: [200],
      voice: { languages: ['zh'], repeat: 1 },
      counters: [],
    },
  });
  await admin.command({ type: 'OpenCounter', data: { counterId: 'c1' } });
});
afterAll(async () => {
  await hub?.close();
});

describe('first run', () => {
  it('has no default password: the admin is created once with the setup token from the log', async () => {
    const again = await new Client(hub.url).post('/api/v1/setup', {
      token: 'x'.repeat(24),
      username: 'evil',
      displayName: 'x',
      password: 'another-password',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_SET_UP');
    expect((await new Client(hub.url).get('/api/v1/health')).body.needsSetup).toBe(false);
  });

  it('refuses a wrong setup token on a fresh hub', async () => {
    const fresh = await startTestHub();
    try {
      const r = await new Client(fresh.url).post('/api/v1/setup', {
        token: 'w'.repeat(24),
        username: 'a',
        displayName: 'A',
        password: 'long-enough-pw',
      });
      expect(r.status).toBe(400); // username too short: the schema answers first
      const r2 = await new Client(fresh.url).post('/api/v1/setup', {
        token: 'w'.repeat(24),
        username: 'admin',
        displayName: 'A',
        password: 'long-enough-pw',
      });
      expect(r2.status).toBe(403);
      expect(r2.body.error.code).toBe('BAD_SETUP_TOKEN');
      expect(fresh.setupToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    } finally {
      await fresh.close();
    }
  });
});

describe('staff sessions', () => {
  it('signs in with an httpOnly SameSite=Strict cookie and a CSRF token', async () => {
    const res = await fetch(`${hub.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/nextup_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    // A browser-session cookie: the session's expiry lives on the hub and is judged by the hub's
    // clock; an absolute date from it would be judged by the browser's (and the test hub's clock is
    // at a fixed date in 2026).
    expect(cookie).not.toMatch(/Expires=|Max-Age=/i);
    const body = (await res.json()) as { csrfToken: string };
    expect(body).toMatchObject({ username: 'admin', role: 'admin' });
    expect(body.csrfToken).toBeTruthy();
  });

  it('refuses a state change with the cookie but without the CSRF header', async () => {
    const c = new Client(hub.url);
    c.cookie = admin.cookie;
    const before = hub.hub.head;
    const r = await c.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    expect(r.status).toBe(401);
    expect(hub.hub.head).toBe(before);
  });

  it('refuses a wrong password, and locks a username after repeated failures', async () => {
    const c = new Client(hub.url);
    const r = await c.post('/api/v1/session', { username: 'admin', password: 'wrong' });
    expect(r.status).toBe(401);
    expect(r.body.error.message.zh).toBe('用户名或密码不正确');
    for (let i = 0; i < 5; i++) await c.post('/api/v1/session', { username: 'ghost', password: 'wrong' });
    const locked = await c.post('/api/v1/session', { username: 'ghost', password: 'wrong' });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('records sign-ins as audited events', async () => {
    const events = (await admin.get('/api/v1/events?after=0&limit=1000')).body.events as any[];
    const signIns = events.filter((e) => e.event.type === 'StaffSignedIn');
    expect(signIns.length).toBeGreaterThan(0);
    expect(signIns[0].actor.kind).toBe('staff');
  });
});

describe('rights', () => {
  it('a logged-out client sees nothing of the queue', async () => {
    const anon = new Client(hub.url);
    for (const path of [
      '/api/v1/state',
      '/api/v1/events',
      '/api/v1/offers',
      '/api/v1/admin/devices',
      '/api/v1/admin/staff',
    ]) {
      const r = await anon.get(path);
      expect(r.status, path).toBe(401);
      expect(JSON.stringify(r.body)).not.toMatch(/A00|cash/);
    }
    const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/api/v1/stream`);
    const got = collect(ws);
    const err = await got.next((m) => m.type === 'error');
    expect(err.code).toBe('UNAUTHENTICATED');
    await new Promise((r) => ws.once('close', r));
  });

  it('a teller cannot open admin endpoints or change the configuration', async () => {
    expect((await teller.get('/api/v1/admin/staff')).status).toBe(403);
    expect((await teller.post('/api/v1/admin/pairing-codes', { kind: 'kiosk', name: 'x' })).status).toBe(403);
    const r = await teller.command({ type: 'RemoveService', data: { serviceId: 'wealth' } });
    expect(r.status).toBe(403);
    expect(r.body.error.message.en).toMatch(/IT admin/);
  });

  it('a teller acts only on their own counter', async () => {
    const r = await teller.command({ type: 'OpenCounter', data: { counterId: 'c2' } });
    expect(r.status).toBe(403);
  });

  it('a display cannot issue tickets and a kiosk cannot call', async () => {
    const before = hub.hub.head;
    const d = await display.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    expect(d.status).toBe(403);
    const k = await kiosk.command({ type: 'CallNext', data: { counterId: 'c1' } });
    expect(k.status).toBe(403);
    const vip = await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'vip' } });
    expect(vip.status).toBe(403);
    expect(hub.hub.head).toBe(before);
  });

  it('a kiosk issues a ticket with an unguessable id and a follow address; a display relays a keypad call', async () => {
    const r = await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    expect(r.status).toBe(200);
    expect(r.body.ticket.number).toMatch(/^A\d{3}$/);
    expect(r.body.ticket.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(r.body.ticket.followUrl).toBe(`http://hub.test:8300/t/${r.body.ticket.id}`);
    expect(r.body.ticket.estimate.countersOpen).toBeGreaterThan(0);
    const call = await display.command({ type: 'CallNext', data: { counterId: 'c1' } });
    expect(call.status).toBe(200);
    expect(call.body.events.at(-1).event.type).toBe('TicketCalled');
    expect(call.body.events.at(-1).actor).toEqual({ kind: 'device', id: display.deviceId });
  });

  it('a kiosk voids only its own ticket, and only as a failed print', async () => {
    const mine = await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    const staffs = await teller.command({
      type: 'IssueTicket',
      data: { serviceId: 'cash', class: 'normal' },
    });
    expect(
      (
        await kiosk.command({
          type: 'CancelTicket',
          data: { ticketId: staffs.body.ticket.id, reason: 'printFailed' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await kiosk.command({
          type: 'CancelTicket',
          data: { ticketId: mine.body.ticket.id, reason: 'customerLeft' },
        })
      ).status,
    ).toBe(403);
    const ok = await kiosk.command({
      type: 'CancelTicket',
      data: { ticketId: mine.body.ticket.id, reason: 'printFailed' },
    });
    expect(ok.status).toBe(200);
  });

  it('answers a refused domain command with its code and both languages, changing nothing', async () => {
    const before = hub.hub.head;
    const r = await teller.command({ type: 'CallTicket', data: { counterId: 'c1', number: 'Z999' } });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ kind: 'domain' });
    expect(r.body.error.message.zh).toBeTruthy();
    expect(r.body.error.message.en).toBeTruthy();
    expect(hub.hub.head).toBe(before);
  });
});

describe('idempotent commands', () => {
  it('a retried request id gets the first answer and issues no second ticket', async () => {
    const first = await kiosk.command(
      { type: 'IssueTicket', data: { serviceId: 'personal', class: 'normal' } },
      'kiosk-req-0001',
    );
    const head = hub.hub.head;
    const again = await kiosk.command(
      { type: 'IssueTicket', data: { serviceId: 'personal', class: 'normal' } },
      'kiosk-req-0001',
    );
    expect(again.body).toEqual(first.body);
    expect(hub.hub.head).toBe(head);
  });
});

describe('device pairing', () => {
  it('a pairing code is single use', async () => {
    const code = (await admin.post('/api/v1/admin/pairing-codes', { kind: 'kiosk', name: 'K2' })).body.code;
    expect(code).toMatch(/^\d{6}$/);
    const a = await new Client(hub.url).post('/api/v1/devices/pair', { v: 1, code, name: 'K2' });
    expect(a.status).toBe(200);
    const b = await new Client(hub.url).post('/api/v1/devices/pair', { v: 1, code, name: 'K3' });
    expect(b.status).toBe(403);
    expect(b.body.error.code).toBe('PAIRING_CODE_USED');
  });

  it('an expired pairing code is refused', async () => {
    const code = (await admin.post('/api/v1/admin/pairing-codes', { kind: 'display', name: 'TV' })).body.code;
    hub.clock.advance(11 * 60_000);
    try {
      const r = await new Client(hub.url).post('/api/v1/devices/pair', { v: 1, code, name: 'TV' });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('PAIRING_CODE_EXPIRED');
    } finally {
      hub.clock.advance(-11 * 60_000);
    }
  });

  it('limits guessing: after 5 wrong codes from one address, even a right code waits', async () => {
    const fresh = await startTestHub();
    try {
      const a = await setUpAdmin(fresh);
      const code = (await a.post('/api/v1/admin/pairing-codes', { kind: 'kiosk', name: 'K' })).body
        .code as string;
      const wrong = code === '000000' ? '000001' : '000000';
      for (let i = 0; i < 5; i++)
        expect(
          (await new Client(fresh.url).post('/api/v1/devices/pair', { v: 1, code: wrong, name: 'K' })).status,
        ).toBe(403);
      const limited = await new Client(fresh.url).post('/api/v1/devices/pair', { v: 1, code, name: 'K' });
      expect(limited.status).toBe(429);
      fresh.clock.advance(61_000);
      expect(
        (await new Client(fresh.url).post('/api/v1/devices/pair', { v: 1, code, name: 'K' })).status,
      ).toBe(200);
    } finally {
      await fresh.close();
    }
  });

  it('a revoked device is refused at once, and its stream is closed', async () => {
    const k = await pairDevice(hub, admin, 'kiosk', 'to revoke');
    const ws = await openStream(hub.url, { token: k.token! });
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const rev = await admin.post(`/api/v1/admin/devices/${k.deviceId}/revoke`);
    expect(rev.status).toBe(200);
    expect(await closed).toBe(4401);
    const r = await k.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    expect(r.status).toBe(401);
    const devices = (await admin.get('/api/v1/admin/devices')).body.devices as any[];
    expect(devices.find((d) => d.deviceId === k.deviceId).revoked).toBe(true);
  });

  it('lets the admin set a device’s settings, which reach the device with the branch view', async () => {
    const settings = {
      kind: 'kiosk',
      printer: { url: 'tcp://10.1.2.3:9100', paperWidth: 58, chinese: 'raster', qr: 'native' },
      idleSeconds: 30,
      services: ['cash'],
    };
    expect(
      (await teller.request('PUT', `/api/v1/admin/devices/${kiosk.deviceId}/settings`, { settings })).status,
    ).toBe(403);
    const wrongKind = {
      kind: 'display',
      bus: null,
      mainBoards: [200],
      voice: { languages: ['zh'], repeat: 1 },
      counters: [],
    };
    expect(
      (
        await admin.request('PUT', `/api/v1/admin/devices/${kiosk.deviceId}/settings`, {
          settings: wrongKind,
        })
      ).body.error.code,
    ).toBe('WRONG_DEVICE_KIND');
    expect(
      (
        await admin.request('PUT', `/api/v1/admin/devices/${kiosk.deviceId}/settings`, {
          settings: { ...settings, idleSeconds: 1 },
        })
      ).status,
    ).toBe(400);
    expect(
      (await admin.request('PUT', `/api/v1/admin/devices/${kiosk.deviceId}/settings`, { settings })).status,
    ).toBe(200);
    const me = await kiosk.get('/api/v1/devices/me');
    expect(me.body.info.settings).toEqual(settings);
    const fresh = hub.hub.view.hub.devices.find((d) => d.deviceId === display.deviceId)!;
    expect(fresh.settings).toMatchObject({ kind: 'display', mainBoards: [200] });
  });

  it('keeps reported health as events and serves it; a repeat of the same health adds nothing', async () => {
    const health = {
      components: [
        {
          component: 'printer',
          address: null,
          level: 'error',
          code: 'PAPER_OUT',
          detail: null,
          since: hub.clock.now(),
        },
      ],
      version: '0.1.0',
    };
    expect((await kiosk.post('/api/v1/devices/health', { v: 1, health })).status).toBe(200);
    const head = hub.hub.head;
    expect((await kiosk.post('/api/v1/devices/health', { v: 1, health })).status).toBe(200);
    expect(hub.hub.head).toBe(head);
    const devices = (await admin.get('/api/v1/admin/devices')).body.devices as any[];
    expect(devices.find((d) => d.deviceId === kiosk.deviceId).health.components[0].code).toBe('PAPER_OUT');
    expect(
      (await display.post('/api/v1/devices/health', { v: 1, health: { components: 'nope', version: '1' } }))
        .status,
    ).toBe(400);
  });
});

describe('bad input changes nothing and leaves others unaffected', () => {
  const cases: [string, string, number, string][] = [
    ['malformed JSON', '{"v":1,"command":', 400, 'MALFORMED_JSON'],
    [
      'a wrong schema',
      JSON.stringify({ v: 1, command: { type: 'IssueTicket', data: { serviceId: 7 } } }),
      400,
      'INVALID_MESSAGE',
    ],
    [
      'an unknown type',
      JSON.stringify({ v: 1, command: { type: 'DropEverything', data: {} } }),
      400,
      'INVALID_MESSAGE',
    ],
    [
      'a 10 MB message',
      JSON.stringify({ v: 1, pad: 'x'.repeat(10 * 1024 * 1024) }),
      413,
      'MESSAGE_TOO_LARGE',
    ],
    ['an empty body', '', 400, 'EMPTY_BODY'],
  ];
  it.each(cases)('%s', async (_name, raw, status, code) => {
    const watcher = await openStream(hub.url, { token: display.token! });
    const seen = collect(watcher);
    watcher.send(JSON.stringify({ v: 1, type: 'subscribe', lastSeq: hub.hub.head }));
    await seen.next((m) => m.type === 'events');
    const before = hub.hub.head;
    const r = await kiosk.request('POST', '/api/v1/commands', undefined, { raw });
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message.en).toBeTruthy();
    expect(hub.hub.head).toBe(before);
    // The same client can carry on, and the other subscriber still gets events.
    const ok = await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    expect(ok.status).toBe(200);
    await seen.next((m) => m.type === 'events' && m.events.some((e: any) => e.event.type === 'TicketIssued'));
    watcher.close();
  });

  it('a bad WebSocket message gets an error and the connection stays usable', async () => {
    const ws = await openStream(hub.url, { token: display.token! });
    const got = collect(ws);
    ws.send('{not json');
    expect((await got.next((m) => m.type === 'error')).code).toBe('MALFORMED_JSON');
    ws.send(JSON.stringify({ v: 1, type: 'teleport' }));
    expect(
      (await got.next((m) => m.type === 'error' && m.code === 'INVALID_MESSAGE')).message.en,
    ).toBeTruthy();
    ws.send('x'.repeat(200 * 1024));
    expect((await got.next((m) => m.type === 'error' && m.code === 'MESSAGE_TOO_LARGE')).code).toBe(
      'MESSAGE_TOO_LARGE',
    );
    ws.send(JSON.stringify({ v: 1, type: 'ping', t: 1 }));
    expect((await got.next((m) => m.type === 'pong')).t).toBe(1);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});

describe('one figure everywhere', () => {
  it('prints on the ticket the very figure and words the kiosk showed, and the phone shows them too', async () => {
    await admin.command({ type: 'OpenCounter', data: { counterId: 'c2' } }).catch(() => undefined);
    for (let i = 0; i < 3; i++)
      await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    hub.clock.advance(30_000);
    const offers = (await kiosk.get('/api/v1/offers')).body.offers as any[];
    const cash = offers.find((o) => o.service.id === 'cash');
    expect(cash.class).toBe('normal');
    expect(cash.byClass.normal.estimate).toEqual(cash.estimate);
    expect(cash.words).toEqual(waitWords(cash.estimate));
    const r = await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    expect(r.body.ticket.estimate).toEqual(cash.estimate);
    const follow = await new Client(hub.url).get(`/api/v1/follow/${r.body.ticket.id}`);
    expect(follow.body.estimate).toEqual(cash.estimate);
    expect(follow.body.words).toEqual(cash.words);
  });
});

describe('the follow page', () => {
  it('shows that one ticket, its place and, once called, the counter; nothing else of the queue', async () => {
    const r = await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'business', class: 'normal' } });
    const id = r.body.ticket.id as string;
    const anon = new Client(hub.url);
    const before = await anon.get(`/api/v1/follow/${id}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ number: r.body.ticket.number, status: 'waiting', counter: null });
    expect(Object.keys(before.body).sort()).toEqual(
      [
        'ahead',
        'branch',
        'calledAt',
        'counter',
        'estimate',
        'issuedAt',
        'number',
        'serverTime',
        'service',
        'status',
        'words',
      ].sort(),
    );
    // The phone reads the estimate in the same words as the kiosk and the ticket.
    expect(before.body.words).toEqual(waitWords(before.body.estimate));
    expect(before.body.words.ahead.en).toBe('Nobody ahead of you');
    await admin.command({ type: 'OpenCounter', data: { counterId: 'c4' } });
    await admin.command({ type: 'CallNext', data: { counterId: 'c4' } });
    const after = await anon.get(`/api/v1/follow/${id}`);
    expect(after.body).toMatchObject({ status: 'called', counter: { number: 4 } });
    expect((await anon.get('/api/v1/follow/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    const page = await fetch(`${hub.url}/t/${id}`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/api/v1/follow/');
  });
});

describe('signing out', () => {
  it('ends the session', async () => {
    const c = await signIn(hub.url, 'admin', ADMIN_PASSWORD);
    expect((await c.get('/api/v1/state')).status).toBe(200);
    expect((await c.request('DELETE', '/api/v1/session')).status).toBe(200);
    expect((await c.get('/api/v1/state')).status).toBe(401);
  });
});
