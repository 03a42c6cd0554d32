import { sampleBranchConfig, type Ticket } from '@nextup/core';
import {
  type DeviceHealth,
  type DeviceInfo,
  type DeviceSettings,
  defaultDeviceSettings,
} from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import {
  decideHub,
  type HubCommand,
  type HubDecideView,
  type StaffFacts,
  shipperHealthCode,
} from './hub-decide.ts';

const AT = Date.UTC(2026, 2, 2, 2, 0);

const kiosk: DeviceInfo = {
  deviceId: 'd-kiosk',
  kind: 'kiosk',
  name: '大厅取号机',
  pairedAt: AT - 1000,
  revoked: false,
  online: false,
  lastSeen: null,
  health: null,
  settings: defaultDeviceSettings('kiosk'),
};
const display: DeviceInfo = {
  ...kiosk,
  deviceId: 'd-display',
  kind: 'display',
  name: '叫号屏',
  settings: defaultDeviceSettings('display'),
};
const revoked: DeviceInfo = { ...kiosk, deviceId: 'd-gone', revoked: true };

const admin: StaffFacts = {
  id: 's-admin',
  username: 'it',
  displayName: '信息科',
  role: 'admin',
  counterIds: [],
  disabled: false,
};
const teller: StaffFacts = {
  ...admin,
  id: 's-teller',
  username: 'li',
  displayName: '李',
  role: 'teller',
  counterIds: ['c1'],
};

const waiting: Ticket = {
  id: 't-waiting',
  number: 'A001',
  seq: 1,
  serviceId: 'cash',
  class: 'priority',
  source: 'staff',
  status: 'waiting',
  issuedAt: AT - 60_000,
  queuedAt: AT - 60_000,
  queueOrder: 1,
  calledAt: null,
  servingAt: null,
  endedAt: null,
  counterId: null,
  targetCounterId: null,
  recalls: 0,
  overtaken: 0,
  transfers: 0,
  appointmentId: null,
  slotStart: null,
  estimate: null,
  rating: null,
};
const served: Ticket = { ...waiting, id: 't-served', number: 'A002', status: 'done', endedAt: AT };

/**
 * Given: a branch with the sample configuration, these devices, staff and keys, two tickets (one
 * waiting, one served), and the kiosk asked to print the waiting one.
 */
function given(devices: DeviceInfo[] = [kiosk, display, revoked]): HubDecideView {
  const staff = [admin, teller];
  const keys = [
    { id: 'k-live', revoked: false },
    { id: 'k-old', revoked: true },
  ];
  return {
    devices,
    config: sampleBranchConfig(),
    staffById: (id) => staff.find((s) => s.id === id) ?? null,
    staffByUsername: (u) => staff.find((s) => s.username === u) ?? null,
    apiKeyById: (id) => keys.find((k) => k.id === id) ?? null,
    tickets: { [waiting.id]: waiting, [served.id]: served },
    printAwaited: (ticketId, deviceId) => ticketId === waiting.id && deviceId === kiosk.deviceId,
  };
}

const events = (c: HubCommand, view = given()) => {
  const d = decideHub(c, view);
  if (!d.ok) throw new Error(`refused: ${d.refusal.code}`);
  return d.events;
};
const refusal = (c: HubCommand, view = given()) => {
  const d = decideHub(c, view);
  return d.ok ? null : { kind: d.refusal.kind, code: d.refusal.code };
};

const printerOut = (since: number): DeviceHealth => ({
  components: [
    { component: 'printer', address: null, level: 'error', code: 'PAPER_OUT', detail: null, since },
  ],
  version: '1.0.0',
});

