import { isHhmm, isValidTimeZone, parseHhmm } from './clock.ts';
import { has } from './records.ts';
import { isPlainText } from './text.ts';
import type {
  Bilingual,
  BranchConfig,
  BranchSettings,
  CounterBreak,
  CounterConfig,
  DispatchSettings,
  OpeningHours,
  ServiceConfig,
} from './types.ts';

/**
 * The default dispatch policy. Why these numbers:
 * - VIP and priority customers (elderly, disabled, pregnant) get a head start measured in minutes,
 *   not an absolute jump, so that a steady stream of them slows normal tickets down but cannot stop
 *   them; priority customers get more than VIPs because standing is harder for them.
 * - A transferred customer has already waited once, so they go ahead of walk-ins for the new service.
 * - A counter serves its first service first (30 min per rank step), but helps with its other services
 *   when their customers have waited half an hour longer: flexible without being chaotic.
 * - Ageing: nobody is overtaken more than 5 times; after that they go first at the next counter that
 *   can serve them. This is the hard bound that the property tests check.
 * - Appointments are called from 5 minutes before their slot: customers who booked are served on time.
 */
export function defaultDispatchSettings(): DispatchSettings {
  return {
    classBoostMinutes: { normal: 0, vip: 10, priority: 15, appointment: 0 },
    transferBoostMinutes: 20,
    serviceRankPenaltyMinutes: 30,
    maxOvertakes: 5,
    appointmentLeadMinutes: 5,
    checkInEarlyMinutes: 30,
    checkInLateMinutes: 15,
    numberDigits: 3,
  };
}

const WEEKDAYS = [1, 2, 3, 4, 5];

/** Days ahead an appointment may be booked when the branch has not said (`BranchSettings.bookingDaysAhead`). */
export const DEFAULT_BOOKING_DAYS_AHEAD = 30;

/** How many days ahead the branch takes bookings. */
export function bookingDaysAhead(branch: BranchSettings): number {
  return branch.bookingDaysAhead ?? DEFAULT_BOOKING_DAYS_AHEAD;
}

export function defaultBranchSettings(): BranchSettings {
  return {
    name: { zh: '示范支行', en: 'Demo Branch' },
    timeZone: 'Asia/Shanghai',
    bookingDaysAhead: DEFAULT_BOOKING_DAYS_AHEAD,
    hours: [
      { days: WEEKDAYS, open: '08:30', close: '17:00' },
      { days: [6, 7], open: '09:00', close: '16:00' },
    ],
  };
}

/** An empty branch: no services, no counters. The hub starts from `sampleBranchConfig` instead. */
export function emptyBranchConfig(): BranchConfig {
  return {
    branch: defaultBranchSettings(),
    services: {},
    serviceOrder: [],
    counters: {},
    counterOrder: [],
    dispatch: defaultDispatchSettings(),
  };
}

function service(s: Partial<ServiceConfig> & Pick<ServiceConfig, 'id' | 'prefix' | 'name'>): ServiceConfig {
  return {
    expectedMinutes: 5,
    dailyLimit: null,
    hours: [],
    hint: null,
    selfServiceSuggested: false,
    appointments: null,
    enabled: true,
    ...s,
  };
}

function counter(n: number, services: string[], name?: Bilingual): CounterConfig {
  return {
    id: `c${n}`,
    number: n,
    name: name ?? { zh: `${n}号窗口`, en: `Counter ${n}` },
    services,
    ledAddress: n,
    keypadAddress: 100 + n,
  };
}

/**
 * A typical branch, split the way Chinese banks' service plans ask: simple cash business (~3 min) and
 * complex personal business (~10 min) on separate prefixes and counters, business banking, and a VIP
 * wealth room that takes appointments. Every part of Nextup starts from this until branch IT edits it.
 */
