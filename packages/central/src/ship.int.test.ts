import type { LoggedEvent } from '@nextup/protocol';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCentral } from './connect.ts';
import { CentralError } from './errors.ts';
import { listPartitions, migrate } from './migrations.ts';
import { branchMark, readEvents, shipBatch } from './ship.ts';
import { storeStatus } from './status.ts';
import { generateBranchEvents, prng } from './test-support/branch-days.ts';
import { type LocalPostgres, startLocalPostgres } from './test-support/postgres.ts';

const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0); // Asia/Shanghai
const TZ = 'Asia/Shanghai';

async function count(c: pg.Client, branchId: string) {
  const r = await c.query<{ n: number; distinct_seq: number; max: number | null }>(
    'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq, max(seq) AS max FROM nextup.events WHERE branch_id = $1',
    [branchId],
  );
  return r.rows[0]!;
}

describe('shipping batches into the central store (real PostgreSQL)', () => {
  let server: LocalPostgres;
  let c: pg.Client;
  const day = generateBranchEvents({ start: MONDAY_0900, days: 1, ticketsPerDay: 200, seed: 7 });
  const events = day.events;
  expect(events.length).toBeGreaterThan(500);

  beforeAll(async () => {
    server = await startLocalPostgres();
    c = await connectCentral(server.url);
    await migrate(c, { now: MONDAY_0900 });
  });
  afterAll(async () => {
    await c?.end();
    await server?.destroy();
  });

  const ship = (branchId: string, batch: readonly LoggedEvent[], hubId = `hub-${branchId}`, client = c) =>
    shipBatch(client, { branchId, hubId, timeZone: TZ, hubHead: events.length, events: batch });

  it('stores every event exactly once however the log is cut into batches and replayed', async () => {
    const rnd = prng(3);
    let from = 0;
    let stored = 0;
    while (from < events.length) {
      // A batch that starts anywhere from the stored mark back to 50 events before it (a replay).
      const start = Math.max(0, from - Math.floor(rnd() * 50));
      const size = 1 + Math.floor(rnd() * 300);
      const batch = events.slice(start, start + size);
      const r = await ship('BR-A', batch);
      expect(r.inserted).toBe(Math.max(0, start + batch.length - from));
      stored += r.inserted;
      from = r.highWater;
      expect(r.highWater).toBe(Math.max(from, start + batch.length));
    }
    expect(stored).toBe(events.length);
    expect(await count(c, 'BR-A')).toEqual({
      n: events.length,
      distinct_seq: events.length,
      max: events.length,
    });
    expect(await readEvents(c, 'BR-A')).toEqual(events);
  });

  it('adds nothing for a replayed batch, even two copies sent at once on two connections', async () => {
    const batch = events.slice(0, 400);
    expect((await ship('BR-B', batch)).inserted).toBe(400);
    expect((await ship('BR-B', batch)).inserted).toBe(0);
    const other = await connectCentral(server.url);
    try {
      const next = events.slice(400);
      const [x, y] = await Promise.all([ship('BR-B', next), ship('BR-B', next, 'hub-BR-B', other)]);
      expect(x.inserted + y.inserted).toBe(next.length);
      expect(x.highWater).toBe(events.length);
      expect(y.highWater).toBe(events.length);
    } finally {
      await other.end();
    }
    expect(await count(c, 'BR-B')).toEqual({
      n: events.length,
      distinct_seq: events.length,
      max: events.length,
    });
  });

  it('refuses a batch that would leave a gap, and stores nothing of it', async () => {
    await ship('BR-C', events.slice(0, 10));
    const e = await ship('BR-C', events.slice(20, 30)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CentralError);
    expect((e as CentralError).code).toBe('GAP');
    expect(await count(c, 'BR-C')).toEqual({ n: 10, distinct_seq: 10, max: 10 });
    expect((await branchMark(c, 'BR-C'))?.highWater).toBe(10);
  });

  it('keeps a branch id to the hub that first shipped it', async () => {
    await ship('BR-D', events.slice(0, 5), 'hub-one');
    const e = await ship('BR-D', events.slice(5, 10), 'hub-two').catch((x: unknown) => x);
    expect((e as CentralError).code).toBe('BRANCH_CLAIMED');
    expect((await branchMark(c, 'BR-D'))?.hubId).toBe('hub-one');
  });

  it('ships branches side by side without interfering', async () => {
    const ids = ['BR-E1', 'BR-E2', 'BR-E3', 'BR-E4'];
    const clients = await Promise.all(ids.map(() => connectCentral(server.url)));
    try {
      await Promise.all(
        ids.map(async (id, i) => {
          for (let s = 0; s < events.length; s += 137)
            await ship(id, events.slice(s, s + 137), `hub-${id}`, clients[i]);
        }),
      );
    } finally {
      await Promise.all(clients.map((x) => x.end()));
    }
    for (const id of ids)
      expect(await count(c, id)).toEqual({
        n: events.length,
        distinct_seq: events.length,
        max: events.length,
      });
    const status = await storeStatus(c);
    const e1 = status.branches.find((b) => b.branchId === 'BR-E1')!;
    expect(e1).toMatchObject({
      highWater: events.length,
      hubHead: events.length,
      lagEvents: 0,
      timeZone: TZ,
    });
    expect(e1.name).toEqual({ zh: '示范支行', en: 'Demo Branch' });
  });

  it('extracts the business day, ticket, service and counter at insert time', async () => {
    const r = await c.query<{
      type: string;
      day: string;
      ticket_id: string;
      service_id: string;
      counter_id: string;
    }>(
      `SELECT type, day::text, ticket_id, service_id, counter_id FROM nextup.events
        WHERE branch_id = 'BR-A' AND type IN ('TicketIssued', 'TicketCalled') ORDER BY seq LIMIT 50`,
    );
    const issued = r.rows.find((x) => x.type === 'TicketIssued')!;
    expect(issued.day).toBe('2026-11-23');
    expect(issued.ticket_id).toMatch(/^t-\d+$/);
    expect(['cash', 'personal', 'business', 'wealth']).toContain(issued.service_id);
    const called = r.rows.find((x) => x.type === 'TicketCalled')!;
    expect(called.counter_id).toMatch(/^c\d+$/);
  });

  it('lets several hubs cross into a month with no partition at the same moment', async () => {
    const inMarch = events.slice(0, 40).map((e, i) => ({
      ...e,
      event: { ...e.event, data: { ...e.event.data, at: Date.UTC(2028, 2, 1, 0, 0, 0, i) } },
    })) as LoggedEvent[];
    const ids = ['BR-M1', 'BR-M2', 'BR-M3', 'BR-M4', 'BR-M5'];
    const clients = await Promise.all(ids.map(() => connectCentral(server.url)));
    try {
      await Promise.all(ids.map((id, i) => ship(id, inMarch, `hub-${id}`, clients[i])));
    } finally {
      await Promise.all(clients.map((x) => x.end()));
    }
    expect(await listPartitions(c)).toContain('events_2028_03');
    for (const id of ids) expect((await count(c, id)).n).toBe(40);
  });

  it('creates a month partition on demand when events cross into a month with none', async () => {
    const late = events.slice(0, 3).map((e, i) => ({
      ...e,
      event: { ...e.event, data: { ...e.event.data, at: Date.UTC(2027, 6, 31, 23, 59, 59, 998 + i) } },
    })) as LoggedEvent[];
    await ship('BR-F', late);
    const parts = await listPartitions(c);
    expect(parts).toContain('events_2027_07');
    expect(parts).toContain('events_2027_08');
    const r = await c.query<{ p: string; day: string }>(
      `SELECT c.relname AS p, e.day::text FROM nextup.events e JOIN pg_class c ON c.oid = e.tableoid
        WHERE e.branch_id = 'BR-F' ORDER BY e.seq`,
    );
    // 23:59:59.998 UTC is already the 1st in Shanghai; the partition follows UTC.
    expect(r.rows).toEqual([
      { p: 'events_2027_07', day: '2027-08-01' },
      { p: 'events_2027_07', day: '2027-08-01' },
      { p: 'events_2027_08', day: '2027-08-01' },
    ]);
  });
});
