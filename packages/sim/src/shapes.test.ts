import { sampleBranchConfig } from '@nextup/core';
import { describe, expect, it } from 'vitest';
import { arrivalFactor, planDay } from './plan.ts';
import {
  calendar,
  DAY_SHAPE_IDS,
  DAY_SHAPES,
  evaluationCalendar,
  isoWeekday,
  REPORTING_ONLY_SHAPES,
  shapeFits,
  TUNING_SHAPES,
} from './shapes.ts';

describe('day shapes and the calendar', () => {
  it('put each shape on a date it fits, in date order, for at least 30 days', () => {
    const days = evaluationCalendar(7, 3);
    expect(days.length).toBe(3 * DAY_SHAPE_IDS.length);
    expect(days.length).toBeGreaterThanOrEqual(30);
    for (const d of days) expect(shapeFits(d.shape, d.date), `${d.shape} on ${d.date}`).toBe(true);
    const dates = days.map((d) => d.date);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
    expect(new Set(days.map((d) => d.seed)).size).toBe(days.length);
  });

  it('know paydays, month starts, Mondays and Saturdays', () => {
    expect(isoWeekday('2026-03-02')).toBe(1);
    expect(shapeFits('payday', '2026-03-10')).toBe(true);
    expect(shapeFits('payday', '2026-03-09')).toBe(false);
    expect(shapeFits('monthStart', '2026-03-02')).toBe(true);
    expect(shapeFits('monthStart', '2026-03-12')).toBe(false);
    expect(shapeFits('saturday', '2026-03-07')).toBe(true);
    expect(shapeFits('normal', '2026-03-07')).toBe(false);
    expect(shapeFits('mondayRush', '2026-03-09')).toBe(true);
  });

  it('keep some shapes for reporting only, out of the tuning set', () => {
    expect(REPORTING_ONLY_SHAPES.length).toBeGreaterThan(0);
    for (const id of REPORTING_ONLY_SHAPES) expect(TUNING_SHAPES).not.toContain(id);
    expect(TUNING_SHAPES.length + REPORTING_ONLY_SHAPES.length).toBe(DAY_SHAPE_IDS.length);
  });

  it('give different calendars different seeds', () => {
    const a = calendar(1, ['normal', 'normal']);
    const b = calendar(2, ['normal', 'normal']);
    expect(a.map((d) => d.seed)).not.toEqual(b.map((d) => d.seed));
  });

  it('have an opening rush and a lunch peak on weekdays, and busier paydays', () => {
    const normal = DAY_SHAPES.normal;
    expect(arrivalFactor(normal, 3, 'cash', 8 * 60 + 35)).toBeGreaterThan(
      arrivalFactor(normal, 3, 'cash', 10 * 60 + 45),
    );
    expect(arrivalFactor(normal, 3, 'cash', 12 * 60 + 30)).toBeGreaterThan(
      arrivalFactor(normal, 3, 'cash', 15 * 60),
    );
    expect(arrivalFactor(DAY_SHAPES.payday, 3, 'cash', 600)).toBeGreaterThan(
      arrivalFactor(normal, 3, 'cash', 600),
    );
    expect(arrivalFactor(DAY_SHAPES.quiet, 3, 'cash', 600)).toBeLessThan(
      arrivalFactor(normal, 3, 'cash', 600),
    );
  });
});

describe('a day plan', () => {
  const config = sampleBranchConfig();
  const spec = { date: '2026-03-04', shape: 'normal' as const, seed: 11 };

  it('is drawn from the seed alone', () => {
    expect(planDay(config, spec)).toEqual(planDay(config, spec));
    expect(planDay(config, { ...spec, seed: 12 }).customers).not.toEqual(planDay(config, spec).customers);
  });

  it('staffs every counter but the flexible one, gives everyone a lunch, and books appointments', () => {
    const plan = planDay(config, spec);
    const flex = plan.tellers.filter((t) => t.flex).map((t) => t.counterId);
    expect(flex).toEqual(['c2']);
    for (const t of plan.tellers.filter((x) => !x.flex)) {
      expect(t.openAt).not.toBeNull();
      expect(t.breaks.some((b) => b.reason === 'lunch')).toBe(true);
    }
    const appts = plan.customers.filter((c) => c.kind === 'appointment');
    expect(appts.length).toBeGreaterThan(5);
    expect(new Set(appts.map((c) => c.appointment!.code)).size).toBe(appts.length);
    expect(plan.customers.filter((c) => c.kind === 'walkIn').length).toBeGreaterThan(150);
  });

  it('makes one teller slow on a slow-teller day and sends one home early on an early-close day', () => {
    const slow = planDay(config, { ...spec, shape: 'slowTeller' });
    expect(Math.max(...slow.tellers.map((t) => t.speed))).toBeGreaterThan(1.4);
    const early = planDay(config, { ...spec, shape: 'earlyClose' });
    const leaving = early.tellers.filter((t) => t.leavesEarly);
    expect(leaving).toHaveLength(1);
    // Only a counter whose services another counter also serves.
    expect(['c1', 'c3']).toContain(leaving[0]!.counterId);
  });
});
