/**
 * Versioned schema migrations, applied in order; `PRAGMA user_version` says how many have run.
 * Never edit a released migration: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the event log, snapshots, identities, idempotency.
  `
  CREATE TABLE events (
    seq     INTEGER PRIMARY KEY,          -- 1, 2, 3… with no gaps
    at      INTEGER NOT NULL,             -- epoch ms (hub clock)
    type    TEXT    NOT NULL,
    actor   TEXT    NOT NULL,             -- JSON: {kind:'staff'|'device'|'system'|'public', id?}
    data    TEXT    NOT NULL              -- JSON: the event's data
  );
  CREATE INDEX events_type ON events(type);

  CREATE TABLE snapshots (
    seq      INTEGER PRIMARY KEY,
    format   INTEGER NOT NULL,
    view     TEXT    NOT NULL,            -- JSON BranchView
    taken_at INTEGER NOT NULL
  );

  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE staff (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('teller','manager','admin')),
    counter_ids   TEXT NOT NULL DEFAULT '[]',
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
  );

  CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,          -- sha256 of the cookie value; the value itself is never stored
    staff_id    TEXT NOT NULL REFERENCES staff(id),
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  );

  CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    paired_at   INTEGER NOT NULL,
    revoked_at  INTEGER
  );

  CREATE TABLE pairing_codes (
    code_hash   TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
  );

  CREATE TABLE requests (
    actor_key   TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    response    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (actor_key, request_id)
  );
  `,
  // 2: API keys for the bank's own systems (booking); the log's ticket-issuer lookup gets an index.
  `
  CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    key_hash    TEXT NOT NULL UNIQUE,      -- sha256 of the key; the key itself is shown once, never stored
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
  );
  CREATE INDEX events_issued_ticket ON events (json_extract(data, '$.ticketId')) WHERE type = 'TicketIssued';
  `,
  // 3: CSRF tokens are kept only as their SHA-256 (sessions from before sign in again), and pairing
  // codes only in memory (a six-digit code's hash is read back by trying all 10^6).
  `
  DELETE FROM sessions;
  ALTER TABLE sessions RENAME COLUMN csrf_token TO csrf_hash;
  DROP TABLE pairing_codes;
  `,
];
