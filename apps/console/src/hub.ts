import type { Bilingual } from '@nextup/core';
import { type HubAnswer, HubHttp, HubSubscriber } from '@nextup/hub-client';
import type { BranchView } from '@nextup/hub-view';
import {
  type AnySchema,
  type ApiKeyInfo,
  apiKeyCreatedResponse,
  apiKeyListResponse,
  apiKeyRevokedResponse,
  type BookingResponse,
  bookingCancelledResponse,
  bookingResponse,
  type ClientCommand,
  type CommandAccepted,
  type DailyReportResponse,
  type DeskIssueRequest,
  type DeviceInfo,
  type DeviceSettings,
  dailyReportResponse,
  deskIssueResponse,
  deskTicketsResponse,
  deviceListResponse,
  deviceRenamedResponse,
  type ErrorBody,
  healthResponse,
  okResponse,
  pairingCode,
  type SchemaOutput,
  type SessionInfo,
  type SlotsResponse,
  type StaffAccount,
  sessionInfo,
  slotsResponse,
  staffCreatedResponse,
  staffListResponse,
} from '@nextup/protocol';

/**
 * Everything the consoles say to the hub goes through this module: the staff session (cookie +
 * CSRF), commands, the admin and report endpoints, the booking API, and the live branch view kept in
 * step by a `HubSubscriber` over the WebSocket. Components never call `fetch` themselves.
 */

export type HubError = ErrorBody['error'];
export type Result<T> = { ok: true; value: T } | { ok: false; status: number; error: HubError };

/** A request that got no usable answer: the hub unreachable, or an answer its schema does not describe. */
function failure(e: Error & { code?: string }): HubError {
  if (e.code === 'HUB_BAD_RESPONSE')
    return {
      kind: 'internal',
      code: 'HUB_BAD_RESPONSE',
      message: {
        zh: '服务器的回答无法识别（版本不符？）',
        en: 'The hub’s answer was not understood (a different version?)',
      },
      detail: e.message,
    };
  return unreachable(e.message);
}

const unreachable = (detail: string): HubError => ({
  kind: 'unavailable',
  code: 'HUB_UNREACHABLE',
  message: { zh: '无法连接服务器，请检查网络', en: 'Cannot reach the hub; check the network' },
  detail,
});

function isErrorBody(x: unknown): x is ErrorBody {
  return typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false && 'error' in x;
}

type Listener = () => void;

export interface LiveState {
  view: BranchView | null;
  connected: boolean;
}

export class Hub {
  readonly #base: string;
  readonly #http: HubHttp;
  #session: SessionInfo | null = null;
  #subscriber: HubSubscriber | null = null;
  #live: LiveState = { view: null, connected: false };
  #lastEventAt = 0;
  #offset = 0;
  /**
   * Whether the offset to the hub's clock is known. Until it is, the live view is held back: every
   * page computes waits, elapsed times and "today" with {@link now}, and the PC's own clock may be
   * hours (or, on a hub without NTP, months) from the hub's.
   */
  #clockSynced = false;
  #pendingView: BranchView | null = null;
  #syncRetry: ReturnType<typeof setTimeout> | null = null;
  #offsetTimer: ReturnType<typeof setInterval> | null = null;
  readonly #listeners = new Set<Listener>();
  /** Called when the hub says the session is gone (expired, signed out elsewhere, account disabled). */
  onSignedOut: () => void = () => {};

  constructor(base = '') {
    this.#base = base;
    this.#http = new HubHttp({ baseUrl: base, timeoutMs: 10_000 });
  }

  get session(): SessionInfo | null {
    return this.#session;
  }

  // ── the live view ──

  subscribe = (l: Listener): (() => void) => {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  };
  getLive = (): LiveState => this.#live;

