import { type Bilingual, type BranchConfig, has, own, type Ticket } from '@nextup/core';
import type {
  DeviceHealth,
  DeviceInfo,
  DeviceKind,
  DeviceSettings,
  HealthComponent,
  HubEvent,
  ShipperCode,
  StaffRole,
} from '@nextup/protocol';
import { healthOnHubClock } from './device-health.ts';
import { deviceSettingsRefusal } from './device-settings-rules.ts';

/**
 * The hub's own decider, beside core's queue decider: devices, staff accounts, API keys, pairing codes,
 * the notice, the floor desk's prints and the central shipper's health. `decideHub(command, view) → events | refusal`, pure: the clock and every new id come
 * in on the command, and what it reads of the hub comes in on the view. Secrets (password hashes,
 * token hashes, pairing codes) never reach it: the caller checks and stores them, and records the
 * events decided here.
 */
export type HubCommand =
  | { type: 'PairDevice'; data: { deviceId: string; kind: DeviceKind; name: string; at: number } }
  | { type: 'RevokeDevice'; data: { deviceId: string; at: number } }
  | { type: 'RenameDevice'; data: { deviceId: string; name: string; at: number } }
  | { type: 'ConfigureDevice'; data: { deviceId: string; settings: DeviceSettings; at: number } }
  /** A device's health as it reported it; only a change is an event. */
  | { type: 'ReportDeviceHealth'; data: { deviceId: string; health: DeviceHealth; at: number } }
  /** A device's stream opened or it has been without one too long. */
  | { type: 'SetDeviceOnline'; data: { deviceId: string; online: boolean; at: number } }
  | { type: 'CreatePairingCode'; data: { kind: DeviceKind; name: string; expiresAt: number; at: number } }
  | {
      type: 'CreateStaff';
      data: {
        staffId: string;
        username: string;
        displayName: string;
        role: StaffRole;
        counterIds: string[];
        at: number;
      };
    }
  | {
      type: 'UpdateStaff';
      data: {
        staffId: string;
        /** The admin asking: an admin cannot disable or demote themselves. */
        by: string;
        displayName?: string | undefined;
        role?: StaffRole | undefined;
        counterIds?: string[] | undefined;
        disabled?: boolean | undefined;
        passwordChanged: boolean;
        at: number;
      };
    }
  | { type: 'SignIn'; data: { staffId: string; at: number } }
  | { type: 'SignOut'; data: { staffId: string; at: number } }
  | { type: 'CreateApiKey'; data: { keyId: string; name: string; at: number } }
  | { type: 'RevokeApiKey'; data: { keyId: string; at: number } }
  | { type: 'ChangeNotice'; data: { notice: Bilingual | null; at: number } }
  /** The floor desk asks a kiosk to print a waiting ticket (`followUrl`: the QR code's address). */
  | {
      type: 'RequestTicketPrint';
      data: { ticketId: string; deviceId: string; lang: 'zh' | 'en'; followUrl: string; at: number };
    }
  /** A kiosk answers a print request; `problem` is why it did not print, ignored when it did. */
  | {
      type: 'ReportTicketPrint';
      data: { ticketId: string; deviceId: string; ok: boolean; problem: string | null; at: number };
    }
  /**
   * The central shipper's health under the hub's own id as the device: `code` is what it judged now
   * (`shipperHealthCode`), `previous` what it last reported; only a change is an event.
   */
  | {
      type: 'ReportShipperHealth';
      data: {
        hubId: string;
        previous: ShipperCode | null;
        code: ShipperCode;
        /** The store's error code while it fails, else null. */
        errorCode: string | null;
        lagEvents: number;
        lagSeconds: number;
        version: string;
        at: number;
      };
    };

export type HubCommandType = HubCommand['type'];

/** A staff account as the decider reads it (no password hash). */
export interface StaffFacts {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  counterIds: string[];
  disabled: boolean;
}

/**
 * What the decider reads of the hub: the folded view's devices and the branch configuration, and
 * lookups into the tables the log does not hold (staff accounts, API keys: they carry secrets).
 */
export interface HubDecideView {
  devices: readonly DeviceInfo[];
  config: BranchConfig;
  staffById(id: string): StaffFacts | null;
  staffByUsername(username: string): StaffFacts | null;
  apiKeyById(id: string): { id: string; revoked: boolean } | null;
  /** Today's tickets (the queue state's), looked up with `own`: ids come from requests. */
  tickets: Readonly<Record<string, Ticket>>;
  /** Whether this kiosk has an unanswered request to print this ticket (the desk's index of the log). */
  printAwaited(ticketId: string, deviceId: string): boolean;
}

/** Why a hub command was refused: a code with its words; the edge picks the status by `kind`. */
export interface HubRefusal {
  kind: 'input' | 'notFound' | 'conflict';
  code: string;
  message: { zh: string; en: string };
}

