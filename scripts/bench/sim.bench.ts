import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WaitEstimator } from '@nextup/core';
import {
  type BandReport,
  bandReport,
  comparePolicies,
  DAY_SHAPES,
  type DaySpec,
  dayPlotSvg,
  type ErrorStats,
  type EstimateReport,
  evaluateEstimates,
  evaluationBranches,
  formatBandReport,
  formatEstimateReport,
  formatPolicyReport,
  htmlPage,
  maeBarsSvg,
  type PolicyReport,
  PRINTED,
  REPORTING_ONLY_SHAPES,
  scatterSvg,
  simulateDay,
  simulateForEvaluation,
} from '@nextup/sim';
import { type BenchRow, type BenchSuite, nowMs, rowFromSamples, samplePercentile } from '../lib/bench.ts';

/**
 * The branch-day simulator's figures: how good the printed wait estimate is against what followed
 * and against three reference predictors (queue length × mean ÷ counters, last-to-enter-service,
 * head-of-line), per band of wait, how the dispatch policies compare, and how fast a day simulates.
 *
 * The estimator was developed on calendars with seeds 1, 2 and 3 (starting 2026-03-02) and the
 * shapes in `TUNING_SHAPES` (`scripts/estimate-study.ts`). These figures come from days it never saw
 * while being tuned: another seed, another stretch of the calendar (from 2026-09-01), every branch
 * layout, and also the day shapes kept for reporting only (`REPORTING_ONLY_SHAPES`: pre-holiday
 * afternoon, long lunches), which were never simulated while tuning.
 */
const HOLDOUT_SEED = 20261123;
const HOLDOUT_START = '2026-09-01';
const REFERENCES = ['naive', 'LES', 'HOL'] as const;

function bestBy(stats: Record<string, ErrorStats>, key: keyof ErrorStats): { name: string; value: number } {
  let best = { name: '', value: Number.POSITIVE_INFINITY };
  for (const name of REFERENCES) {
    const v = stats[name]![key];
    if (v < best.value) best = { name, value: v };
  }
  return best;
}

function figureRow(
  name: string,
  unit: string,
  value: number,
  worstDay: number | null,
  baseline: { name: string; value: number } | null,
  note: string,
): BenchRow {
  return {
    name,
    unit,
    median: value,
    p99: worstDay,
    baseline: baseline?.value ?? null,
    baselineLabel: baseline ? `${baseline.name}, same tickets` : null,
    ratio: baseline && baseline.value !== 0 ? value / baseline.value : null,
    note,
  };
}

/** Per band of the actual wait: our MAE against the best reference, and our range's coverage. */
function bandRows(report: BandReport, label: string): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const band of report.byActual) {
    const ours = band.stats[PRINTED]!;
    if (ours.n === 0) continue;
    const best = bestBy(band.stats, 'mae');
    rows.push(
      figureRow(
        `sim: MAE, actual wait ${band.label}${label}`,
        'min',
        ours.mae,
        null,
        best,
        `${ours.n} tickets; ${(100 * (1 - ours.mae / best.value)).toFixed(0)} % lower than ${best.name}; range holds ${(100 * ours.coverage).toFixed(0)} %, mean width ${ours.meanWidth.toFixed(1)} min, bias ${ours.bias.toFixed(1)} min; references ${REFERENCES.map((r) => `${r} ${band.stats[r]!.mae.toFixed(1)}`).join(', ')}`,
      ),
    );
  }
  return rows;
}