  #emit() {
    for (const l of [...this.#listeners]) l();
  }

  /** The hub's clock: the consoles compute waits and queues at the hub's time, not the PC's. */
  now(): number {
    return Math.max(Date.now() + this.#offset, this.#lastEventAt);
  }

  async #syncClock() {
    const t0 = Date.now();
    const r = await this.get(healthResponse, '/api/v1/health');
    const t1 = Date.now();
    if (!this.#subscriber) return;
    if (!r.ok) {
      // Not synced yet: try again soon rather than at the next minute's resync.
      if (!this.#clockSynced) this.#syncRetry = setTimeout(() => void this.#syncClock(), 2_000);
      return;
    }
    this.#offset = r.value.time - (t0 + t1) / 2;
    if (!this.#clockSynced) {
      this.#clockSynced = true;
      if (this.#pendingView) {
        this.#live = { ...this.#live, view: this.#pendingView };
        this.#emit();
      }
    }
  }

  #startLive() {
    this.#stopLive();
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${proto}://${location.host}${this.#base}/api/v1/stream`;
    this.#subscriber = new HubSubscriber({
      url,
      WebSocket,
      onChange: (view, applied) => {
        for (const e of applied) {
          const at = (e.event.data as { at?: number }).at;
          if (typeof at === 'number' && at > this.#lastEventAt) this.#lastEventAt = at;
        }
        this.#pendingView = view;
        if (!this.#clockSynced) return;
        this.#live = { ...this.#live, view };
        this.#emit();
      },
      onStatus: (connected) => {
        this.#live = { ...this.#live, connected };
        this.#emit();
        // A closed stream may mean the session ended: ask, and go to sign-in if so.
        if (!connected && this.#session) void this.#checkSession();
      },
    });
    this.#subscriber.start();
    void this.#syncClock();
    this.#offsetTimer = setInterval(() => void this.#syncClock(), 60_000);
  }

  #stopLive() {
    this.#subscriber?.stop();
    this.#subscriber = null;
    if (this.#offsetTimer) clearInterval(this.#offsetTimer);
    this.#offsetTimer = null;
    if (this.#syncRetry) clearTimeout(this.#syncRetry);
    this.#syncRetry = null;
    this.#clockSynced = false;
    this.#pendingView = null;
    this.#live = { view: null, connected: false };
    this.#emit();
  }

  async #checkSession() {
    const r = await this.get(sessionInfo, '/api/v1/session');
    if (!r.ok && r.status === 401) this.#signedOut();
  }

  #signedOut() {
    this.#session = null;
    this.#http.setCsrfToken(undefined);
    this.#stopLive();
    this.onSignedOut();
  }

  // ── session ──

  /** Resumes a session from the cookie, if there is one. */
  async restore(): Promise<SessionInfo | null> {
    const r = await this.get(sessionInfo, '/api/v1/session');
    if (!r.ok) return null;
    this.#begin(r.value);
    return r.value;
  }

  async login(username: string, password: string): Promise<Result<SessionInfo>> {
    const r = await this.send(sessionInfo, 'POST', '/api/v1/session', { username, password });
    if (r.ok) this.#begin(r.value);
    return r;
  }

  #begin(s: SessionInfo) {
    this.#session = s;
    this.#http.setCsrfToken(s.csrfToken);
    this.#startLive();
    this.#emit();
  }

  async logout(): Promise<void> {
    await this.send(okResponse, 'DELETE', '/api/v1/session');
    this.#session = null;
    this.#http.setCsrfToken(undefined);
    this.#stopLive();
  }

  // ── requests ──

  /**
   * GETs `path` and parses the answer with its `@nextup/protocol` schema: an answer that does not
   * match is an error (`HUB_BAD_RESPONSE`), never a value typed by hand.
   */
  async get<S extends AnySchema>(schema: S, path: string): Promise<Result<SchemaOutput<S>>> {
    try {
      return this.#result(await this.#http.getJson(schema, path));
    } catch (e) {
      return { ok: false, status: 0, error: failure(e as Error) };
    }
  }

  async send<S extends AnySchema>(
    schema: S,
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<Result<SchemaOutput<S>>> {
    try {
      return this.#result(await this.#http.sendJson(schema, method, path, body));
    } catch (e) {
      return { ok: false, status: 0, error: failure(e as Error) };
    }
  }

  #result<T>(r: HubAnswer<T>): Result<T> {
    if (r.ok) return { ok: true, value: r.value };
    const { status, body } = r;
    if (isErrorBody(body)) {
      if (status === 401 && this.#session) this.#signedOut();
      return { ok: false, status, error: body.error };
    }
    return {
      ok: false,
      status,
      error: {
        kind: 'internal',
        code: `HTTP_${status}`,
        message: { zh: `服务器返回 ${status}`, en: `The hub answered ${status}` },
      },
    };
  }

  /** Sends a command; safe to retry (the request id makes the hub do it once). */
  async command(command: ClientCommand): Promise<Result<CommandAccepted>> {
    try {
      const r = await this.#http.command(command);
      if (r.ok) return { ok: true, value: r };
      const status = r.error.kind === 'domain' ? 409 : r.error.kind === 'auth' ? 401 : 400;
      if (status === 401 && this.#session) this.#signedOut();
      return { ok: false, status, error: r.error };
    } catch (e) {
      return { ok: false, status: 0, error: unreachable((e as Error).message) };
    }
  }

  // ── admin ──

  devices() {
    return this.get(deviceListResponse, '/api/v1/admin/devices');
  }
  createPairingCode(kind: DeviceInfo['kind'], name: string) {
    return this.send(pairingCode, 'POST', '/api/v1/admin/pairing-codes', { kind, name });
  }
  /** Renames a device (an audited event; every console and the device see the new name). */
  renameDevice(deviceId: string, name: string) {
    return this.send(
      deviceRenamedResponse,
      'PATCH',
      `/api/v1/admin/devices/${encodeURIComponent(deviceId)}`,
      {
        name,
      },
    );
  }
  revokeDevice(deviceId: string) {
    return this.send(okResponse, 'POST', `/api/v1/admin/devices/${encodeURIComponent(deviceId)}/revoke`);
  }
  /** Replaces a device's settings; the hub sends them to the device with the branch view. */
  setDeviceSettings(deviceId: string, settings: DeviceSettings) {
    return this.send(okResponse, 'PUT', `/api/v1/admin/devices/${encodeURIComponent(deviceId)}/settings`, {
      settings,
    });
  }
  staff() {
    return this.get(staffListResponse, '/api/v1/admin/staff');
  }
  createStaff(s: {
    username: string;
    displayName: string;
    role: StaffAccount['role'];
    password: string;
    counterIds: string[];
  }) {
    return this.send(staffCreatedResponse, 'POST', '/api/v1/admin/staff', s);
  }
  updateStaff(
    staffId: string,
    patch: Partial<Pick<StaffAccount, 'displayName' | 'role' | 'counterIds' | 'disabled'>> & {
      password?: string;
    },
  ) {
    return this.send(okResponse, 'PATCH', `/api/v1/admin/staff/${encodeURIComponent(staffId)}`, patch);
  }
  setNotice(notice: Bilingual | null) {
    return this.send(okResponse, 'PUT', '/api/v1/notice', { notice });
  }
  apiKeys() {
    return this.get(apiKeyListResponse, '/api/v1/admin/api-keys');
  }
  createApiKey(name: string) {
    return this.send(apiKeyCreatedResponse, 'POST', '/api/v1/admin/api-keys', { name });
  }
  revokeApiKey(id: string) {
    return this.send(
      apiKeyRevokedResponse,
      'POST',
      `/api/v1/admin/api-keys/${encodeURIComponent(id)}/revoke`,
    );
  }

  // ── the floor desk ──

  /** Today's desk tickets and voids, and the kiosks to print on. */
  deskTickets() {
    return this.get(deskTicketsResponse, '/api/v1/desk/tickets');
  }
  /** Issues a ticket at the desk, printed on `printAt` (a kiosk) unless null. */
  deskIssue(b: Omit<DeskIssueRequest, 'v'>) {
    return this.send(deskIssueResponse, 'POST', '/api/v1/desk/tickets', { v: 1, ...b });
  }
  /** Prints a waiting ticket (again) on a kiosk. */
  deskPrint(ticketId: string, printAt: string, lang: 'zh' | 'en') {
    return this.send(okResponse, 'POST', `/api/v1/desk/tickets/${encodeURIComponent(ticketId)}/print`, {
      v: 1,
      printAt,
      lang,
    });
  }

  // ── reports and bookings ──

  dailyReport(date: string) {
    return this.get(dailyReportResponse, `/api/v1/reports/daily?date=${encodeURIComponent(date)}`);
  }
  reportCsvUrl(date: string, lang: 'zh' | 'en') {
    return `${this.#base}/api/v1/reports/daily?date=${encodeURIComponent(date)}&format=csv&lang=${lang}`;
  }
  slots(serviceId: string, date: string) {
    return this.get(
      slotsResponse,
      `/api/v1/appointments/slots?serviceId=${encodeURIComponent(serviceId)}&date=${encodeURIComponent(date)}`,
    );
  }
  book(b: { serviceId: string; slotStart: number; customerName: string | null; phoneTail: string | null }) {
    return this.send(bookingResponse, 'POST', '/api/v1/appointments', b);
  }
  cancelBooking(appointmentId: string) {
    return this.send(
      bookingCancelledResponse,
      'DELETE',
      `/api/v1/appointments/${encodeURIComponent(appointmentId)}`,
    );
  }
}

/** The answers' types, as the protocol defines them. */
export type { ApiKeyInfo, StaffAccount };
export type SlotsView = SlotsResponse;
export type Booking = BookingResponse;
export type DailyReportView = DailyReportResponse;

/** The one hub the page talks to (same origin). */
export const hub = new Hub();