describe('decideHub: devices', () => {
  it('pairs a device', () => {
    expect(
      events({ type: 'PairDevice', data: { deviceId: 'd-new', kind: 'kiosk', name: '二楼取号机', at: AT } }),
    ).toEqual([
      { type: 'DevicePaired', data: { deviceId: 'd-new', kind: 'kiosk', name: '二楼取号机', at: AT } },
    ]);
  });

  it('revokes a device once; a second revoke changes nothing; an unknown device is not found', () => {
    expect(events({ type: 'RevokeDevice', data: { deviceId: 'd-kiosk', at: AT } })).toEqual([
      { type: 'DeviceRevoked', data: { deviceId: 'd-kiosk', at: AT } },
    ]);
    expect(events({ type: 'RevokeDevice', data: { deviceId: 'd-gone', at: AT } })).toEqual([]);
    expect(refusal({ type: 'RevokeDevice', data: { deviceId: 'd-none', at: AT } })).toEqual({
      kind: 'notFound',
      code: 'UNKNOWN_DEVICE',
    });
  });

  it('renames a device, not to the name it has, and never a revoked one', () => {
    expect(
      events({ type: 'RenameDevice', data: { deviceId: 'd-kiosk', name: '二楼取号机', at: AT } }),
    ).toEqual([{ type: 'DeviceRenamed', data: { deviceId: 'd-kiosk', name: '二楼取号机', at: AT } }]);
    expect(
      events({ type: 'RenameDevice', data: { deviceId: 'd-kiosk', name: '大厅取号机', at: AT } }),
    ).toEqual([]);
    expect(refusal({ type: 'RenameDevice', data: { deviceId: 'd-gone', name: 'x', at: AT } })).toEqual({
      kind: 'conflict',
      code: 'DEVICE_REVOKED',
    });
    expect(refusal({ type: 'RenameDevice', data: { deviceId: 'd-none', name: 'x', at: AT } })?.code).toBe(
      'UNKNOWN_DEVICE',
    );
  });

  it('configures a device with settings of its kind naming what exists', () => {
    const settings = { kind: 'kiosk' as const, printer: null, idleSeconds: 30, services: ['cash'] };
    expect(events({ type: 'ConfigureDevice', data: { deviceId: 'd-kiosk', settings, at: AT } })).toEqual([
      { type: 'DeviceConfigured', data: { deviceId: 'd-kiosk', settings, at: AT } },
    ]);
  });

  it('refuses settings for another kind, an unknown service or counter, a main board on a counter’s address', () => {
    const configure = (deviceId: string, settings: DeviceSettings) =>
      refusal({ type: 'ConfigureDevice', data: { deviceId, settings, at: AT } });
    const displaySettings = defaultDeviceSettings('display');
    if (displaySettings.kind !== 'display') throw new Error('display settings expected');
    expect(configure('d-kiosk', displaySettings)).toEqual({ kind: 'input', code: 'WRONG_DEVICE_KIND' });
    expect(
      configure('d-kiosk', { kind: 'kiosk', printer: null, idleSeconds: 20, services: ['loans'] }),
    ).toEqual({
      kind: 'input',
      code: 'UNKNOWN_SERVICE',
    });
    expect(configure('d-display', { ...displaySettings, counters: ['c9'] })).toEqual({
      kind: 'input',
      code: 'UNKNOWN_COUNTER',
    });
    // Counter 3's board is at address 3, its keypad at 103.
    expect(configure('d-display', { ...displaySettings, mainBoards: [103] })).toEqual({
      kind: 'input',
      code: 'ADDRESS_CLASH',
    });
    // A display that drives only counters 1 and 2 may put its main board on counter 3's address: that
    // counter is on another display's line. The admin form judges by the same rule.
    expect(
      configure('d-display', { ...displaySettings, counters: ['c1', 'c2'], mainBoards: [103] }),
    ).toBeNull();
    expect(configure('d-none', displaySettings)).toEqual({ kind: 'notFound', code: 'UNKNOWN_DEVICE' });
  });

  it('records a health report only when it changes, on the hub’s clock', () => {
    const first = events({
      type: 'ReportDeviceHealth',
      data: { deviceId: 'd-kiosk', health: printerOut(1), at: AT },
    });
    expect(first).toEqual([
      { type: 'DeviceHealthReported', data: { deviceId: 'd-kiosk', health: printerOut(AT), at: AT } },
    ]);
    // The same report again, stamped by the device's own clock: nothing new.
    const known = given([{ ...kiosk, health: printerOut(AT) }, display]);
    expect(
      events(
        { type: 'ReportDeviceHealth', data: { deviceId: 'd-kiosk', health: printerOut(5), at: AT + 5000 } },
        known,
      ),
    ).toEqual([]);
  });

  it('marks a device online or offline only when that changes, never a revoked or unknown one', () => {
    expect(events({ type: 'SetDeviceOnline', data: { deviceId: 'd-kiosk', online: true, at: AT } })).toEqual([
      { type: 'DeviceConnectionChanged', data: { deviceId: 'd-kiosk', online: true, at: AT } },
    ]);
    expect(events({ type: 'SetDeviceOnline', data: { deviceId: 'd-kiosk', online: false, at: AT } })).toEqual(
      [],
    );
    expect(events({ type: 'SetDeviceOnline', data: { deviceId: 'd-gone', online: true, at: AT } })).toEqual(
      [],
    );
    expect(events({ type: 'SetDeviceOnline', data: { deviceId: 'd-none', online: true, at: AT } })).toEqual(
      [],
    );
  });

  it('records a pairing code without the code itself', () => {
    const c: HubCommand = {
      type: 'CreatePairingCode',
      data: { kind: 'display', name: '叫号屏', expiresAt: AT + 600_000, at: AT },
    };
    expect(events(c)).toEqual([{ type: 'PairingCodeCreated', data: c.data }]);
  });
});