export type HubDecision = { ok: true; events: HubEvent[] } | { ok: false; refusal: HubRefusal };

const accept = (...events: HubEvent[]): HubDecision => ({ ok: true, events });
const refuse = (kind: HubRefusal['kind'], code: string, zh: string, en: string): HubDecision => ({
  ok: false,
  refusal: { kind, code, message: { zh, en } },
});

const unknownDevice = () => refuse('notFound', 'UNKNOWN_DEVICE', '没有此设备', 'No such device');
const unknownCounter = (id: string) =>
  refuse('input', 'UNKNOWN_COUNTER', `没有此窗口：${id}`, `No such counter: ${id}`);

/**
 * Why a desk print cannot go to `deviceId`, or null: it must be a paired kiosk that is not revoked.
 * Also asked before a desk ticket is issued, so an unknown kiosk issues nothing.
 */
export function printKioskRefusal(devices: readonly DeviceInfo[], deviceId: string): HubRefusal | null {
  const kiosk = devices.find((d) => d.deviceId === deviceId);
  if (kiosk && kiosk.kind === 'kiosk' && !kiosk.revoked) return null;
  return {
    kind: 'input',
    code: 'UNKNOWN_KIOSK',
    message: { zh: '没有此取号机', en: `No kiosk ${deviceId} to print on` },
  };
}

/** How the shipper's codes show among the devices' health and in its status. */
export const SHIPPER_LEVEL: Record<ShipperCode, HealthComponent['level']> = {
  OK: 'ok',
  LAGGING: 'warning',
  OFFLINE: 'warning', // the branch works on; the backlog waits on the hub's disk
  ERROR: 'error',
};

/** The store's errors that a retry may cure (the WAN, a query, a stale cursor); any other needs a person. */
const PASSING_ERRORS: ReadonlySet<string> = new Set(['UNREACHABLE', 'QUERY', 'GAP']);

/**
 * The central shipper's health code after its last turn, or null while there is nothing to say yet
 * (it has only failed briefly since it started).
 * - An error a person must fix (login, schema, branch id taken) is ERROR at once.
 * - A passing error is OFFLINE once it has lasted `offlineAfterMs` (a blip does not flap the health);
 *   until then the code stays what it was.
 * - Without an error: LAGGING beyond `laggingAfterSeconds` behind, and it stays LAGGING until the lag
 *   is under half of that (no flapping at the limit); else OK.
 */
export function shipperHealthCode(input: {
  previous: ShipperCode | null;
  /** The store's error code from the last attempt, or null if it succeeded. */
  errorCode: string | null;
  /** How long the attempts have been failing, ms, or null. */
  failingForMs: number | null;
  lagSeconds: number;
  laggingAfterSeconds: number;
  offlineAfterMs: number;
}): ShipperCode | null {
  const { previous, errorCode, failingForMs, lagSeconds, laggingAfterSeconds: limit } = input;
  if (errorCode !== null && !PASSING_ERRORS.has(errorCode)) return 'ERROR';
  if (errorCode !== null)
    return failingForMs !== null && failingForMs >= input.offlineAfterMs ? 'OFFLINE' : previous;
  return lagSeconds > limit || (previous === 'LAGGING' && lagSeconds > limit / 2) ? 'LAGGING' : 'OK';
}

