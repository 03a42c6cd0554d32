import { connectCentral, migrate, readEvents, storeStatus } from '@nextup/central';
import { type LocalPostgres, startLocalPostgres } from '@nextup/central/testing';
import type { LoggedEvent, ShipperStatus } from '@nextup/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, setUpAdmin, startTestHub, type TestHub } from '../../test/support.ts';

/** Fast pacing for tests: the real defaults wait seconds to minutes. */
const FAST = {
  pollMs: 30,
  backoffInitialMs: 50,
  backoffMaxMs: 300,
  offlineAfterMs: 0,
  laggingAfterSeconds: 60,
  heartbeatMs: 200,
  connectTimeoutMs: 3000,
  queryTimeoutMs: 10_000,
};

const issue = (c: Client, serviceId = 'cash') =>
  c.command({ type: 'IssueTicket', data: { serviceId, class: 'normal' } });

async function busyMorning(hub: TestHub, admin: Client, tickets: number) {
  await admin.command({ type: 'OpenCounter', data: { counterId: 'c1' } });
  for (let i = 0; i < tickets; i++) {
    hub.clock.advance(20_000);
    expect((await issue(admin, i % 3 === 0 ? 'personal' : 'cash')).status).toBe(200);
    if (i % 2 === 1) await admin.command({ type: 'CallNext', data: { counterId: 'c1' } });
  }
}

const allEvents = (hub: TestHub): LoggedEvent[] => hub.hub.log.readAfter(0, 1_000_000);

async function caughtUp(hub: TestHub, admin: Client, timeoutMs = 30_000) {
  await expect
    .poll(() => hub.shipper?.highWater === hub.hub.head, {
      timeout: timeoutMs,
      message: `shipper of ${hub.hub.hubId} caught up`,
    })
    .toBeTruthy();
  const s = (await admin.get('/api/v1/admin/shipper')).body as ShipperStatus;
  return s;
}

