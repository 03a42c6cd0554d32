import { localTime } from '@nextup/core';
import type { Lang } from './i18n.tsx';

/** Local 'HH:MM' in the branch's time zone. */
export function hhmm(at: number, timeZone: string): string {
  return localTime(at, timeZone).hhmm;
}

/** Whole minutes from `at` to `now` (never negative). */
export function minutesSince(at: number, now: number): number {
  return Math.max(0, Math.floor((now - at) / 60_000));
}

/** A duration in minutes, one decimal below ten: "3.5 分钟" / "3.5 min"; "—" when not measured. */
export function durationText(ms: number | null, lang: Lang): string {
  if (ms === null) return '—';
  const m = ms / 60_000;
  const v = m < 10 ? m.toFixed(1) : String(Math.round(m));
  return lang === 'zh' ? `${v} 分钟` : `${v} min`;
}

export function percentText(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

/** The local date 'YYYY-MM-DD' of `at` plus `days`. */
export function localDate(at: number, timeZone: string, days = 0): string {
  return localTime(at + days * 86_400_000, timeZone).date;
}