function estimateRows(report: EstimateReport, perDayMae: number[]): BenchRow[] {
  const o = report.overall;
  const ours = o[PRINTED]!;
  const pooled = `pooled over ${ours.n} called tickets of ${report.days} held-out days`;
  const w = report.walkIns[PRINTED]!;
  return [
    figureRow(
      'sim: wait estimate MAE, ours vs best reference',
      'min',
      ours.mae,
      samplePercentile(perDayMae, 99),
      bestBy(o, 'mae'),
      `${pooled} (the p99 column is the worst day); ${(100 * (1 - ours.mae / bestBy(o, 'mae').value)).toFixed(0)} % lower`,
    ),
    figureRow(
      'sim: wait estimate MAE, walk-in tickets only',
      'min',
      w.mae,
      null,
      bestBy(report.walkIns, 'mae'),
      `${w.n} walk-in tickets (appointments left out)`,
    ),
    figureRow('sim: wait estimate RMSE', 'min', ours.rmse, null, bestBy(o, 'rmse'), pooled),
    figureRow(
      'sim: wait estimate P90 absolute error',
      'min',
      ours.p90AbsError,
      null,
      bestBy(o, 'p90AbsError'),
      pooled,
    ),
    figureRow(
      'sim: printed range holds the actual wait',
      '%',
      100 * ours.coverage,
      null,
      { name: 'HOL rounded to its 5/10-min step', value: 100 * o.HOL!.coverage },
      `target about 80 %; mean range width ${ours.meanWidth.toFixed(1)} min (references: one step, ${o.HOL!.meanWidth.toFixed(1)} min)`,
    ),
  ];
}

function policyRows(reports: PolicyReport[], days: number): BenchRow[] {
  const def = reports.find((r) => r.policy === 'default')!;
  const fifo = reports.find((r) => r.policy === 'FIFO')!;
  const note = (pick: (r: PolicyReport) => number) =>
    `${days} days, same customers, waits of those served; ${reports.map((r) => `${r.policy} ${pick(r).toFixed(1)}`).join(', ')}`;
  return [
    figureRow(
      'sim: mean wait, default dispatch vs FIFO',
      'min',
      def.overall.mean,
      null,
      { name: 'FIFO', value: fifo.overall.mean },
      note((r) => r.overall.mean),
    ),
    figureRow(
      'sim: p90 wait, default dispatch vs FIFO',
      'min',
      def.overall.p90,
      null,
      { name: 'FIFO', value: fifo.overall.p90 },
      note((r) => r.overall.p90),
    ),
    figureRow(
      'sim: longest wait of a normal ticket, default vs FIFO',
      'min',
      def.longestNormal,
      null,
      { name: 'FIFO', value: fifo.longestNormal },
      note((r) => r.longestNormal),
    ),
    figureRow(
      'sim: mean VIP wait, default dispatch vs FIFO',
      'min',
      def.byClass.vip?.mean ?? Number.NaN,
      null,
      { name: 'FIFO', value: fifo.byClass.vip?.mean ?? Number.NaN },
      note((r) => r.byClass.vip?.mean ?? Number.NaN),
    ),
  ];
}

/** The same day with an estimator that does nothing: what the simulation costs without the estimate. */
const constantEstimator: WaitEstimator = () => ({
  minutes: 0,
  lowMinutes: 0,
  highMinutes: 5,
  ahead: 0,
  countersOpen: 0,
  serviceMinutes: 0,
  basis: 'prior',
  historyCount: 0,
  noCounterOpen: false,
});