describe('the hub ships its event log to the central store (real PostgreSQL)', () => {
  let pg: LocalPostgres;
  beforeAll(async () => {
    pg = await startLocalPostgres();
    const c = await connectCentral(pg.url);
    await migrate(c);
    await c.end();
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  it('is off unless a central URL and a branch id are configured', async () => {
    const hub = await startTestHub();
    try {
      expect(hub.shipper).toBeNull();
      const admin = await setUpAdmin(hub);
      const s = (await admin.get('/api/v1/admin/shipper')).body as ShipperStatus;
      expect(s).toMatchObject({ enabled: false, code: null, head: hub.hub.head });
    } finally {
      await hub.close();
    }
  });

  it('survives an outage of the store: every event arrives exactly once when it is back', async () => {
    const hub = await startTestHub({
      centralUrl: pg.url,
      branchId: 'BR-OUTAGE',
      shipper: { ...FAST, batchSize: 7 },
    });
    const c = await connectCentral(pg.url);
    try {
      const admin = await setUpAdmin(hub);
      await busyMorning(hub, admin, 10);
      expect((await caughtUp(hub, admin)).code).toBe('OK');

      await c.end();
      await pg.stop();
      // The branch works on while the WAN is down: every command is answered.
      await busyMorning(hub, admin, 30);
      hub.clock.advance(10 * 60_000);
      await expect
        .poll(
          async () => ((await admin.get('/api/v1/admin/shipper')).body as ShipperStatus).code === 'OFFLINE',
          { timeout: 20_000, message: 'OFFLINE' },
        )
        .toBeTruthy();
      const offline = (await admin.get('/api/v1/admin/shipper')).body as ShipperStatus;
      expect(offline).toMatchObject({
        enabled: true,
        branchId: 'BR-OUTAGE',
        code: 'OFFLINE',
        errorCode: 'UNREACHABLE',
      });
      expect(offline.lagEvents).toBeGreaterThan(30);
      expect(offline.lagSeconds).toBeGreaterThan(600);
      expect(offline.failures).toBeGreaterThan(0);
      expect(offline.message?.zh).toContain('中央库');
      expect(offline.central).not.toContain('undefined');

      await pg.start();
      const back = await caughtUp(hub, admin);
      await expect
        .poll(async () => ((await admin.get('/api/v1/admin/shipper')).body as ShipperStatus).code === 'OK', {
          timeout: 20_000,
          message: 'OK again',
        })
        .toBeTruthy();
      expect(back.lagEvents).toBe(0);

      const c2 = await connectCentral(pg.url);
      try {
        const stored = await readEvents(c2, 'BR-OUTAGE', 0, 1_000_000);
        expect(stored).toEqual(allEvents(hub));
        const dup = await c2.query(
          "SELECT count(*)::int AS n, count(DISTINCT seq)::int AS d FROM nextup.events WHERE branch_id = 'BR-OUTAGE'",
        );
        expect(dup.rows[0]).toEqual({ n: hub.hub.head, d: hub.hub.head });
      } finally {
        await c2.end();
      }

      // The health changes are in the log, for the admin console: OFFLINE, then catching up, then OK.
      const codes = allEvents(hub)
        .filter((e) => e.event.type === 'DeviceHealthReported' && e.event.data.deviceId === hub.hub.hubId)
        .map((e) =>
          e.event.type === 'DeviceHealthReported' ? e.event.data.health.components[0]?.code : null,
        );
      expect(codes).toEqual(['OK', 'OFFLINE', 'LAGGING', 'OK']);
    } finally {
      await hub.close();
      if (!pg.running) await pg.start();
    }
  });

  it('ships two hubs at once, each branch exactly once', async () => {
    const [a, b] = await Promise.all([
      startTestHub({ centralUrl: pg.url, branchId: 'BR-TWO-A', shipper: { ...FAST, batchSize: 5 } }),
      startTestHub({ centralUrl: pg.url, branchId: 'BR-TWO-B', shipper: { ...FAST, batchSize: 5 } }),
    ]);
    try {
      const [adminA, adminB] = await Promise.all([setUpAdmin(a), setUpAdmin(b)]);
      await Promise.all([busyMorning(a, adminA, 25), busyMorning(b, adminB, 25)]);
      await Promise.all([caughtUp(a, adminA), caughtUp(b, adminB)]);
      const c = await connectCentral(pg.url);
      try {
        expect(await readEvents(c, 'BR-TWO-A', 0, 1_000_000)).toEqual(allEvents(a));
        expect(await readEvents(c, 'BR-TWO-B', 0, 1_000_000)).toEqual(allEvents(b));
        const status = await storeStatus(c);
        for (const [id, hub] of [
          ['BR-TWO-A', a],
          ['BR-TWO-B', b],
        ] as const)
          expect(status.branches.find((x) => x.branchId === id)).toMatchObject({
            hubId: hub.hub.hubId,
            highWater: hub.hub.head,
            lagEvents: 0,
          });
      } finally {
        await c.end();
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('resumes from the store’s high-water mark, not its own cursor (a store restored from backup)', async () => {
    const hub = await startTestHub({ centralUrl: pg.url, branchId: 'BR-RESTORE', shipper: FAST });
    const c = await connectCentral(pg.url);
    try {
      const admin = await setUpAdmin(hub);
      await busyMorning(hub, admin, 20);
      await caughtUp(hub, admin);
      await hub.shipper!.stop();
      // The store loses its newest events (restored to an older backup), the mark with them.
      const keep = Math.floor(hub.hub.head / 2);
      await c.query("DELETE FROM nextup.events WHERE branch_id = 'BR-RESTORE' AND seq > $1", [keep]);
      await c.query(
        `UPDATE nextup.branches SET high_water = $1,
           high_water_at = (SELECT at FROM nextup.events WHERE branch_id = 'BR-RESTORE' AND seq = $1)
         WHERE branch_id = 'BR-RESTORE'`,
        [keep],
      );
      hub.shipper!.start();
      await caughtUp(hub, admin);
      expect(await readEvents(c, 'BR-RESTORE', 0, 1_000_000)).toEqual(allEvents(hub));
    } finally {
      await c.end();
      await hub.close();
    }
  });

  it('reports ERROR when the branch id belongs to another hub, and the branch works on', async () => {
    const first = await startTestHub({ centralUrl: pg.url, branchId: 'BR-TAKEN', shipper: FAST });
    const firstAdmin = await setUpAdmin(first);
    await caughtUp(first, firstAdmin);
    await first.close();
    const second = await startTestHub({ centralUrl: pg.url, branchId: 'BR-TAKEN', shipper: FAST });
    try {
      const admin = await setUpAdmin(second);
      await expect
        .poll(
          async () => ((await admin.get('/api/v1/admin/shipper')).body as ShipperStatus).code === 'ERROR',
          { timeout: 20_000, message: 'ERROR' },
        )
        .toBeTruthy();
      const s = (await admin.get('/api/v1/admin/shipper')).body as ShipperStatus;
      expect(s).toMatchObject({ code: 'ERROR', level: 'error', errorCode: 'BRANCH_CLAIMED' });
      expect(s.message?.en).toMatch(/another hub/);
      expect((await issue(admin)).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('reports ERROR with the fix when the store was never migrated', async () => {
    const url = await pg.createDatabase('never_migrated');
    const hub = await startTestHub({ centralUrl: url, branchId: 'BR-NEW', shipper: FAST });
    try {
      const admin = await setUpAdmin(hub);
      await expect
        .poll(
          async () =>
            ((await admin.get('/api/v1/admin/shipper')).body as ShipperStatus).errorCode === 'SCHEMA_MISSING',
          { timeout: 20_000, message: 'SCHEMA_MISSING' },
        )
        .toBeTruthy();
      const s = (await admin.get('/api/v1/admin/shipper')).body as ShipperStatus;
      expect(s.code).toBe('ERROR');
      expect(s.message?.zh).toContain('central migrate');
      // Migrating the store later is enough: the shipper retries and catches up by itself.
      const c = await connectCentral(url);
      await migrate(c);
      await c.end();
      await caughtUp(hub, admin);
    } finally {
      await hub.close();
    }
  });
});
