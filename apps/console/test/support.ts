import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningHub } from '@nextup/hub';
import {
  ADMIN_PASSWORD,
  type Client,
  chromiumLaunchOptions,
  pairDevice,
  type TestHub,
  webSocketWithHeaders,
} from '@nextup/hub/testing';
import { HubSubscriber } from '@nextup/hub-client';
import type { BranchView } from '@nextup/hub-view';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

// A real hub, clients, staff and pairing come from the hub's test support; what follows is
// the console's own: browser pages, a kiosk stand-in, and the simulated branch morning.
export {
  Client,
  createStaff,
  MONDAY_0900,
  pairDevice,
  setUpAdmin,
  signIn,
  startTestHub,
  type TestHub,
} from '@nextup/hub/testing';

export const MIN = 60_000;
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '.artifacts');

/** A `HubSubscriber` over a real WebSocket with a device token: the stand-in for a running kiosk. */
export function subscriber(hub: RunningHub, token: string): { sub: HubSubscriber; closes: number[] } {
  const closes: number[] = [];
  const sub = new HubSubscriber({
    url: `${hub.url.replace(/^http/, 'ws')}/api/v1/stream`,
    WebSocket: webSocketWithHeaders({ authorization: `Bearer ${token}` }),
    onClose: (code) => closes.push(code),
    reconnect: { minMs: 50, maxMs: 200 },
  });
  sub.start();
  return { sub, closes };
}

