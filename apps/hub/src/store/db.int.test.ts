import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
      expect.arrayContaining(['events', 'snapshots', 'staff', 'sessions', 'devices', 'requests', 'meta']),
    );
    // Pairing codes live in memory only (a six-digit code's hash is no secret).
    expect(tables).not.toContain('pairing_codes');
    db.close();
  });

  it('keeps the file to the hub’s user: the file 0600, the WAL 0600, its folder 0700 (an existing one too)', () => {
    const fresh = join(dir, 'fresh', 'deeper');
    const db = openDatabase(join(fresh, 'hub.sqlite'));
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('k', 'v');
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    for (const f of ['hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm'])
      expect(statSync(join(fresh, f)).mode & 0o777, f).toBe(0o600);
    db.close();
    // A folder and a file left world-readable by an older hub are tightened.
    const old = join(dir, 'old');
    mkdirSync(old, { mode: 0o755 });
    chmodSync(old, 0o755);
    writeFileSync(join(old, 'hub.sqlite'), '', { mode: 0o644 });
    chmodSync(join(old, 'hub.sqlite'), 0o644);
    openDatabase(join(old, 'hub.sqlite')).close();
    expect(statSync(old).mode & 0o777).toBe(0o700);
    expect(statSync(join(old, 'hub.sqlite')).mode & 0o777).toBe(0o600);
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
