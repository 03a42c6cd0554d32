import { describe, expect, it } from 'vitest';
import { charColumns, encodeGb18030, textColumns, wrapText } from './text.ts';

describe('text layout', () => {
  it('counts ASCII as one column and Chinese as two', () => {
    expect(charColumns('A')).toBe(1);
    expect(charColumns('中')).toBe(2);
    expect(textColumns('A023 号')).toBe(7);
  });

  it('wraps Latin text at spaces and cuts a word longer than the line', () => {
    expect(wrapText('Transfers up to 50,000 are faster', 16)).toEqual([
      'Transfers up to',
      '50,000 are',
      'faster',
    ]);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('wraps Chinese between characters and never starts a line with closing punctuation', () => {
    const lines = wrapText('请在等候时填写表格，谢谢。', 18);
    for (const l of lines) expect(textColumns(l)).toBeLessThanOrEqual(18);
    for (const l of lines.slice(1)) expect('，。、：；！？）').not.toContain(l[0]);
    expect(lines.join('')).toBe('请在等候时填写表格，谢谢。');
  });

  it('keeps explicit newlines', () => {
    expect(wrapText('a\nb', 10)).toEqual(['a', 'b']);
  });

  it('encodes GB18030: two bytes for common Chinese, four for rare characters', () => {
    expect([...encodeGb18030('个A')]).toEqual([0xb8, 0xf6, 0x41]);
    expect(encodeGb18030('\u{20000}').length).toBe(4);
  });
});
