/**
 * `@nextup/hub/testing` — helpers for tests that run against a real hub: a hub on a free port with a
 * manual clock and a real SQLite file in a temp folder, an HTTP client signed in like a browser or a
 * paired device, the first admin, staff, pairing, and polling for a condition. Shared by the hub's own
 * tests and the console, display and kiosk tests.
 *
 * For tests only: no product code imports this. It imports no test runner, so any test (or a script
 * that drives a hub) can use it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SocketConstructor } from '@nextup/hub-client';
import type { ClientCommand } from '@nextup/protocol';
import pino from 'pino';
import WebSocket from 'ws';
import { ManualClock, type RunningHub, type StartHubOptions, startHub } from './index.ts';

/** Monday 2026-11-23 09:00 in Asia/Shanghai: inside every sample service's hours. */
export const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0);

/** The password of the first admin, and of every staff account `createStaff` makes unless told. */
export const ADMIN_PASSWORD = 'correct horse battery';

/** The public URL every test hub announces (it goes into the QR codes): never resolved. */
export const TEST_PUBLIC_URL = 'http://hub.test:8300';

/**
 * `ws`'s WebSocket with these headers on every upgrade (a device's bearer token, a staff cookie): the
 * constructor a `HubSubscriber` in a test or a bench opens the hub's stream with.
 */
export function webSocketWithHeaders(headers: Record<string, string>): SocketConstructor {
  return class WebSocketWithHeaders extends WebSocket {
    constructor(url: string) {
      super(url, { headers });
    }
  };
}

/** A fresh temporary folder and a function that removes it. */
export function tempDir(prefix = 'nextup-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestHub extends RunningHub {
  clock: ManualClock;
  /** The data folder (`hub.sqlite` inside). */
  dir: string;
}

export interface StartTestHubOptions extends Partial<StartHubOptions> {
  /**
   * The data folder. Default a fresh temp folder that `close()` removes; a folder given here is left
   * in place (a test that restarts a hub on the same data removes it itself).
   */
  dir?: string;
  /** The hub's clock. Default a `ManualClock` at `at`. */
  clock?: ManualClock;
  /** Where a default clock starts, ms. Default {@link MONDAY_0900}. */
  at?: number;
}

/**
 * A real hub on a free port of 127.0.0.1 (`port` to choose one), with a manual clock at Monday 09:00,
 * a silent logger, devices offline after 1 s without a link, and `options` passed on to `startHub`.
 */
export async function startTestHub(options: StartTestHubOptions = {}): Promise<TestHub> {
  const { dir: given, clock: givenClock, at, ...hubOptions } = options;
  const owned = given === undefined ? tempDir('nextup-hub-') : null;
  const dir = given ?? owned!.dir;
  const clock = givenClock ?? new ManualClock(at ?? MONDAY_0900);
  const running = await startHub({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    publicUrl: TEST_PUBLIC_URL,
    logger: pino({ level: 'silent' }),
    offlineAfterSeconds: 1,
    ...hubOptions,
    clock,
  });
  const close = running.close.bind(running);
  return {
    ...running,
    clock,
    dir,
    async close() {
      await close();
      owned?.remove();
    },
  };
}

/** A response body as the tests read it: parsed JSON, or the text when it is not JSON. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies ad hoc and assert on them.
export type Body = any;

/** A small HTTP client with a cookie jar and the CSRF header (a signed-in browser), or a bearer token (a device, an API key). */
export class Client {
  cookie: string | null = null;
  csrf: string | null = null;
  token: string | null = null;
  constructor(readonly base: string) {}