describe('decideHub: staff, keys, notice', () => {
  const create = (over: Partial<{ username: string; counterIds: string[] }> = {}): HubCommand => ({
    type: 'CreateStaff',
    data: {
      staffId: 's-new',
      username: 'wang',
      displayName: '王',
      role: 'teller',
      counterIds: ['c2'],
      at: AT,
      ...over,
    },
  });

  it('creates an account', () => {
    const c = create();
    expect(events(c)).toEqual([{ type: 'StaffAccountCreated', data: c.data }]);
  });

  it('refuses a username that is taken and a counter that does not exist', () => {
    expect(refusal(create({ username: 'li' }))).toEqual({ kind: 'conflict', code: 'USERNAME_TAKEN' });
    expect(refusal(create({ counterIds: ['c9'] }))).toEqual({ kind: 'input', code: 'UNKNOWN_COUNTER' });
  });

  const update = (data: Partial<(HubCommand & { type: 'UpdateStaff' })['data']>): HubCommand => ({
    type: 'UpdateStaff',
    data: { staffId: 's-teller', by: 's-admin', passwordChanged: false, at: AT, ...data },
  });

  it('updates an account, keeping what the patch leaves out, and says when the password changed', () => {
    expect(events(update({ role: 'manager', passwordChanged: true }))).toEqual([
      {
        type: 'StaffAccountUpdated',
        data: {
          staffId: 's-teller',
          displayName: '李',
          role: 'manager',
          counterIds: ['c1'],
          disabled: false,
          at: AT,
        },
      },
      { type: 'StaffPasswordChanged', data: { staffId: 's-teller', at: AT } },
    ]);
  });

  it('refuses an unknown account, an admin locking themselves out, an unknown counter', () => {
    expect(refusal(update({ staffId: 's-none' }))).toEqual({ kind: 'notFound', code: 'UNKNOWN_STAFF' });
    expect(refusal(update({ staffId: 's-admin', disabled: true }))).toEqual({
      kind: 'conflict',
      code: 'SELF_LOCKOUT',
    });
    expect(refusal(update({ staffId: 's-admin', role: 'teller' }))).toEqual({
      kind: 'conflict',
      code: 'SELF_LOCKOUT',
    });
    expect(refusal(update({ counterIds: ['c1', 'c9'] }))).toEqual({ kind: 'input', code: 'UNKNOWN_COUNTER' });
    // An admin may rename themselves.
    expect(events(update({ staffId: 's-admin', displayName: 'IT' }))).toHaveLength(1);
  });

  it('records sign-ins and sign-outs', () => {
    expect(events({ type: 'SignIn', data: { staffId: 's-teller', at: AT } })).toEqual([
      { type: 'StaffSignedIn', data: { staffId: 's-teller', at: AT } },
    ]);
    expect(events({ type: 'SignOut', data: { staffId: 's-teller', at: AT } })).toEqual([
      { type: 'StaffSignedOut', data: { staffId: 's-teller', at: AT } },
    ]);
  });

  it('creates an API key, revokes a live one once, and does not know an unknown one', () => {
    expect(events({ type: 'CreateApiKey', data: { keyId: 'k-new', name: '手机银行', at: AT } })).toEqual([
      { type: 'ApiKeyCreated', data: { keyId: 'k-new', name: '手机银行', at: AT } },
    ]);
    expect(events({ type: 'RevokeApiKey', data: { keyId: 'k-live', at: AT } })).toEqual([
      { type: 'ApiKeyRevoked', data: { keyId: 'k-live', at: AT } },
    ]);
    expect(events({ type: 'RevokeApiKey', data: { keyId: 'k-old', at: AT } })).toEqual([]);
    expect(refusal({ type: 'RevokeApiKey', data: { keyId: 'k-none', at: AT } })).toEqual({
      kind: 'notFound',
      code: 'UNKNOWN_API_KEY',
    });
  });

  it('changes and clears the notice', () => {
    const notice = { zh: '今日下午系统维护', en: 'Maintenance this afternoon' };
    expect(events({ type: 'ChangeNotice', data: { notice, at: AT } })).toEqual([
      { type: 'NoticeChanged', data: { notice, at: AT } },
    ]);
    expect(events({ type: 'ChangeNotice', data: { notice: null, at: AT } })).toEqual([
      { type: 'NoticeChanged', data: { notice: null, at: AT } },
    ]);
  });
});

