/**
 * The display: from the moment the hub publishes a TicketCalled to (a) the TV screen's DOM showing
 * the number (real Chromium, the built screen, the display agent in this process) and (b) the
 * counter's LED board acknowledging its new text (a socat pty, the virtual bus paced to 9600 baud).
 * Baselines from the same run: a bare WebSocket subscriber receiving the same event (the transport
 * floor), and the wire time of the board's request + ACK at 9600 baud (the physics).
 *
 * And (c) the voice: from a call reaching the screen to its number being heard, under bursts of
 * calls (the opening of the day, after lunch), with the real announcement queue and the real clips,
 * against the old strict queue (every call in turn, its own chime, the long phrasing) in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleBranchConfig } from '@nextup/core';
import {
  type AnnouncementPolicy,
  AnnouncementQueue,
  type AnnouncementRequest,
  type AudioSink,
  ClipLibrary,
  type DisplayAgent,
  enNumberClips,
  makePlaceholderClips,
  PLACEHOLDER_CLIPS_DIR,
  type PlanItem,
  placeClipsOf,
  type SimulatedCall,
  SimulatedPlayer,
  simulateCalls,
  startDisplayAgent,
  zhNumberClips,
} from '@nextup/display';
import { settle } from '@nextup/display/testing';
import { ManualClock, type RunningHub, startHub } from '@nextup/hub';
import { webSocketWithHeaders } from '@nextup/hub/testing';
import { HubSubscriber } from '@nextup/hub-client';
import { v1Dialect } from '@nextup/ledbus';
import { startVirtualBus } from '@nextup/ledbus-twin';
import type { ClientCommand } from '@nextup/protocol';
import { Rng } from '@nextup/sim';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { type BenchRow, type BenchSuite, rowFromSamples, samplePercentile } from '../lib/bench.ts';

const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0);
const BAUD = 9600;
/** Wall-clock milliseconds with sub-millisecond resolution, comparable between Node and Chromium. */
const wallNow = () => performance.timeOrigin + performance.now();

/** Plays nothing (the voice is not what is measured here). */
const silentSink: AudioSink = {
  name: 'none',
  play: async () => ({ startedAt: Date.now(), endedAt: Date.now() }),
};

