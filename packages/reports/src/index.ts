/**
 * @nextup/reports — the branch's daily report computed from the event log: waits (mean and 90th
 * percentile), service times, no-show and abandonment rates, tickets per service, counter, hour and
 * class, and satisfaction; and the same as CSV. Pure functions, no I/O.
 */
export type { CsvOptions } from './csv.ts';
export { minutes, percent, reportToCsv } from './csv.ts';
export type {
  ClassRow,
  CounterRow,
  DailyReport,
  DailyReportOptions,
  HourRow,
  ReportInput,
  ReportTotals,
  Satisfaction,
  ServiceRow,
  WaitFigures,
} from './daily.ts';
export { dailyReport, mean } from './daily.ts';