describe('decideHub: the floor desk’s prints', () => {
  const request = (over: Partial<{ ticketId: string; deviceId: string }> = {}): HubCommand => ({
    type: 'RequestTicketPrint',
    data: {
      ticketId: waiting.id,
      deviceId: kiosk.deviceId,
      lang: 'zh',
      followUrl: 'http://hub.local/f/t-waiting',
      at: AT,
      ...over,
    },
  });
  const report = (
    over: Partial<{ ticketId: string; deviceId: string; ok: boolean; problem: string | null }> = {},
  ): HubCommand => ({
    type: 'ReportTicketPrint',
    data: { ticketId: waiting.id, deviceId: kiosk.deviceId, ok: true, problem: null, at: AT, ...over },
  });

  it('asks a paired kiosk to print a waiting ticket', () => {
    const c = request();
    expect(events(c)).toEqual([{ type: 'TicketPrintRequested', data: c.data }]);
  });

  it('refuses an unknown ticket (a prototype member’s name included), one no longer waiting, and no kiosk', () => {
    for (const ticketId of ['t-none', 'constructor', 'toString'])
      expect(refusal(request({ ticketId })), ticketId).toEqual({ kind: 'notFound', code: 'UNKNOWN_TICKET' });
    expect(refusal(request({ ticketId: served.id }))).toEqual({
      kind: 'conflict',
      code: 'TICKET_NOT_WAITING',
    });
    const d = decideHub(request({ ticketId: served.id }), given());
    expect(d.ok ? null : d.refusal.message.en).toBe('Ticket A002 is no longer waiting: nothing to print');
    // A display, a revoked kiosk and an unknown device are no kiosk to print on.
    for (const deviceId of [display.deviceId, revoked.deviceId, 'd-none'])
      expect(refusal(request({ deviceId })), deviceId).toEqual({ kind: 'input', code: 'UNKNOWN_KIOSK' });
  });

  it('records a kiosk’s answer to its own request, with the problem only when it did not print', () => {
    expect(events(report({ problem: 'stale' }))).toEqual([
      {
        type: 'TicketPrintReported',
        data: { ticketId: waiting.id, deviceId: kiosk.deviceId, ok: true, problem: null, at: AT },
      },
    ]);
    expect(events(report({ ok: false, problem: 'PAPER_OUT' }))).toEqual([
      {
        type: 'TicketPrintReported',
        data: { ticketId: waiting.id, deviceId: kiosk.deviceId, ok: false, problem: 'PAPER_OUT', at: AT },
      },
    ]);
  });

  it('refuses an answer to a print nobody asked of that kiosk', () => {
    expect(refusal(report({ deviceId: 'd-other' }))).toEqual({ kind: 'conflict', code: 'NOT_REQUESTED' });
    expect(refusal(report({ ticketId: served.id }))).toEqual({ kind: 'conflict', code: 'NOT_REQUESTED' });
  });
});

