import type { LoggedEvent } from '@nextup/protocol';
import { classifyError, type Queryable } from './errors.ts';
import { SCHEMA } from './migrations.ts';

/** Where a branch's log stands in the central store. */
export interface BranchMark {
  branchId: string;
  hubId: string;
  /** Every seq up to this one is stored, none after: the shipper resumes after it. 0 = nothing yet. */
  highWater: number;
  /** `at` (epoch ms) of the event at `highWater`; null when nothing is stored. */
  highWaterAt: number | null;
}

export interface ShipBatch {
  branchId: string;
  hubId: string;
  /** The branch's time zone: the business day of each event is its `at` there. */
  timeZone: string;
  /** The hub's head when the batch was read: how far behind the store is, for `central status`. */
  hubHead: number;
  /** Consecutive events starting at or before high water + 1; may be empty (a heartbeat). */
  events: readonly LoggedEvent[];
}

export interface ShipResult {
  /** Events new to the store (0 for a replayed batch). */
  inserted: number;
  /** The branch's high-water mark after the batch. */
  highWater: number;
}

/** The batch as the ship function takes it: one JSON text and the months its events fall in. */
export interface EncodedBatch {
  json: string;
  months: string[];
}

/**
 * The hub-side cost of a batch: one `JSON.stringify` (native, fast) and a month per event. Sent as
 * one JSON parameter, not as arrays: pg would escape every quote of every payload into an array
 * literal on the hub's thread, and the server parses JSON faster than array literals.
 */
export function encodeBatch(events: readonly LoggedEvent[]): EncodedBatch {
  const months = new Set<string>();
  let lastMonthStart = Number.POSITIVE_INFINITY;
  let lastMonthEnd = Number.NEGATIVE_INFINITY;
  const rows = events.map((e) => {
    const at = (e.event.data as { at: number }).at;
    // Most of a batch falls in one month: skip the Date work while inside the last one seen.
    if (at < lastMonthStart || at >= lastMonthEnd) {
      const d = new Date(at);
      lastMonthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      lastMonthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      months.add(new Date(lastMonthStart).toISOString().slice(0, 10));
    }
    return { s: e.seq, a: at, t: e.event.type, ac: e.actor, p: e.event.data };
  });
  return { json: JSON.stringify(rows), months: [...months] };
}

/**
 * Sends one batch idempotently in one round trip (`nextup.ship_batch`): events at or below the
 * high-water mark are skipped, the rest must continue it without a gap, and the mark moves in the
 * same transaction. A replayed batch adds nothing. Throws a classified `CentralError`.
 */
export async function shipBatch(
  client: Queryable,
  batch: ShipBatch,
  encoded: EncodedBatch = encodeBatch(batch.events),
): Promise<ShipResult> {
  try {
    const r = await client.query<{ inserted: number; high_water: string }>(
      `SELECT inserted, high_water FROM ${SCHEMA}.ship_batch($1, $2, $3, $4, $5::json, $6::date[])`,
      [batch.branchId, batch.hubId, batch.timeZone, batch.hubHead, encoded.json, encoded.months],
    );
    const row = r.rows[0]!;
    return { inserted: row.inserted, highWater: Number(row.high_water) };
  } catch (e) {
    throw classifyError(e);
  }
}

/** The branch's mark, or null when it never shipped. */
export async function branchMark(client: Queryable, branchId: string): Promise<BranchMark | null> {
  try {
    const r = await client.query<{
      hub_id: string;
      high_water: string;
      high_water_ms: string | null;
    }>(
      `SELECT hub_id, high_water, (extract(epoch FROM high_water_at) * 1000)::bigint AS high_water_ms
         FROM ${SCHEMA}.branches WHERE branch_id = $1`,
      [branchId],
    );
    const row = r.rows[0];
    if (!row) return null;
    return {
      branchId,
      hubId: row.hub_id,
      highWater: Number(row.high_water),
      highWaterAt: row.high_water_ms === null ? null : Number(row.high_water_ms),
    };
  } catch (e) {
    throw classifyError(e);
  }
}

/** Reads back a branch's stored events in seq order (tests, audits): the hub's `LoggedEvent` shape. */
export async function readEvents(
  client: Queryable,
  branchId: string,
  afterSeq = 0,
  limit = 10_000,
): Promise<LoggedEvent[]> {
  const r = await client.query<{ seq: string; type: string; actor: LoggedEvent['actor']; payload: object }>(
    `SELECT seq, type, actor, payload FROM ${SCHEMA}.events
      WHERE branch_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [branchId, afterSeq, limit],
  );
  return r.rows.map(
    (row) =>
      ({
        seq: Number(row.seq),
        actor: row.actor,
        event: { type: row.type, data: row.payload },
      }) as LoggedEvent,
  );
}
