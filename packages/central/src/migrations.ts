import { createHash } from 'node:crypto';
import { CentralError, type Queryable } from './errors.ts';

/**
 * The central store's schema, one versioned migration at a time. `nextup.schema_migrations` records
 * each applied version with a checksum of its SQL: never edit a released migration, add a new one
 * (the runner refuses a database whose applied migration no longer matches the code).
 *
 * Everything lives in the `nextup` schema so the store can share a database with other systems.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SCHEMA = 'nextup';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'branches, services, events partitioned by month',
    sql: `
    -- One row per branch: which hub's log it is, and how far that log has arrived (high_water: every
    -- seq up to it is stored, none after). The shipper resumes from here after any outage.
    CREATE TABLE nextup.branches (
      branch_id       text PRIMARY KEY CHECK (branch_id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
      hub_id          text NOT NULL,
      name            jsonb,                 -- {zh, en} from the branch's latest BranchConfigured
      time_zone       text NOT NULL,         -- the hub's business-day time zone
      high_water      bigint NOT NULL DEFAULT 0,
      high_water_at   timestamptz,           -- at of the event at high_water (divergence check)
      hub_head        bigint NOT NULL DEFAULT 0,  -- the hub's own head at its last contact
      last_contact_at timestamptz,           -- server time of the last batch or heartbeat
      registered_at   timestamptz NOT NULL DEFAULT now()
    );

    -- Service names for the report, kept from ServiceUpserted events as they arrive.
    CREATE TABLE nextup.services (
      branch_id  text NOT NULL REFERENCES nextup.branches,
      service_id text NOT NULL,
      prefix     text,
      name       jsonb,
      seq        bigint NOT NULL,              -- the event that last set this row
      PRIMARY KEY (branch_id, service_id)
    );

    -- Every hub's log, verbatim (actor and data as JSONB), plus the columns the report filters and
    -- joins on, extracted once at insert time. Partitioned by month of at (UTC) so old months are
    -- dropped whole. A primary key of a partitioned table must contain the partition key, so the key
    -- is (branch_id, seq, at); at is part of the event and never changes, so a replayed event still
    -- collides with its stored copy, and the ship function only inserts seq > high_water, which
    -- keeps (branch_id, seq) unique on its own.
    CREATE TABLE nextup.events (
      branch_id  text        NOT NULL,
      seq        bigint      NOT NULL,
      at         timestamptz NOT NULL,
      day        date        NOT NULL,         -- business day: at in the branch's time zone
      type       text        NOT NULL,
      ticket_id  text,
      service_id text,
      counter_id text,
      actor      jsonb       NOT NULL,
      payload    jsonb       NOT NULL,
      PRIMARY KEY (branch_id, seq, at)
    ) PARTITION BY RANGE (at);

    -- The report reads one day's ticket events across branches.
    CREATE INDEX events_day_type ON nextup.events (day, type, branch_id);
    `,
  },
  {
    version: 2,
    name: 'partition maintenance and the idempotent ship function',
    sql: `
    -- Creates the month's partition when missing (UTC month bounds). Serialised by an advisory lock
    -- so two hubs crossing into a new month together do not both try.
    CREATE FUNCTION nextup.ensure_partition(p_month date) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = nextup, pg_catalog, pg_temp AS $fn$
    DECLARE
      m date := date_trunc('month', p_month)::date;
      part text := format('events_%s', to_char(m, 'YYYY_MM'));
    BEGIN
      IF to_regclass(format('nextup.%I', part)) IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtext('nextup.ensure_partition'));
        -- Look again with a fresh snapshot of pg_class: to_regclass reads the catalog cache, which
        -- an advisory lock does not refresh, so it can miss a partition created a moment ago.
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = 'nextup' AND c.relname = part) THEN
          EXECUTE format(
            'CREATE TABLE nextup.%I PARTITION OF nextup.events FOR VALUES FROM (%L) TO (%L)',
            part,
            (m::timestamp AT TIME ZONE 'UTC'),
            ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
        END IF;
      END IF;
      RETURN part;
    END
    $fn$;

    -- One round trip per batch: claim or check the branch, insert the events after the high-water
    -- mark (ON CONFLICT DO NOTHING as well), check that they continue the stored log without a gap,
    -- keep service and branch names, move the mark. One transaction: all or nothing.
    -- p_events: JSON array of {s: seq, a: at ms, t: type, ac: actor, p: data}.
    -- p_months: the UTC months the batch's events fall in (partitions to ensure).
    CREATE FUNCTION nextup.ship_batch(
      p_branch_id text, p_hub_id text, p_time_zone text, p_hub_head bigint,
      p_events json, p_months date[])
    RETURNS TABLE (inserted integer, high_water bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = nextup, pg_catalog, pg_temp AS $fn$
    #variable_conflict use_column
    DECLARE
      b nextup.branches%ROWTYPE;
      m date;
      n integer := 0;
      lo bigint;
      hi bigint;
      hi_at timestamptz;
    BEGIN
      INSERT INTO nextup.branches AS br (branch_id, hub_id, time_zone)
        VALUES (p_branch_id, p_hub_id, p_time_zone)
        ON CONFLICT (branch_id) DO NOTHING;
      SELECT * INTO b FROM nextup.branches WHERE branch_id = p_branch_id FOR UPDATE;
      IF b.hub_id <> p_hub_id THEN
        RAISE EXCEPTION USING ERRCODE = 'NX001',
          MESSAGE = format('branch %s is shipped by hub %s, not by %s', p_branch_id, b.hub_id, p_hub_id),
          HINT = 'a branch id belongs to one hub log; give a replacement hub a new branch id';
      END IF;

      FOREACH m IN ARRAY coalesce(p_months, '{}') LOOP
        PERFORM nextup.ensure_partition(m);
      END LOOP;

      WITH ins AS (
        INSERT INTO nextup.events
          (branch_id, seq, at, day, type, ticket_id, service_id, counter_id, actor, payload)
        SELECT p_branch_id, r.s, x.at, (x.at AT TIME ZONE p_time_zone)::date, r.t,
               r.p->>'ticketId',
               coalesce(r.p->>'serviceId', r.p->>'toServiceId'),
               coalesce(r.p->>'counterId', r.p->>'fromCounterId'),
               r.ac, r.p
        FROM json_to_recordset(p_events) AS r(s bigint, a bigint, t text, ac jsonb, p jsonb)
        -- ms since the epoch, exactly: whole seconds, then the milliseconds as an interval.
        CROSS JOIN LATERAL (SELECT to_timestamp(r.a / 1000) + (r.a % 1000) * interval '1 millisecond' AS at) x
        WHERE r.s > b.high_water
        ON CONFLICT DO NOTHING
        RETURNING seq, at, type, service_id, payload
      ),
      names AS (
        INSERT INTO nextup.services AS s (branch_id, service_id, prefix, name, seq)
        SELECT DISTINCT ON (i.payload->'service'->>'id')
               p_branch_id, i.payload->'service'->>'id', i.payload->'service'->>'prefix',
               i.payload->'service'->'name', i.seq
        FROM ins i WHERE i.type = 'ServiceUpserted' AND i.payload->'service'->>'id' IS NOT NULL
        ORDER BY i.payload->'service'->>'id', i.seq DESC
        ON CONFLICT (branch_id, service_id) DO UPDATE
          SET prefix = excluded.prefix, name = excluded.name, seq = excluded.seq
          WHERE s.seq < excluded.seq
      ),
      branch_name AS (
        UPDATE nextup.branches SET name = (
          SELECT i.payload->'branch'->'name' FROM ins i
          WHERE i.type = 'BranchConfigured' ORDER BY i.seq DESC LIMIT 1)
        WHERE branch_id = p_branch_id AND EXISTS (SELECT 1 FROM ins WHERE type = 'BranchConfigured')
      )
      SELECT count(*), min(seq), max(seq), max(at) FILTER (WHERE seq = (SELECT max(seq) FROM ins))
        INTO n, lo, hi, hi_at FROM ins;

      -- New events must continue the stored log exactly: high_water + 1, + 2, … with no hole.
      IF n > 0 AND (lo <> b.high_water + 1 OR hi <> b.high_water + n) THEN
        RAISE EXCEPTION USING ERRCODE = 'NX002',
          MESSAGE = format('batch for %s leaves a gap: stored up to %s, got %s..%s (%s events)',
                           p_branch_id, b.high_water, lo, hi, n);
      END IF;

      UPDATE nextup.branches SET
        high_water = CASE WHEN n > 0 THEN hi ELSE high_water END,
        high_water_at = CASE WHEN n > 0 THEN hi_at ELSE high_water_at END,
        hub_head = greatest(p_hub_head, CASE WHEN n > 0 THEN hi ELSE high_water END),
        time_zone = p_time_zone,
        last_contact_at = now()
      WHERE branch_id = p_branch_id;

      inserted := n;
      high_water := CASE WHEN n > 0 THEN hi ELSE b.high_water END;
      RETURN NEXT;
    END
    $fn$;
    `,
  },
];

/** The schema version this code needs: a shipper refuses an older store (run `central migrate`). */
export const SCHEMA_VERSION = MIGRATIONS.length;

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex').slice(0, 16);

