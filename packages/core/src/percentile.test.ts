import { describe, expect, it } from 'vitest';
import { percentileNearestRank } from './percentile.ts';

describe('percentileNearestRank', () => {
  it('is the ⌈p·n/100⌉-th smallest value', () => {
    expect(percentileNearestRank([5], 90)).toBe(5);
    expect(percentileNearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentileNearestRank([10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11], 90)).toBe(10);
    expect(percentileNearestRank([1, 2, 3, 4, 5], 50)).toBe(3);
  });

  it('never interpolates between two values', () => {
    expect(percentileNearestRank([10, 20], 90)).toBe(20);
    expect(percentileNearestRank([10, 20], 50)).toBe(10);
  });

  it('is the smallest at 0 and the largest at 100, whatever the order', () => {
    expect(percentileNearestRank([5, 1, 3], 0)).toBe(1);
    expect(percentileNearestRank([5, 1, 3], 100)).toBe(5);
  });

  it('is null for no values and leaves its input unsorted', () => {
    expect(percentileNearestRank([], 90)).toBeNull();
    const values = [3, 1, 2];
    percentileNearestRank(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});