async function adminOf(hub: RunningHub) {
  const res = await fetch(`${hub.url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token: hub.setupToken,
      username: 'admin',
      displayName: 'bench',
      password: 'bench-password-1',
    }),
  });
  const cookie = /nextup_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  return async (method: string, path: string, body?: unknown) => {
    const r = await fetch(hub.url + path, {
      method,
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await r.json()) as Record<string, unknown> & { code?: string; events?: unknown };
    if (r.status !== 200) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
    return json;
  };
}

export default {
  name: 'display: hub call → TV screen, counter board and voice',
  async run({ quick, log }) {
    const voiceRows = await voiceLagRows(quick, log);
    const n = quick ? 20 : 200;
    const dir = mkdtempSync(join(tmpdir(), 'nextup-bench-display-'));
    const clock = new ManualClock(MONDAY_0900);
    const hub = await startHub({
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      publicUrl: 'http://hub.bench',
      logger: pino({ level: 'silent' }),
      clock,
    });
    const vb = await startVirtualBus({ paceBaud: BAUD, baudRate: BAUD });
    const api = await adminOf(hub);
    const command = (c: ClientCommand) => api('POST', '/api/v1/commands', { v: 1, command: c });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    const acks: { address: number; text: string; at: number }[] = [];
    let agent: DisplayAgent | null = null;
    let bare: HubSubscriber | null = null;
    try {
      const { code } = await api('POST', '/api/v1/admin/pairing-codes', { kind: 'display', name: 'bench' });
      agent = await startDisplayAgent({
        dataDir: join(dir, 'display'),
        hubUrl: hub.url,
        pairingCode: code,
        audio: silentSink,
        busTuning: { timeoutMs: 500 },
        onShown: (r) => acks.push({ address: r.address, text: r.text, at: performance.timeOrigin + r.ackAt }),
      });
      const deviceId = agent.link!.deviceId;
      await api('PUT', `/api/v1/admin/devices/${deviceId}/settings`, {
        settings: {
          kind: 'display',
          bus: { port: vb.masterPath, baud: BAUD, dialect: 'v1' },
          mainBoards: [200],
          voice: { languages: ['zh', 'en'], repeat: 1 },
          counters: [],
        },
      });
      for (const counterId of ['c1', 'c2']) await command({ type: 'OpenCounter', data: { counterId } });
      const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
      await page.goto(`${agent.url}/?audio=off`);
      await page.waitForSelector('[data-testid=screen]', { timeout: 30_000 });
      // The page records when the current number changes, on the wall clock.
      // (A string: this file is typechecked without the DOM library.)
      await page.evaluate(`
        window.seen = {};
        new MutationObserver(() => {
          const t = document.querySelector('[data-testid=current-number]')?.textContent;
          if (t && !(t in window.seen)) window.seen[t] = performance.timeOrigin + performance.now();
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      `);
      // The floor: a plain subscriber (another paired display: a kiosk's stream carries no calls) on
      // its own WebSocket, same events.
      const bareSeen = new Map<number, number>();
      const floorCode = (await api('POST', '/api/v1/admin/pairing-codes', { kind: 'display', name: 'floor' }))
        .code;
      const paired = (await (
        await fetch(`${hub.url}/api/v1/devices/pair`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ v: 1, code: floorCode, name: 'floor' }),
        })
      ).json()) as { token: string };
      bare = new HubSubscriber({
        url: `${hub.url.replace(/^http/, 'ws')}/api/v1/stream`,
        WebSocket: webSocketWithHeaders({ authorization: `Bearer ${paired.token}` }),
        onChange: (_v, applied) => {
          for (const e of applied) if (e.event.type === 'TicketCalled') bareSeen.set(e.seq, wallNow());
        },
      });
      bare.start();
      // When the hub publishes each event: an in-process subscriber sees it at that instant.
      const published = new Map<number, number>();
      hub.hub.subscribe(
        hub.hub.head,
        (message) => {
          const t = wallNow();
          const m = JSON.parse(message) as {
            type: string;
            events?: { seq: number; event: { type: string } }[];
          };
          for (const e of m.events ?? []) if (e.event.type === 'TicketCalled') published.set(e.seq, t);
          return true;
        },
        () => {},
      );
      const toDom: number[] = [];
      const toAck: number[] = [];
      const toBare: number[] = [];
      const counters = [
        { id: 'c1', address: 1 },
        { id: 'c2', address: 2 },
      ];
      // Warm up (JIT, the page, the bus) before measuring.
      for (let i = 0; i < n + 3; i++) {
        const c = counters[i % counters.length]!;
        await command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
        clock.advance(1000);
        const r = await command({ type: 'CallNext', data: { counterId: c.id } });
        const called = (
          r.events as { seq: number; event: { type: string; data: { ticketId: string } } }[]
        ).find((e) => e.event.type === 'TicketCalled')!;
        const number = hub.hub.view.state.tickets[called.event.data.ticketId]!.number;
        const deadline = Date.now() + 10_000;
        let dom: number | undefined;
        let ack: { at: number } | undefined;
        while (Date.now() < deadline) {
          dom ??= (await page.evaluate(`window.seen[${JSON.stringify(number)}]`)) as number | undefined;
          ack ??= acks.find((a) => a.address === c.address && a.text.startsWith(`${number} `));
          if (dom !== undefined && ack) break;
          // Both times are taken where they happen (the page, the agent): polling slowly only keeps
          // this loop from loading the one Node thread that also runs the hub, the agent and the twin.
          await new Promise((res) => setTimeout(res, 50));
        }
        const t0 = published.get(called.seq);
        if (t0 === undefined || dom === undefined || !ack)
          throw new Error(`call ${number}: not seen in time`);
        const floor = bareSeen.get(called.seq);
        if (i >= 3) {
          toDom.push(dom - t0);
          toAck.push(ack.at - t0);
          if (floor !== undefined) toBare.push(floor - t0);
        }
        // Calls come seconds apart in a branch: let the main board's lines finish (they shift on every
        // call) so that each call meets a line that carries only the keypad polls.
        await settle(agent);
        await new Promise((res) => setTimeout(res, 60));
      }
      const wire = wireMs();
      log(`board request + ACK on the wire: ${wire.bytes} bytes = ${wire.ms.toFixed(1)} ms at ${BAUD} baud`);
      return [
        ...voiceRows,
        rowFromSamples(
          'display: hub call event → TV screen DOM updated',
          'ms',
          toDom,
          { label: 'hub event → bare WebSocket subscriber', samples: toBare },
          `${n} calls; agent in-process, Chromium headless, the built screen; clocks: Node and Chromium wall clock (same machine)`,
        ),
        rowFromSamples(
          'display: hub call event → counter board ACK (pty, twin paced to 9600 baud)',
          'ms',
          toAck,
          { label: `wire time of ${wire.bytes} B request + ACK at 9600 baud`, value: wire.ms },
          `${n} calls, each on a quiet line (keypads still polled every 200 ms); the called counter's board goes first, then the main board's four lines`,
        ),
      ];
    } finally {
      bare?.stop();
      await browser.close();
      await agent?.close();
      await vb.close();
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
} satisfies BenchSuite;

function wireMs(): { ms: number; bytes: number } {
  const text = 'A023 请到1号窗口';
  const req = v1Dialect.encodeRequest(
    { kind: 'show', address: 1, area: 0, effect: { kind: 'blink', times: 3 }, text },
    1,
  );
  const ack = v1Dialect.device.encodeReply({ kind: 'ack' }, { address: 1, seq: 1, kind: 'show' });
  const bytes = req.length + ack.length;
  return { ms: (bytes * 10 * 1000) / BAUD, bytes };
}

// ── (c) the voice under bursts of calls ──

/**
 * Bursts of calls, as at the opening of the day or after lunch: every counter calls within 8 s;
 * now and then a teller marks a no-show and calls the next one 5–20 s later, or recalls 8–25 s
 * after the call. Bursts 3 minutes apart (the strict queue has drained by then). Seeded: every run
 * hears the same calls.
 */
function bursts(count: number): {
  calls: SimulatedCall[];
  latest: (counterId: string, at: number) => string | null;
} {
  const config = sampleBranchConfig();
  const counters = config.counterOrder.map((id) => config.counters[id]!);
  const rng = new Rng(2026);
  const calls: SimulatedCall[] = [];
  let ticket = 0;
  const request = (
    c: (typeof counters)[number],
    id: string,
    recall: boolean,
    seq: number,
  ): AnnouncementRequest => ({
    key: `${id}:${seq}`,
    ticketId: id,
    counterId: c.id,
    number: `A${String((Number(id.slice(1)) % 999) + 1).padStart(3, '0')}`,
    counterNumber: c.number,
    counterName: c.name,
    recall,
    languages: ['zh', 'en'],
    repeat: 1,
  });
  for (let b = 0; b < count; b++) {
    const t0 = b * 180_000;
    for (const c of counters) {
      const at = t0 + Math.round(rng.uniform(0, 8000));
      const first = `t${++ticket}`;
      calls.push({ at, req: request(c, first, false, calls.length) });
      const u = rng.float();
      if (u < 0.15) {
        const next = `t${++ticket}`;
        calls.push({
          at: at + Math.round(rng.uniform(5000, 20_000)),
          req: request(c, next, false, calls.length),
        });
      } else if (u < 0.3) {
        calls.push({
          at: at + Math.round(rng.uniform(8000, 25_000)),
          req: request(c, first, true, calls.length),
        });
      }
    }
  }
  calls.sort((a, b) => a.at - b.at);
  // Who each counter has called last, at a time: a call is current while its ticket is that one.
  const latest = (counterId: string, at: number) => {
    let id: string | null = null;
    for (const c of calls) {
      if (c.at > at) break;
      if (c.req.counterId === counterId) id = c.req.ticketId;
    }
    return id;
  };
  return { calls, latest };
}

/** The phrasing before this change: 请 A023 号到 3 号窗口办理 / Number A023, counter 3, the counter by its number. */
function longPlan(calls: readonly AnnouncementRequest[], languages: readonly ('zh' | 'en')[]): PlanItem[] {
  const p = { word: 60, chime: 250, language: 500 };
  const plan: PlanItem[] = [{ clip: 'common/chime' }, { silenceMs: p.chime }];
  const ticket = (n: string, lang: string) => [...n].map((ch) => `${lang}/${ch}`);
  for (const call of calls)
    languages.forEach((lang, i) => {
      if (i > 0) plan.push({ silenceMs: p.language });
      if (i === 0) plan.push({ mark: call.key });
      const words =
        lang === 'zh'
          ? [
              'zh/qing',
              ...ticket(call.number, 'zh'),
              'zh/hao',
              'zh/dao',
              ...zhNumberClips(call.counterNumber),
              'zh/hao',
              'zh/chuangkou',
              'zh/banli',
            ]
          : ['en/number', ...ticket(call.number, 'en'), 'en/counter', ...enNumberClips(call.counterNumber)];
      words.forEach((clip, j) => {
        if (j > 0) plan.push({ silenceMs: p.word });
        plan.push({ clip });
      });
    });
  return plan;
}

async function voiceLagRows(quick: boolean, log: (line: string) => void): Promise<BenchRow[]> {
  const count = quick ? 20 : 200;
  const { calls, latest } = bursts(count);
  const config = sampleBranchConfig();
  // The real clips: the placeholder set, the sample branch's place words, and the two words the
  // long phrasing had (办理, "Number") in a folder of their own.
  const old = mkdtempSync(join(tmpdir(), 'nextup-bench-voice-'));
  try {
    await makePlaceholderClips(PLACEHOLDER_CLIPS_DIR);
    await makePlaceholderClips(PLACEHOLDER_CLIPS_DIR, {
      specs: placeClipsOf(config.counterOrder.map((id) => config.counters[id]!.name)),
    });
    await makePlaceholderClips(old, {
      specs: [
        { name: 'zh/banli', voice: 'cmn-latn-pinyin', text: 'ban4 li3' },
        { name: 'en/number', voice: 'en-us', text: 'Number' },
      ],
    });
    const library = new ClipLibrary({ dirs: [PLACEHOLDER_CLIPS_DIR, old], espeak: null });
    const runPolicy = async (policy: AnnouncementPolicy, long: boolean) => {
      const player = new SimulatedPlayer();
      const queue = new AnnouncementQueue({
        sink: player,
        library,
        policy,
        now: () => player.now,
        keep: calls.length,
        isCurrent: (r) => latest(r.counterId, player.now) === r.ticketId,
        ...(long
          ? { plan: (c: readonly AnnouncementRequest[], l: readonly ('zh' | 'en')[]) => longPlan(c, l) }
          : {}),
      });
      await simulateCalls(queue, player, calls);
      const heard = queue.history.filter((h) => h.spokenAt !== null);
      const lags = heard.map((h) => (h.spokenAt! - h.enqueuedAt) / 1000);
      const dropped = queue.history.length - heard.length;
      const lengths = player.played.map((p) => p.durationMs / 1000);
      return { lags, dropped, announcements: player.played.length, lengths };
    };
    const fmt = (xs: number[]) =>
      `median ${samplePercentile(xs, 50).toFixed(1)} s, p99 ${samplePercentile(xs, 99).toFixed(1)} s, worst ${Math.max(...xs).toFixed(1)} s`;
    const now = await runPolicy('newest', false);
    const strictShort = await runPolicy('strict', false);
    const before = await runPolicy('strict', true);
    log(
      `voice: ${calls.length} calls in ${count} bursts of ${config.counterOrder.length} counters (zh + en, repeat 1)`,
    );
    log(
      `  newest-call queue, short phrasing: ${fmt(now.lags)}; ${now.announcements} plays (one language each), ${now.dropped} calls not said (a newer call at the counter)`,
    );
    log(
      `  strict queue, short phrasing:      ${fmt(strictShort.lags)}; ${strictShort.announcements} plays (one call, both languages, each)`,
    );
    log(
      `  strict queue, long phrasing (before): ${fmt(before.lags)}; one call ${samplePercentile(before.lengths, 50).toFixed(1)} s`,
    );
    const note = (r: typeof now) => `worst ${Math.max(...r.lags).toFixed(1)} s`;
    return [
      rowFromSamples(
        'display voice: call on screen → its number heard, bursts of 5 calls (newest-call queue, short phrasing)',
        's',
        now.lags,
        { label: 'strict queue, long phrasing (before)', samples: before.lags },
        `${calls.length} calls in ${count} bursts, real clips, simulated player clock; ${note(now)} vs ${note(before)} (p99 ${samplePercentile(before.lags, 99).toFixed(1)} s) before; ${now.dropped} calls replaced at their counter before their turn were not said`,
      ),
      rowFromSamples(
        'display voice: same bursts, the queue policy alone (short phrasing both)',
        's',
        now.lags,
        { label: 'strict queue, short phrasing', samples: strictShort.lags },
        `${note(now)} vs ${note(strictShort)} (p99 ${samplePercentile(strictShort.lags, 99).toFixed(1)} s) strict`,
      ),
    ];
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
}