export function sampleBranchConfig(): BranchConfig {
  const services: ServiceConfig[] = [
    service({
      id: 'cash',
      prefix: 'A',
      name: { zh: '个人现金业务', en: 'Cash deposits & withdrawals' },
      expectedMinutes: 3,
      hint: {
        zh: '5万元以下存取款、转账可在智能柜台或ATM自助办理，无需排队',
        en: 'Cash and transfers up to ¥50,000 are faster at the smart counter or ATM',
      },
      selfServiceSuggested: true,
    }),
    service({
      id: 'personal',
      prefix: 'B',
      name: { zh: '个人综合业务', en: 'Accounts, cards & loans' },
      expectedMinutes: 10,
      hint: {
        zh: '等候时请先填写《个人业务申请书》并备好身份证',
        en: 'Please fill in the personal service form and have your ID card ready',
      },
      appointments: { slotMinutes: 30, capacity: 2 },
    }),
    service({
      id: 'business',
      prefix: 'C',
      name: { zh: '对公业务', en: 'Business banking' },
      expectedMinutes: 12,
      hours: [{ days: WEEKDAYS, open: '09:00', close: '16:30' }],
      hint: {
        zh: '请携带营业执照、公章及经办人身份证',
        en: 'Please bring the business licence, company seal and your ID card',
      },
      appointments: { slotMinutes: 30, capacity: 1 },
    }),
    service({
      id: 'wealth',
      prefix: 'V',
      name: { zh: '贵宾理财', en: 'VIP & wealth management' },
      expectedMinutes: 15,
      appointments: { slotMinutes: 30, capacity: 1 },
    }),
  ];
  const counters: CounterConfig[] = [
    counter(1, ['cash', 'personal']),
    counter(2, ['cash', 'personal']),
    counter(3, ['personal', 'cash']),
    counter(4, ['business', 'personal']),
    counter(5, ['wealth', 'personal'], { zh: '5号贵宾室', en: 'VIP room 5' }),
  ];
  return {
    branch: defaultBranchSettings(),
    services: Object.fromEntries(services.map((s) => [s.id, s])),
    serviceOrder: services.map((s) => s.id),
    counters: Object.fromEntries(counters.map((c) => [c.id, c])),
    counterOrder: counters.map((c) => c.id),
    dispatch: defaultDispatchSettings(),
  };
}

/** A configuration problem in both languages. */
export type ConfigProblem = Bilingual;

function problem(zh: string, en: string): ConfigProblem {
  return { zh, en };
}

const ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export function checkHoursList(hours: readonly OpeningHours[]): ConfigProblem | null {
  for (const h of hours) {
    if (!Array.isArray(h.days) || h.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
      return problem('营业日须为 1–7（周一至周日）', 'weekdays must be 1–7 (Monday–Sunday)');
    if (!isHhmm(h.open) || !isHhmm(h.close))
      return problem(`时间格式须为 HH:MM：${h.open}–${h.close}`, `times must be HH:MM: ${h.open}–${h.close}`);
    if (parseHhmm(h.open) >= parseHhmm(h.close))
      return problem(
        `开始时间须早于结束时间：${h.open}–${h.close}`,
        `open must be before close: ${h.open}–${h.close}`,
      );
  }
  return null;
}

/** Names and hints are typed by branch IT: no control characters, no broken UTF-16 (`isPlainText`). */
function badText(...texts: (Bilingual | null)[]): ConfigProblem | null {
  return texts.some((t) => t !== null && !(isPlainText(t.zh) && isPlainText(t.en)))
    ? problem('名称或提示含有控制字符或无效字符', 'a name or hint holds control or invalid characters')
    : null;
}

export function checkBranchSettings(b: BranchSettings): ConfigProblem | null {
  if (!b.name.zh.trim() || !b.name.en.trim())
    return problem('网点名称不能为空', 'the branch name is required');
  const text = badText(b.name);
  if (text) return text;
  if (!isValidTimeZone(b.timeZone))
    return problem(`未知时区：${b.timeZone}`, `unknown time zone: ${b.timeZone}`);
  const days = b.bookingDaysAhead;
  if (days !== undefined && !(Number.isInteger(days) && days >= 0 && days <= 365))
    return problem('可提前预约天数须为 0–365', 'days ahead for bookings must be 0–365');
  return checkHoursList(b.hours);
}

export function checkService(s: ServiceConfig, config: BranchConfig): ConfigProblem | null {
  if (!ID.test(s.id)) return problem(`业务编号无效：${s.id}`, `invalid service id: ${s.id}`);
  if (!/^[A-Z]$/.test(s.prefix))
    return problem(`号码前缀须为一个大写字母：${s.prefix}`, `prefix must be one letter A–Z: ${s.prefix}`);
  const clash = Object.values(config.services).find((o) => o.id !== s.id && o.prefix === s.prefix);
  if (clash)
    return problem(
      `前缀 ${s.prefix} 已被“${clash.name.zh}”使用`,
      `prefix ${s.prefix} is already used by "${clash.name.en}"`,
    );
  if (!s.name.zh.trim() || !s.name.en.trim())
    return problem('业务名称（中英文）不能为空', 'the service name is required in both languages');
  const text = badText(s.name, s.hint);
  if (text) return text;
  if (!(s.expectedMinutes > 0 && s.expectedMinutes <= 240))
    return problem('预计办理时间须在 0–240 分钟之间', 'expected minutes must be between 0 and 240');
  if (s.dailyLimit !== null && !(Number.isInteger(s.dailyLimit) && s.dailyLimit > 0))
    return problem('每日限号须为正整数或不限', 'the daily limit must be a positive whole number or none');
  if (s.appointments) {
    const { slotMinutes, capacity } = s.appointments;
    if (
      !(Number.isInteger(slotMinutes) && slotMinutes >= 5 && slotMinutes <= 240 && 1440 % slotMinutes === 0)
    )
      return problem('预约时段长度须整除一天（5–240 分钟）', 'slot minutes must divide a day (5–240)');
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= 100))
      return problem('每时段预约数须为 1–100', 'slot capacity must be 1–100');
  }
  return checkHoursList(s.hours);
}

