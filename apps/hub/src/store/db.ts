import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the hub's SQLite file in WAL mode with `synchronous=FULL`: better-sqlite3
 * defaults WAL to NORMAL, where a commit can be lost on power failure; with FULL the WAL is fsynced at
 * every commit, so a command acknowledged to a kiosk survives a power cut.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') ownerOnly(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  if (file !== ':memory:')
    for (const f of [`${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/**
 * The file holds the branch's whole log (customers' names and phone tails included) and every
 * credential's hash: readable by the hub's user only. The folder is made 0700 (an existing one too),
 * and the file is created 0600 before SQLite opens it, which would otherwise create it 0644 (and its
 * -wal and -shm files with the same mode as the file).
 */
function ownerOnly(file: string) {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

/** Applies the migrations the file has not seen yet, each in its own transaction, in order. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length)
    throw new Error(
      `the hub's database is at schema version ${current}, newer than this hub (${MIGRATIONS.length}): upgrade the hub`,
    );
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return MIGRATIONS.length;
}
