import { z } from 'zod';
import { bilingual, epochMs, id, seq } from './common.ts';

/**
 * The hub's central shipper as the admin console sees it (`GET /api/v1/admin/shipper`, admin and
 * manager). The same code is recorded as a `DeviceHealthReported` event with the hub's own id as
 * `deviceId` and one `shipper` component whenever it changes.
 */
export const shipperCode = z.enum(['OK', 'LAGGING', 'OFFLINE', 'ERROR']);
export type ShipperCode = z.infer<typeof shipperCode>;

export const shipperStatus = z.object({
  /** False when no central URL and branch id are configured: nothing else is meaningful then. */
  enabled: z.boolean(),
  branchId: id.nullable(),
  /** The central store's URL with the password masked. */
  central: z.string().nullable(),
  /** Null until the shipper knows (first contact, or the offline threshold). */
  code: shipperCode.nullable(),
  level: z.enum(['ok', 'warning', 'error']).nullable(),
  /** Why, in both languages, for the console. */
  message: bilingual.nullable(),
  /** The store's error code when the last attempt failed (UNREACHABLE, BRANCH_CLAIMED, SCHEMA_MISSING…). */
  errorCode: z.string().nullable(),
  /** When `code` last changed (hub clock). */
  since: epochMs.nullable(),
  /** The hub's head. */
  head: seq,
  /** The central store's high-water mark as last heard (every seq up to it is stored). */
  highWater: seq.nullable(),
  /** Events not yet in the central store. */
  lagEvents: z.number().int().nonnegative(),
  /** Age of the oldest event not yet in the central store, seconds (hub clock); 0 when caught up. */
  lagSeconds: z.number().nonnegative(),
  /** Last successful exchange with the store (hub clock). */
  lastContactAt: epochMs.nullable(),
  /** When the next attempt is due while failing (hub clock). */
  nextAttemptAt: epochMs.nullable(),
  /** Consecutive failed attempts. */
  failures: z.number().int().nonnegative(),
  /** Events this hub process has added to the store, and batches sent. */
  shipped: z.number().int().nonnegative(),
  batches: z.number().int().nonnegative(),
});
export type ShipperStatus = z.infer<typeof shipperStatus>;
