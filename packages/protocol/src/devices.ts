import { type BranchConfig, type CounterConfig, own } from '@nextup/core';
import { z } from 'zod';
import { epochMs, id, label, shortText } from './common.ts';
import { PRINTER_URL_MAX_LENGTH, parsePrinterUrl } from './printer-url.ts';

export const deviceKind = z.enum(['kiosk', 'display', 'counterTablet']);
export type DeviceKind = z.infer<typeof deviceKind>;

/** What each kind of box is called, on its own screen and in the hub's refusals. */
export const DEVICE_KIND_NAMES: Readonly<Record<DeviceKind, { zh: string; en: string }>> = {
  kiosk: { zh: '取号机', en: 'kiosk' },
  display: { zh: '叫号屏', en: 'display' },
  counterTablet: { zh: '评价器', en: 'rating tablet' },
};

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
  /** The device's own technical words (often English, for IT); the consoles show `reason` first. */
  detail: shortText.nullable(),
  /**
   * What is wrong beyond the code, as a code with values that each console puts into words in its
   * own language: `notPrinted` with `{ numbers: 'A023 A024' }`, `noPrinter`, `connectFailed` with
   * `{ url }`. Optional and open-ended: a console shows `detail` for a reason it does not know.
   */
  reason: z
    .object({
      code: z.string().regex(/^[a-z][A-Za-z0-9]{0,31}$/),
      params: z.record(z.string().regex(/^[A-Za-z0-9_]{1,32}$/), z.union([z.string().max(64), z.number()])),
    })
    .nullable()
    .optional(),
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
  name: label().min(1),
  /**
   * What the box is. A code made for another kind is refused (409 `WRONG_KIND`) before it is used, so
   * a box that took the wrong code leaves no device behind and the code still serves the right box.
   * Optional for agents from before this field, which check the answer's `kind` themselves.
   */
  kind: deviceKind.optional(),
});
export const pairResponse = z.object({
  ok: z.literal(true),
  deviceId: id,
  kind: deviceKind,
  /** The device's bearer token: keep it; it is shown once. */
  token: z.string().min(32).max(128),
  hubId: id,
  /** The device's name at the hub: the name branch IT gave the pairing code. */
  name: shortText.optional(),
});

/** An admin asks for a pairing code: `POST /api/v1/admin/pairing-codes`. */
export const createPairingCodeRequest = z.strictObject({ kind: deviceKind, name: label().min(1) });
export const pairingCode = z.object({
  code: z.string(),
  kind: deviceKind,
  name: shortText,
  /** When the code expires, on the hub's clock (for the log). */
  expiresAt: epochMs,
  /**
   * How long the code stays valid from this answer, in seconds: what a screen shows ("valid for 10
   * minutes"), so that a hub clock that differs from the admin's PC never shows a wrong deadline.
   */
  validForSeconds: z.number().int().nonnegative(),
});
export type PairingCode = z.infer<typeof pairingCode>;

/**
 * What a device needs to know about its own hardware and behaviour, set by the admin on the hub (never
 * edited on the box) and delivered to the device with the branch view.
 */
export const kioskSettings = z.strictObject({
  kind: z.literal('kiosk'),
  /** The ticket printer: a URL in the grammar of `parsePrinterUrl` (printer-url.ts); null = none. */
  printer: z
    .strictObject({
      url: z
        .string()
        .min(1)
        .max(PRINTER_URL_MAX_LENGTH)
        .refine(
          (url) => parsePrinterUrl(url).ok,
          'tcp://HOST[:PORT], serial:/dev/ttyUSB0[?baud=…] or file:/dev/usb/lp0',
        ),
      paperWidth: z.union([z.literal(58), z.literal(80)]),
      /** Chinese in the printer's own font (`native`, FS & + GB18030) or as a bitmap (`raster`). */
      chinese: z.enum(['native', 'raster']),
      qr: z.enum(['native', 'raster']),
    })
    .nullable(),
  /** Seconds of no touch before the kiosk returns to its start screen. */
  idleSeconds: z.number().int().min(5).max(600),
  /** Services shown on this kiosk, in order; empty = all. */
  services: z.array(id).max(32),
});

