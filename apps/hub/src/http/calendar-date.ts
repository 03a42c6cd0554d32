/**
 * A real day of the calendar as `YYYY-MM-DD` (from 1970): not `9999-99-99`, not `2026-02-30`, which
 * `Date.parse` would quietly take for 2 March.
 */
export function isCalendarDate(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1970 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
