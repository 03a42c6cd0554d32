import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningHub } from '@nextup/hub';
import { Client, chromiumLaunchOptions, pairingCode, setUpAdmin } from '@nextup/hub/testing';
import type { DisplaySettings } from '@nextup/protocol';
import pino from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { AudioItem, AudioSink, Playback } from '../src/index.ts';

// A real hub, its client and pairing come from the hub's test support; what follows is the
// display's own: its admin's shortcuts, a silent audio sink, the TV screen in a browser.
export { MONDAY_0900, startTestHub, type TestHub, tempDir } from '@nextup/hub/testing';

export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '.artifacts');

/** Logs to stderr when NEXTUP_TEST_LOG=debug|info is set; silent otherwise. */
export const testLogger = pino({ level: process.env.NEXTUP_TEST_LOG ?? 'silent' });

/** The branch's IT admin, signed in (cookie + CSRF), as the admin console would be. */
export class Admin extends Client {
  static setUp(hub: RunningHub): Promise<Admin> {
    return setUpAdmin(hub, { client: new Admin(hub.url) });
  }

  pairingCode(kind: 'display' | 'kiosk' = 'display', name = '大厅叫号屏'): Promise<string> {
    return pairingCode(this, kind, name);
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

/** Headless Chromium, allowed to play sound without a tap (as the kiosk-mode launch is). */
export function launch(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions(['--autoplay-policy=no-user-gesture-required']));
}

/** The TV screen at 1920×1080, or `size` (`lang` = the large language; `audio: false` = never the player). */
export async function openScreen(
  browser: Browser,
  url: string,
  opts: { lang?: 'zh' | 'en'; audio?: boolean; size?: { width: number; height: number } } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: opts.size ?? { width: 1920, height: 1080 },
    locale: opts.lang === 'en' ? 'en-GB' : 'zh-CN',
  });
  const page = await context.newPage();
  const q = new URLSearchParams();
  if (opts.lang) q.set('lang', opts.lang);
  if (opts.audio === false) q.set('audio', 'off');
  await page.goto(`${url}/${q.size > 0 ? `?${q}` : ''}`);
  return page;
}
