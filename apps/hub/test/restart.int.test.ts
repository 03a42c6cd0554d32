import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startHub } from '../src/index.ts';
import { Client, createTeller, pairDevice, setUpAdmin, startTestHub, tempDir } from './support.ts';

describe('stopping and starting the hub', () => {
  it('keeps the state, the sessions’ right to act, device tokens and the ticket numbering', async () => {
    const { dir, remove } = tempDir();
    try {
      const first = await startTestHub({ dir });
      const admin = await setUpAdmin(first);
      const teller = await createTeller(first, admin, 'zhao', ['c1']);
      const kiosk = await pairDevice(first, admin, 'kiosk');
      await teller.command({ type: 'OpenCounter', data: { counterId: 'c1' } });
      for (let i = 0; i < 3; i++)
        await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
      await teller.command({ type: 'CallNext', data: { counterId: 'c1' } });
      const viewBefore = first.hub.view;
      await first.close();

      const second = await startTestHub({ dir, clock: first.clock });
      try {
        expect(second.setupToken).toBeNull();
        expect(second.hub.view).toEqual(viewBefore);
        expect(second.hub.hubId).toBe(first.hub.hubId);
        // The same cookies and tokens still work.
        const t2 = new Client(second.url);
        t2.cookie = teller.cookie;
        t2.csrf = teller.csrf;
        expect((await t2.command({ type: 'CallNext', data: { counterId: 'c1' } })).status).toBe(200);
        const k2 = new Client(second.url);
        k2.token = kiosk.token;
        const r = await k2.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
        expect(r.body.ticket.number).toBe('A004');
      } finally {
        await second.close();
      }
    } finally {
      remove();
    }
  });

  it('writes the log in WAL mode and replays from a snapshot', async () => {
    const { dir, remove } = tempDir();
    try {
      const hub = await startTestHub({ dir, snapshotEvery: 10 });
      const admin = await setUpAdmin(hub);
      const kiosk = await pairDevice(hub, admin, 'kiosk');
      for (let i = 0; i < 25; i++)
        await kiosk.command({ type: 'IssueTicket', data: { serviceId: 'personal', class: 'normal' } });
      const db = new Database(join(dir, 'hub.sqlite'), { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const snaps = db.prepare('SELECT seq FROM snapshots ORDER BY seq DESC').all() as { seq: number }[];
      expect(snaps.length).toBeGreaterThan(0);
      expect(snaps[0]!.seq).toBeGreaterThan(10);
      db.close();
      await hub.close();
      const again = await startTestHub({ dir, clock: hub.clock });
      expect(Object.keys(again.hub.view.state.tickets)).toHaveLength(25);
      await again.close();
    } finally {
      remove();
    }
  });

  it('continues a demo clock from the log’s last time on a second start, never back to its origin', async () => {
    const { dir, remove } = tempDir();
    const origin = '2026-11-23T08:30:00+08:00';
    const start = () =>
      startHub({
        port: 0,
        host: '127.0.0.1',
        dataDir: dir,
        publicUrl: 'http://hub.test:8300',
        logger: pino({ level: 'silent' }),
        // An hour of hub time per real second: the first run reaches about 08:31 in one second.
        timeOrigin: origin,
        timeRate: 3600,
      });
    try {
      const first = await start();
      const admin = await setUpAdmin(first);
      await new Promise((r) => setTimeout(r, 300));
      await admin.command({ type: 'OpenCounter', data: { counterId: 'c1' } });
      const lastAt = first.hub.clock.now();
      expect(lastAt).toBeGreaterThan(Date.parse(origin) + 10 * 60_000);
      await first.close();

      const second = await start();
      try {
        // The second run starts where the first left off, not at 08:30 again.
        expect(second.hub.clock.now()).toBeGreaterThanOrEqual(lastAt);
        const a2 = await setUpAdmin(second).catch(() => null);
        expect(a2).toBeNull(); // already set up: the same branch, continued
      } finally {
        await second.close();
      }
    } finally {
      remove();
    }
  });
});
