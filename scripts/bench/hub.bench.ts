import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, startHub } from '@nextup/hub';
import { webSocketWithHeaders } from '@nextup/hub/testing';
import { HubSubscriber } from '@nextup/hub-client';
import Database from 'better-sqlite3';
import pino from 'pino';
import WebSocket from 'ws';
import { type BenchSuite, nowMs, rowFromSamples, samplePercentile } from '../lib/bench.ts';

const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0);

async function hubWithKiosk(dir: string) {
  const clock = new ManualClock(MONDAY_0900);
  const running = await startHub({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    publicUrl: 'http://hub:8300',
    logger: pino({ level: 'silent' }),
    clock,
  });
  const base = running.url;
  const setup = await fetch(`${base}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token: running.setupToken,
      username: 'admin',
      displayName: 'A',
      password: 'bench-password-1',
    }),
  });
  const cookie = /nextup_session=[^;]+/.exec(setup.headers.get('set-cookie') ?? '')![0];
  const csrf = ((await setup.json()) as { csrfToken: string }).csrfToken;
  const adminPost = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, string>>);
  const { code } = await adminPost('/api/v1/admin/pairing-codes', { kind: 'kiosk', name: 'bench' });
  const paired = (await (
    await fetch(`${base}/api/v1/devices/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ v: 1, code, name: 'bench' }),
    })
  ).json()) as { token: string };
  for (const counterId of ['c1', 'c2', 'c3', 'c4', 'c5'])
    await adminPost('/api/v1/commands', { v: 1, command: { type: 'OpenCounter', data: { counterId } } });
  const issue = (serviceId = 'cash') =>
    fetch(`${base}/api/v1/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${paired.token}` },
      body: JSON.stringify({ v: 1, command: { type: 'IssueTicket', data: { serviceId, class: 'normal' } } }),
    }).then((r) => r.json());
  const callNext = (counterId: string) =>
    adminPost('/api/v1/commands', { v: 1, command: { type: 'CallNext', data: { counterId } } });
  return { running, clock, token: paired.token, issue, callNext, adminPost };
}

/**
 * IssueTicket (over HTTP, acknowledged after the fsync'd commit, the printed estimate included) and
 * `GET /offers` (every service's figure for each class its customers come in) with a queue of `size`
 * customers waiting at five open counters: the estimate's forward run is what grows with the queue.
 * Each size is a fresh hub; the queue is built at one arrival every 2 seconds (a payday's rush), so the
 * estimate also imagines the arrivals still to come.
 */
