import type { BranchConfig, OpeningHours } from '@nextup/core';
import { parseHhmm } from '@nextup/core';

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
