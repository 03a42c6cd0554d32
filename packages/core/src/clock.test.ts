import { describe, expect, it } from 'vitest';
import { businessDayOf, checkHours, isValidTimeZone, localTime, zonedEpoch } from './clock.ts';

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

describe('zonedEpoch', () => {
  it('reads a local wall-clock time in the branch time zone', () => {
    expect(zonedEpoch('2026-11-23', 9 * 60, 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 23, 1, 0));
    expect(zonedEpoch('2026-11-23', 0, 'UTC')).toBe(Date.UTC(2026, 10, 23));
    // Across a DST change (Europe/Berlin, 2026-03-29 02:00 → 03:00): 04:00 local is 02:00 UTC.
    expect(zonedEpoch('2026-03-29', 4 * 60, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 2, 0));
    expect(() => zonedEpoch('23/11/2026', 0, 'UTC')).toThrow(TypeError);
  });

  it('keeps fractions of a minute, as the simulator schedules them', () => {
    expect(zonedEpoch('2026-11-23', 9 * 60 + 0.5, 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 23, 1, 0, 30));
  });

  it('is localTime the other way round, through a year and both DST changes in Berlin', () => {
    const quarterHours = (from: number, to: number) =>
      Array.from({ length: (to - from) / 900_000 }, (_, i) => from + i * 900_000);
    const instants = [
      ...quarterHours(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1)).filter((_, i) => i % 37 === 0),
      ...quarterHours(Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 30)),
      ...quarterHours(Date.UTC(2026, 9, 24), Date.UTC(2026, 9, 26)),
    ];
    for (const zone of ['Asia/Shanghai', 'Europe/Berlin']) {
      for (const t of instants) {
        const l = localTime(t, zone);
        // Berlin's autumn hour 02:00–03:00 happens twice; either instant reads the same wall clock.
        expect(localTime(zonedEpoch(l.date, l.minuteOfDay, zone), zone)).toEqual(l);
      }
    }
  });
});