export function checkCounter(c: CounterConfig, config: BranchConfig): ConfigProblem | null {
  if (!ID.test(c.id)) return problem(`窗口编号无效：${c.id}`, `invalid counter id: ${c.id}`);
  if (!(Number.isInteger(c.number) && c.number >= 1 && c.number <= 999))
    return problem('窗口号须为 1–999', 'the counter number must be 1–999');
  const text = badText(c.name);
  if (text) return text;
  const clash = Object.values(config.counters).find((o) => o.id !== c.id && o.number === c.number);
  if (clash) return problem(`窗口号 ${c.number} 已存在`, `counter number ${c.number} already exists`);
  if (c.services.length === 0)
    return problem('窗口至少办理一种业务', 'a counter must serve at least one service');
  if (new Set(c.services).size !== c.services.length) return problem('业务重复', 'a service is listed twice');
  const unknown = c.services.find((id) => !has(config.services, id));
  if (unknown !== undefined) return problem(`没有此业务：${unknown}`, `no such service: ${unknown}`);
  for (const [field, addr] of [
    ['LED', c.ledAddress],
    ['keypad', c.keypadAddress],
  ] as const) {
    if (addr !== null && !(Number.isInteger(addr) && addr >= 1 && addr <= 247))
      return problem(`${field} 地址须为 1–247`, `${field} address must be 1–247`);
  }
  const busClash = Object.values(config.counters).find(
    (o) =>
      o.id !== c.id &&
      [o.ledAddress, o.keypadAddress].some(
        (a) => a !== null && (a === c.ledAddress || a === c.keypadAddress),
      ),
  );
  if (busClash)
    return problem(
      `总线地址与${busClash.number}号窗口冲突`,
      `bus address clashes with counter ${busClash.number}`,
    );
  if (c.ledAddress !== null && c.ledAddress === c.keypadAddress)
    return problem('LED 屏与呼叫器不能同一地址', 'the LED board and keypad need different addresses');
  return checkCounterBreaks(c.breaks ?? []);
}

/** A counter's planned breaks: at most 8, each HH:MM–HH:MM with the start first. */
export function checkCounterBreaks(breaks: readonly CounterBreak[]): ConfigProblem | null {
  if (breaks.length > 8) return problem('计划休息最多 8 段', 'at most 8 planned breaks');
  for (const b of breaks) {
    if (!isHhmm(b.start) || !isHhmm(b.end))
      return problem(`时间格式须为 HH:MM：${b.start}–${b.end}`, `times must be HH:MM: ${b.start}–${b.end}`);
    if (parseHhmm(b.start) >= parseHhmm(b.end))
      return problem(
        `休息开始须早于结束：${b.start}–${b.end}`,
        `a break must start before it ends: ${b.start}–${b.end}`,
      );
    if (b.days?.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
      return problem('休息日须为 1–7（周一至周日）', 'break weekdays must be 1–7 (Monday–Sunday)');
  }
  return null;
}

export function checkDispatchSettings(d: DispatchSettings): ConfigProblem | null {
  const minutes = [
    ...Object.values(d.classBoostMinutes),
    d.transferBoostMinutes,
    d.serviceRankPenaltyMinutes,
  ];
  if (minutes.some((m) => !(Number.isFinite(m) && m >= 0 && m <= 100_000)))
    return problem('分钟数须为非负数', 'minutes must be non-negative numbers');
  if (!(Number.isInteger(d.maxOvertakes) && d.maxOvertakes >= 0 && d.maxOvertakes <= 1000))
    return problem('最多被超越次数须为 0–1000', 'max overtakes must be 0–1000');
  for (const m of [d.appointmentLeadMinutes, d.checkInEarlyMinutes, d.checkInLateMinutes])
    if (!(Number.isInteger(m) && m >= 0 && m <= 240))
      return problem('预约时间须为 0–240 分钟', 'appointment minutes must be 0–240');
  if (!(Number.isInteger(d.numberDigits) && d.numberDigits >= 2 && d.numberDigits <= 4))
    return problem('号码位数须为 2–4', 'number digits must be 2–4');
  return null;
}
