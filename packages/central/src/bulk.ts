import { once } from 'node:events';
import type { LoggedEvent } from '@nextup/protocol';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SCHEMA } from './migrations.ts';

/**
 * Bulk loads of event rows without the ship function: the COPY baseline the shipper is measured
 * against, and the two other insert shapes we measured before choosing one JSON parameter per batch
 * (see `scripts/bench/central.bench.ts`). None of these checks the branch or moves its high-water
 * mark; they are for benchmarks and one-off backfills into an empty table.
 */

/** COPY text format: backslash, tab, newline and carriage return escaped; `\N` is NULL. */
const copyText = (v: string | null) =>
  v === null
    ? '\\N'
    : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
/** YYYY-MM-DD of `at` in `timeZone` (en-CA formats dates that way). */
export function localDay(at: number, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  return f.format(at);
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** The events table's columns for one event, extracted in JS exactly as the ship function does in SQL. */
export function eventRow(branchId: string, timeZone: string, e: LoggedEvent): (string | null)[] {
  const data = e.event.data as Record<string, unknown>;
  const at = data.at as number;
  return [
    branchId,
    String(e.seq),
    new Date(at).toISOString(),
    localDay(at, timeZone),
    e.event.type,
    str(data.ticketId),
    str(data.serviceId) ?? str(data.toServiceId),
    str(data.counterId) ?? str(data.fromCounterId),
    JSON.stringify(e.actor),
    JSON.stringify(data),
  ];
}

const EVENT_COLUMNS = 'branch_id, seq, at, day, type, ticket_id, service_id, counter_id, actor, payload';

/** Streams rows into `table` with `COPY … FROM STDIN`, in chunks of about 1 MiB. Returns the row count. */
export async function copyRows(
  client: ClientBase,
  table: string,
  columns: string,
  rows: Iterable<(string | null)[]>,
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`));
  let chunk = '';
  let n = 0;
  for (const row of rows) {
    chunk += `${row.map(copyText).join('\t')}\n`;
    n++;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.end(chunk);
  await once(stream, 'finish');
  return n;
}

/** The COPY baseline: the same rows, into a table shaped like `nextup.events`. */
export function copyEvents(
  client: ClientBase,
  table: string,
  branchId: string,
  timeZone: string,
  events: readonly LoggedEvent[],
): Promise<number> {
  return copyRows(
    client,
    table,
    EVENT_COLUMNS,
    events.map((e) => eventRow(branchId, timeZone, e)),
  );
}

/** Alternative 1: arrays per column, `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING`. */
export async function insertUnnest(
  client: ClientBase,
  table: string,
  branchId: string,
  timeZone: string,
  events: readonly LoggedEvent[],
): Promise<number> {
  const seq: number[] = [];
  const at: number[] = [];
  const type: string[] = [];
  const actor: string[] = [];
  const payload: string[] = [];
  for (const e of events) {
    seq.push(e.seq);
    at.push((e.event.data as { at: number }).at);
    type.push(e.event.type);
    actor.push(JSON.stringify(e.actor));
    payload.push(JSON.stringify(e.event.data));
  }
  const r = await client.query(
    `INSERT INTO ${table} (${EVENT_COLUMNS})
     SELECT $1, u.s, x.at, (x.at AT TIME ZONE $2)::date, u.t, u.p->>'ticketId',
            coalesce(u.p->>'serviceId', u.p->>'toServiceId'), coalesce(u.p->>'counterId', u.p->>'fromCounterId'),
            u.ac, u.p
       FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::jsonb[], $7::jsonb[]) AS u(s, a, t, ac, p)
       CROSS JOIN LATERAL (SELECT to_timestamp(u.a / 1000) + (u.a % 1000) * interval '1 millisecond' AS at) x
     ON CONFLICT DO NOTHING`,
    [branchId, timeZone, seq, at, type, actor, payload],
  );
  return r.rowCount ?? 0;
}

/** Alternative 2: COPY into a temporary staging table, then one `INSERT … SELECT … ON CONFLICT DO NOTHING`. */
export async function insertViaStaging(
  client: ClientBase,
  table: string,
  branchId: string,
  timeZone: string,
  events: readonly LoggedEvent[],
): Promise<number> {
  await client.query(
    'CREATE TEMP TABLE IF NOT EXISTS ship_stage (s bigint, a bigint, t text, ac jsonb, p jsonb) ON COMMIT DELETE ROWS',
  );
  await client.query('BEGIN');
  try {
    await copyRows(
      client,
      'ship_stage',
      's, a, t, ac, p',
      events.map((e) => [
        String(e.seq),
        String((e.event.data as { at: number }).at),
        e.event.type,
        JSON.stringify(e.actor),
        JSON.stringify(e.event.data),
      ]),
    );
    const r = await client.query(
      `INSERT INTO ${table} (${EVENT_COLUMNS})
       SELECT $1, u.s, x.at, (x.at AT TIME ZONE $2)::date, u.t, u.p->>'ticketId',
              coalesce(u.p->>'serviceId', u.p->>'toServiceId'), coalesce(u.p->>'counterId', u.p->>'fromCounterId'),
              u.ac, u.p
         FROM ship_stage u
         CROSS JOIN LATERAL (SELECT to_timestamp(u.a / 1000) + (u.a % 1000) * interval '1 millisecond' AS at) x
       ON CONFLICT DO NOTHING`,
      [branchId, timeZone],
    );
    await client.query('COMMIT');
    return r.rowCount ?? 0;
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}

/**
 * Creates `<schema>.events` shaped exactly like `nextup.events` (columns, key, index, month
 * partitions for the given months), for loading the same rows side by side.
 */
export async function createEventsTableLike(
  client: ClientBase,
  schema: string,
  months: readonly string[],
): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new TypeError(`bad schema name ${JSON.stringify(schema)}`);
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`CREATE SCHEMA ${schema}`);
  // INCLUDING ALL brings the primary key and the report index along.
  await client.query(
    `CREATE TABLE ${schema}.events (LIKE ${SCHEMA}.events INCLUDING ALL) PARTITION BY RANGE (at)`,
  );
  for (const m of months) {
    const start = new Date(`${m.slice(0, 7)}-01T00:00:00Z`);
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    await client.query(
      `CREATE TABLE ${schema}.events_${m.slice(0, 7).replace('-', '_')} PARTITION OF ${schema}.events
         FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`,
    );
  }
  return `${schema}.events`;
}
