import type { Transform } from 'node:stream';
import type { BusReply, BusRequest, NakReason, RequestKind } from '../model.ts';

/**
 * A vendor protocol as data plus small functions (hardware/README.md, "Adding a dialect"). The bus
 * master and the virtual bus are written against this and nothing else; a dialect does no I/O.
 *
 * The stream of bytes from the line is first cut into *units* by `createParser()` (v1: decoded
 * frames and rejections; a line protocol: lines). A unit is opaque to the master: it only hands it
 * back to `matchReply` (master side) or `device.decodeRequest` (device side, for twins).
 */
export interface Dialect {
  /** Short id used in configuration and on the command line, e.g. 'v1'. */
  readonly id: string;
  readonly description: { zh: string; en: string };
  /** Requests this dialect can express; the master refuses others with LedBusError UNSUPPORTED. */
  readonly supports: ReadonlySet<RequestKind>;
  /** Whether requests carry a sequence number the device uses to drop repeats. */
  readonly sequenced: boolean;
  /** A fresh transform from raw bytes to units (object mode on the readable side). */
  createParser(): Transform;
  /** Request bytes. `seq` is 0–255 and repeats on a retry; a dialect without one ignores it. */
  encodeRequest(req: BusRequest, seq: number): Uint8Array;
  /** Whether `unit` answers `req` (sent with `seq`). */
  matchReply(unit: unknown, req: BusRequest, seq: number): ReplyMatch;
  /** What a parser's unit says about rejected bytes, for counting; null when the unit is not a rejection. */
  rejection(unit: unknown): { reason: string; bytes: number } | null;
  /** The device side, for the virtual bus (and any twin a vendor writes). */
  readonly device: DeviceSide;
}

export type ReplyMatch =
  | { match: 'reply'; reply: BusReply }
  /** Addressed to this transaction but unusable (a reply too short for its kind): retry. */
  | { match: 'malformed'; detail: string }
  /** Not for this transaction: a stray, an echo, noise. */
  | { match: 'none' };

export interface DeviceSide {
  decodeRequest(unit: unknown): DeviceInput;
  /** Reply bytes for the device at `address` answering a request sent with `seq`. */
  encodeReply(reply: BusReply, to: { address: number; seq: number; kind: RequestKind | null }): Uint8Array;
}

export type DeviceInput =
  /** `fingerprint` identifies the exact request (seq + content) so a device can recognise a retry. */
  | { type: 'request'; request: BusRequest; seq: number; fingerprint: string | null }
  /** Addressed to a device but unusable: that device should NAK it (never for broadcast). */
  | { type: 'invalid'; address: number; seq: number; reason: NakReason; detail: string }
  /** Another device's reply on the shared line: not for a device to act on. */
  | { type: 'reply' }
  /** Bytes that made no request. */
  | { type: 'reject'; reason: string; bytes: number };
