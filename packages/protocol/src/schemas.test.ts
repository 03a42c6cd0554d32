import {
  decide,
  evolve,
  initialState,
  QUEUE_COMMAND_TYPES,
  QUEUE_EVENT_TYPES,
  type QueueCommand,
  type QueueEvent,
  type QueueState,
  sampleBranchConfig,
} from '@nextup/core';
import { describe, expect, it } from 'vitest';
import { type ClientCommand, clientCommand, commandRequest, commandResponse } from './commands.ts';
import { LIMITS, parseRaw, parseWith } from './common.ts';
import { defaultDeviceSettings, displaySettings } from './devices.ts';
import { queueEvent, queueState } from './domain.ts';
import { hubEvent, loggedEvent } from './events.ts';
import { clientMessage, serverMessage } from './ws.ts';

const T = Date.UTC(2026, 10, 23, 1, 0); // Monday 09:00 Shanghai
const min = (m: number) => T + m * 60_000;

/** A real day through the decider, touching every event type, so the schemas meet real data. */
function realDay(): { events: QueueEvent[]; state: QueueState } {
  const config = sampleBranchConfig();
  let state = initialState(config);
  const events: QueueEvent[] = [];
  const commands: QueueCommand[] = [
    { type: 'ConfigureBranch', data: { branch: config.branch, at: min(-90) } },
    {
      type: 'UpsertService',
      data: {
        service: {
          ...config.services.cash!,
          id: 'fx',
          prefix: 'F',
          name: { zh: '外汇', en: 'Foreign exchange' },
        },
        at: min(-90),
      },
    },
    { type: 'RemoveService', data: { serviceId: 'fx', at: min(-89) } },
    {
      type: 'UpsertCounter',
      data: {
        counter: { ...config.counters.c1!, id: 'c9', number: 9, ledAddress: 9, keypadAddress: 109 },
        at: min(-88),
      },
    },
    { type: 'RemoveCounter', data: { counterId: 'c9', at: min(-87) } },
    { type: 'SetDispatchSettings', data: { settings: config.dispatch, at: min(-86) } },
    { type: 'OpenCounter', data: { counterId: 'c1', at: min(-10) } },
    { type: 'OpenCounter', data: { counterId: 'c3', at: min(-10) } },
    {
      type: 'BookAppointment',
      data: {
        appointmentId: 'ap1',
        code: '123456',
        serviceId: 'personal',
        slotStart: min(60),
        customerName: '李先生',
        phoneTail: '8888',
        at: min(-5),
      },
    },
    {
      type: 'BookAppointment',
      data: {
        appointmentId: 'ap2',
        code: '654321',
        serviceId: 'personal',
        slotStart: min(90),
        customerName: null,
        phoneTail: null,
        at: min(-5),
      },
    },
    { type: 'CancelAppointment', data: { appointmentId: 'ap2', at: min(-4) } },
    {
      type: 'IssueTicket',
      data: { ticketId: 'tA1', serviceId: 'cash', class: 'normal', source: 'kiosk', at: min(0) },
    },
    {
      type: 'IssueTicket',
      data: { ticketId: 'tA2', serviceId: 'cash', class: 'vip', source: 'staff', at: min(1) },
    },
    {
      type: 'IssueTicket',
      data: { ticketId: 'tA3', serviceId: 'cash', class: 'priority', source: 'kiosk', at: min(2) },
    },
    { type: 'CallNext', data: { counterId: 'c1', at: min(3) } },
    { type: 'Recall', data: { counterId: 'c1', at: min(4) } },
    { type: 'StartServing', data: { counterId: 'c1', at: min(5) } },
    { type: 'FinishTicket', data: { counterId: 'c1', at: min(8) } },
    { type: 'RateTicket', data: { ticketId: 'tA3', score: 5, at: min(9) } },
    { type: 'CallNext', data: { counterId: 'c1', at: min(9) } },
    { type: 'MarkNoShow', data: { counterId: 'c1', at: min(11) } },
    { type: 'CallTicket', data: { counterId: 'c1', number: 'A001', at: min(12) } },
    {
      type: 'TransferTicket',
      data: { counterId: 'c1', toServiceId: 'personal', toCounterId: null, at: min(14) },
    },
    { type: 'CancelTicket', data: { ticketId: 'tA1', reason: 'customerLeft', at: min(15) } },
    { type: 'PauseCounter', data: { counterId: 'c1', reason: '午休', at: min(16) } },
    { type: 'ResumeCounter', data: { counterId: 'c1', at: min(17) } },
    { type: 'CloseCounter', data: { counterId: 'c1', at: min(18) } },
    { type: 'CheckInAppointment', data: { code: '123456', ticketId: 'tB1', at: min(45) } },
    { type: 'RollBusinessDay', data: { at: min(24 * 60) } },
  ];
  for (const c of commands) {
    const d = decide(c, state);
    if (!d.ok) throw new Error(`${c.type}: ${d.error.code}`);
    for (const e of d.events) {
      state = evolve(state, e);
      events.push(e);
    }
  }
  return { events, state };
}

