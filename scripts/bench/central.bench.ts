/**
 * The central store: how fast a hub catches up after a week offline, against a plain bulk COPY of the
 * same rows into the same table shape (same server, same run); the insert shapes we chose between;
 * bytes per stored event; and what shipping a backlog costs the branch (command latency at the hub
 * while the shipper catches up, against the same commands with the shipper idle).
 *
 * Full: a 7-day backlog of one busy branch (500 tickets a day, 10 counters), 3 catch-up rounds.
 * Quick: 1 day, 1 round. PostgreSQL runs with fsync on, as a real store would.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectCentral,
  copyEvents,
  createEventsTableLike,
  encodeBatch,
  insertUnnest,
  insertViaStaging,
  migrate,
  shipBatch,
} from '@nextup/central';
import { busyBranchConfig, driveBranchDays, startLocalPostgres } from '@nextup/central/testing';
import { DAY } from '@nextup/core';
import { HubService, ManualClock, openDatabase, Shipper, startHub } from '@nextup/hub';
import type { ClientCommand, LoggedEvent } from '@nextup/protocol';
import pino from 'pino';
import { type BenchRow, type BenchSuite, nowMs, rowFromSamples, samplePercentile } from '../lib/bench.ts';

const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0); // Asia/Shanghai
const BATCH = 250; // the shipper's default

/** Writes `days` busy days into a hub's SQLite file through the hub's own command path. */
function buildBacklog(dataDir: string, days: number): { head: number; endsAt: number } {
  const db = openDatabase(join(dataDir, 'hub.sqlite'));
  const clock = new ManualClock(MONDAY_0900 - 3600_000);
  const hub = new HubService({
    db,
    clock,
    logger: pino({ level: 'silent' }),
    publicUrl: 'http://hub.bench',
    initialConfig: busyBranchConfig(),
  });
  for (let d = 0; d < days; d++) {
    // One SQLite transaction per day: the commits inside become savepoints, so building a week
    // takes seconds instead of one fsync per command. The events are the same.
    db.transaction(() =>
      driveBranchDays({ start: MONDAY_0900 + d * DAY, days: 1, seed: 100 + d }, (command, at) => {
        clock.set(at);
        return hub.execute({ kind: 'system' }, command as ClientCommand).status === 200;
      }),
    )();
  }
  const head = hub.head;
  hub.snapshot();
  db.close();
  return { head, endsAt: MONDAY_0900 + (days - 1) * DAY + 7 * 3600_000 };
}

