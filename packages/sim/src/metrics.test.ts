import { describe, expect, it } from 'vitest';
import { errorStats, mean, waitStats } from './metrics.ts';

const p = (minutes: number, low: number, high: number) => ({ minutes, low, high });

describe('error figures', () => {
  it('are right on a hand-computed example', () => {
    // Predicted 10, 20, 5, 0 against actual 12, 14, 5, 4: errors −2, +6, 0, −4.
    const s = errorStats([
      { predicted: p(10, 5, 15), actual: 12 },
      { predicted: p(20, 15, 25), actual: 14 },
      { predicted: p(5, 0, 10), actual: 5 },
      { predicted: p(0, 0, 5), actual: 4 },
    ]);
    expect(s.n).toBe(4);
    expect(s.mae).toBeCloseTo((2 + 6 + 0 + 4) / 4, 12); // 3
    expect(s.rmse).toBeCloseTo(Math.sqrt((4 + 36 + 0 + 16) / 4), 12); // √14
    // |e| sorted 0, 2, 4, 6: the 90th percentile is the ⌈0.9 × 4⌉ = 4th smallest, 6 (nearest rank).
    expect(s.p90AbsError).toBe(6);
    expect(s.bias).toBeCloseTo((-2 + 6 + 0 - 4) / 4, 12); // 0
    // 12 ∈ [5,15], 14 ∉ [15,25], 5 ∈ [0,10], 4 ∈ [0,5] (ends count as inside).
    expect(s.coverage).toBeCloseTo(3 / 4, 12);
    expect(s.meanWidth).toBe((10 + 10 + 10 + 5) / 4);
  });

  it('say promised-too-long when the bias is positive', () => {
    expect(errorStats([{ predicted: p(30, 25, 35), actual: 20 }]).bias).toBe(10);
  });

  it('are NaN rather than zero with nothing to score', () => {
    const s = errorStats([]);
    expect(s.n).toBe(0);
    expect(Number.isNaN(s.mae)).toBe(true);
    expect(Number.isNaN(s.coverage)).toBe(true);
  });
});

describe('percentiles and waits', () => {
  it('take the mean of the values', () => {
    expect(mean([1, 2, 6])).toBe(3);
  });

  it('summarise waits as a branch report does', () => {
    expect(waitStats([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])).toEqual({
      n: 11,
      mean: 50,
      p90: 90,
      max: 100,
    });
  });

  it('state the p90 wait as the daily report does: one of the waits, by nearest rank', () => {
    // Interpolation would say 9.1 and 19; the report's nearest rank says 9 and 20.
    expect(waitStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).p90).toBe(9);
    expect(waitStats([10, 20]).p90).toBe(20);
  });
});
