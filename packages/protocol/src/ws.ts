import { z } from 'zod';
import { bilingual, epochMs, id, PROTOCOL_VERSION, seq } from './common.ts';
import { deviceInfo } from './devices.ts';
import { queueState } from './domain.ts';
import { loggedEvent } from './events.ts';

/**
 * The WebSocket stream (`/api/v1/stream`). A subscriber says the last sequence number it applied (or
 * null for none) and gets the events after it, or a snapshot plus the events after the snapshot when
 * it is too far behind. Events arrive in sequence order with no gaps; a subscriber that sees a gap
 * resubscribes from its last sequence number.
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

export const serverMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    v: z.literal(PROTOCOL_VERSION),
    hubId: id,
    serverTime: epochMs,
    headSeq: seq,
  }),
  z.object({ type: z.literal('snapshot'), seq, state: queueState, hub: hubView }),
  z.object({ type: z.literal('events'), events: z.array(loggedEvent) }),
  z.object({ type: z.literal('pong'), t: epochMs, serverTime: epochMs }),
  z.object({
    type: z.literal('error'),
    code: z.string(),
    message: bilingual,
    detail: z.string().max(4000).optional(),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;
