import type { BranchConfig, OpeningHours } from '@nextup/core';
import { localTime, MINUTE, parseHhmm } from '@nextup/core';

/**
 * Epoch ms of a local wall-clock time on a local date in `timeZone`. Two corrections cover any fixed
 * offset and the hour around a DST change (the simulator never schedules anything at 02:00).
 */
export function zonedTime(date: string, minuteOfDay: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wanted = Date.UTC(y, m - 1, d) + Math.round(minuteOfDay * MINUTE);
  let t = wanted;
  for (let i = 0; i < 2; i++) {
    const lt = localTime(t, timeZone);
    const [ly, lm, ld] = lt.date.split('-').map(Number) as [number, number, number];
    const seen = Date.UTC(ly, lm - 1, ld) + lt.minuteOfDay * MINUTE + (t % MINUTE);
    t += wanted - seen;
  }
  return t;
}

/** The opening intervals (minutes of day) of `hours` on an ISO weekday, sorted. */
export function intervalsOn(hours: readonly OpeningHours[], weekday: number): [number, number][] {
  return hours
    .filter((h) => h.days.includes(weekday))
    .map((h) => [parseHhmm(h.open), parseHhmm(h.close)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

/** The branch's first opening and last closing minute on a weekday, or null when closed all day. */
export function branchDay(config: BranchConfig, weekday: number): { open: number; close: number } | null {
  const iv = intervalsOn(config.branch.hours, weekday);
  if (iv.length === 0) return null;
  return { open: Math.min(...iv.map((i) => i[0])), close: Math.max(...iv.map((i) => i[1])) };
}

/** Whether a service takes tickets at a minute of day on a weekday (its own hours, or the branch's). */
export function serviceOpenAt(
  config: BranchConfig,
  serviceId: string,
  weekday: number,
  minute: number,
): boolean {
  const s = config.services[serviceId];
  if (!s?.enabled) return false;
  const hours = s.hours.length > 0 ? s.hours : config.branch.hours;
  return intervalsOn(hours, weekday).some(([a, b]) => minute >= a && minute < b);
}