describe('decideHub: the central shipper’s health', () => {
  const health = (
    over: Partial<{ previous: 'OK' | 'LAGGING' | 'OFFLINE' | 'ERROR' | null; errorCode: string | null }> &
      Pick<Extract<HubCommand, { type: 'ReportShipperHealth' }>['data'], 'code'>,
  ): HubCommand => ({
    type: 'ReportShipperHealth',
    data: {
      hubId: 'hub-1',
      previous: null,
      errorCode: null,
      lagEvents: 12,
      lagSeconds: 3.4,
      version: 'nextup-hub 1.0.0',
      at: AT,
      ...over,
    },
  });

  it('reports a new code as the hub’s own health, one shipper component', () => {
    expect(events(health({ code: 'OK' }))).toEqual([
      {
        type: 'DeviceHealthReported',
        data: {
          deviceId: 'hub-1',
          health: {
            components: [
              {
                component: 'shipper',
                address: null,
                level: 'ok',
                code: 'OK',
                detail: '12 events, 3 s behind',
                since: AT,
              },
            ],
            version: 'nextup-hub 1.0.0',
          },
          at: AT,
        },
      },
    ]);
  });

  it('names the store’s error while it is offline or broken, and levels each code', () => {
    const component = (c: HubCommand) => {
      const [e] = events(c);
      return e?.type === 'DeviceHealthReported' ? e.data.health.components[0] : null;
    };
    expect(component(health({ previous: 'OK', code: 'OFFLINE', errorCode: 'UNREACHABLE' }))).toMatchObject({
      level: 'warning',
      detail: 'UNREACHABLE: 12 events behind',
    });
    expect(component(health({ previous: 'OK', code: 'ERROR', errorCode: 'AUTH' }))).toMatchObject({
      level: 'error',
      detail: 'AUTH: 12 events behind',
    });
    expect(component(health({ previous: 'OK', code: 'LAGGING', errorCode: null }))).toMatchObject({
      level: 'warning',
      detail: '12 events, 3 s behind',
    });
  });

  it('records nothing when the code has not changed', () => {
    expect(events(health({ previous: 'LAGGING', code: 'LAGGING' }))).toEqual([]);
  });
});

describe('shipperHealthCode', () => {
  const judge = (over: Partial<Parameters<typeof shipperHealthCode>[0]>) =>
    shipperHealthCode({
      previous: null,
      errorCode: null,
      failingForMs: null,
      lagSeconds: 0,
      laggingAfterSeconds: 60,
      offlineAfterMs: 15_000,
      ...over,
    });

  it('is OK when shipping keeps up, LAGGING beyond the limit, and stays LAGGING until under half of it', () => {
    expect(judge({})).toBe('OK');
    expect(judge({ lagSeconds: 61 })).toBe('LAGGING');
    expect(judge({ previous: 'OK', lagSeconds: 45 })).toBe('OK');
    expect(judge({ previous: 'LAGGING', lagSeconds: 45 })).toBe('LAGGING');
    expect(judge({ previous: 'LAGGING', lagSeconds: 30 })).toBe('OK');
  });

  it('is ERROR at once for an error a person must fix', () => {
    expect(judge({ previous: 'OK', errorCode: 'AUTH', failingForMs: 0 })).toBe('ERROR');
  });

  it('keeps its code through a short outage and is OFFLINE once the outage lasts', () => {
    expect(judge({ errorCode: 'UNREACHABLE', failingForMs: 1000 })).toBeNull();
    expect(judge({ previous: 'OK', errorCode: 'UNREACHABLE', failingForMs: 14_999 })).toBe('OK');
    expect(judge({ previous: 'OK', errorCode: 'UNREACHABLE', failingForMs: 15_000 })).toBe('OFFLINE');
    expect(judge({ previous: 'OK', errorCode: 'GAP', failingForMs: 20_000 })).toBe('OFFLINE');
  });
});
