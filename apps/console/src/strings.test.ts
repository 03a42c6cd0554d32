import { describe, expect, it } from 'vitest';
import { STRINGS } from './strings.ts';

describe('the consoles’ words', () => {
  it('exist in Chinese and English, non-empty, with the same placeholders', () => {
    const zhKeys = Object.keys(STRINGS.zh).sort();
    expect(Object.keys(STRINGS.en).sort()).toEqual(zhKeys);
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of zhKeys) {
      const zh = STRINGS.zh[key as keyof typeof STRINGS.zh];
      const en = STRINGS.en[key as keyof typeof STRINGS.en];
      expect(zh.trim(), key).not.toBe('');
      expect(en.trim(), key).not.toBe('');
      expect(holes(en), key).toEqual(holes(zh));
    }
  });

  it('has no Chinese left in the English texts (other than the Chinese halves of bilingual values)', () => {
    for (const [key, en] of Object.entries(STRINGS.en))
      if (!key.endsWith('.zh')) expect(/[\u4e00-\u9fff]/.test(en), key).toBe(false);
  });
});
