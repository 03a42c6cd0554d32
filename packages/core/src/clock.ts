import { DAY, MINUTE } from './durations.ts';
import type { OpeningHours } from './types.ts';

/**
 * Wall-clock arithmetic in the branch's time zone. Pure: a time comes in as epoch ms and the answer
 * depends on nothing else (Intl's time-zone tables are data, not a clock).
 */

export interface LocalTime {
  /** 'YYYY-MM-DD' */
  date: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minuteOfDay: number;
  /** 'HH:MM' */
  hhmm: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Memo of recent answers keyed by zone and minute: every instant within one minute has the same
 * local date and time of day, so the memo is exact. formatToParts is the decider's costliest call.
 */
const memo = new Map<string, LocalTime>();

export function localTime(at: number, timeZone: string): LocalTime {
  const key = `${timeZone}|${Math.floor(at / MINUTE)}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const value = computeLocalTime(at, timeZone);
  if (memo.size >= 4096) memo.clear();
  memo.set(key, value);
  return value;
}

function computeLocalTime(at: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 1,
    minuteOfDay: hour * 60 + minute,
    hhmm: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
  };
}

/**
 * The epoch ms at which the wall clock in `timeZone` reads `date` ('YYYY-MM-DD') 00:00 + `minuteOfDay`
 * (fractions of a minute allowed): `localTime` the other way round. Guesses with the zone's offset at
 * the naive instant and corrects once, which is exact for every zone whose offset does not change
 * within the hour around the answer (all of China's); a wall time in a DST gap moves forward.
 */
export function zonedEpoch(date: string, minuteOfDay: number, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new TypeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + Math.round(minuteOfDay * MINUTE);
  // The zone's offset at `t` in whole minutes: its wall clock read as if it were UTC, less `t`.
  const offsetAt = (t: number) => {
    const l = localTime(t, timeZone);
    const [y, mo, d] = l.date.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, mo - 1, d, 0, l.minuteOfDay) - Math.floor(t / MINUTE) * MINUTE;
  };
  let t = naive - offsetAt(naive);
  const second = naive - offsetAt(t);
  if (second !== t) t = second;
  return t;
}

/** Whole calendar days from date `a` to date `b` ('YYYY-MM-DD' each); negative when `b` is earlier. */
export function daysBetween(a: string, b: string): number {
  const utc = (d: string) =>
    Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((utc(b) - utc(a)) / DAY);
}

/** The business day (local date) that `at` falls in. */
export function businessDayOf(at: number, timeZone: string): string {
  return localTime(at, timeZone).date;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isHhmm(s: string): boolean {
  return HHMM.test(s) || s === '24:00';
}

/** 'HH:MM' → minutes since midnight ('24:00' → 1440). */
export function parseHhmm(s: string): number {
  if (s === '24:00') return 1440;
  const m = HHMM.exec(s);
  if (!m) throw new TypeError(`not a time of day (HH:MM): ${JSON.stringify(s)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export type HoursCheck = { open: true } | { open: false; opensAt: string | null };

/**
 * Whether `at` falls in one of the opening intervals, and if not, when the next one starts later on
 * the same local day (null when it does not open again today).
 */
export function checkHours(hours: readonly OpeningHours[], at: number, timeZone: string): HoursCheck {
  const t = localTime(at, timeZone);
  let opensAt: number | null = null;
  for (const h of hours) {
    if (!h.days.includes(t.weekday)) continue;
    const open = parseHhmm(h.open);
    const close = parseHhmm(h.close);
    if (t.minuteOfDay >= open && t.minuteOfDay < close) return { open: true };
    if (open > t.minuteOfDay && (opensAt === null || open < opensAt)) opensAt = open;
  }
  return { open: false, opensAt: opensAt === null ? null : formatMinuteOfDay(opensAt) };
}

export function formatMinuteOfDay(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