/** One client command of every type, as a console or device would send it. */
const sampleCommands: ClientCommand[] = [
  { type: 'ConfigureBranch', data: { branch: sampleBranchConfig().branch } },
  { type: 'UpsertService', data: { service: sampleBranchConfig().services.cash! } },
  { type: 'RemoveService', data: { serviceId: 'cash' } },
  { type: 'UpsertCounter', data: { counter: sampleBranchConfig().counters.c1! } },
  { type: 'RemoveCounter', data: { counterId: 'c1' } },
  { type: 'SetDispatchSettings', data: { settings: sampleBranchConfig().dispatch } },
  { type: 'RollBusinessDay', data: {} },
  { type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } },
  { type: 'CancelTicket', data: { ticketId: 'abc', reason: 'printFailed' } },
  { type: 'RateTicket', data: { ticketId: 'abc', score: 4 } },
  { type: 'CallNext', data: { counterId: 'c1' } },
  { type: 'CallTicket', data: { counterId: 'c1', number: 'A023' } },
  { type: 'Recall', data: { counterId: 'c1' } },
  { type: 'MarkNoShow', data: { counterId: 'c1' } },
  { type: 'StartServing', data: { counterId: 'c1' } },
  { type: 'FinishTicket', data: { counterId: 'c1' } },
  { type: 'TransferTicket', data: { counterId: 'c1', toServiceId: 'personal', toCounterId: null } },
  { type: 'OpenCounter', data: { counterId: 'c1' } },
  { type: 'PauseCounter', data: { counterId: 'c1', reason: 'lunch' } },
  { type: 'ResumeCounter', data: { counterId: 'c1' } },
  { type: 'CloseCounter', data: { counterId: 'c1' } },
  {
    type: 'BookAppointment',
    data: { serviceId: 'personal', slotStart: T, customerName: '王', phoneTail: '1234' },
  },
  { type: 'CancelAppointment', data: { appointmentId: 'ap1' } },
  { type: 'CheckInAppointment', data: { code: '123456' } },
];

const roundTrip = <T>(value: T) => JSON.parse(JSON.stringify(value)) as unknown;

