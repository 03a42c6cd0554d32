import {
  type DispatchSettings,
  defaultDispatchSettings,
  type TicketClass,
  type WaitEstimator,
} from '@nextup/core';
import { LAYOUT_IDS, type LayoutId } from './layouts.ts';
import { type ErrorStats, errorStats, groupBy, scoredPairs, type WaitStats, waitStats } from './metrics.ts';
import { REFERENCE_ESTIMATORS } from './references.ts';
import { hashString } from './rng.ts';
import { DAY_SHAPE_IDS, type DayShapeId, type DaySpec, evaluationCalendar } from './shapes.ts';
import { type SimDay, type SimOptions, simulateDays, type TicketRecord } from './simulate.ts';

/**
 * The two studies the simulator exists for: how good the printed wait estimate is against the
 * references, and which dispatch policy serves customers best. Both run the same days.
 */

/** The name under which the printed estimate appears in the tables. */
export const PRINTED = 'printed';

export interface EstimateReport {
  /** 'printed' (ours) first, then the references. */
  predictors: string[];
  /** Every called ticket. */
  overall: Record<string, ErrorStats>;
  /** Walk-in tickets only (appointments are the easy case for ours: they wait for their slot). */
  walkIns: Record<string, ErrorStats>;
  byService: Record<string, Record<string, ErrorStats>>;
  byShape: Record<string, Record<string, ErrorStats>>;
  byClass: Record<string, Record<string, ErrorStats>>;
  /** Tickets left out: cancelled before their call (no wait to compare with), never called. */
  excluded: { cancelledBeforeCall: number; neverCalled: number };
  days: number;
  tickets: number;
}

function statsFor(records: readonly TicketRecord[], predictors: readonly string[]) {
  return Object.fromEntries(predictors.map((p) => [p, errorStats(scoredPairs(records, p))]));
}

function grouped(
  records: readonly TicketRecord[],
  predictors: readonly string[],
  key: (r: TicketRecord) => string,
): Record<string, Record<string, ErrorStats>> {
  const out: Record<string, Record<string, ErrorStats>> = {};
  for (const [k, rs] of groupBy(records, key)) out[k] = statsFor(rs, predictors);
  return out;
}

/** Scores the printed estimate and the given predictors on every called ticket of the days. */
export function evaluateEstimates(
  days: readonly SimDay[],
  predictors: readonly string[] = [PRINTED, ...Object.keys(REFERENCE_ESTIMATORS)],
): EstimateReport {
  const records = days.flatMap((d) => d.records);
  return {
    predictors: [...predictors],
    overall: statsFor(records, predictors),
    walkIns: statsFor(
      records.filter((r) => r.class !== 'appointment'),
      predictors,
    ),
    byService: grouped(records, predictors, (r) => r.serviceId),
    byShape: grouped(records, predictors, (r) => r.shape),
    byClass: grouped(records, predictors, (r) => r.class),
    excluded: {
      cancelledBeforeCall: records.filter((r) => r.outcome === 'cancelled' && r.waitMinutes === null).length,
      neverCalled: records.filter((r) => r.waitMinutes === null && r.outcome !== 'cancelled').length,
    },
    days: days.length,
    tickets: records.length,
  };
}

