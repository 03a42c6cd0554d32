import { percentileNearestRank } from '@nextup/core';
import type { Prediction, TicketRecord } from './simulate.ts';

/**
 * The figures the wait estimate and the dispatch policies are judged by. Plain functions of plain
 * numbers, so that they can be checked by hand (see metrics.test.ts).
 */

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** How well predictions matched what followed. Minutes throughout. */
export interface ErrorStats {
  n: number;
  /** Mean absolute error. */
  mae: number;
  /** Root mean square error. */
  rmse: number;
  /** 90th percentile of the absolute error (nearest rank, as the daily report states it). */
  p90AbsError: number;
  /** Mean of (predicted − actual): positive means it promised longer waits than happened. */
  bias: number;
  /** Share of actual waits inside the printed range [low, high]. */
  coverage: number;
  /** Mean width of the printed range. */
  meanWidth: number;
}

export interface Scored {
  predicted: Prediction;
  actual: number;
}

export function errorStats(pairs: readonly Scored[]): ErrorStats {
  const abs = pairs.map((p) => Math.abs(p.predicted.minutes - p.actual));
  const inside = pairs.filter((p) => p.actual >= p.predicted.low && p.actual <= p.predicted.high).length;
  return {
    n: pairs.length,
    mae: mean(abs),
    rmse: Math.sqrt(mean(abs.map((a) => a * a))),
    p90AbsError: percentileNearestRank(abs, 90) ?? Number.NaN,
    bias: mean(pairs.map((p) => p.predicted.minutes - p.actual)),
    coverage: pairs.length === 0 ? Number.NaN : inside / pairs.length,
    meanWidth: mean(pairs.map((p) => p.predicted.high - p.predicted.low)),
  };
}

/** The printed estimate as a prediction. */
export function printed(r: TicketRecord): Prediction {
  return { minutes: r.estimate.minutes, low: r.estimate.lowMinutes, high: r.estimate.highMinutes };
}

/**
 * The pairs a predictor is scored on: every ticket that was called (its wait is known). Tickets
 * cancelled before their call have no wait to compare with and are left out (counted separately).
 * `predictor` names an entry of `TicketRecord.predictions`, or 'printed' for the ticket's own estimate.
 */
export function scoredPairs(records: readonly TicketRecord[], predictor: string): Scored[] {
  const out: Scored[] = [];
  for (const r of records) {
    if (r.waitMinutes === null) continue;
    const predicted = predictor === 'printed' ? printed(r) : r.predictions[predictor];
    if (predicted) out.push({ predicted, actual: r.waitMinutes });
  }
  return out;
}

/** Groups records by a key. */
export function groupBy<T, K extends string>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/** Waits as a branch report states them. */
export interface WaitStats {
  n: number;
  mean: number;
  /** Nearest rank, as the daily report states it. */
  p90: number;
  max: number;
}

export function waitStats(waits: readonly number[]): WaitStats {
  return {
    n: waits.length,
    mean: mean(waits),
    p90: percentileNearestRank(waits, 90) ?? Number.NaN,
    max: waits.length === 0 ? Number.NaN : Math.max(...waits),
  };
}
