import { z } from 'zod';
import { epochMs, id, shortText } from './common.ts';

export const deviceKind = z.enum(['kiosk', 'display', 'counterTablet']);
export type DeviceKind = z.infer<typeof deviceKind>;

/**
 * A device's health, one line per component: the kiosk's printer, each LED board and keypad on the
 * display's bus, the voice player, the central shipper. `code` says what is wrong in a word the
 * admin console translates.
 */
export const healthCode = z.enum([
  'OK',
  'PAPER_NEAR_END',
  'PAPER_OUT',
  'COVER_OPEN',
  'OFFLINE',
  'TIMEOUT',
  'SILENT',
  'LAGGING',
  'ERROR',
]);
export type HealthCode = z.infer<typeof healthCode>;

export const healthComponent = z.object({
  component: z.enum(['printer', 'ledBoard', 'keypad', 'audio', 'scanner', 'shipper', 'hubLink']),
  /** Bus address (boards, keypads) or other index; null for a single component. */
  address: z.number().int().min(0).max(255).nullable(),
  level: z.enum(['ok', 'warning', 'error']),
  code: healthCode,
  detail: shortText.nullable(),
  /** When this component entered its current code. */
  since: epochMs,
});
export type HealthComponent = z.infer<typeof healthComponent>;

export const deviceHealth = z.object({
  components: z.array(healthComponent).max(64),
  /** The device software's version. */
  version: shortText,
});
export type DeviceHealth = z.infer<typeof deviceHealth>;

/** `POST /api/v1/devices/health` from a paired device. */
export const healthReport = z.strictObject({ v: z.literal(1), health: deviceHealth });

/** A blank box joins with the code an admin created: `POST /api/v1/devices/pair`. */
export const pairRequest = z.strictObject({
  v: z.literal(1),
  code: z.string().regex(/^\d{6}$/, 'a 6-digit pairing code'),
  name: shortText.min(1),
});
export const pairResponse = z.object({
  ok: z.literal(true),
  deviceId: id,
  kind: deviceKind,
  /** The device's bearer token: keep it; it is shown once. */
  token: z.string().min(32).max(128),
  hubId: id,
});

/** An admin asks for a pairing code: `POST /api/v1/admin/pairing-codes`. */
export const createPairingCodeRequest = z.strictObject({ kind: deviceKind, name: shortText.min(1) });
export const pairingCode = z.object({
  code: z.string(),
  kind: deviceKind,
  name: shortText,
  expiresAt: epochMs,
});

export const deviceInfo = z.object({
  deviceId: id,
  kind: deviceKind,
  name: shortText,
  pairedAt: epochMs,
  revoked: z.boolean(),
  online: z.boolean(),
  lastSeen: epochMs.nullable(),
  health: deviceHealth.nullable(),
});
export type DeviceInfo = z.infer<typeof deviceInfo>;
