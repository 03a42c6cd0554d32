import { z } from 'zod';
import { epochMs, id, PROTOCOL_VERSION, seq, shortText } from './common.ts';
import { deviceInfo } from './devices.ts';
import { staffRole } from './staff.ts';

/**
 * What the hub answers the consoles and agents outside the queue's own messages: its health, branch
 * IT's lists (staff, devices, API keys) and the small acknowledgements. The hub's routes are typed
 * with these (`satisfies`), and the clients parse every answer with them, so neither side can drift.
 */

/** `{ ok: true }`: done (notice, settings, revoke, staff update, sign-out, desk print…). */
export const okResponse = z.object({ ok: z.literal(true) });
export type OkResponse = z.infer<typeof okResponse>;

/** `GET /api/v1/health`: no sign-in needed. */
export const healthResponse = z.object({
  ok: z.literal(true),
  v: z.literal(PROTOCOL_VERSION),
  hubId: shortText,
  /** The log's head. */
  seq,
  /** The business day (local date), null before the first. */
  day: z.string().max(10).nullable(),
  /** The hub's clock, epoch ms: devices measure their offset from it. */
  time: epochMs,
  /** True while no admin exists (first run: `/setup`). */
  needsSetup: z.boolean(),
});
export type HealthResponse = z.infer<typeof healthResponse>;

/** One staff account as admins see it (never a password hash). */
export const staffAccount = z.object({
  staffId: id,
  username: shortText,
  displayName: shortText,
  role: staffRole,
  counterIds: z.array(id),
  disabled: z.boolean(),
  createdAt: epochMs,
});
export type StaffAccount = z.infer<typeof staffAccount>;

/** `GET /api/v1/admin/staff`. */
export const staffListResponse = z.object({ staff: z.array(staffAccount) });
export type StaffListResponse = z.infer<typeof staffListResponse>;

/** `POST /api/v1/admin/staff`. */
export const staffCreatedResponse = z.object({ ok: z.literal(true), staffId: id });
export type StaffCreatedResponse = z.infer<typeof staffCreatedResponse>;

/** `GET /api/v1/admin/devices`: `lastSeen` also counts requests and stream messages, not only events. */
export const deviceListResponse = z.object({ devices: z.array(deviceInfo) });
export type DeviceListResponse = z.infer<typeof deviceListResponse>;

/** `PATCH /api/v1/admin/devices/:id` (rename). */
export const deviceRenamedResponse = z.object({ ok: z.literal(true), name: shortText });
export type DeviceRenamedResponse = z.infer<typeof deviceRenamedResponse>;

/** An API key as admins see it (the key itself only once, on creation). */
export const apiKeyInfo = z.object({
  id,
  name: shortText,
  createdAt: epochMs,
  createdBy: id,
  revokedAt: epochMs.nullable(),
});
export type ApiKeyInfo = z.infer<typeof apiKeyInfo>;

/** `GET /api/v1/admin/api-keys`. */
export const apiKeyListResponse = z.object({ keys: z.array(apiKeyInfo) });
export type ApiKeyListResponse = z.infer<typeof apiKeyListResponse>;

/** `POST /api/v1/admin/api-keys`: the key, shown once. */
export const apiKeyCreatedResponse = apiKeyInfo.extend({ ok: z.literal(true), key: z.string().max(128) });
export type ApiKeyCreatedResponse = z.infer<typeof apiKeyCreatedResponse>;

/** `POST /api/v1/admin/api-keys/:id/revoke`. */
export const apiKeyRevokedResponse = z.object({ ok: z.literal(true), key: apiKeyInfo });
export type ApiKeyRevokedResponse = z.infer<typeof apiKeyRevokedResponse>;