export default {
  name: 'sim: branch days, wait estimate and dispatch',
  async run({ quick, outDir, log }) {
    const reps = quick ? 1 : 2;
    const days: DaySpec[] = evaluationBranches(HOLDOUT_SEED, reps, HOLDOUT_START);
    log(
      `estimate study: ${days.length} held-out days (seed ${HOLDOUT_SEED}, from ${HOLDOUT_START}; layouts ${[...new Set(days.map((d) => d.layout))].join(', ')}; reporting-only shapes ${REPORTING_ONLY_SHAPES.join(', ')})`,
    );
    const simulated = simulateForEvaluation(days);
    const bands = bandReport(simulated);
    const bandText = formatBandReport(bands);
    for (const line of bandText.split('\n')) log(line);
    const reportingOnly = bandReport(simulated.filter((d) => REPORTING_ONLY_SHAPES.includes(d.spec.shape)));
    log('days of the reporting-only shapes alone:');
    for (const line of formatBandReport(reportingOnly).split('\n').slice(0, 7)) log(line);
    const report = evaluateEstimates(simulated);
    const perDayMae = simulated.map((d) => evaluateEstimates([d]).overall[PRINTED]!.mae);
    const text = formatEstimateReport(report);
    for (const line of text.split('\n')) log(line);

    // The dispatch policies on the sample branch's days. Customers do not act on the printed figure, so
    // the waits are the same with an estimator that does nothing (and the study runs 4× faster).
    const sampleDays = days.filter((d) => (d.layout ?? 'sample') === 'sample');
    const policyDays = quick ? sampleDays.slice(0, 7) : sampleDays;
    log(`dispatch study: ${policyDays.length} days × 4 policies`);
    const policies = comparePolicies(policyDays, { estimator: constantEstimator });
    const policyText = formatPolicyReport(policies);
    for (const line of policyText.split('\n')) log(line);

    // Speed: a whole day, with the printed estimate at every issue, against the same day with an
    // estimator that does nothing.
    const speedDays = days.slice(0, quick ? 4 : 10);
    const withEstimate: number[] = [];
    const bare: number[] = [];
    for (const spec of speedDays) {
      let t = nowMs();
      simulateDay(spec);
      withEstimate.push(nowMs() - t);
      t = nowMs();
      simulateDay(spec, { estimator: constantEstimator });
      bare.push(nowMs() - t);
    }

    // Plots: a day of a normal weekday, every held-out ticket, and the error per day shape.
    const dir = join(outDir, 'sim');
    mkdirSync(dir, { recursive: true });
    const sample = simulated.find((d) => d.spec.shape === 'normal') ?? simulated[0]!;
    const labels = { cash: 'A cash', personal: 'B personal', business: 'C business', wealth: 'V wealth' };
    const dayTitle = `Printed estimate vs actual wait — ${sample.spec.date} (${DAY_SHAPES[sample.spec.shape].label.en})`;
    const daySvg = dayPlotSvg(sample.records, { title: dayTitle, reference: 'HOL', labels });
    const records = simulated.flatMap((d) => d.records);
    const scatter = scatterSvg(records, {
      title: `Ours: estimate vs actual, ${records.length} tickets`,
      limit: 90,
    });
    const scatterHol = scatterSvg(records, { title: 'HOL: estimate vs actual', predictor: 'HOL', limit: 90 });
    const shapeLabels = Object.fromEntries(Object.values(DAY_SHAPES).map((s) => [s.id, s.label.en]));
    const bars = maeBarsSvg(report.byShape, {
      title: 'Wait estimate MAE by day shape (held-out days)',
      predictors: report.predictors,
      labels: shapeLabels,
    });
    writeFileSync(join(dir, 'estimate-day.svg'), daySvg);
    writeFileSync(join(dir, 'estimate-scatter.svg'), scatter);
    writeFileSync(join(dir, 'estimate-scatter-hol.svg'), scatterHol);
    writeFileSync(join(dir, 'mae-by-shape.svg'), bars);
    writeFileSync(
      join(dir, 'index.html'),
      htmlPage('Nextup wait estimate, measured with the branch-day simulator', [
        { heading: 'Figures', text: `${bandText}\n\n${text}\n\n${policyText}` },
        { heading: 'One day', svg: daySvg },
        { heading: 'Error by day shape', svg: bars },
        { heading: 'Every held-out ticket', svg: `${scatter}${scatterHol}` },
      ]),
    );
    log(`plots: ${join(dir, 'index.html')} (and estimate-day.svg, mae-by-shape.svg, estimate-scatter*.svg)`);

    return [
      ...bandRows(bands, ''),
      ...estimateRows(report, perDayMae),
      ...policyRows(policies, policyDays.length),
      rowFromSamples(
        'sim: one branch day (decide + evolve + printed estimate)',
        'ms',
        withEstimate,
        { label: 'same day, estimator that does nothing', samples: bare },
        `${speedDays.length} days, ${Math.round(simulated.reduce((s, d) => s + d.events.length, 0) / simulated.length)} events a day on average`,
      ),
    ];
  },
} satisfies BenchSuite;
