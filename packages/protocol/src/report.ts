import { z } from 'zod';
import { bilingual, id } from './common.ts';
import { ticketClass } from './domain.ts';

/**
 * `GET /api/v1/reports/daily?date` (JSON): the day's figures as `@nextup/reports` computes them
 * (`DailyReport`, which asserts it equals this), with the branch's name. Durations are milliseconds;
 * null where nothing was measured.
 */
const count = z.number().int().nonnegative();
const ms = z.number().nonnegative().nullable();
const share = z.number().nonnegative().nullable();

const waitFigures = { waitCount: count, waitMeanMs: ms, waitP90Ms: ms };

export const reportTotals = z.object({
  ...waitFigures,
  issued: count,
  customers: count,
  called: count,
  served: count,
  noShow: count,
  customerLeft: count,
  voided: count,
  unfinishedAtClose: count,
  stillOpen: count,
  transfers: count,
  recalls: count,
  serviceCount: count,
  serviceMeanMs: ms,
  noShowRate: share,
  abandonmentRate: share,
});

export const reportServiceRow = z.object({
  ...waitFigures,
  serviceId: id,
  name: bilingual,
  prefix: z.string().nullable(),
  issued: count,
  served: count,
  noShow: count,
  abandoned: count,
  serviceCount: count,
  serviceMeanMs: ms,
});

export const reportCounterRow = z.object({
  counterId: id,
  number: z.number().int().nullable(),
  name: bilingual,
  calls: count,
  served: count,
  noShow: count,
  transfersOut: count,
  serviceCount: count,
  serviceMeanMs: ms,
  busyMs: z.number().nonnegative(),
});

export const reportHourRow = z.object({
  hour: z.number().int().min(0).max(23),
  issued: count,
  called: count,
  served: count,
  waitMeanMs: ms,
});

export const reportClassRow = z.object({
  ...waitFigures,
  class: ticketClass,
  issued: count,
  atDesk: count,
  voided: count,
  served: count,
});

export const reportSatisfaction = z.object({
  count,
  mean: z.number().nullable(),
  distribution: z.tuple([count, count, count, count, count]),
  satisfiedShare: share,
});

export const dailyReportFigures = z.object({
  day: z.string().max(10),
  timeZone: z.string(),
  closed: z.boolean(),
  totals: reportTotals,
  byService: z.array(reportServiceRow),
  byCounter: z.array(reportCounterRow),
  byHour: z.array(reportHourRow),
  byClass: z.array(reportClassRow),
  satisfaction: reportSatisfaction,
});

/** The report as the hub answers it: the figures and the branch's name. */
export const dailyReportResponse = dailyReportFigures.extend({ branch: bilingual });
export type DailyReportResponse = z.infer<typeof dailyReportResponse>;
