import { describe, expect, it } from 'vitest';
import { calibrate } from './calibrate.ts';
import type { EstimateRecord } from './types.ts';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A branch whose waits run `factor` × the model's, with a lognormal scatter of σ = `sigma`. */
function branch(factor: number, sigma: number, seed: number) {
  const rnd = lcg(seed);
  const normal = () => {
    const u = Math.max(1e-12, rnd());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
  return () => {
    const model = 60 * rnd() ** 2;
    const actual = Math.max(0, (model + 3) * factor * Math.exp(sigma * normal()) - 3);
    return { model, actual };
  };
}

describe('calibrating on the branch’s own errors', () => {
  it('moves the point to where this branch’s waits fall', () => {
    const draw = branch(2, 0.2, 1);
    const history: EstimateRecord[] = Array.from({ length: 600 }, () => {
      const { model, actual } = draw();
      return [model, actual, 600, 0];
    });
    const c = calibrate(20, 5, history);
    // (20 + 3) × 2 − 3 = 43.
    expect(c.point).toBeGreaterThan(38);
    expect(c.point).toBeLessThan(48);
  });

  it('prints ranges that hold about 4 waits in 5, short and long alike', () => {
    const draw = branch(1.1, 0.35, 2);
    const history: EstimateRecord[] = Array.from({ length: 600 }, () => {
      const { model, actual } = draw();
      return [model, actual, 600, 0];
    });
    const held: Record<'short' | 'long', [number, number]> = { short: [0, 0], long: [0, 0] };
    for (let i = 0; i < 4000; i++) {
      const { model, actual } = draw();
      const c = calibrate(
        model,
        model * 0.3 + 1,
        history,
        { minute: 600, closed: false },
        (i * 0.618034) % 1,
      );
      const inside = actual >= c.low && (c.moreThan || actual <= c.high);
      const band = model < 15 ? held.short : held.long;
      band[0] += inside ? 1 : 0;
      band[1] += 1;
    }
    for (const [hit, n] of Object.values(held)) {
      expect(hit / n).toBeGreaterThan(0.75);
      expect(hit / n).toBeLessThan(0.85);
    }
  });

  it('without history, trusts the model and its spread', () => {
    const c = calibrate(20, 4, []);
    expect(c.point).toBeCloseTo(20, 0);
    expect(c.low).toBeLessThan(20);
    expect(c.high).toBeGreaterThan(20);
    expect(c.moreThan).toBe(false);
  });

  it('says "more than" when the range would be too wide to help', () => {
    const c = calibrate(60, 40, []);
    expect(c.moreThan).toBe(true);
    expect(c.low).toBeLessThanOrEqual(60);
  });
});