export async function launch(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

/** A fresh browser context (own cookies and storage) in the given language and size. */
export async function newPage(
  browser: Browser,
  opts: { lang?: 'zh' | 'en'; width?: number; height?: number } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1366, height: opts.height ?? 768 },
    locale: opts.lang === 'en' ? 'en-US' : 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  if (opts.lang === 'en')
    await context.addInitScript(() => {
      if (!localStorage.getItem('nextup.lang')) localStorage.setItem('nextup.lang', 'en');
    });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

/** Signs in through the login page and waits for the live view. */
export async function signInUi(page: Page, base: string, username: string, path = '/') {
  await page.goto(`${base}${path}`);
  await page.waitForURL(/\/login/);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.locator('.live-on').waitFor();
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

export type { BranchView };

/** A small seeded generator (mulberry32): the same day on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the test itself wrote down about each ticket while it drove the hub. */
export interface LedgerEntry {
  number: string;
  issuedAt: number;
  service: string;
  cls: 'normal' | 'vip' | 'priority';
  firstCall: number | null;
  end: 'done' | 'noShow' | 'left' | 'open';
  rating: number | null;
}

export interface DayRun {
  ledger: Map<string, LedgerEntry>;
  serviceMs: number[];
}

/**
 * Drives a branch morning through the real hub's HTTP API with the manual clock: customers arrive
 * (kiosk; VIPs at the desk), counters call, serve, mark no-shows and transfer, some customers leave,
 * some rate on the counter tablet, and some are still waiting at the end. The test keeps its own
 * ledger of what it did. Counters and tellers act through `staff` (a manager: all counters).
 */
export async function runDay(
  hub: TestHub,
  c: { staff: Client; kiosk: Client; tablets: Record<string, Client> },
  opts: { seed: number; minutes: number; counters: string[]; arrivalRate?: number },
): Promise<DayRun> {
  const random = rng(opts.seed);
  const ledger = new Map<string, LedgerEntry>();
  const serviceMs: number[] = [];
  const servingAt = new Map<string, number>();
  const state = () => hub.hub.view.state;
  for (const counterId of opts.counters)
    if (state().counters[counterId]?.status === 'closed')
      await c.staff.must({ type: 'OpenCounter', data: { counterId } });
  const next = new Map(
    opts.counters.map((id) => [
      id,
      { at: hub.clock.now() + 3 * MIN, step: 'call' as 'call' | 'serve' | 'finish' },
    ]),
  );
  const services = ['cash', 'cash', 'cash', 'personal', 'personal', 'business'];
  const end = hub.clock.now() + opts.minutes * MIN;
  for (let at = hub.clock.now(); at < end; at += 30_000) {
    hub.clock.set(at);
    if (random() < (opts.arrivalRate ?? 0.4) && at < end - 20 * MIN) {
      const service = services[Math.floor(random() * services.length)]!;
      const r = random();
      const cls = r < 0.08 ? 'vip' : r < 0.15 ? 'priority' : 'normal';
      // VIP and priority tickets come from the desk (staff); the kiosk issues normal ones only.
      const issuer = cls === 'normal' ? c.kiosk : c.staff;
      const out = await issuer.command({ type: 'IssueTicket', data: { serviceId: service, class: cls } });
      if (out.status === 200)
        ledger.set(out.body.ticket.id, {
          number: out.body.ticket.number,
          issuedAt: at,
          service,
          cls,
          firstCall: null,
          end: 'open',
          rating: null,
        });
    }
    if (random() < 0.02) {
      const waiting = Object.values(state().tickets).filter((t) => t.status === 'waiting');
      const t = waiting[Math.floor(random() * waiting.length)];
      if (t) {
        await c.staff.must({ type: 'CancelTicket', data: { ticketId: t.id, reason: 'customerLeft' } });
        ledger.get(t.id)!.end = 'left';
      }
    }
    for (const counterId of opts.counters) {
      const plan = next.get(counterId)!;
      if (plan.at > at) continue;
      const current = state().counters[counterId]?.ticketId ?? null;
      if (plan.step === 'call') {
        const out = await c.staff.command({ type: 'CallNext', data: { counterId } });
        if (out.status !== 200) {
          next.set(counterId, { at: at + MIN, step: 'call' });
          continue;
        }
        const called = state().counters[counterId]!.ticketId!;
        const entry = ledger.get(called)!;
        entry.firstCall ??= at;
        if (random() < 0.08) {
          await c.staff.must({ type: 'MarkNoShow', data: { counterId } });
          entry.end = 'noShow';
          next.set(counterId, { at: at + MIN, step: 'call' });
        } else next.set(counterId, { at: at + 30_000, step: 'serve' });
      } else if (plan.step === 'serve') {
        await c.staff.must({ type: 'StartServing', data: { counterId } });
        servingAt.set(current!, at);
        const mean =
          ledger.get(current!)!.service === 'cash'
            ? 3
            : ledger.get(current!)!.service === 'personal'
              ? 9
              : 12;
        next.set(counterId, {
          at: at + Math.round((0.4 + random() * 1.2) * mean * 2) * 30_000,
          step: 'finish',
        });
      } else {
        const t = state().tickets[current!]!;
        if (t.serviceId === 'cash' && t.transfers === 0 && random() < 0.05) {
          await c.staff.must({
            type: 'TransferTicket',
            data: { counterId, toServiceId: 'personal', toCounterId: null },
          });
        } else {
          await c.staff.must({ type: 'FinishTicket', data: { counterId } });
          serviceMs.push(at - servingAt.get(t.id)!);
          const entry = ledger.get(t.id)!;
          entry.end = 'done';
          if (random() < 0.6) {
            const score = random() < 0.8 ? 5 - Math.floor(random() * 2) : 1 + Math.floor(random() * 3);
            // Rated on the tablet at the counter that served the customer.
            await c.tablets[counterId]!.must({ type: 'RateTicket', data: { ticketId: t.id, score } });
            entry.rating = score;
          }
        }
        next.set(counterId, { at: at + 30_000, step: 'call' });
      }
    }
  }
  hub.clock.set(end);
  return { ledger, serviceMs };
}

/** One rating tablet per counter, each set (by the admin, on the hub) to its counter. */
export async function pairTablets(
  hub: Pick<RunningHub, 'url'>,
  admin: Client,
  counterIds: readonly string[],
): Promise<Record<string, Client & { deviceId: string }>> {
  const tablets: Record<string, Client & { deviceId: string }> = {};
  for (const counterId of counterIds) {
    const tablet = await pairDevice(hub, admin, 'counterTablet', `${counterId} 评价器`);
    const r = await admin.request('PUT', `/api/v1/admin/devices/${tablet.deviceId}/settings`, {
      settings: { kind: 'counterTablet', counterId },
    });
    if (r.status !== 200) throw new Error(`tablet settings refused: ${JSON.stringify(r.body)}`);
    tablets[counterId] = tablet;
  }
  return tablets;
}

/** The figures the test computes from its own ledger, by the report's written definitions. */
export function ledgerFigures(run: DayRun) {
  const tickets = [...run.ledger.values()];
  const waits = tickets.filter((t) => t.firstCall !== null).map((t) => t.firstCall! - t.issuedAt);
  const sorted = [...waits].sort((a, b) => a - b);
  const avg = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  const ratings = tickets.flatMap((t) => (t.rating === null ? [] : [t.rating]));
  const count = (end: LedgerEntry['end']) => tickets.filter((t) => t.end === end).length;
  return {
    issued: tickets.length,
    served: count('done'),
    noShow: count('noShow'),
    customerLeft: count('left'),
    open: count('open'),
    waitCount: waits.length,
    waitMeanMs: avg(waits),
    waitP90Ms: sorted.length ? sorted[Math.ceil(sorted.length * 0.9) - 1]! : null,
    serviceMeanMs: avg(run.serviceMs),
    noShowRate: waits.length ? count('noShow') / waits.length : null,
    ratings,
    ratingMean: avg(ratings),
  };
}
