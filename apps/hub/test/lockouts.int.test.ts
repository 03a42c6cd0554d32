import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Client,
  pairDevice,
  setUpAdmin,
  startTestHub,
  type TestHub,
} from './support.ts';

/**
 * Issue 15, defects 3 and 8: sign-in and pairing limits that hold against parallel requests, and that
 * an attacker cannot turn against the branch (locking the admin out, or pairing for everyone).
 * Requests come from several loopback addresses (127.0.0.x) so the hub sees several sources.
 */

let hub: TestHub;
let admin: Client;

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
});
afterAll(async () => {
  await hub?.close();
});

/** POSTs JSON from a given local address, as a machine at that address on the LAN would. */
function postFrom(address: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const url = new URL(hub.url + path);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: address,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const login = (from: string, username: string, password: string) =>
  postFrom(from, '/api/v1/session', { username, password });

describe('signing in', () => {
  it('counts an attempt before the password is checked: of 8 parallel wrong passwords at most 5 are checked', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => login('127.0.0.2', 'admin', 'wrong password')),
    );
    const checked = answers.filter((a) => a.status === 401);
    const refused = answers.filter((a) => a.status === 429);
    expect(checked.length + refused.length).toBe(8);
    expect(checked.length).toBeLessThanOrEqual(5);
    for (const a of refused) expect(a.body.error.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('an attacker failing the admin’s password from one address does not lock the admin out from another', async () => {
    for (let i = 0; i < 12; i++) {
      const r = await login('127.0.0.3', 'admin', `guess ${i}`);
      expect([401, 429]).toContain(r.status);
    }
    expect((await login('127.0.0.3', 'admin', ADMIN_PASSWORD)).status).toBe(429);
    const real = await login('127.0.0.4', 'admin', ADMIN_PASSWORD);
    expect(real.status).toBe(200);
    expect(real.body.role).toBe('admin');
  });

  it('backs off: each failure beyond the free ones doubles the wait', async () => {
    const from = '127.0.0.5';
    for (let i = 0; i < 5; i++) expect((await login(from, 'ghost', 'x')).status).toBe(401);
    const first = await login(from, 'ghost', 'x');
    expect(first.status).toBe(429);
    expect(first.body.error.message.en).toMatch(/try again in 30 s/);
    hub.clock.advance(31_000);
    expect((await login(from, 'ghost', 'x')).status).toBe(401);
    const second = await login(from, 'ghost', 'x');
    expect(second.status).toBe(429);
    expect(second.body.error.message.en).toMatch(/try again in 60 s/);
  });
});

describe('pairing', () => {
  it('wrong codes from many addresses do not block pairing for the whole hub', async () => {
    const code = (await admin.post('/api/v1/admin/pairing-codes', { kind: 'kiosk', name: 'K' })).body
      .code as string;
    const wrong = code === '000000' ? '000001' : '000000';
    for (let a = 10; a < 18; a++)
      for (let i = 0; i < 5; i++)
        expect(
          (await postFrom(`127.0.0.${a}`, '/api/v1/devices/pair', { v: 1, code: wrong, name: 'K' })).status,
        ).toBe(403);
    const ok = await postFrom('127.0.0.30', '/api/v1/devices/pair', { v: 1, code, name: 'K' });
    expect(ok.status).toBe(200);
  });

  it('a guesser blocks only itself, for longer with each further guess', async () => {
    const from = '127.0.0.40';
    for (let i = 0; i < 5; i++)
      expect((await postFrom(from, '/api/v1/devices/pair', { v: 1, code: '123450', name: 'x' })).status).toBe(
        403,
      );
    const blocked = await postFrom(from, '/api/v1/devices/pair', { v: 1, code: '123450', name: 'x' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message.en).toMatch(/try again in 60 s/);
    // Another box pairs meanwhile.
    const other = await pairDevice(hub, admin, 'display', 'TV');
    expect(other.deviceId).toMatch(/^d-/);
    hub.clock.advance(61_000);
    expect((await postFrom(from, '/api/v1/devices/pair', { v: 1, code: '123450', name: 'x' })).status).toBe(
      403,
    );
    const longer = await postFrom(from, '/api/v1/devices/pair', { v: 1, code: '123450', name: 'x' });
    expect(longer.status).toBe(429);
    expect(longer.body.error.message.en).toMatch(/try again in 120 s/);
  });
});
