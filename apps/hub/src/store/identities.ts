import type { DeviceKind, StaffRole } from '@nextup/protocol';
import type { Db } from './db.ts';

export interface StaffRecord {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  counterIds: string[];
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
}

export interface SessionRecord {
  tokenHash: string;
  staffId: string;
  /** SHA-256 of the session's CSRF token (never the token). */
  csrfHash: string;
  createdAt: number;
  expiresAt: number;
}

export interface DeviceRecord {
  id: string;
  kind: DeviceKind;
  name: string;
  tokenHash: string;
  pairedAt: number;
  revokedAt: number | null;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  keyHash: string;
  createdBy: string;
  createdAt: number;
  revokedAt: number | null;
}

interface StaffRow {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  counter_ids: string;
  password_hash: string;
  disabled: number;
  created_at: number;
}

const staffFromRow = (r: StaffRow): StaffRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  counterIds: JSON.parse(r.counter_ids) as string[],
  passwordHash: r.password_hash,
  disabled: r.disabled !== 0,
  createdAt: r.created_at,
});

interface DeviceRow {
  id: string;
  kind: DeviceKind;
  name: string;
  token_hash: string;
  paired_at: number;
  revoked_at: number | null;
}

const deviceFromRow = (r: DeviceRow): DeviceRecord => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  tokenHash: r.token_hash,
  pairedAt: r.paired_at,
  revokedAt: r.revoked_at,
});

/**
 * Secrets and identities: staff accounts with password hashes, sessions, device tokens, API keys,
 * and the answers to committed requests (idempotency). These tables are the only place secrets live;
 * the event log records who did what, never a secret.
 */
export class Identities {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  // ── meta ──
  getMeta(key: string): string | null {
    return (
      this.#db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value ??
      null
    );
  }
  setMeta(key: string, value: string): void {
    this.#db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }
  deleteMeta(key: string): void {
    this.#db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  }

  // ── staff ──
  staffCount(): number {
    return this.#db.prepare<[], { n: number }>('SELECT count(*) AS n FROM staff').get()!.n;
  }
  staffByUsername(username: string): StaffRecord | null {
    const r = this.#db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE username = ?').get(username);
    return r ? staffFromRow(r) : null;
  }
  staffById(id: string): StaffRecord | null {
    const r = this.#db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE id = ?').get(id);
    return r ? staffFromRow(r) : null;
  }
  allStaff(): StaffRecord[] {
    return this.#db.prepare<[], StaffRow>('SELECT * FROM staff ORDER BY created_at').all().map(staffFromRow);
  }
  insertStaff(s: StaffRecord): void {
    this.#db
      .prepare(
        'INSERT INTO staff (id, username, display_name, role, counter_ids, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        s.id,
        s.username,
        s.displayName,
        s.role,
        JSON.stringify(s.counterIds),
        s.passwordHash,
        s.disabled ? 1 : 0,
        s.createdAt,
      );
  }
  updateStaff(s: StaffRecord): void {
    this.#db
      .prepare(
        'UPDATE staff SET display_name = ?, role = ?, counter_ids = ?, password_hash = ?, disabled = ? WHERE id = ?',
      )
      .run(s.displayName, s.role, JSON.stringify(s.counterIds), s.passwordHash, s.disabled ? 1 : 0, s.id);
  }

  // ── sessions ──
  insertSession(s: SessionRecord): void {
    this.#db
      .prepare(
        'INSERT INTO sessions (token_hash, staff_id, csrf_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(s.tokenHash, s.staffId, s.csrfHash, s.createdAt, s.expiresAt);
  }
  session(tokenHash: string): SessionRecord | null {
    const r = this.#db
      .prepare<
        [string],
        { token_hash: string; staff_id: string; csrf_hash: string; created_at: number; expires_at: number }
      >('SELECT * FROM sessions WHERE token_hash = ?')
      .get(tokenHash);
    return r
      ? {
          tokenHash: r.token_hash,
          staffId: r.staff_id,
          csrfHash: r.csrf_hash,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
        }
      : null;
  }
  extendSession(tokenHash: string, expiresAt: number): void {
    this.#db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(expiresAt, tokenHash);
  }
  deleteSession(tokenHash: string): void {
    this.#db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }
  deleteSessionsOf(staffId: string): void {
    this.#db.prepare('DELETE FROM sessions WHERE staff_id = ?').run(staffId);
  }
  pruneSessions(now: number): void {
    this.#db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now);
  }

  // ── devices ──
  insertDevice(d: DeviceRecord): void {
    this.#db
      .prepare(
        'INSERT INTO devices (id, kind, name, token_hash, paired_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(d.id, d.kind, d.name, d.tokenHash, d.pairedAt, d.revokedAt);
  }
  deviceByTokenHash(tokenHash: string): DeviceRecord | null {
    const r = this.#db
      .prepare<[string], DeviceRow>('SELECT * FROM devices WHERE token_hash = ?')
      .get(tokenHash);
    return r ? deviceFromRow(r) : null;
  }
  deviceById(id: string): DeviceRecord | null {
    const r = this.#db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE id = ?').get(id);
    return r ? deviceFromRow(r) : null;
  }
  revokeDevice(id: string, at: number): void {
    this.#db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
  }
  renameDevice(id: string, name: string): void {
    this.#db.prepare('UPDATE devices SET name = ? WHERE id = ?').run(name, id);
  }

  // ── API keys ──
  insertApiKey(k: ApiKeyRecord): void {
    this.#db
      .prepare(
        'INSERT INTO api_keys (id, name, key_hash, created_by, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(k.id, k.name, k.keyHash, k.createdBy, k.createdAt, k.revokedAt);
  }
  #apiKey(where: string, value: string): ApiKeyRecord | null {
    const r = this.#db
      .prepare<
        [string],
        {
          id: string;
          name: string;
          key_hash: string;
          created_by: string;
          created_at: number;
          revoked_at: number | null;
        }
      >(`SELECT * FROM api_keys WHERE ${where} = ?`)
      .get(value);
    return r
      ? {
          id: r.id,
          name: r.name,
          keyHash: r.key_hash,
          createdBy: r.created_by,
          createdAt: r.created_at,
          revokedAt: r.revoked_at,
        }
      : null;
  }
  apiKeyById(id: string): ApiKeyRecord | null {
    return this.#apiKey('id', id);
  }
  apiKeyByHash(hash: string): ApiKeyRecord | null {
    return this.#apiKey('key_hash', hash);
  }
  allApiKeys(): ApiKeyRecord[] {
    return (
      this.#db.prepare('SELECT id FROM api_keys ORDER BY created_at').all() as { id: string }[]
    ).flatMap((r) => this.apiKeyById(r.id) ?? []);
  }
  revokeApiKey(id: string, at: number): void {
    this.#db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
  }

  // ── idempotency ──
  response(actorKey: string, requestId: string): string | null {
    return (
      this.#db
        .prepare<[string, string], { response: string }>(
          'SELECT response FROM requests WHERE actor_key = ? AND request_id = ?',
        )
        .get(actorKey, requestId)?.response ?? null
    );
  }
  saveResponse(actorKey: string, requestId: string, response: string, at: number): void {
    this.#db
      .prepare(
        'INSERT OR REPLACE INTO requests (actor_key, request_id, response, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(actorKey, requestId, response, at);
  }
  pruneResponses(before: number): void {
    this.#db.prepare('DELETE FROM requests WHERE created_at < ?').run(before);
  }
}
