import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock, type RunningHub, startHub } from '@nextup/hub';
import type { ClientCommand, DisplaySettings } from '@nextup/protocol';
import pino from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { AudioItem, AudioSink, Playback } from '../src/index.ts';

/** Monday 2026-11-23 09:00 in Asia/Shanghai: inside every sample service's hours. */
export const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0);
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '.artifacts');
export const PASSWORD = 'correct horse battery';

/** Logs to stderr when NEXTUP_TEST_LOG=debug|info is set; silent otherwise. */
export const testLogger = pino({ level: process.env.NEXTUP_TEST_LOG ?? 'silent' });

export interface TestHub extends RunningHub {
  clock: ManualClock;
  dir: string;
}

/** A real hub (SQLite in a temp folder, port 0) with a manual clock. */
export async function startTestHub(start = MONDAY_0900): Promise<TestHub> {
  const dir = mkdtempSync(join(tmpdir(), 'nextup-display-hub-'));
  const clock = new ManualClock(start);
  const running = await startHub({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    publicUrl: 'http://hub.test:8300',
    logger: pino({ level: 'silent' }),
    offlineAfterSeconds: 1,
    clock,
  });
  const close = running.close.bind(running);
  return {
    ...running,
    clock,
    dir,
    async close() {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The branch's IT admin, signed in (cookie + CSRF), as the admin console would be. */
export class Admin {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  static async setUp(hub: RunningHub): Promise<Admin> {
    const a = new Admin(hub.url);
    const res = await fetch(`${hub.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: hub.setupToken,
        username: 'admin',
        displayName: '王工',
        password: PASSWORD,
      }),
    });
    if (res.status !== 200) throw new Error(`setup failed: ${await res.text()}`);
    a.cookie = /nextup_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
    a.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    return a;
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** A command that must be accepted. */
  async must(command: ClientCommand): Promise<any> {
    const r = await this.request('POST', '/api/v1/commands', { v: 1, command });
    if (r.status !== 200) throw new Error(`${command.type} refused: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async pairingCode(kind: 'display' | 'kiosk' = 'display', name = '大厅叫号屏'): Promise<string> {
    const r = await this.request('POST', '/api/v1/admin/pairing-codes', { kind, name });
    if (r.status !== 200) throw new Error(`pairing code failed: ${JSON.stringify(r.body)}`);
    return r.body.code as string;
  }

  async configureDisplay(deviceId: string, settings: Partial<DisplaySettings>): Promise<void> {
    const full: DisplaySettings = {
      kind: 'display',
      bus: null,
      mainBoards: [200],
      voice: { languages: ['zh', 'en'], repeat: 1 },
      counters: [],
      ...settings,
    };
    const r = await this.request('PUT', `/api/v1/admin/devices/${deviceId}/settings`, { settings: full });
    if (r.status !== 200) throw new Error(`settings refused: ${JSON.stringify(r.body)}`);
  }

  /** Opens counters (a new business day starts with every counter closed). */
  async open(...counterIds: string[]) {
    for (const counterId of counterIds) await this.must({ type: 'OpenCounter', data: { counterId } });
  }

  async issue(serviceId = 'cash'): Promise<string> {
    const r = await this.must({ type: 'IssueTicket', data: { serviceId, class: 'normal' } });
    return r.ticket.number as string;
  }
}

/** Plays nothing: records what the queue asked and takes `ms` per item. For tests without a screen. */
export class FakeAudioSink implements AudioSink {
  readonly name = 'fake';
  readonly played: (AudioItem & Playback)[] = [];
  constructor(readonly ms = 5) {}
  async play(item: AudioItem): Promise<Playback> {
    const startedAt = Date.now();
    await new Promise((r) => setTimeout(r, this.ms));
    const p = { startedAt, endedAt: Date.now() };
    this.played.push({ ...item, ...p });
    return p;
  }
}

export async function waitFor<T>(
  pred: () => T | Promise<T>,
  what = 'condition',
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await pred();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function tempDir(prefix = 'nextup-display-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Headless Chromium, allowed to play sound without a tap (as the kiosk-mode launch is). */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** The TV screen at 1920×1080 (`lang` = the large language; `audio: false` = never the player). */
export async function openScreen(
  browser: Browser,
  url: string,
  opts: { lang?: 'zh' | 'en'; audio?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    locale: opts.lang === 'en' ? 'en-GB' : 'zh-CN',
  });
  const page = await context.newPage();
  const q = new URLSearchParams();
  if (opts.lang) q.set('lang', opts.lang);
  if (opts.audio === false) q.set('audio', 'off');
  await page.goto(`${url}/${q.size > 0 ? `?${q}` : ''}`);
  return page;
}