describe('every message type round-trips', () => {
  const day = realDay();

  it('covers every queue event type and every client command type', () => {
    expect(new Set(day.events.map((e) => e.type))).toEqual(new Set(QUEUE_EVENT_TYPES));
    expect(new Set(sampleCommands.map((c) => c.type))).toEqual(new Set(QUEUE_COMMAND_TYPES));
  });

  it.each(QUEUE_EVENT_TYPES.map((t) => [t]))('queue event %s', (type) => {
    for (const e of day.events.filter((x) => x.type === type)) {
      const parsed = parseWith(queueEvent, roundTrip(e));
      expect(parsed).toEqual({ ok: true, value: e });
      const logged = { seq: 7, actor: { kind: 'staff', id: 's1' }, event: e };
      expect(parseWith(loggedEvent, roundTrip(logged))).toEqual({ ok: true, value: logged });
    }
  });

  it.each(sampleCommands.map((c) => [c.type, c] as const))('client command %s', (_type, command) => {
    const request = { v: 1, requestId: 'req-12345678', command };
    expect(parseWith(commandRequest, roundTrip(request))).toEqual({ ok: true, value: request });
  });

  it('the state snapshot after a real day', () => {
    const message = {
      type: 'snapshot',
      seq: day.events.length,
      state: day.state,
      hub: { notice: null, devices: [] },
    };
    expect(parseWith(serverMessage, roundTrip(message))).toEqual({ ok: true, value: message });
    expect(parseWith(queueState, roundTrip(day.state))).toEqual({ ok: true, value: day.state });
  });

  it('hub events, stream messages and command answers', () => {
    const health = {
      components: [
        { component: 'printer', address: null, level: 'error', code: 'PAPER_OUT', detail: null, since: T },
        {
          component: 'printer',
          address: 1,
          level: 'error',
          code: 'OFFLINE',
          detail: 'connect ECONNREFUSED 10.0.0.9:9100; not printed: A023',
          reason: { code: 'notPrinted', params: { numbers: 'A023' } },
          since: T,
        },
      ],
      version: '0.1.0',
    };
    const hubEvents = [
      { type: 'DevicePaired', data: { deviceId: 'd1', kind: 'kiosk', name: 'Kiosk 1', at: T } },
      { type: 'DeviceRevoked', data: { deviceId: 'd1', at: T } },
      { type: 'DeviceRenamed', data: { deviceId: 'd1', name: '二楼取号机', at: T } },
      { type: 'DeviceHealthReported', data: { deviceId: 'd1', health, at: T } },
      { type: 'DeviceConnectionChanged', data: { deviceId: 'd1', online: false, at: T } },
      {
        type: 'DeviceConfigured',
        data: {
          deviceId: 'd1',
          settings: {
            kind: 'kiosk',
            printer: { url: 'tcp://10.0.0.9:9100', paperWidth: 80, chinese: 'native', qr: 'native' },
            idleSeconds: 20,
            services: [],
          },
          at: T,
        },
      },
      { type: 'PairingCodeCreated', data: { kind: 'display', name: 'TV', expiresAt: T + 600_000, at: T } },
      {
        type: 'StaffAccountCreated',
        data: { staffId: 's1', username: 'li', displayName: '李', role: 'teller', counterIds: ['c1'], at: T },
      },
      {
        type: 'StaffAccountUpdated',
        data: { staffId: 's1', displayName: '李', role: 'manager', counterIds: [], disabled: false, at: T },
      },
      { type: 'StaffPasswordChanged', data: { staffId: 's1', at: T } },
      { type: 'StaffSignedIn', data: { staffId: 's1', at: T } },
      { type: 'StaffSignedOut', data: { staffId: 's1', at: T } },
      {
        type: 'NoticeChanged',
        data: { notice: { zh: '今日理财讲座 14:00', en: 'Wealth talk at 14:00 today' }, at: T },
      },
      { type: 'ApiKeyCreated', data: { keyId: 'k-1', name: 'Mobile banking app', at: T } },
      { type: 'ApiKeyRevoked', data: { keyId: 'k-1', at: T } },
      {
        type: 'TicketPrintRequested',
        data: { ticketId: 'tA1', deviceId: 'd1', lang: 'zh', followUrl: 'http://hub.test:8300/t/tA1', at: T },
      },
      {
        type: 'TicketPrintReported',
        data: { ticketId: 'tA1', deviceId: 'd1', ok: false, problem: 'PAPER_OUT', at: T },
      },
    ];
    expect(new Set(hubEvents.map((e) => e.type))).toEqual(
      new Set(hubEvent.options.map((o) => o.shape.type.value)),
    );
    for (const e of hubEvents) expect(parseWith(hubEvent, roundTrip(e))).toEqual({ ok: true, value: e });
    const messages = [
      { type: 'hello', v: 1, hubId: 'hub-1', serverTime: T, headSeq: 10 },
      {
        type: 'events',
        after: 0,
        through: 3,
        events: [{ seq: 1, actor: { kind: 'system' }, event: day.events[0] }],
      },
      { type: 'pong', t: T, serverTime: T },
      { type: 'error', code: 'INVALID_MESSAGE', message: { zh: '消息无效', en: 'Invalid message' } },
    ];
    for (const m of messages) expect(parseWith(serverMessage, roundTrip(m))).toEqual({ ok: true, value: m });
    for (const m of [
      { v: 1, type: 'subscribe', lastSeq: null },
      { v: 1, type: 'subscribe', lastSeq: 42 },
      { v: 1, type: 'ping', t: T },
    ])
      expect(parseWith(clientMessage, roundTrip(m))).toEqual({ ok: true, value: m });
    const accepted = { ok: true, seq: 3, events: [] };
    const refused = {
      ok: false,
      error: {
        kind: 'domain',
        code: 'COUNTER_PAUSED',
        messageKey: 'error.COUNTER_PAUSED',
        params: { counter: 3 },
        message: { zh: '3号窗口暂停服务中', en: 'Counter 3 is paused' },
      },
    };
    expect(parseWith(commandResponse, roundTrip(accepted))).toEqual({ ok: true, value: accepted });
    expect(parseWith(commandResponse, roundTrip(refused))).toEqual({ ok: true, value: refused });
  });
});

