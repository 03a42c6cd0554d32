import { z } from 'zod';
import { bilingual, epochMs, id, PROTOCOL_VERSION, seq } from './common.ts';
import { deviceInfo } from './devices.ts';
import { queueState, ticket } from './domain.ts';
import { loggedEvent } from './events.ts';

/**
 * The WebSocket stream (`/api/v1/stream`). A subscriber says the last sequence number it applied (or
 * null for none) and gets the events after it as runs of the log, or a snapshot plus the runs after
 * it when it is too far behind (more than 5,000 events) or has no resume point. Runs arrive in order
 * and each starts where the previous one ended; a subscriber that sees a run start elsewhere
 * resubscribes from its last sequence number.
 *
 * What a subscriber receives is cut to its role (see `docs/hub-api.md`, "What each caller reads"):
 * a snapshot holds only what the role may read, and a run carries only the events of its range that
 * the role may read, so its sequence numbers may skip; `after` and `through` say which range it
 * covers, so a skipped number is not a gap.
 */
export const clientMessage = z.discriminatedUnion('type', [
  z.strictObject({ v: z.literal(PROTOCOL_VERSION), type: z.literal('subscribe'), lastSeq: seq.nullable() }),
  z.strictObject({ v: z.literal(PROTOCOL_VERSION), type: z.literal('ping'), t: epochMs }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

/** What the hub adds to the queue state in a snapshot: the notice line and, for admins, devices. */
export const hubView = z.object({
  notice: bilingual.nullable(),
  devices: z.array(deviceInfo),
});
export type HubView = z.infer<typeof hubView>;

/**
 * A run of the log cut to the reader's role: the events of `(after, through]` that the role may read,
 * in order (possibly none). For a role that holds only some tickets (a kiosk: those it issued), ticket
 * events are not sent; `tickets` carries instead the current records of its tickets that changed in
 * the run, which the reader puts in place after folding the events.
 */
export const logRun = {
  after: seq,
  through: seq,
  events: z.array(loggedEvent),
  tickets: z.array(ticket).optional(),
};

export const serverMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    v: z.literal(PROTOCOL_VERSION),
    hubId: id,
    serverTime: epochMs,
    headSeq: seq,
  }),
  z.object({ type: z.literal('snapshot'), seq, state: queueState, hub: hubView }),
  z.object({ type: z.literal('events'), ...logRun }),
  z.object({ type: z.literal('pong'), t: epochMs, serverTime: epochMs }),
  z.object({
    type: z.literal('error'),
    code: z.string(),
    message: bilingual,
    detail: z.string().max(4000).optional(),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;

/** `GET /api/v1/state`: the view cut to the caller's role, and the hub's clock. */
export const stateResponse = z.object({ seq, state: queueState, hub: hubView, serverTime: epochMs });
export type StateResponse = z.infer<typeof stateResponse>;

/** `GET /api/v1/events?after&limit`: a run of the log cut to the caller's role, and the log's head. */
export const eventsResponse = z.object({ ...logRun, head: seq });
export type EventsResponse = z.infer<typeof eventsResponse>;