async function queueSizeSamples(size: number, samples: number) {
  const dir = mkdtempSync(join(tmpdir(), 'nextup-bench-queue-'));
  try {
    const { running, clock, issue, token } = await hubWithKiosk(dir);
    const services = ['cash', 'personal', 'business', 'wealth'];
    for (let i = 0; i < size; i++) {
      clock.advance(2000);
      running.hub.execute(
        { kind: 'system' },
        {
          type: 'IssueTicket',
          data: { serviceId: services[i % services.length]!, class: i % 9 === 0 ? 'vip' : 'normal' },
        },
      );
    }
    const waiting = Object.values(running.hub.view.state.tickets).filter(
      (t) => t.status === 'waiting',
    ).length;
    const issueMs: number[] = [];
    const offersMs: number[] = [];
    const offers = () =>
      fetch(`${running.url}/api/v1/offers`, { headers: { authorization: `Bearer ${token}` } }).then((r) =>
        r.json(),
      );
    for (let i = 0; i < samples; i++) {
      clock.advance(1000);
      let t = nowMs();
      await offers();
      offersMs.push(nowMs() - t);
      t = nowMs();
      await issue(services[i % services.length]);
      issueMs.push(nowMs() - t);
    }
    await running.close();
    return { waiting, issueMs, offersMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
export default {
  name: 'hub: durable commands, fan-out, resync',
  async run({ quick, log }) {
    const rows = [];
    const dir = mkdtempSync(join(tmpdir(), 'nextup-bench-hub-'));
    try {
      const { running, token, issue, callNext } = await hubWithKiosk(dir);
      const n = quick ? 200 : 1000;

      // 1. Acknowledged IssueTicket over HTTP, ten kiosks at once, every answer after an fsync'd commit,
      // while tellers at the five counters call them (so the queue stays as long as a busy branch's, not
      // thousands: the printed estimate's cost grows with the queue, see the core rows).
      const latencies: number[] = [];
      const started = nowMs();
      let sent = 0;
      let calls = 0;
      const kiosks = Array.from({ length: 10 }, async (_, i) => {
        const counterId = `c${1 + (i % 5)}`;
        while (sent < n) {
          sent += 1;
          const t = nowMs();
          await issue(sent % 2 ? 'cash' : 'personal');
          latencies.push(nowMs() - t);
          // A teller at each counter keeps pace with the kiosks.
          await callNext(counterId);
          calls += 1;
        }
      });
      await Promise.all(kiosks);
      const seconds = (nowMs() - started) / 1000;
      const perSecond = (latencies.length + calls) / seconds;
      const waitingAtEnd = Object.values(running.hub.view.state.tickets).filter(
        (t) => t.status === 'waiting',
      ).length;

      // Baseline: a bare better-sqlite3 loop inserting the same rows, one fsync'd transaction each.
      const events = running.hub.log
        .readAfter(0, 100_000)
        .filter((e) => e.event.type === 'TicketIssued')
        .slice(0, n);
      const bare = new Database(join(dir, 'bare.sqlite'));
      bare.pragma('journal_mode = WAL');
      bare.pragma('synchronous = FULL');
      bare.exec(
        'CREATE TABLE events (seq INTEGER PRIMARY KEY, at INTEGER, type TEXT, actor TEXT, data TEXT)',
      );
      const ins = bare.prepare('INSERT INTO events (seq, at, type, actor, data) VALUES (?, ?, ?, ?, ?)');
      const bareStart = nowMs();
      for (const e of events)
        ins.run(e.seq, 0, e.event.type, JSON.stringify(e.actor), JSON.stringify(e.event.data));
      const bareSeconds = (nowMs() - bareStart) / 1000;
      bare.close();
      const barePerSecond = events.length / bareSeconds;
      rows.push({
        name: 'hub: acknowledged commands over HTTP (synchronous=FULL, 10 kiosks + 5 tellers)',
        unit: 'commands/s',
        median: perSecond,
        p99: null,
        baseline: barePerSecond,
        baselineLabel: 'bare better-sqlite3 insert loop, FULL',
        ratio: perSecond / barePerSecond,
        note: `${latencies.length} IssueTicket + ${calls} CallNext; IssueTicket latency p50 ${samplePercentile(latencies, 50).toFixed(2)} ms, p99 ${samplePercentile(latencies, 99).toFixed(2)} ms; ${waitingAtEnd} waiting at the end; includes HTTP, validation, decide (with the printed estimate), fsync and fan-out`,
      });
      log(`commands/s ${perSecond.toFixed(0)} vs bare inserts/s ${barePerSecond.toFixed(0)}`);

      // 2. Fan-out: 50 WebSocket subscribers, commit → receipt.
      const subscribers = quick ? 20 : 50;
      const sockets: WebSocket[] = [];
      const receipt = new Map<number, number[]>();
      await Promise.all(
        Array.from({ length: subscribers }, async () => {
          const ws = new WebSocket(`${running.url.replace('http', 'ws')}/api/v1/stream`, {
            headers: { authorization: `Bearer ${token}` },
          });
          await new Promise((r) => ws.once('open', r));
          ws.send(JSON.stringify({ v: 1, type: 'subscribe', lastSeq: running.hub.head }));
          // The first `events` message after subscribing (possibly empty) means caught up.
          await new Promise<void>((resolve) =>
            ws.on('message', (d: Buffer) => {
              const m = JSON.parse(d.toString()) as { type: string; after?: number; through?: number };
              if (m.type !== 'events') return;
              resolve();
              const t = nowMs();
              // A run covers (after, through] of the log, cut to the subscriber's role (a kiosk gets
              // no ticket events, only its own tickets' records): what counts is that it arrived.
              for (let seq = m.after! + 1; seq <= m.through!; seq++)
                receipt.set(seq, [...(receipt.get(seq) ?? []), t]);
            }),
          );
          sockets.push(ws);
        }),
      );
      const committedAt = new Map<number, number>();
      for (let i = 0; i < (quick ? 50 : 200); i++) {
        const r = running.hub.execute(
          { kind: 'system' },
          { type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } },
        );
        if (r.status === 200 && 'seq' in r.body) committedAt.set(r.body.seq, nowMs());
        await new Promise((res) => setTimeout(res, 5));
      }
      await new Promise((r) => setTimeout(r, 500));
      const fanout: number[] = [];
      for (const [seq, t0] of committedAt) for (const t of receipt.get(seq) ?? []) fanout.push(t - t0);
      for (const ws of sockets) ws.close();
      rows.push(
        rowFromSamples(
          `hub: event fan-out to ${subscribers} WebSocket subscribers, commit → receipt`,
          'ms',
          fanout,
          undefined,
          `${committedAt.size} events × ${subscribers} subscribers (${fanout.length} receipts); same process and clock`,
        ),
      );

      // 3. Resync: a subscriber far behind catches up.
      // A long day: tickets issued and called in turn (a real queue stays short).
      while (running.hub.head < (quick ? 3000 : 11_000)) {
        running.hub.execute(
          { kind: 'system' },
          { type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } },
        );
        running.hub.execute({ kind: 'system' }, { type: 'CallNext', data: { counterId: 'c1' } });
      }
      const catchUp = async (lastSeq: number) => {
        const head = running.hub.head;
        const t = nowMs();
        const sub = new HubSubscriber({
          url: `${running.url.replace('http', 'ws')}/api/v1/stream`,
          WebSocket: webSocketWithHeaders({ authorization: `Bearer ${token}` }),
          initial: { ...running.hub.view, seq: lastSeq, state: running.hub.view.state },
        });
        await new Promise<void>((resolve) => {
          const timer = setInterval(() => {
            if ((sub.view?.seq ?? 0) >= head) {
              clearInterval(timer);
              resolve();
            }
          }, 1);
          sub.start();
        });
        sub.stop();
        return nowMs() - t;
      };
      const behind = quick ? 2000 : 10_000;
      const replayBehind = quick ? 2000 : 4000;
      const far: number[] = [];
      const near: number[] = [];
      for (let i = 0; i < 5; i++) far.push(await catchUp(running.hub.head - behind));
      for (let i = 0; i < 5; i++) near.push(await catchUp(running.hub.head - replayBehind));
      rows.push(
        rowFromSamples(
          `hub: resync of a subscriber ${behind} events behind, time to caught up`,
          'ms',
          far,
          { label: `${replayBehind} behind (event replay)`, samples: near },
          behind > 5000
            ? 'more than 5,000 behind gets a snapshot instead of a replay; the baseline replays events'
            : 'both replay events (quick mode)',
        ),
      );
      await running.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // 4. IssueTicket and /offers as the queue grows, against the same with nobody waiting.
    const sizes = quick ? [300, 1000] : [300, 1000, 3000];
    const samples = quick ? 15 : 40;
    const empty = await queueSizeSamples(0, samples);
    for (const size of sizes) {
      const got = await queueSizeSamples(size, samples);
      log(
        `${got.waiting} waiting: IssueTicket p50 ${samplePercentile(got.issueMs, 50).toFixed(1)} ms, /offers p50 ${samplePercentile(got.offersMs, 50).toFixed(1)} ms`,
      );
      rows.push(
        rowFromSamples(
          `hub: IssueTicket over HTTP with ${size} waiting`,
          'ms',
          got.issueMs,
          { label: 'same, nobody waiting', samples: empty.issueMs },
          `${samples} tickets after a queue of ${got.waiting} built at one every 2 s; acknowledged after the fsync'd commit, printed estimate included`,
        ),
        rowFromSamples(
          `hub: GET /offers with ${size} waiting`,
          'ms',
          got.offersMs,
          { label: 'same, nobody waiting', samples: empty.offersMs },
          `${samples} requests; every service's figure for each class its customers come in`,
        ),
      );
    }
    return rows;
  },
} satisfies BenchSuite;
