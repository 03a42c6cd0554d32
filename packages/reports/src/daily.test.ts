import { type QueueEvent, sampleBranchConfig, type WaitEstimate } from '@nextup/core';
import type { LoggedEvent } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { reportToCsv } from './csv.ts';
import { dailyReport } from './daily.ts';

const MIN = 60_000;
/** Monday 2026-11-23 09:00 Asia/Shanghai. */
const T0 = Date.UTC(2026, 10, 23, 1, 0);
const est: WaitEstimate = {
  minutes: 0,
  lowMinutes: 0,
  highMinutes: 5,
  ahead: 0,
  countersOpen: 1,
  serviceMinutes: 3,
  basis: 'prior',
  historyCount: 0,
  noCounterOpen: false,
};

function issued(id: string, number: string, serviceId: string, at: number, cls = 'normal'): QueueEvent {
  return {
    type: 'TicketIssued',
    data: {
      ticketId: id,
      number,
      seq: Number(number.slice(1)),
      serviceId,
      class: cls as 'normal',
      source: 'kiosk',
      appointmentId: null,
      slotStart: null,
      estimate: est,
      at,
    },
  };
}
const called = (id: string, counterId: string, at: number): QueueEvent => ({
  type: 'TicketCalled',
  data: { ticketId: id, counterId, specific: false, overtaken: [], at },
});
const finished = (id: string, counterId: string, serviceMs: number, at: number): QueueEvent => ({
  type: 'TicketFinished',
  data: { ticketId: id, counterId, serviceMs, at },
});

/** A small hand-made day: five tickets, every kind of ending. */
function handMadeDay(): QueueEvent[] {
  return [
    { type: 'BusinessDayRolled', data: { from: null, to: '2026-11-23', unfinished: [], at: T0 - 60 * MIN } },
    issued('t1', 'A001', 'cash', T0),
    issued('t2', 'A002', 'cash', T0 + 1 * MIN, 'vip'),
    issued('t3', 'B001', 'personal', T0 + 2 * MIN),
    issued('t4', 'A003', 'cash', T0 + 3 * MIN),
    issued('t5', 'B002', 'personal', T0 + 4 * MIN),
    issued('t6', 'A004', 'cash', T0 + 5 * MIN),
    called('t2', 'c1', T0 + 2 * MIN), // wait 1 min
    { type: 'TicketRecalled', data: { ticketId: 't2', counterId: 'c1', recalls: 1, at: T0 + 3 * MIN } },
    { type: 'TicketServingStarted', data: { ticketId: 't2', counterId: 'c1', at: T0 + 4 * MIN } },
    finished('t2', 'c1', 4 * MIN, T0 + 8 * MIN),
    { type: 'TicketRated', data: { ticketId: 't2', score: 5, at: T0 + 9 * MIN } },
    called('t1', 'c1', T0 + 8 * MIN), // wait 8 min
    { type: 'TicketNoShow', data: { ticketId: 't1', counterId: 'c1', at: T0 + 10 * MIN } },
    called('t3', 'c3', T0 + 12 * MIN), // wait 10 min
    {
      type: 'TicketTransferred',
      data: {
        ticketId: 't3',
        fromCounterId: 'c3',
        toServiceId: 'cash',
        toCounterId: null,
        serviceMs: 2 * MIN,
        at: T0 + 14 * MIN,
      },
    },
    called('t3', 'c1', T0 + 15 * MIN), // a second call: not a second wait
    finished('t3', 'c1', 6 * MIN, T0 + 21 * MIN),
    { type: 'TicketRated', data: { ticketId: 't3', score: 3, at: T0 + 22 * MIN } },
    { type: 'TicketCancelled', data: { ticketId: 't4', reason: 'customerLeft', at: T0 + 30 * MIN } },
    { type: 'TicketCancelled', data: { ticketId: 't6', reason: 'printFailed', at: T0 + 5 * MIN } },
    // t5 is still waiting when the day closes.
    {
      type: 'BusinessDayRolled',
      data: {
        from: '2026-11-23',
        to: '2026-11-24',
        unfinished: [{ ticketId: 't5', status: 'waiting' }],
        at: T0 + 24 * 60 * MIN,
      },
    },
  ];
}

