import {
  type Bilingual,
  CONFIG_COMMAND_TYPES,
  COUNTER_COMMAND_TYPES,
  own,
  type QueueState,
} from '@nextup/core';
import type { Actor, ClientCommand, DeviceSettings } from '@nextup/protocol';
import type { ApiKeyRecord, DeviceRecord, StaffRecord } from './store/identities.ts';

/** Who is asking: a signed-in staff member, a paired device, or the hub itself. */
export type Principal =
  | { kind: 'staff'; staff: StaffRecord }
  | { kind: 'device'; device: DeviceRecord }
  | { kind: 'apiKey'; key: ApiKeyRecord }
  | { kind: 'system' };

export function actorOf(p: Principal): Actor {
  switch (p.kind) {
    case 'staff':
      return { kind: 'staff', id: p.staff.id };
    case 'device':
      return { kind: 'device', id: p.device.id };
    case 'apiKey':
      return { kind: 'apiKey', id: p.key.id };
    case 'system':
      return { kind: 'system' };
  }
}

/** A stable key for idempotency records. */
export function actorKey(p: Principal): string {
  const a = actorOf(p);
  return a.kind === 'system' || a.kind === 'public' ? a.kind : `${a.kind}:${a.id}`;
}

// Which commands act on a counter and which change the configuration is the domain's to say.
const COUNTER_COMMANDS = new Set<ClientCommand['type']>(COUNTER_COMMAND_TYPES);
/**
 * What a caller keypad can do, and so what a display (which hosts the keypads' bus) may send. The
 * pause key opens a closed counter: every counter is closed at the start of a business day, and a
 * teller with only a keypad has no other way to open theirs. Closing stays a console action.
 */
const KEYPAD_COMMANDS = new Set<ClientCommand['type']>([
  'CallNext',
  'Recall',
  'MarkNoShow',
  'PauseCounter',
  'ResumeCounter',
  'OpenCounter',
]);
const CONFIG_COMMANDS = new Set<ClientCommand['type']>(CONFIG_COMMAND_TYPES);
const DESK_COMMANDS = new Set<ClientCommand['type']>([
  'IssueTicket',
  'CancelTicket',
  'BookAppointment',
  'CancelAppointment',
  'CheckInAppointment',
]);

export type Permission = { ok: true } | { ok: false; reason: Bilingual };

const deny = (zh: string, en: string): Permission => ({ ok: false, reason: { zh, en } });
const allow: Permission = { ok: true };

/** What `permission` looks up besides the command. */
export interface PermissionContext {
  state: QueueState;
  /** Which actor issued one of today's tickets (for the kiosk's void). */
  issuerOf: (ticketId: string) => Actor | null;
  /** A device's settings as the admin set them (what counters it stands for), or null. */
  settingsOf: (deviceId: string) => DeviceSettings | null;
}

/**
 * Whether `p` may send `command`. A device may only do what its kind may, and only for the counters
 * its settings give it: a kiosk issues tickets and checks appointments in (and voids a ticket it
 * failed to print); a display relays the keypad actions of the counters whose keypads are on its
 * bus; a rating tablet rates the tickets finished at its counter. Tellers act on their own counters.
 * A rating is the customer's word: no staff member may give one.
 */