/**
 * The LED bus dialects built into the display's driver (`dialectIds()` in `@nextup/ledbus`, which
 * checks it holds every one): the admin form's choices, so that the console, which cannot load the
 * driver in the browser, offers what the display runs. A vendor dialect registered at run time is
 * typed in by its id.
 */
export const LED_DIALECTS = ['v1', 'line'] as const;
export type LedDialect = (typeof LED_DIALECTS)[number];

/** A dialect's id: one word of letters, digits, `.`, `_` and `-` (the built-in ones and a vendor's). */
export const ledDialectId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,32}$/, 'a dialect id: 1–32 of A–Z a–z 0–9 . _ -');

export const displaySettings = z.strictObject({
  kind: z.literal('display'),
  /** The RS-485 line to the LED boards and keypads; null = no boards. */
  bus: z
    .strictObject({
      port: z.string().min(1).max(200),
      baud: z.number().int().min(1200).max(921_600),
      dialect: ledDialectId,
      /**
       * The LED boards' brightness, 0–100 % (0 = dark). Sent to every board when the bus opens and
       * when it changes, and again to a board that restarted (hardware/led-bus.md §5.2). Absent =
       * 100, the boards' own power-on level.
       */
      brightness: z.number().int().min(0).max(100).optional(),
    })
    .nullable(),
  /** Addresses of the main (hall) boards that show number and counter. */
  mainBoards: z.array(z.number().int().min(1).max(247)).max(8),
  voice: z.strictObject({
    /** Languages of each announcement, in order. */
    languages: z
      .array(z.enum(['zh', 'en']))
      .min(0)
      .max(2),
    /** How many times each announcement is spoken. */
    repeat: z.number().int().min(1).max(3),
  }),
  /** Counters whose calls this display shows and announces; empty = all. */
  counters: z.array(id).max(64),
});

export const counterTabletSettings = z.strictObject({
  kind: z.literal('counterTablet'),
  /** The counter whose finished tickets this tablet asks customers to rate. */
  counterId: id.nullable(),
});

export const deviceSettings = z.discriminatedUnion('kind', [
  kioskSettings,
  displaySettings,
  counterTabletSettings,
]);
export type DeviceSettings = z.infer<typeof deviceSettings>;
/** `PUT /api/v1/admin/devices/:id/settings`. */
export const deviceSettingsRequest = z.strictObject({ settings: deviceSettings });
export type KioskSettings = z.infer<typeof kioskSettings>;
export type DisplaySettings = z.infer<typeof displaySettings>;

/**
 * The first of a display's main boards that sits on the address of a counter board or keypad on the
 * same line: the counters the display drives (every counter, when it names none). Two devices on one
 * address answer together and garble the bus. A counter the display does not drive may be on another
 * display's line, so its addresses are free here. The hub refuses such settings (`ADDRESS_CLASH`)
 * and the admin form says so under the field, by this one rule.
 */
export function mainBoardClash(
  settings: Pick<DisplaySettings, 'mainBoards' | 'counters'>,
  config: Pick<BranchConfig, 'counters' | 'counterOrder'>,
): { address: number; counter: CounterConfig } | null {
  const driven = settings.counters.length === 0 ? config.counterOrder : settings.counters;
  for (const address of settings.mainBoards)
    for (const id of driven) {
      const counter = own(config.counters, id);
      if (counter && (counter.ledAddress === address || counter.keypadAddress === address))
        return { address, counter };
    }
  return null;
}
export type CounterTabletSettings = z.infer<typeof counterTabletSettings>;

/** The settings a newly paired device of each kind starts with. */
export function defaultDeviceSettings(kind: DeviceKind): DeviceSettings {
  switch (kind) {
    case 'kiosk':
      return { kind, printer: null, idleSeconds: 20, services: [] };
    case 'display':
      return {
        kind,
        bus: null,
        mainBoards: [200],
        voice: { languages: ['zh', 'en'], repeat: 1 },
        counters: [],
      };
    case 'counterTablet':
      return { kind, counterId: null };
  }
}

export const deviceInfo = z.object({
  deviceId: id,
  kind: deviceKind,
  name: shortText,
  pairedAt: epochMs,
  revoked: z.boolean(),
  online: z.boolean(),
  lastSeen: epochMs.nullable(),
  health: deviceHealth.nullable(),
  settings: deviceSettings,
});
export type DeviceInfo = z.infer<typeof deviceInfo>;