  /**
   * `options.raw` is sent as the JSON body as it is (malformed on purpose, say) instead of `body`;
   * `options.headers` are added to the request (an `idempotency-key`, say).
   */
  async request(
    method: string,
    path: string,
    body?: unknown,
    options: { raw?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: Body; headers: Headers }> {
    const { raw } = options;
    const headers: Record<string, string> = { ...options.headers };
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
    const m = setCookie ? /nextup_session=([^;]*)/.exec(setCookie) : null;
    if (m) this.cookie = m[1] ? `nextup_session=${m[1]}` : null;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, { headers });
  }
  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body, { headers });
  }
  command(command: ClientCommand, requestId?: string) {
    return this.post('/api/v1/commands', { v: 1, ...(requestId ? { requestId } : {}), command });
  }
  /** A command that must be accepted: resolves to the hub's answer, throws on a refusal. */
  async must(command: ClientCommand): Promise<Body> {
    const r = await this.command(command);
    if (r.status !== 200) throw new Error(`${command.type} refused: ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

/**
 * Creates the first admin (`admin` / {@link ADMIN_PASSWORD}) with the setup token and returns it
 * signed in: a new `Client`, or `options.client` (a subclass with more helpers) filled in.
 */
export async function setUpAdmin<C extends Client = Client>(
  hub: Pick<RunningHub, 'url' | 'setupToken'>,
  options: {
    /** The admin's name as the consoles show it. Default '王工'. */
    displayName?: string;
    /** The client to sign in. Default a new `Client` on `hub.url`. */
    client?: C;
  } = {},
): Promise<C> {
  const c = options.client ?? (new Client(hub.url) as C);
  const r = await c.post('/api/v1/setup', {
    token: hub.setupToken,
    username: 'admin',
    displayName: options.displayName ?? '王工',
    password: ADMIN_PASSWORD,
  });
  if (r.status !== 200) throw new Error(`setup failed: ${JSON.stringify(r.body)}`);
  c.csrf = r.body.csrfToken;
  return c;
}

/** Signs a staff member in; `password` defaults to {@link ADMIN_PASSWORD}, which `createStaff` gives everyone. */
export async function signIn(base: string, username: string, password = ADMIN_PASSWORD): Promise<Client> {
  const c = new Client(base);
  const r = await c.post('/api/v1/session', { username, password });
  if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
  c.csrf = r.body.csrfToken;
  return c;
}

/** An admin creates a staff account (password {@link ADMIN_PASSWORD}) bound to counters. */
export async function createStaff(
  admin: Client,
  username: string,
  role: 'teller' | 'manager' | 'admin',
  counterIds: string[] = [],
  displayName = username,
): Promise<void> {
  const r = await admin.post('/api/v1/admin/staff', {
    username,
    displayName,
    role,
    password: ADMIN_PASSWORD,
    counterIds,
  });
  if (r.status !== 200) throw new Error(`create staff failed: ${JSON.stringify(r.body)}`);
}

export type DeviceKind = 'kiosk' | 'display' | 'counterTablet';

/** An admin creates a six-digit pairing code for a device of `kind`. */
export async function pairingCode(admin: Client, kind: DeviceKind, name = `${kind} 1`): Promise<string> {
  const r = await admin.post('/api/v1/admin/pairing-codes', { kind, name });
  if (r.status !== 200) throw new Error(`pairing code failed: ${JSON.stringify(r.body)}`);
  return r.body.code as string;
}

/** An admin creates a pairing code and a device pairs with it; returns the device's client. */
export async function pairDevice(
  hub: Pick<RunningHub, 'url'>,
  admin: Client,
  kind: DeviceKind,
  name = `${kind} 1`,
): Promise<Client & { deviceId: string }> {
  const code = await pairingCode(admin, kind, name);
  const c = new Client(hub.url);
  const r = await c.post('/api/v1/devices/pair', { v: 1, code, name });
  if (r.status !== 200) throw new Error(`pairing failed: ${JSON.stringify(r.body)}`);
  c.token = r.body.token;
  return Object.assign(c, { deviceId: r.body.deviceId as string });
}

/**
 * Launch options for headless Chromium as the browser tests use it (`chromium.launch(...)` in
 * playwright-core): the system's Chromium, no sandbox, no GPU, no background traffic; `extraArgs`
 * after those (the display adds its autoplay policy).
 */
export function chromiumLaunchOptions(extraArgs: readonly string[] = []): {
  executablePath: string;
  headless: boolean;
  args: string[];
} {
  return {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...extraArgs,
    ],
  };
}
