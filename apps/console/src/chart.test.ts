import { describe, expect, it } from 'vitest';
import { fitLabel } from './chart.tsx';

describe('fitLabel', () => {
  it('keeps a label that fits and shortens one that does not, counting CJK as double width', () => {
    expect(fitLabel('A Cash', 10)).toBe('A Cash');
    expect(fitLabel('A Cash deposits & withdrawals', 12)).toBe('A Cash depos…');
    expect(fitLabel('A 个人现金业务', 8)).toBe('A 个人现…');
    expect(fitLabel('1号窗口', 8)).toBe('1号窗口');
  });
});
