import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from './db.ts';
import { MIGRATIONS } from './migrations.ts';

describe('the hub database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nextup-db-'));

  it('opens in WAL mode with synchronous=FULL, so an acknowledged commit survives a power cut', () => {
    const db = openDatabase(join(dir, 'a.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL (NORMAL is 1)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('applies every migration once and records the schema version', () => {
    const db = openDatabase(join(dir, 'b.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'events',
        'snapshots',
        'staff',
        'sessions',
        'devices',
        'pairing_codes',
        'requests',
        'meta',
      ]),
    );
    db.close();
  });

  it('refuses a database from a newer hub instead of guessing', () => {
    const file = join(dir, 'c.sqlite');
    const db = openDatabase(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer than this hub/);
    rmSync(dir, { recursive: true, force: true });
  });
});
