import { z } from 'zod';
import { bilingual, epochMs, id, lang, seq, shortText } from './common.ts';
import { deviceHealth, deviceKind, deviceSettings } from './devices.ts';
import { queueEvent } from './domain.ts';
import { staffRole } from './staff.ts';

/**
 * Events the hub keeps beside the queue's: devices, staff and notices. They share the log and its
 * sequence numbers with the queue events, so one resume point covers everything. None carries a
 * secret: tokens and password hashes live in the hub's tables, never in the log.
 */
const ev = <T extends string, D extends z.ZodRawShape>(type: T, data: D) =>
  z.object({ type: z.literal(type), data: z.object({ ...data, at: epochMs }) });

export const hubEvent = z.discriminatedUnion('type', [
  ev('DevicePaired', { deviceId: id, kind: deviceKind, name: shortText }),
  ev('DeviceRevoked', { deviceId: id }),
  /** An admin gave the device another name (the list, the kiosk picker, health alerts use it). */
  ev('DeviceRenamed', { deviceId: id, name: shortText.min(1) }),
  ev('DeviceHealthReported', { deviceId: id, health: deviceHealth }),
  ev('DeviceConnectionChanged', { deviceId: id, online: z.boolean() }),
  ev('DeviceConfigured', { deviceId: id, settings: deviceSettings }),
  ev('PairingCodeCreated', { kind: deviceKind, name: shortText, expiresAt: epochMs }),
  ev('StaffAccountCreated', {
    staffId: id,
    username: shortText,
    displayName: shortText,
    role: staffRole,
    counterIds: z.array(id).max(32),
  }),
  ev('StaffAccountUpdated', {
    staffId: id,
    displayName: shortText,
    role: staffRole,
    counterIds: z.array(id).max(32),
    disabled: z.boolean(),
  }),
  ev('StaffPasswordChanged', { staffId: id }),
  ev('StaffSignedIn', { staffId: id }),
  ev('StaffSignedOut', { staffId: id }),
  ev('NoticeChanged', { notice: bilingual.nullable() }),
  /** Staff at the desk asked a kiosk to print a ticket (see `desk.ts`). */
  ev('TicketPrintRequested', { ticketId: id, deviceId: id, lang, followUrl: z.string().max(300) }),
  /** The kiosk says whether it printed it (`problem`: why not). */
  ev('TicketPrintReported', { ticketId: id, deviceId: id, ok: z.boolean(), problem: shortText.nullable() }),
  ev('ApiKeyCreated', { keyId: id, name: shortText }),
  ev('ApiKeyRevoked', { keyId: id }),
]);
export type HubEvent = z.infer<typeof hubEvent>;

export const anyEvent = z.discriminatedUnion('type', [...queueEvent.options, ...hubEvent.options]);
export type AnyEvent = z.infer<typeof anyEvent>;

/** Who caused an event: a staff member, a device, an API key, or the hub itself (day rollover, timeouts). */
export const actor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), id }),
  z.object({ kind: z.literal('device'), id }),
  /** The bank's own systems (app, website) with an API key: booking appointments only. */
  z.object({ kind: z.literal('apiKey'), id }),
  z.object({ kind: z.literal('system') }),
  z.object({ kind: z.literal('public') }),
]);
export type Actor = z.infer<typeof actor>;

/** One row of the hub's append-only log as subscribers receive it. */
export const loggedEvent = z.object({ seq: seq.min(1), actor, event: anyEvent });
export type LoggedEvent = z.infer<typeof loggedEvent>;
