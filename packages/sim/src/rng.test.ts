import { describe, expect, it } from 'vitest';
import { meanOneLognormal, Rng } from './rng.ts';

describe('the random source', () => {
  it('repeats for a seed and differs between seeds and forks', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.u32()
      )(new Rng(42)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.u32()
      )(new Rng(42)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.u32()
      )(new Rng(43)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Rng(42).fork('x').u32()).not.toBe(new Rng(42).fork('y').u32());
    expect(new Rng(42).fork('x').u32()).toBe(new Rng(42).fork('x').u32());
  });

  it('draws with the moments it promises', () => {
    const r = new Rng(1);
    const n = 40_000;
    let u = 0;
    let z = 0;
    let z2 = 0;
    let e = 0;
    let ln = 0;
    for (let i = 0; i < n; i++) {
      u += r.float();
      const g = r.normal();
      z += g;
      z2 += g * g;
      e += r.exponential(3);
      ln += meanOneLognormal(r.normal(), 0.55);
    }
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(z / n).toBeCloseTo(0, 1);
    expect(z2 / n).toBeCloseTo(1, 1);
    expect(e / n).toBeCloseTo(3, 1);
    expect(ln / n).toBeCloseTo(1, 1);
  });

  it('picks by weight and shuffles without losing anything', () => {
    const r = new Rng(3);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++)
      counts[
        r.weighted([
          ['a', 1],
          ['b', 3],
        ] as const)
      ]++;
    expect(counts.b / 10_000).toBeCloseTo(0.75, 1);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
