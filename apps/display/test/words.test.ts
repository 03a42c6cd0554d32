import { describe, expect, it } from 'vitest';
import { zhWordUnits } from '../ui/src/words.ts';

describe('where a Chinese name may wrap on the TV', () => {
  it('between words only, a word the dictionary lacks kept whole', () => {
    expect(zhWordUnits('个人现金业务')).toEqual(['个人', '现金', '业务']);
    // The segmenter cuts 跨境 into 跨|境: glued to the 及 before them.
    expect(zhWordUnits('外汇兑换及跨境汇款')).toEqual(['外汇兑换', '及跨境', '汇款']);
    expect(zhWordUnits('身份证复印件')).toEqual(['身份证', '复印件']);
    expect(zhWordUnits('对公业务')).toEqual(['对公', '业务']);
    expect(zhWordUnits('号')).toEqual(['号']);
    expect(zhWordUnits('')).toEqual([]);
  });
});
