import { describe, expect, it } from 'vitest';
import { businessDayOf, checkHours, isValidTimeZone, localTime } from './clock.ts';

describe('branch clock', () => {
  it('reckons the business day in the branch time zone, not UTC', () => {
    // 2026-11-23 16:30 UTC is already 00:30 on the 24th in Shanghai.
    const t = Date.UTC(2026, 10, 23, 16, 30);
    expect(businessDayOf(t, 'Asia/Shanghai')).toBe('2026-11-24');
    expect(businessDayOf(t, 'Europe/London')).toBe('2026-11-23');
    expect(localTime(t, 'Asia/Shanghai')).toMatchObject({ hhmm: '00:30', weekday: 2, minuteOfDay: 30 });
  });

  it('knows opening hours by weekday and when the next interval opens', () => {
    const hours = [
      { days: [1, 2, 3, 4, 5], open: '08:30', close: '12:00' },
      { days: [1, 2, 3, 4, 5], open: '13:30', close: '17:00' },
    ];
    const mondayNoon = Date.UTC(2026, 10, 23, 4, 15); // 12:15 Shanghai
    expect(checkHours(hours, mondayNoon, 'Asia/Shanghai')).toEqual({ open: false, opensAt: '13:30' });
    expect(checkHours(hours, mondayNoon + 2 * 3600_000, 'Asia/Shanghai')).toEqual({ open: true });
    const sunday = Date.UTC(2026, 10, 22, 3, 0);
    expect(checkHours(hours, sunday, 'Asia/Shanghai')).toEqual({ open: false, opensAt: null });
  });

  it('rejects unknown time zones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