describe('dailyReport on a hand-made day', () => {
  const report = dailyReport(handMadeDay(), { day: '2026-11-23', config: sampleBranchConfig() });

  it('counts tickets by how they ended', () => {
    expect(report.closed).toBe(true);
    expect(report.totals).toMatchObject({
      issued: 6,
      customers: 5,
      called: 3,
      served: 2,
      noShow: 1,
      customerLeft: 1,
      voided: 1,
      unfinishedAtClose: 1,
      stillOpen: 0,
      transfers: 1,
      recalls: 1,
    });
  });

  it('measures the wait from issue to the first call only', () => {
    // Waits 1, 8 and 10 minutes.
    expect(report.totals.waitCount).toBe(3);
    expect(report.totals.waitMeanMs).toBeCloseTo((19 / 3) * MIN);
    expect(report.totals.waitP90Ms).toBe(10 * MIN);
  });

  it('averages finished services, not the part before a transfer', () => {
    expect(report.totals.serviceCount).toBe(2);
    expect(report.totals.serviceMeanMs).toBe(5 * MIN);
    const c1 = report.byCounter.find((c) => c.counterId === 'c1')!;
    expect(c1).toMatchObject({ calls: 3, served: 2, noShow: 1, busyMs: 10 * MIN });
    const c3 = report.byCounter.find((c) => c.counterId === 'c3')!;
    expect(c3).toMatchObject({ calls: 1, served: 0, transfersOut: 1, busyMs: 2 * MIN });
  });

  it('gives no-show and abandonment rates by their definitions', () => {
    expect(report.totals.noShowRate).toBeCloseTo(1 / 3);
    // customerLeft (t4) + unfinished (t5) over 5 customers (t6 was voided).
    expect(report.totals.abandonmentRate).toBeCloseTo(2 / 5);
  });

  it('splits by service at issue, by class and by hour', () => {
    const cash = report.byService.find((s) => s.serviceId === 'cash')!;
    expect(cash).toMatchObject({ issued: 4, served: 2, noShow: 1, abandoned: 1, prefix: 'A' });
    expect(cash.name.zh).toBe('个人现金业务');
    const personal = report.byService.find((s) => s.serviceId === 'personal')!;
    expect(personal).toMatchObject({ issued: 2, served: 0, abandoned: 1 });
    expect(report.byClass.find((c) => c.class === 'vip')).toMatchObject({ issued: 1, served: 1 });
    expect(report.byHour).toEqual([{ hour: 9, issued: 6, called: 3, served: 2, waitMeanMs: (19 / 3) * MIN }]);
  });

  it('counts the desk’s VIP and priority tickets, and its voids, in the class figures', () => {
    const desk = (e: QueueEvent): QueueEvent =>
      e.type === 'TicketIssued' ? { ...e, data: { ...e.data, source: 'staff' } } : e;
    const day = dailyReport(
      [
        { type: 'BusinessDayRolled', data: { from: null, to: '2026-11-23', unfinished: [], at: T0 } },
        desk(issued('d1', 'A001', 'cash', T0 + MIN, 'vip')),
        desk(issued('d2', 'B001', 'personal', T0 + 2 * MIN, 'priority')),
        desk(issued('d3', 'B002', 'personal', T0 + 3 * MIN, 'priority')),
        issued('k1', 'A002', 'cash', T0 + 4 * MIN),
        { type: 'TicketCancelled', data: { ticketId: 'd3', reason: 'staffVoid', at: T0 + 4 * MIN } },
      ],
      { day: '2026-11-23' },
    );
    const row = (cls: string) => day.byClass.find((c) => c.class === cls);
    expect(row('vip')).toMatchObject({ issued: 1, atDesk: 1, voided: 0 });
    expect(row('priority')).toMatchObject({ issued: 2, atDesk: 2, voided: 1 });
    expect(row('normal')).toMatchObject({ issued: 1, atDesk: 0, voided: 0 });
    expect(day.totals).toMatchObject({ issued: 4, voided: 1, customers: 3 });
    expect(reportToCsv(day, { lang: 'zh' })).toContain('类别,取号数,柜台发号,作废,');
  });

  it('summarises the ratings', () => {
    expect(report.satisfaction).toEqual({
      count: 2,
      mean: 4,
      distribution: [0, 0, 1, 0, 1],
      satisfiedShare: 0.5,
    });
  });

  it('ignores other days and hub events in a logged list', () => {
    const logged: LoggedEvent[] = handMadeDay().map((event, i) => ({
      seq: i + 1,
      actor: { kind: 'system' },
      event,
    }));
    logged.push({
      seq: 99,
      actor: { kind: 'system' },
      event: { type: 'NoticeChanged', data: { notice: null, at: T0 } },
    });
    logged.push({
      seq: 100,
      actor: { kind: 'system' },
      event: issued('n1', 'A001', 'cash', T0 + 24 * 60 * MIN + 5) as LoggedEvent['event'],
    });
    const again = dailyReport(logged, { day: '2026-11-23', config: sampleBranchConfig() });
    expect(again.totals.issued).toBe(6);
    const next = dailyReport(logged, { day: '2026-11-24' });
    expect(next.totals.issued).toBe(1);
    expect(next.closed).toBe(false);
    expect(next.totals.stillOpen).toBe(1);
  });

  it('uses the local date of each issue when the list holds no roll', () => {
    const noRolls = handMadeDay().filter((e) => e.type !== 'BusinessDayRolled');
    const r = dailyReport(noRolls, { day: '2026-11-23' });
    expect(r.totals.issued).toBe(6);
    expect(r.totals.unfinishedAtClose).toBe(0);
    expect(r.totals.stillOpen).toBe(1);
    expect(dailyReport(noRolls, { day: '2026-11-22' }).totals.issued).toBe(0);
  });

  it('writes CSV with a BOM, CRLF, quoted fields and both languages', () => {
    const zh = reportToCsv(report);
    expect(zh.startsWith('\uFEFF汇总\r\n指标,数值\r\n营业日,2026-11-23\r\n')).toBe(true);
    expect(zh).toContain('平均等候（分钟）,6.3\r\n');
    expect(zh).toContain('过号率（%）,33.3\r\n');
    expect(zh).toContain('弃号率（%）,40.0\r\n');
    const en = reportToCsv(report, { lang: 'en', bom: false });
    expect(en.startsWith('Summary\r\n')).toBe(true);
    expect(en).toContain('\r\nCash deposits & withdrawals,A,4,2,1,1,4.5,8.0,5.0\r\n');
    expect(en).toContain('09:00,6,3,2,6.3\r\n');
    expect(en).toContain('Satisfaction\r\nScore,Count\r\n1,0\r\n2,0\r\n3,1\r\n4,0\r\n5,1\r\n');
    // A name with a comma is quoted.
    const config = sampleBranchConfig();
    config.services.cash = { ...config.services.cash!, name: { zh: '现金,存取', en: 'Cash "fast"' } };
    const quoted = reportToCsv(dailyReport(handMadeDay(), { day: '2026-11-23', config }), { lang: 'zh' });
    expect(quoted).toContain('"现金,存取",A,');
    expect(reportToCsv(dailyReport(handMadeDay(), { day: '2026-11-23', config }), { lang: 'en' })).toContain(
      '"Cash ""fast""",A,',
    );
  });
});
