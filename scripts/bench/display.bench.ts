/**
 * The display: from the moment the hub publishes a TicketCalled to (a) the TV screen's DOM showing
 * the number (real Chromium, the built screen, the display agent in this process) and (b) the
 * counter's LED board acknowledging its new text (a socat pty, the virtual bus paced to 9600 baud).
 * Baselines from the same run: a bare WebSocket subscriber receiving the same event (the transport
 * floor), and the wire time of the board's request + ACK at 9600 baud (the physics).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AudioSink, type DisplayAgent, startDisplayAgent } from '@nextup/display';
import { ManualClock, type RunningHub, startHub } from '@nextup/hub';
import { HubSubscriber, type SocketLike } from '@nextup/hub-client';
import { startVirtualBus, v1Dialect } from '@nextup/ledbus';
import type { ClientCommand } from '@nextup/protocol';
import pino from 'pino';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { type BenchSuite, rowFromSamples } from '../lib/bench.ts';

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
  name: 'display: hub call → TV screen and counter board',
  async run({ quick, log }) {
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
        connect: () =>
          new WebSocket(`${hub.url.replace(/^http/, 'ws')}/api/v1/stream`, {
            headers: { authorization: `Bearer ${paired.token}` },
          }) as unknown as SocketLike,
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
        await agent.settle();
        await new Promise((res) => setTimeout(res, 60));
      }
      const wire = wireMs();
      log(`board request + ACK on the wire: ${wire.bytes} bytes = ${wire.ms.toFixed(1)} ms at ${BAUD} baud`);
      return [
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
      await agent?.stop();
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