export function permission(p: Principal, command: ClientCommand, ctx: PermissionContext): Permission {
  const { state, issuerOf } = ctx;
  const type = command.type;
  if (p.kind === 'system') return allow;
  if (p.kind === 'apiKey') {
    if (p.key.revokedAt !== null) return deny('密钥已被吊销', 'this API key has been revoked');
    return type === 'BookAppointment' || type === 'CancelAppointment'
      ? allow
      : deny('API 密钥只能预约和取消预约', 'an API key may only book and cancel appointments');
  }
  if (p.kind === 'device') {
    const { device } = p;
    if (device.revokedAt !== null) return deny('设备已被吊销', 'this device has been revoked');
    switch (device.kind) {
      case 'kiosk':
        // VIP and priority (老弱病残孕) tickets are given by staff who saw the customer (the desk).
        if (type === 'IssueTicket')
          return command.data.class !== 'normal'
            ? deny(
                '取号机只发普通号，贵宾号和优先号请找大堂经理',
                'a kiosk issues normal tickets; VIP and priority tickets are issued by staff',
              )
            : allow;
        if (type === 'CheckInAppointment') return allow;
        if (type === 'CancelTicket') {
          if (command.data.reason !== 'printFailed')
            return deny('取号机只能作废打印失败的号', 'a kiosk may only void a ticket it failed to print');
          const issuer = issuerOf(command.data.ticketId);
          if (issuer?.kind !== 'device' || issuer.id !== device.id)
            return deny('只能作废本机发出的号', 'a kiosk may only void its own tickets');
          return allow;
        }
        return deny('取号机不能执行此操作', `a kiosk may not ${type}`);
      case 'display': {
        if (!KEYPAD_COMMANDS.has(type)) return deny('叫号屏不能执行此操作', `a display may not ${type}`);
        const counterId = (command.data as { counterId: string }).counterId;
        const counter = own(state.config.counters, counterId);
        // The keypads on this display's bus: those of the counters it serves (all when none are set).
        const settings = ctx.settingsOf(device.id);
        const served =
          settings?.kind === 'display' &&
          settings.bus !== null &&
          (settings.counters.length === 0 || settings.counters.includes(counterId));
        if (counter?.keypadAddress == null || !served)
          return deny(
            '该窗口的呼叫器不在本叫号屏的总线上',
            "that counter's keypad is not on this display's bus",
          );
        return allow;
      }
      case 'counterTablet': {
        if (type !== 'RateTicket') return deny('评价器只能提交评价', 'a rating tablet may only rate');
        const settings = ctx.settingsOf(device.id);
        const counterId = settings?.kind === 'counterTablet' ? settings.counterId : null;
        if (counterId === null)
          return deny(
            '此评价器尚未设置所在窗口，请管理员在“设备”中设置',
            'this tablet has no counter yet: an admin sets it under Devices',
          );
        if (own(state.tickets, command.data.ticketId)?.counterId !== counterId)
          return deny('只能评价本窗口办理的号', "a rating tablet rates only its own counter's tickets");
        return allow;
      }
    }
  }
  const { staff } = p;
  if (staff.disabled) return deny('账号已停用', 'this account is disabled');
  if (type === 'RateTicket')
    return deny('评价只能由顾客在评价器上提交', 'ratings come from customers on a rating tablet only');
  if (staff.role === 'admin') return allow;
  if (CONFIG_COMMANDS.has(type))
    return deny('只有管理员可以修改配置', 'only an IT admin may change the configuration');
  if (type === 'RollBusinessDay')
    return staff.role === 'manager'
      ? allow
      : deny('只有网点经理可以切换营业日', 'only a manager may roll the business day');
  if (DESK_COMMANDS.has(type)) return allow;
  if (COUNTER_COMMANDS.has(type)) {
    if (staff.role === 'manager') return allow;
    const counterId = (command.data as { counterId: string }).counterId;
    if (staff.counterIds.length > 0 && !staff.counterIds.includes(counterId))
      return deny('不能操作其他窗口', 'a teller may act only on their own counters');
    return allow;
  }
  return deny('无权执行此操作', `not allowed: ${type}`);
}

/** Rights on queries and admin endpoints. */
export function mayRead(p: Principal): boolean {
  switch (p.kind) {
    case 'system':
      return true;
    case 'device':
      return p.device.revokedAt === null;
    case 'staff':
      return !p.staff.disabled;
    case 'apiKey':
      // The bank's systems see appointments through the booking API only, never the queue.
      return false;
  }
}

export function isRole(p: Principal, ...roles: StaffRecord['role'][]): boolean {
  return p.kind === 'staff' && !p.staff.disabled && roles.includes(p.staff.role);
}