/** The best (lowest-MAE) reference in a row of stats, skipping `printed`. */
export function bestReference(row: Record<string, ErrorStats>): { name: string; stats: ErrorStats } {
  let best: { name: string; stats: ErrorStats } | null = null;
  for (const [name, stats] of Object.entries(row)) {
    if (name === PRINTED) continue;
    if (!best || stats.mae < best.stats.mae) best = { name, stats };
  }
  if (!best) throw new TypeError('no reference predictor in the row');
  return best;
}

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(0)} %` : '—');

/** A plain-text table of MAE (and the other figures for the overall rows) for people to read. */
export function formatEstimateReport(report: EstimateReport): string {
  const preds = report.predictors;
  const name = (p: string) => (p === PRINTED ? 'ours' : p);
  const lines: string[] = [];
  const row = (cells: string[], widths: number[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const block = (title: string, stats: Record<string, ErrorStats>) => {
    lines.push(title);
    const w = [10, 6, 7, 7, 8, 7, 9, 7];
    lines.push(row(['predictor', 'n', 'MAE', 'RMSE', 'P90|e|', 'bias', 'coverage', 'width'], w));
    for (const p of preds) {
      const s = stats[p]!;
      lines.push(
        row(
          [
            name(p),
            String(s.n),
            f1(s.mae),
            f1(s.rmse),
            f1(s.p90AbsError),
            f1(s.bias),
            pct(s.coverage),
            f1(s.meanWidth),
          ],
          w,
        ),
      );
    }
    const best = bestReference(stats);
    const ours = stats[PRINTED];
    if (ours)
      lines.push(
        `ours vs best reference (${best.name}): MAE ${f1(ours.mae)} vs ${f1(best.stats.mae)} → ${pct(1 - ours.mae / best.stats.mae)} lower`,
      );
    lines.push('');
  };
  block(`All called tickets (${report.days} days, ${report.tickets} tickets)`, report.overall);
  block('Walk-in tickets only', report.walkIns);
  const mae = (title: string, groups: Record<string, Record<string, ErrorStats>>) => {
    lines.push(`MAE (minutes) by ${title}`);
    const w = [20, 6, ...preds.map(() => 7), 10];
    lines.push(row([title, 'n', ...preds.map(name), 'ours/best'], w));
    for (const [k, stats] of Object.entries(groups).sort()) {
      const best = bestReference(stats);
      const ours = stats[PRINTED];
      lines.push(
        row(
          [
            k,
            String(stats[preds[0]!]!.n),
            ...preds.map((p) => f1(stats[p]!.mae)),
            ours ? `${(ours.mae / best.stats.mae).toFixed(2)}` : '—',
          ],
          w,
        ),
      );
    }
    lines.push('');
  };
  mae('shape', report.byShape);
  mae('service', report.byService);
  mae('class', report.byClass);
  lines.push(
    `left out: ${report.excluded.cancelledBeforeCall} cancelled before their call, ${report.excluded.neverCalled} never called`,
  );
  return lines.join('\n');
}

// ── per band of wait ──

/** The bands of wait the figures are given for, minutes: [from, to). */
export const WAIT_BANDS: readonly { label: string; from: number; to: number }[] = [
  { label: '< 10 min', from: 0, to: 10 },
  { label: '10–30 min', from: 10, to: 30 },
  { label: '> 30 min', from: 30, to: Number.POSITIVE_INFINITY },
];

/** Days of the shapes where a branch is busiest. */
export const PEAK_SHAPES: readonly string[] = ['payday', 'mondayRush', 'monthStart'];

export interface BandRow {
  label: string;
  /** Per predictor. */
  stats: Record<string, ErrorStats>;
}

export interface BandReport {
  predictors: string[];
  /** Bands of the actual wait, then all tickets, then peak days. */
  byActual: BandRow[];
  /** Bands of the printed point (what the ticket said). */
  byPrinted: BandRow[];
  /** Per branch layout. */
  byLayout: BandRow[];
  /** Tickets issued while no counter serving their service was open. */
  noCounterOpen: BandRow;
  days: number;
}

/** The estimate's figures per band of wait, by the actual wait and by what was printed. */
export function bandReport(
  days: readonly SimDay[],
  predictors: readonly string[] = [PRINTED, ...Object.keys(REFERENCE_ESTIMATORS)],
): BandReport {
  const records = days.flatMap((d) => d.records).filter((r) => r.waitMinutes !== null);
  const row = (label: string, rs: readonly TicketRecord[]): BandRow => ({
    label,
    stats: statsFor(rs, predictors),
  });
  const inBand = (v: number, b: { from: number; to: number }) => v >= b.from && v < b.to;
  const layouts = [...new Set(records.map((r) => r.layout))].sort();
  return {
    predictors: [...predictors],
    byActual: [
      ...WAIT_BANDS.map((b) =>
        row(
          b.label,
          records.filter((r) => inBand(r.waitMinutes!, b)),
        ),
      ),
      row('all', records),
      row(
        'peak days',
        records.filter((r) => PEAK_SHAPES.includes(r.shape)),
      ),
    ],
    byPrinted: WAIT_BANDS.map((b) =>
      row(
        `printed ${b.label}`,
        records.filter((r) => inBand(r.estimate.minutes, b)),
      ),
    ),
    byLayout: layouts.map((l) =>
      row(
        l,
        records.filter((r) => r.layout === l),
      ),
    ),
    noCounterOpen: row(
      'no counter open at issue',
      records.filter((r) => r.estimate.noCounterOpen),
    ),
    days: days.length,
  };
}

/** The band table as text: MAE of every predictor, ours against the best reference, and our range. */
export function formatBandReport(report: BandReport): string {
  const preds = report.predictors;
  const refs = preds.filter((p) => p !== PRINTED);
  const label = (p: string) =>
    p === PRINTED
      ? 'ours'
      : p === 'naive'
        ? 'queue×mean÷ctr'
        : p === 'HOL'
          ? 'head-of-line'
          : p === 'LES'
            ? 'last-to-enter'
            : p;
  const w = [26, 6, 7, ...refs.map((r) => Math.max(8, label(r).length)), 10, 9, 7, 7];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  const out = [line(['band', 'n', 'ours', ...refs.map(label), 'vs best', 'coverage', 'width', 'bias'])];
  const add = (r: BandRow) => {
    const ours = r.stats[PRINTED]!;
    if (ours.n === 0) return;
    const best = bestReference(r.stats);
    out.push(
      line([
        r.label,
        String(ours.n),
        f1(ours.mae),
        ...refs.map((p) => f1(r.stats[p]!.mae)),
        `${((1 - ours.mae / best.stats.mae) * 100).toFixed(0)} %`,
        pct(ours.coverage),
        f1(ours.meanWidth),
        f1(ours.bias),
      ]),
    );
  };
  out.push('MAE (min) by actual wait; "vs best" = how much lower ours is than the best reference');
  for (const r of report.byActual) add(r);
  out.push('by printed point');
  for (const r of report.byPrinted) add(r);
  out.push('by branch');
  for (const r of report.byLayout) add(r);
  add(report.noCounterOpen);
  return out.join('\n');
}

// ── dispatch policies ──────────────────────────────────────────────────────────────────────────

/** The policies compared: the default and three simpler rules a branch might ask for. */
export function dispatchPolicies(): Record<string, DispatchSettings> {
  const d = defaultDispatchSettings();
  return {
    default: d,
    FIFO: { ...d, maxOvertakes: 0 },
    strictClass: {
      ...d,
      classBoostMinutes: { normal: 0, vip: 10_000, priority: 20_000, appointment: 0 },
      maxOvertakes: 1000,
    },
    strictCounterOrder: { ...d, serviceRankPenaltyMinutes: 100_000 },
  };
}

export interface PolicyReport {
  policy: string;
  /** Waits (issue → first call) of the customers who were served. */
  overall: WaitStats;
  byClass: Partial<Record<TicketClass, WaitStats>>;
  /** The longest wait of a normal (walk-in, no class) customer who was served. */
  longestNormal: number;
  /** Share of issued tickets whose customer gave up (cancelled, or left and was a no-show). */
  gaveUpShare: number;
  tickets: number;
}

/**
 * A policy's figures over days. Waits are those of customers who were served: a customer who left
 * long ago and is called as a no-show did not wait that long, and counting them would reward a policy
 * that drives people away; the share who gave up is reported beside.
 */
export function policyFigures(policy: string, days: readonly SimDay[]): PolicyReport {
  const records = days.flatMap((d) => d.records);
  const served = records.filter((r) => r.waitMinutes !== null && r.outcome === 'done');
  const byClass: Partial<Record<TicketClass, WaitStats>> = {};
  for (const [cls, rs] of groupBy(served, (r) => r.class))
    byClass[cls] = waitStats(rs.map((r) => r.waitMinutes!));
  const normals = served.filter((r) => r.class === 'normal').map((r) => r.waitMinutes!);
  const gaveUp = days.reduce((s, d) => s + d.counts.gaveUp, 0);
  return {
    policy,
    overall: waitStats(served.map((r) => r.waitMinutes!)),
    byClass,
    longestNormal: normals.length ? Math.max(...normals) : Number.NaN,
    gaveUpShare: records.length ? gaveUp / records.length : Number.NaN,
    tickets: records.length,
  };
}

/** Runs the same days under each policy (same customers, same tellers) and reports the waits. */
export function comparePolicies(
  days: readonly DaySpec[],
  options: SimOptions = {},
  policies: Record<string, DispatchSettings> = dispatchPolicies(),
): PolicyReport[] {
  return Object.entries(policies).map(([name, settings]) =>
    policyFigures(name, simulateDays(days, { ...options, dispatch: settings })),
  );
}

export function formatPolicyReport(reports: readonly PolicyReport[]): string {
  const classes: TicketClass[] = ['normal', 'vip', 'priority', 'appointment'];
  const w = [20, 12, 12, ...classes.map(() => 14), 12, 9];
  const row = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  const lines = [
    'Waits of served customers (minutes) by dispatch policy: mean / p90',
    row(['policy', 'all mean', 'all p90', ...classes, 'max normal', 'gave up']),
  ];
  for (const r of reports)
    lines.push(
      row([
        r.policy,
        f1(r.overall.mean),
        f1(r.overall.p90),
        ...classes.map((c) => {
          const s = r.byClass[c];
          return s ? `${f1(s.mean)} / ${f1(s.p90)}` : '—';
        }),
        f1(r.longestNormal),
        pct(r.gaveUpShare),
      ]),
    );
  return lines.join('\n');
}

/**
 * The evaluation set: `reps` rounds of each of `shapes` in every branch layout, each layout one branch
 * whose state carries from day to day.
 */
export function evaluationBranches(
  seed: number,
  reps: number,
  startDate = '2026-03-02',
  shapes: readonly DayShapeId[] = DAY_SHAPE_IDS,
  layouts: readonly LayoutId[] = LAYOUT_IDS,
): DaySpec[] {
  return layouts.flatMap((layout) =>
    evaluationCalendar((seed ^ hashString(layout)) >>> 0, reps, startDate, shapes).map((d) => ({
      ...d,
      layout,
    })),
  );
}

/** Simulates days with the references (and any other predictors) asked at every issue. */
export function simulateForEvaluation(
  days: readonly DaySpec[],
  options: SimOptions & { extraPredictors?: Record<string, WaitEstimator> } = {},
): SimDay[] {
  const { extraPredictors, ...rest } = options;
  return simulateDays(days, {
    ...rest,
    predictors: { ...REFERENCE_ESTIMATORS, ...extraPredictors, ...rest.predictors },
  });
}
