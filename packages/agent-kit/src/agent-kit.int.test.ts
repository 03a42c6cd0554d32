import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, type RunningHub, startHub } from '@nextup/hub';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CredentialStore, HubLink, type LinkStatus, pairWithHub, startUiServer } from './index.ts';
import { dropLink } from './testing.ts';

const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0);
let hub: RunningHub;
let dir: string;
let cookie: string;
let csrf: string;

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${hub.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as any;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nextup-agent-'));
  hub = await startHub({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    publicUrl: 'http://hub',
    logger: pino({ level: 'silent' }),
    clock: new ManualClock(MONDAY_0900),
  });
  const res = await fetch(`${hub.url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token: hub.setupToken,
      username: 'admin',
      displayName: 'A',
      password: 'agent-kit-pass',
    }),
  });
  cookie = /nextup_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
});
afterAll(async () => {
  await hub?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a device agent', () => {
  it('pairs with a code, keeps its credentials private, follows the branch, reports health, and stops when revoked', async () => {
    const { code } = await admin('POST', '/api/v1/admin/pairing-codes', {
      kind: 'kiosk',
      name: '大厅取号机',
    });
    const wrong = await pairWithHub(hub.url, code === '000000' ? '000001' : '000000', 'x', 'kiosk');
    expect(wrong).toMatchObject({ ok: false, code: 'BAD_PAIRING_CODE' });
    const paired = await pairWithHub(hub.url, code, '大厅取号机', 'kiosk');
    expect(paired.ok).toBe(true);
    if (!paired.ok) return;
    const store = new CredentialStore(join(dir, 'device', 'credentials.json'));
    store.save(paired.credentials);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(store.load()).toEqual(paired.credentials);

    const statuses: LinkStatus[] = [];
    const link = new HubLink({
      credentials: store.load()!,
      onStatus: (s) => statuses.push(s),
      reconnect: { minMs: 10, maxMs: 50 },
    });
    link.start();
    await expect.poll(() => link.status === 'online', { message: 'online' }).toBeTruthy();
    const r = await link.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    expect(r.ok).toBe(true);
    await expect
      .poll(() => Object.keys(link.view?.state.tickets ?? {}).length === 1, { message: 'ticket in view' })
      .toBeTruthy();

    link.reportHealth({
      components: [
        { component: 'printer', address: null, level: 'ok', code: 'OK', detail: null, since: MONDAY_0900 },
      ],
      version: 'test',
    });
    await expect
      .poll(
        () =>
          hub.hub.view.hub.devices.some(
            (d) => d.deviceId === link.deviceId && d.health?.components[0]?.code === 'OK',
          ),
        { message: 'health at hub' },
      )
      .toBeTruthy();

    // A dropped link comes back by itself.
    dropLink(link);
    await expect
      .poll(() => statuses.includes('offline') && link.status === 'online', { message: 'reconnect' })
      .toBeTruthy();

    await admin('POST', `/api/v1/admin/devices/${link.deviceId}/revoke`);
    await expect.poll(() => link.status === 'revoked', { message: 'revoked' }).toBeTruthy();
    await expect(
      link.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } }),
    ).rejects.toThrow(/revoked/);
  });

  it('says the UI is not built, and serves it once it is, without a restart', async () => {
    const dist = join(dir, 'later-dist');
    const ui = await startUiServer({ distDir: dist });
    try {
      const before = await fetch(`${ui.url}/`);
      expect(before.status).toBe(503);
      expect(await before.text()).toContain('not built');
      mkdirSync(dist, { recursive: true });
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>built later</title>');
      expect(await (await fetch(`${ui.url}/`)).text()).toContain('built later');
      expect(await (await fetch(`${ui.url}/deep/route`)).text()).toContain('built later');
    } finally {
      await ui.close();
    }
  });

  it('serves its UI and pushes state to it', async () => {
    const dist = join(dir, 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>kiosk</title>');
    let state = { n: 1 };
    const ui = await startUiServer({
      distDir: dist,
      initialMessage: () => ({ type: 'state', state }),
      routes: (app) => {
        app.get('/local/ping', async () => ({ ok: true }));
      },
    });
    try {
      expect(await (await fetch(`${ui.url}/`)).text()).toContain('kiosk');
      expect(await (await fetch(`${ui.url}/some/client/route`)).text()).toContain('kiosk');
      expect(await (await fetch(`${ui.url}/local/ping`)).json()).toEqual({ ok: true });
      expect((await fetch(`${ui.url}/local/nope`)).status).toBe(404);
      const ws = new WebSocket(`${ui.url.replace('http', 'ws')}/local/stream`);
      const got: any[] = [];
      ws.on('message', (d: Buffer) => got.push(JSON.parse(d.toString())));
      await new Promise((r) => ws.once('open', r));
      await expect.poll(() => got.length === 1, { message: 'initial state' }).toBeTruthy();
      state = { n: 2 };
      ui.broadcast({ type: 'state', state });
      await expect.poll(() => got.length === 2, { message: 'broadcast' }).toBeTruthy();
      expect(got.map((m) => m.state.n)).toEqual([1, 2]);
      ws.close();
    } finally {
      await ui.close();
    }
  });
});