export function decideHub(c: HubCommand, view: HubDecideView): HubDecision {
  const deviceOf = (id: string) => view.devices.find((d) => d.deviceId === id);
  switch (c.type) {
    case 'PairDevice': {
      const { deviceId, kind, name, at } = c.data;
      return accept({ type: 'DevicePaired', data: { deviceId, kind, name, at } });
    }
    case 'RevokeDevice': {
      const device = deviceOf(c.data.deviceId);
      if (!device) return unknownDevice();
      // Revoking twice changes nothing (the caller still closes the device's connections).
      if (device.revoked) return accept();
      return accept({ type: 'DeviceRevoked', data: c.data });
    }
    case 'RenameDevice': {
      const device = deviceOf(c.data.deviceId);
      if (!device) return unknownDevice();
      if (device.revoked)
        return refuse('conflict', 'DEVICE_REVOKED', '设备已被移除，不能改名', 'The device was revoked');
      if (device.name === c.data.name) return accept();
      return accept({ type: 'DeviceRenamed', data: c.data });
    }
    case 'ConfigureDevice': {
      const device = deviceOf(c.data.deviceId);
      if (!device) return unknownDevice();
      const refusal = deviceSettingsRefusal(device.kind, c.data.settings, view.config);
      if (refusal) return { ok: false, refusal };
      return accept({ type: 'DeviceConfigured', data: c.data });
    }
    case 'ReportDeviceHealth': {
      const { deviceId, at } = c.data;
      const known = deviceOf(deviceId)?.health ?? null;
      const health = healthOnHubClock(known, c.data.health, at);
      // Only a change is an event: a heartbeat with the same health does not grow the log.
      if (JSON.stringify(known) === JSON.stringify(health)) return accept();
      return accept({ type: 'DeviceHealthReported', data: { deviceId, health, at } });
    }
    case 'SetDeviceOnline': {
      const device = deviceOf(c.data.deviceId);
      if (!device || device.online === c.data.online || device.revoked) return accept();
      return accept({ type: 'DeviceConnectionChanged', data: c.data });
    }
    case 'CreatePairingCode':
      return accept({ type: 'PairingCodeCreated', data: c.data });
    case 'CreateStaff': {
      const { username, counterIds } = c.data;
      if (view.staffByUsername(username))
        return refuse(
          'conflict',
          'USERNAME_TAKEN',
          `用户名 ${username} 已存在`,
          `Username ${username} is taken`,
        );
      const unknown = counterIds.find((id) => !has(view.config.counters, id));
      if (unknown) return unknownCounter(unknown);
      return accept({ type: 'StaffAccountCreated', data: c.data });
    }
    case 'UpdateStaff': {
      const { staffId, by, at } = c.data;
      const staff = view.staffById(staffId);
      if (!staff) return refuse('notFound', 'UNKNOWN_STAFF', '没有此账号', 'No such account');
      if (staff.id === by && (c.data.disabled || (c.data.role && c.data.role !== 'admin')))
        return refuse(
          'conflict',
          'SELF_LOCKOUT',
          '不能停用或降级自己的管理员账号',
          'You cannot disable or demote your own admin account',
        );
      const unknown = c.data.counterIds?.find((id) => !has(view.config.counters, id));
      if (unknown) return unknownCounter(unknown);
      return accept(
        {
          type: 'StaffAccountUpdated',
          data: {
            staffId,
            displayName: c.data.displayName ?? staff.displayName,
            role: c.data.role ?? staff.role,
            counterIds: c.data.counterIds ?? staff.counterIds,
            disabled: c.data.disabled ?? staff.disabled,
            at,
          },
        },
        ...(c.data.passwordChanged ? [{ type: 'StaffPasswordChanged' as const, data: { staffId, at } }] : []),
      );
    }
    case 'SignIn':
      return accept({ type: 'StaffSignedIn', data: c.data });
    case 'SignOut':
      return accept({ type: 'StaffSignedOut', data: c.data });
    case 'CreateApiKey':
      return accept({ type: 'ApiKeyCreated', data: c.data });
    case 'RevokeApiKey': {
      const key = view.apiKeyById(c.data.keyId);
      if (!key) return refuse('notFound', 'UNKNOWN_API_KEY', '没有此密钥', 'No such API key');
      if (key.revoked) return accept();
      return accept({ type: 'ApiKeyRevoked', data: c.data });
    }
    case 'ChangeNotice':
      return accept({ type: 'NoticeChanged', data: c.data });
    case 'RequestTicketPrint': {
      const t = own(view.tickets, c.data.ticketId);
      if (!t) return refuse('notFound', 'UNKNOWN_TICKET', '今天没有此号', 'No such ticket today');
      if (t.status !== 'waiting')
        return refuse(
          'conflict',
          'TICKET_NOT_WAITING',
          `${t.number} 号已不在等候，无需打印`,
          `Ticket ${t.number} is no longer waiting: nothing to print`,
        );
      const refusal = printKioskRefusal(view.devices, c.data.deviceId);
      if (refusal) return { ok: false, refusal };
      return accept({ type: 'TicketPrintRequested', data: c.data });
    }
    case 'ReportTicketPrint': {
      const { ticketId, deviceId, ok, at } = c.data;
      // A kiosk answers only what it was asked to print, and each request once.
      if (!view.printAwaited(ticketId, deviceId))
        return refuse(
          'conflict',
          'NOT_REQUESTED',
          '没有请本机打印此号',
          'This kiosk was not asked to print it',
        );
      return accept({
        type: 'TicketPrintReported',
        data: { ticketId, deviceId, ok, problem: ok ? null : c.data.problem, at },
      });
    }
    case 'ReportShipperHealth': {
      const { hubId, previous, code, errorCode, lagEvents, at } = c.data;
      if (code === previous) return accept();
      const lagSeconds = Math.round(c.data.lagSeconds);
      // While the store fails, the detail names why; otherwise how far behind the shipping is.
      const detail = (
        errorCode !== null && code !== 'OK' && code !== 'LAGGING'
          ? `${errorCode}: ${lagEvents} events behind`
          : `${lagEvents} events, ${lagSeconds} s behind`
      ).slice(0, 64);
      return accept({
        type: 'DeviceHealthReported',
        data: {
          deviceId: hubId,
          health: {
            components: [
              { component: 'shipper', address: null, level: SHIPPER_LEVEL[code], code, detail, since: at },
            ],
            version: c.data.version,
          },
          at,
        },
      });
    }
    default: {
      const _exhaustive: never = c;
      return _exhaustive;
    }
  }
}
