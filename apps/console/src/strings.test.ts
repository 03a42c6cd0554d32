import { placeholderNames } from '@nextup/core';
import { describe, expect, it } from 'vitest';
import { STRINGS } from './strings.ts';

describe('the consoles’ words', () => {
  it('exist in Chinese and English, non-empty, with the same placeholders', () => {
    const holes = (s: string) => placeholderNames(s).sort();
    for (const [key, { zh, en }] of Object.entries(STRINGS)) {
      expect(zh.trim(), key).not.toBe('');
      expect(en.trim(), key).not.toBe('');
      expect(holes(en), key).toEqual(holes(zh));
    }
  });

  it('has no Chinese left in the English texts (other than the Chinese halves of bilingual values)', () => {
    for (const [key, { en }] of Object.entries(STRINGS))
      if (!key.endsWith('.zh')) expect(/[\u4e00-\u9fff]/.test(en), key).toBe(false);
  });
});
