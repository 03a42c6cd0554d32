import { describe, expect, it } from 'vitest';
import {
  comparePolicies,
  dispatchPolicies,
  evaluateEstimates,
  formatEstimateReport,
  formatPolicyReport,
  simulateForEvaluation,
} from './evaluate.ts';
import { dayPlotSvg, maeBarsSvg, scatterSvg } from './plots.ts';
import type { DaySpec } from './shapes.ts';

const DAYS: DaySpec[] = [{ date: '2026-03-04', shape: 'quiet', seed: 3 }];

describe('the estimate study', () => {
  const days = simulateForEvaluation(DAYS);
  const report = evaluateEstimates(days);

  it('scores the printed estimate and the three references on the same called tickets', () => {
    expect(report.predictors).toEqual(['printed', 'naive', 'LES', 'HOL']);
    const n = days[0]!.records.filter((r) => r.waitMinutes !== null).length;
    for (const p of report.predictors) expect(report.overall[p]!.n).toBe(n);
    expect(Object.keys(report.byShape)).toEqual(['quiet']);
    expect(Object.keys(report.byService).sort()).toEqual(['business', 'cash', 'personal', 'wealth']);
    const text = formatEstimateReport(report);
    expect(text).toContain('ours vs best reference');
    expect(text).toContain('MAE (minutes) by shape');
  });

  it('draws plots as self-contained SVG', () => {
    const records = days[0]!.records;
    for (const svg of [
      dayPlotSvg(records, { title: 'a day', reference: 'HOL' }),
      scatterSvg(records, { title: 'scatter' }),
      maeBarsSvg(report.byShape, { title: 'bars', predictors: report.predictors }),
    ]) {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).not.toContain('NaN');
    }
  });
});

describe('the dispatch study', () => {
  it('runs the same customers under each policy', () => {
    const reports = comparePolicies(DAYS);
    expect(reports.map((r) => r.policy)).toEqual(Object.keys(dispatchPolicies()));
    // Same customers: the same tickets are issued whatever the policy.
    const tickets = new Set(reports.map((r) => r.tickets));
    expect(tickets.size).toBe(1);
    // FIFO never lets a VIP jump the queue, so VIPs wait longer than under strict class priority.
    const fifo = reports.find((r) => r.policy === 'FIFO')!;
    const strict = reports.find((r) => r.policy === 'strictClass')!;
    expect(strict.byClass.vip!.mean).toBeLessThanOrEqual(fifo.byClass.vip!.mean);
    expect(formatPolicyReport(reports)).toContain('strictCounterOrder');
  });
});