/** Advisory-lock key that serialises concurrent `migrate` runs. */
const MIGRATE_LOCK = 0x6e78_6d67; // 'nxmg'

export interface MigrateResult {
  /** Versions applied by this run (empty when the store was already current). */
  applied: number[];
  /** The store's version now. */
  version: number;
  /** Month partitions that exist now (events_YYYY_MM). */
  partitions: string[];
}

export interface MigrateOptions {
  /** Also create the partitions of this many months after the current one. Default 3. */
  monthsAhead?: number;
  /** "Now" for the partitions ahead. Default the current time. */
  now?: number;
}

/**
 * Brings the store to `SCHEMA_VERSION`: each pending migration in its own transaction, recorded with
 * its checksum. Re-runnable (applies nothing when current) and safe when two run at once (an advisory
 * lock serialises them). Refuses a store from newer code, or one whose applied migrations changed.
 */
export async function migrate(client: Queryable, options: MigrateOptions = {}): Promise<MigrateResult> {
  // Lock first: even CREATE … IF NOT EXISTS races with itself in PostgreSQL.
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
  const applied: number[] = [];
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = (
      await client.query<{ version: number; checksum: string }>(
        `SELECT version, checksum FROM ${SCHEMA}.schema_migrations ORDER BY version`,
      )
    ).rows;
    const known = new Map(rows.map((r) => [r.version, r.checksum]));
    const newest = rows.at(-1)?.version ?? 0;
    if (newest > SCHEMA_VERSION)
      throw new CentralError(
        'SCHEMA_NEWER',
        `the central store is at schema version ${newest}, newer than this code (${SCHEMA_VERSION}): upgrade Nextup`,
      );
    for (const m of MIGRATIONS) {
      const sum = known.get(m.version);
      if (sum !== undefined) {
        if (sum !== checksum(m.sql))
          throw new CentralError(
            'MIGRATION_CHANGED',
            `migration ${m.version} (${m.name}) differs from the one applied to this store: never edit a released migration`,
          );
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO ${SCHEMA}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`,
          [m.version, m.name, checksum(m.sql)],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new CentralError(
          'MIGRATION_FAILED',
          `migration ${m.version} (${m.name}) failed: ${(e as Error).message}`,
        );
      }
      applied.push(m.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK]);
  }
  const partitions = await ensurePartitionsAhead(client, options.monthsAhead ?? 3, options.now ?? Date.now());
  return { applied, version: SCHEMA_VERSION, partitions };
}

/** Creates this month's partition and the next `monthsAhead`; returns every month partition. */
export async function ensurePartitionsAhead(client: Queryable, monthsAhead: number, now: number) {
  const d = new Date(now);
  for (let i = 0; i <= monthsAhead; i++) {
    const month = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i, 1)).toISOString().slice(0, 10);
    await client.query(`SELECT ${SCHEMA}.ensure_partition($1::date)`, [month]);
  }
  return listPartitions(client);
}

/** The month partitions of the events table, oldest first. */
export async function listPartitions(client: Queryable): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname = $1 AND p.relname = 'events' ORDER BY c.relname`,
    [SCHEMA],
  );
  return r.rows.map((x) => x.name);
}

/** The store's schema version: 0 when `migrate` never ran. */
export async function schemaVersion(client: Queryable): Promise<number> {
  const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
    `${SCHEMA}.schema_migrations`,
  ]);
  if (!exists.rows[0]?.t) return 0;
  const r = await client.query<{ v: number | null }>(
    `SELECT max(version) AS v FROM ${SCHEMA}.schema_migrations`,
  );
  return r.rows[0]?.v ?? 0;
}
