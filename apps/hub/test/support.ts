import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BranchView, emptyView, evolveView } from '@nextup/hub-client';
import type { ClientCommand, LoggedEvent } from '@nextup/protocol';
import pino from 'pino';
import WebSocket from 'ws';
import { ManualClock, type RunningHub, type StartHubOptions, startHub } from '../src/index.ts';

/** Monday 2026-11-23 09:00 in Asia/Shanghai: inside every sample service's hours. */
export const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0);

export function tempDir(prefix = 'nextup-hub-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestHub extends RunningHub {
  clock: ManualClock;
  dir: string;
}

/** A hub on a free port, with a manual clock at Monday 09:00 and a real SQLite file in a temp folder. */
export async function startTestHub(
  options: Partial<StartHubOptions> & { dir?: string; clock?: ManualClock } = {},
): Promise<TestHub> {
  const dir = options.dir ?? tempDir().dir;
  const clock = options.clock ?? new ManualClock(MONDAY_0900);
  const running = await startHub({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    publicUrl: 'http://hub.test:8300',
    logger: pino({ level: 'silent' }),
    offlineAfterSeconds: 1,
    ...options,
    clock,
  });
  return { ...running, clock, dir };
}

/** A tiny HTTP client with a cookie jar and the CSRF header, like a browser signed in. */
export class Client {
  cookie: string | null = null;
  csrf: string | null = null;
  token: string | null = null;
  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    raw?: string,
  ): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = {};
    if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf) headers['x-csrf-token'] = this.csrf;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(this.base + path, {
      method,
      headers,
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /nextup_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `nextup_session=${m[1]}` : null;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  }

  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body?: unknown) {
    return this.request('POST', path, body);
  }
  command(command: ClientCommand, requestId?: string) {
    return this.post('/api/v1/commands', { v: 1, ...(requestId ? { requestId } : {}), command });
  }
}

export const ADMIN_PASSWORD = 'correct horse battery';

/** Creates the first admin through the setup token and returns a signed-in client. */
export async function setUpAdmin(hub: RunningHub): Promise<Client> {
  const c = new Client(hub.url);
  const r = await c.post('/api/v1/setup', {
    token: hub.setupToken,
    username: 'admin',
    displayName: '管理员',
    password: ADMIN_PASSWORD,
  });
  if (r.status !== 200) throw new Error(`setup failed: ${JSON.stringify(r.body)}`);
  c.csrf = r.body.csrfToken;
  return c;
}

export async function signIn(base: string, username: string, password: string): Promise<Client> {
  const c = new Client(base);
  const r = await c.post('/api/v1/session', { username, password });
  if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
  c.csrf = r.body.csrfToken;
  return c;
}

/** An admin creates a teller bound to counters and the teller signs in. */
export async function createTeller(
  hub: RunningHub,
  admin: Client,
  username: string,
  counterIds: string[],
  role: 'teller' | 'manager' = 'teller',
) {
  const r = await admin.post('/api/v1/admin/staff', {
    username,
    displayName: username,
    role,
    password: 'teller-password-1',
    counterIds,
  });
  if (r.status !== 200) throw new Error(`create staff failed: ${JSON.stringify(r.body)}`);
  return signIn(hub.url, username, 'teller-password-1');
}

/** An admin creates a pairing code and a device pairs with it; returns a device client. */
export async function pairDevice(
  hub: RunningHub,
  admin: Client,
  kind: 'kiosk' | 'display' | 'counterTablet',
  name = `${kind} 1`,
) {
  const code = await admin.post('/api/v1/admin/pairing-codes', { kind, name });
  if (code.status !== 200) throw new Error(`pairing code failed: ${JSON.stringify(code.body)}`);
  const c = new Client(hub.url);
  const r = await c.post('/api/v1/devices/pair', { v: 1, code: code.body.code, name });
  if (r.status !== 200) throw new Error(`pairing failed: ${JSON.stringify(r.body)}`);
  c.token = r.body.token;
  return Object.assign(c, { deviceId: r.body.deviceId as string });
}

/** A raw WebSocket subscriber that folds what it receives, for checking resync by hand. */
export function openStream(url: string, auth: { token?: string; cookie?: string }): Promise<WebSocket> {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/stream`, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Collects messages from a socket. */
export function collect(ws: WebSocket): {
  messages: any[];
  next: (pred: (m: any) => boolean, timeoutMs?: number) => Promise<any>;
} {
  const messages: any[] = [];
  const waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  ws.on('message', (d: Buffer) => {
    const m = JSON.parse(d.toString());
    messages.push(m);
    for (const w of [...waiters])
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
  });
  return {
    messages,
    next(pred, timeoutMs = 10_000) {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => reject(new Error('timed out waiting for a message')), timeoutMs).unref();
      });
    },
  };
}

/** Folds a list of logged events from scratch. */
export function foldLogged(events: LoggedEvent[]): BranchView {
  let v = emptyView();
  for (const e of events) v = evolveView(v, e.event, e.seq);
  return v;
}

export async function waitFor(
  pred: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