/** A signed-in admin over HTTP (setup token → cookie + CSRF), like the counter console. */
async function admin(url: string, setupToken: string) {
  const r = await fetch(`${url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token: setupToken,
      username: 'admin',
      displayName: 'Admin',
      password: 'bench password 1',
    }),
  });
  if (r.status !== 200) throw new Error(`setup failed: ${r.status} ${await r.text()}`);
  const cookie = /nextup_session=([^;]*)/.exec(r.headers.get('set-cookie') ?? '')![1]!;
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return async (command: ClientCommand) => {
    const t = nowMs();
    const res = await fetch(`${url}/api/v1/commands`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `nextup_session=${cookie}`,
        'x-csrf-token': csrfToken,
      },
      body: JSON.stringify({ v: 1, command }),
    });
    await res.arrayBuffer();
    if (res.status !== 200 && res.status !== 409) throw new Error(`command failed: ${res.status}`);
    return nowMs() - t;
  };
}

export default {
  name: 'central: shipping to PostgreSQL',
  async run({ quick, log }) {
    const days = quick ? 1 : 7;
    const rounds = quick ? 1 : 3;
    const rows: BenchRow[] = [];
    const pg = await startLocalPostgres({ fsync: true });
    const dataDir = await mkdtemp(join(tmpdir(), 'nextup-bench-central-'));
    try {
      const c = await connectCentral(pg.url);
      await migrate(c, { now: MONDAY_0900 });

      let t = nowMs();
      const { head: backlog, endsAt } = buildBacklog(dataDir, days);
      log(`backlog: ${days} day(s), ${backlog} events, built in ${((nowMs() - t) / 1000).toFixed(1)} s`);

      const clock = new ManualClock(endsAt);
      const running = await startHub({
        dataDir,
        port: 0,
        host: '127.0.0.1',
        publicUrl: 'http://hub.bench',
        clock,
        logger: pino({ level: 'silent' }),
      });
      const send = await admin(running.url, running.setupToken!);
      let n = 0;
      const nextCommand = (): ClientCommand => {
        clock.advance(1000);
        n++;
        return n % 3 === 0
          ? { type: 'CallNext', data: { counterId: `c${1 + (n % 10)}` } }
          : { type: 'IssueTicket', data: { serviceId: n % 2 ? 'cash' : 'personal', class: 'normal' } };
      };

      // ── command latency with nothing to ship (idle baseline) ──
      const idle: number[] = [];
      for (let i = 0; i < (quick ? 150 : 400); i++) idle.push(await send(nextCommand()));

      // ── catch-up rounds: a fresh branch id each time, so the store starts empty for it ──
      const catchUp: number[] = [];
      const during: number[] = [];
      let maxSync = 0;
      const syncTimes: number[] = [];
      let shippedPerRound = 0;
      for (let r = 0; r < rounds; r++) {
        const shipper = new Shipper({
          hub: running.hub,
          centralUrl: pg.url,
          branchId: `BENCH-${r}`,
          recordHealth: false,
        });
        const target = running.hub.head;
        t = nowMs();
        shipper.start();
        let done = false;
        const caughtUp = (async () => {
          while ((shipper.highWater ?? 0) < target) await new Promise((res) => setTimeout(res, 2));
          done = true;
        })();
        // Meanwhile the tellers keep working: one command after another, as fast as answered.
        while (!done) during.push(await send(nextCommand()));
        await caughtUp;
        const seconds = (nowMs() - t) / 1000;
        catchUp.push(target / seconds);
        shippedPerRound = target;
        maxSync = Math.max(maxSync, shipper.maxSyncMs);
        syncTimes.push(...shipper.syncTimesMs);
        await shipper.stop();
        log(`round ${r + 1}: ${target} events in ${seconds.toFixed(2)} s, ${during.length} commands so far`);
      }
      const events: LoggedEvent[] = running.hub.log.readAfter(0, 10_000_000);
      await running.close();

      // ── the same rows by plain COPY, into the same table shape ──
      const months = [...new Set(events.map((e) => encodeBatch([e]).months[0]!))];
      const copyRates: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const table = await createEventsTableLike(c, 'bench_copy', months);
        const s = events.slice(0, shippedPerRound);
        t = nowMs();
        await copyEvents(c, table, 'BENCH', 'Asia/Shanghai', s);
        copyRates.push(s.length / ((nowMs() - t) / 1000));
      }
      rows.push(
        rowFromSamples(
          `central: shipper catch-up after a ${days}-day backlog (hub → PostgreSQL)`,
          'events/s',
          catchUp,
          { label: 'COPY of the same rows', samples: copyRates },
          `${shippedPerRound} events (busy branch: 500 tickets/day, ~4.1 events/ticket), ${BATCH}/batch, ` +
            `${rounds} round(s), loopback, fsync on; tellers sending commands throughout`,
        ),
      );

      // ── the insert shapes we chose between, store side only (no hub), one batch size ──
      const shapes: [string, (b: LoggedEvent[], i: number) => Promise<unknown>][] = [
        [
          'ship_batch(json) — chosen',
          (b, i) =>
            shipBatch(c, {
              branchId: `SHAPE-${i}`,
              hubId: 'h',
              timeZone: 'Asia/Shanghai',
              hubHead: 0,
              events: b,
            }),
        ],
        [
          'INSERT … unnest(arrays) ON CONFLICT',
          (b) => insertUnnest(c, 'bench_shape.events', 'B', 'Asia/Shanghai', b),
        ],
        [
          'COPY to staging + INSERT SELECT ON CONFLICT',
          (b) => insertViaStaging(c, 'bench_shape.events', 'B', 'Asia/Shanghai', b),
        ],
      ];
      const subset = events.slice(0, Math.min(events.length, quick ? 3000 : 10_000));
      for (const [label, insert] of shapes) {
        const rates: number[] = [];
        for (let r = 0; r < rounds; r++) {
          await createEventsTableLike(c, 'bench_shape', months);
          t = nowMs();
          for (let s = 0; s < subset.length; s += BATCH) await insert(subset.slice(s, s + BATCH), r);
          rates.push(subset.length / ((nowMs() - t) / 1000));
        }
        const copy: number[] = [];
        for (let r = 0; r < rounds; r++) {
          const table = await createEventsTableLike(c, 'bench_copy', months);
          t = nowMs();
          await copyEvents(c, table, 'B', 'Asia/Shanghai', subset);
          copy.push(subset.length / ((nowMs() - t) / 1000));
        }
        rows.push(
          rowFromSamples(
            `central: insert shape ${label}`,
            'events/s',
            rates,
            { label: 'one COPY', samples: copy },
            `${subset.length} events, ${BATCH}/batch`,
          ),
        );
      }

      // ── bytes per stored event (heap + TOAST, and indexes), against the raw JSON ──
      await c.query('VACUUM ANALYZE nextup.events');
      const size = await c.query<{ rows: number; heap: number; idx: number }>(
        `SELECT sum(c.reltuples)::float8 AS rows, sum(pg_table_size(c.oid))::float8 AS heap,
                sum(pg_indexes_size(c.oid))::float8 AS idx
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'nextup.events'::regclass`,
      );
      const sz = size.rows[0]!;
      const rawJson =
        events.reduce(
          (s, e) =>
            s + JSON.stringify(e.event.data).length + JSON.stringify(e.actor).length + e.event.type.length,
          0,
        ) / events.length;
      rows.push({
        name: 'central: bytes per stored event (table + TOAST + indexes)',
        unit: 'B',
        median: (sz.heap + sz.idx) / sz.rows,
        p99: null,
        baseline: rawJson,
        baselineLabel: 'the event as JSON text',
        ratio: (sz.heap + sz.idx) / sz.rows / rawJson,
        note: `${Math.round(sz.rows)} rows: table+TOAST ${(sz.heap / sz.rows) | 0} B, indexes ${(sz.idx / sz.rows) | 0} B per event`,
      });

      // ── the branch's side ──
      rows.push(
        rowFromSamples(
          'hub: command latency while the shipper catches up',
          'ms',
          during,
          { label: 'same commands, shipper idle', samples: idle },
          `HTTP POST /api/v1/commands (synchronous=FULL), ${during.length} during / ${idle.length} idle; ` +
            `p99 idle ${samplePercentile(idle, 99).toFixed(2)} ms`,
        ),
      );
      rows.push(
        rowFromSamples(
          `hub: shipper's synchronous work per batch of ${BATCH} (SQLite read + JSON)`,
          'ms',
          syncTimes,
          undefined,
          `${syncTimes.length} batches; longest ${maxSync.toFixed(1)} ms; ` +
            'one acknowledged command costs its fsync on the same thread',
        ),
      );
      await c.end();
    } finally {
      await pg.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
    return rows;
  },
} satisfies BenchSuite;