describe('malformed messages are rejected with a readable error', () => {
  const valid = { v: 1, command: { type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } } };
  const cases: [string, unknown, RegExp][] = [
    [
      'a wrong type',
      { ...valid, command: { type: 'IssueTicket', data: { serviceId: 42, class: 'normal' } } },
      /serviceId/,
    ],
    [
      'a missing field',
      { ...valid, command: { type: 'IssueTicket', data: { class: 'normal' } } },
      /serviceId/,
    ],
    [
      'an unknown command type',
      { ...valid, command: { type: 'DropTable', data: {} } },
      /type|discriminator/i,
    ],
    [
      'an unknown field',
      { ...valid, command: { type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal', at: 0 } } },
      /at|unrecognized/i,
    ],
    [
      'an oversized string',
      { ...valid, command: { type: 'PauseCounter', data: { counterId: 'c1', reason: 'x'.repeat(5000) } } },
      /reason/,
    ],
    ['a wrong version', { ...valid, v: 2 }, /v/],
    [
      'an appointment class from a client',
      { ...valid, command: { type: 'IssueTicket', data: { serviceId: 'cash', class: 'appointment' } } },
      /class/,
    ],
    [
      'an id with odd characters',
      { ...valid, command: { type: 'CallNext', data: { counterId: 'c1; DROP' } } },
      /counterId/,
    ],
    ['not an object', 'hello', /object/i],
  ];
  it.each(cases)('%s', (_name, input, mentions) => {
    const r = parseWith(commandRequest, input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(mentions);
    expect(r.error.length).toBeLessThan(2000);
  });

  it('refuses an oversized raw message before parsing it', () => {
    const huge = JSON.stringify({ ...valid, pad: 'x'.repeat(10 * 1024 * 1024) });
    const r = parseRaw(commandRequest, huge);
    expect(r).toMatchObject({ ok: false, code: 'MESSAGE_TOO_LARGE' });
    expect(LIMITS.maxMessageBytes).toBeLessThan(huge.length);
  });

  it('tells malformed JSON from a wrong schema', () => {
    expect(parseRaw(commandRequest, '{"v":1,')).toMatchObject({ ok: false, code: 'MALFORMED_JSON' });
    expect(parseRaw(commandRequest, '{"v":1}')).toMatchObject({ ok: false, code: 'INVALID_MESSAGE' });
    expect(parseRaw(commandRequest, JSON.stringify(valid))).toMatchObject({ ok: true });
  });

  it('rejects an event whose data does not fit its type', () => {
    expect(parseWith(queueEvent, { type: 'TicketCalled', data: { ticketId: 't', at: 0 } }).ok).toBe(false);
    expect(
      parseWith(queueEvent, {
        type: 'TicketCalled',
        data: { ticketId: 't', counterId: 'c1', specific: false, overtaken: [], at: -1 },
      }).ok,
    ).toBe(false);
    expect(parseWith(clientCommand, { type: 'RateTicket', data: { ticketId: 't', score: 9 } }).ok).toBe(
      false,
    );
  });
});

describe('device settings', () => {
  it('take a dialect id of one word, the one rule the admin form and the hub share', () => {
    const display = (dialect: string) => ({
      ...defaultDeviceSettings('display'),
      bus: { port: '/dev/ttyUSB0', baud: 9600, dialect },
    });
    for (const ok of ['v1', 'line', 'acme-2', 'vendor_x.3'])
      expect(parseWith(displaySettings, display(ok)).ok, ok).toBe(true);
    for (const bad of ['', 'a b', 'v1\n', '协议', 'x'.repeat(33)])
      expect(parseWith(displaySettings, display(bad)).ok, JSON.stringify(bad)).toBe(false);
  });
});
