import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCentral } from './connect.ts';
import { CentralError } from './errors.ts';
import { listPartitions, MIGRATIONS, migrate, SCHEMA_VERSION, schemaVersion } from './migrations.ts';
import { type LocalPostgres, startLocalPostgres } from './test-support/postgres.ts';

describe('central store migrations (real PostgreSQL)', () => {
  let server: LocalPostgres;
  beforeAll(async () => {
    server = await startLocalPostgres();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('applies every version once, in order, and a second run applies nothing', async () => {
    const url = await server.createDatabase('fresh');
    const c = await connectCentral(url);
    try {
      expect(await schemaVersion(c)).toBe(0);
      const first = await migrate(c, { now: Date.UTC(2026, 10, 23) });
      expect(first.applied).toEqual(MIGRATIONS.map((m) => m.version));
      expect(first.version).toBe(SCHEMA_VERSION);
      const again = await migrate(c, { now: Date.UTC(2026, 10, 23) });
      expect(again.applied).toEqual([]);
      expect(await schemaVersion(c)).toBe(SCHEMA_VERSION);
      const rows = await c.query('SELECT version, name FROM nextup.schema_migrations ORDER BY version');
      expect(rows.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      // This month and three ahead exist, named by UTC month.
      expect(await listPartitions(c)).toEqual([
        'events_2026_11',
        'events_2026_12',
        'events_2027_01',
        'events_2027_02',
      ]);
    } finally {
      await c.end();
    }
  });

  it('runs safely when two migrators start at once (advisory lock)', async () => {
    const url = await server.createDatabase('racing');
    const [a, b] = await Promise.all([connectCentral(url), connectCentral(url)]);
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      expect([...ra.applied, ...rb.applied].sort()).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await schemaVersion(a)).toBe(SCHEMA_VERSION);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('refuses a store from newer code, and one whose applied migration was edited', async () => {
    const url = await server.createDatabase('tampered');
    const c = await connectCentral(url);
    try {
      await migrate(c);
      await c.query("UPDATE nextup.schema_migrations SET checksum = 'edited' WHERE version = 1");
      await expect(migrate(c)).rejects.toMatchObject({ code: 'MIGRATION_CHANGED' });
      await c.query(
        "INSERT INTO nextup.schema_migrations (version, name, checksum) VALUES (99, 'from the future', 'x')",
      );
      const e = await migrate(c).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CentralError);
      expect((e as CentralError).code).toBe('SCHEMA_NEWER');
    } finally {
      await c.end();
    }
  });

  it('classifies a refused connection as UNREACHABLE (the WAN is down)', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const e = await connectCentral(server.url.replace(`:${server.port}/`, ':1/'), {
      connectTimeoutMs: 2000,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CentralError);
    expect((e as CentralError).code).toBe('UNREACHABLE');
  });
});
