import { type Bilingual, type BranchConfig, has } from '@nextup/core';
import type {
  DeviceHealth,
  DeviceInfo,
  DeviceKind,
  DeviceSettings,
  HubEvent,
  StaffRole,
} from '@nextup/protocol';
import { healthOnHubClock } from './device-health.ts';
import { deviceSettingsRefusal } from './device-settings-rules.ts';

/**
 * The hub's own decider, beside core's queue decider: devices, staff accounts, API keys, pairing codes
 * and the notice. `decideHub(command, view) → events | refusal`, pure: the clock and every new id come
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
  | { type: 'ChangeNotice'; data: { notice: Bilingual | null; at: number } };

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
    default: {
      const _exhaustive: never = c;
      return _exhaustive;
    }
  }
}
