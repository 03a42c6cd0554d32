import type { Actor, AnyEvent, LoggedEvent } from '@nextup/protocol';
import type { Db } from './db.ts';

interface EventRow {
  seq: number;
  at: number;
  type: string;
  actor: string;
  data: string;
}

function toLogged(row: EventRow): LoggedEvent {
  return {
    seq: row.seq,
    actor: JSON.parse(row.actor) as Actor,
    event: { type: row.type, data: JSON.parse(row.data) } as AnyEvent,
  };
}

/**
 * The append-only event log. Sequence numbers are SQLite rowids assigned 1, 2, 3… in the same
 * transaction as the events, so a crash can lose only a whole uncommitted command, never leave a gap.
 */
export class EventLog {
  readonly #insert;
  readonly #after;
  readonly #head;
  readonly #lastAt;
  readonly #issuer;
  readonly #lastRoll;
  readonly #issuedAfter;
  readonly #printRequestsAfter;

  constructor(db: Db) {
    this.#insert = db.prepare<[number, number, string, string, string]>(
      'INSERT INTO events (seq, at, type, actor, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.#after = db.prepare<[number, number], EventRow>(
      'SELECT seq, at, type, actor, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    this.#head = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events');
    this.#lastAt = db.prepare<[], { at: number }>('SELECT at FROM events ORDER BY seq DESC LIMIT 1');
    // Newest first: the ticket being voided was issued moments ago.
    this.#issuer = db.prepare<[string], { actor: string }>(
      "SELECT actor FROM events WHERE type = 'TicketIssued' AND json_extract(data, '$.ticketId') = ? ORDER BY seq DESC LIMIT 1",
    );
    this.#lastRoll = db.prepare<[], { seq: number | null }>(
      "SELECT max(seq) AS seq FROM events WHERE type = 'BusinessDayRolled'",
    );
    this.#issuedAfter = db.prepare<[number], { actor: string; ticketId: string }>(
      "SELECT actor, json_extract(data, '$.ticketId') AS ticketId FROM events WHERE type = 'TicketIssued' AND seq > ? ORDER BY seq",
    );
    this.#printRequestsAfter = db.prepare<[number], { ticketId: string; deviceId: string }>(
      "SELECT json_extract(data, '$.ticketId') AS ticketId, json_extract(data, '$.deviceId') AS deviceId FROM events WHERE type = 'TicketPrintRequested' AND seq > ? ORDER BY seq",
    );
  }

  head(): number {
    return this.#head.get()?.seq ?? 0;
  }

  /** The hub-clock time of the last event, or null for an empty log. */
  lastAt(): number | null {
    return this.#lastAt.get()?.at ?? null;
  }

  /**
   * Appends events after `expectedHead` inside the caller's transaction (or its own). Throws if the
   * log moved meanwhile: one writer, one sequence.
   */
  append(expectedHead: number, actor: Actor, events: readonly AnyEvent[]): LoggedEvent[] {
    const actorJson = JSON.stringify(actor);
    const logged: LoggedEvent[] = [];
    let seq = expectedHead;
    for (const event of events) {
      seq += 1;
      const at = (event.data as { at: number }).at;
      this.#insert.run(seq, at, event.type, actorJson, JSON.stringify(event.data));
      logged.push({ seq, actor, event });
    }
    return logged;
  }

  /** Events after `seq`, oldest first, at most `limit`. */
  readAfter(seq: number, limit: number): LoggedEvent[] {
    return this.#after.all(seq, limit).map(toLogged);
  }

  /** Every event after `seq`, in batches, without holding them all in memory. */
  *iterateAfter(seq: number, batch = 5000): Generator<LoggedEvent> {
    let from = seq;
    for (;;) {
      const rows = this.readAfter(from, batch);
      if (rows.length === 0) return;
      yield* rows;
      from = rows.at(-1)!.seq;
    }
  }

  /** Who issued each ticket of the current business day (since the last day roll), oldest first. */
  issuersOfToday(): { ticketId: string; actor: Actor }[] {
    const roll = this.#lastRoll.get()?.seq ?? 0;
    return this.#issuedAfter
      .all(roll)
      .map((r) => ({ ticketId: r.ticketId, actor: JSON.parse(r.actor) as Actor }));
  }

  /** The kiosks the floor desk asked to print each ticket of the current business day. */
  printRequestsOfToday(): { ticketId: string; deviceId: string }[] {
    const roll = this.#lastRoll.get()?.seq ?? 0;
    return this.#printRequestsAfter.all(roll);
  }

  /** The actor that issued a ticket (for "a kiosk may void only its own ticket"). */
  issuerOf(ticketId: string): Actor | null {
    const row = this.#issuer.get(ticketId);
    return row ? (JSON.parse(row.actor) as Actor) : null;
  }
}
