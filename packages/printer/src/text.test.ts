import { sampleBranchConfig } from '@nextup/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charColumns, encodeGb18030, printable, textColumns, wrapText } from './text.ts';
import { TICKET_WORDS } from './words.ts';

const CLOSING = '，。、：；！？）」』】》〉”’,.;:!?)]}%';
const OPENING = '（「『【《〈“‘([{￥';

/**
 * Where `lines` broke `text`: offsets (in characters of `text`) at which a new line started, and
 * whether the lines hold exactly the text (spaces at a break dropped).
 */
function breaks(text: string, lines: readonly string[]): { at: number[]; same: boolean } {
  const chars = [...text];
  const at: number[] = [];
  let i = 0;
  let same = true;
  for (const [n, line] of lines.entries()) {
    if (n > 0) {
      while (chars[i] === ' ') i++;
      at.push(i);
    }
    for (const ch of line) {
      if (chars[i] !== ch) same = false;
      i++;
    }
  }
  while (chars[i] === ' ') i++;
  return { at, same: same && i === chars.length };
}

/** What must never be split: listed words and runs of Latin letters, digits and ASCII punctuation. */
function unbreakable(text: string): [number, number][] {
  const chars = [...text];
  const spans: [number, number][] = [];
  for (const w of TICKET_WORDS)
    for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) {
      const start = [...text.slice(0, i)].length;
      spans.push([start, start + [...w].length]);
    }
  for (let i = 0; i < chars.length; ) {
    if (chars[i] !== ' ' && charColumns(chars[i]!) === 1) {
      let j = i;
      while (j < chars.length && chars[j] !== ' ' && charColumns(chars[j]!) === 1) j++;
      spans.push([i, j]);
      i = j;
    } else i++;
  }
  return spans;
}

function checkWrap(text: string, columns: number) {
  const lines = wrapText(text, columns);
  const { at, same } = breaks(text, lines);
  expect(same, `${text} → ${JSON.stringify(lines)}`).toBe(true);
  for (const l of lines) expect(textColumns(l), l).toBeLessThanOrEqual(columns);
  for (const b of at) {
    const chars = [...text];
    for (const [s, e] of unbreakable(text))
      if (e - s <= columns / 2)
        expect(
          b > s && b < e,
          `break at ${b} inside "${chars.slice(s, e).join('')}" in ${JSON.stringify(lines)}`,
        ).toBe(false);
    // A cut inside a run of ASCII happens only where a piece is wider than the line: forced.
    const forced = [chars[b - 1]!, chars[b]!].every((c) => c !== ' ' && charColumns(c) === 1);
    if (forced) continue;
    expect(CLOSING, `line starts with ${chars[b]}`).not.toContain(chars[b]!);
    expect(OPENING, `line ends with ${chars[b - 1]}`).not.toContain(chars[b - 1]!);
  }
  return lines;
}

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

  it('never breaks inside a word: the sample branch’s hints and names at 80 mm (48 columns) and 58 mm (32)', () => {
    const config = sampleBranchConfig();
    const texts = [
      config.branch.name.zh,
      '目前没有窗口办理此业务，请咨询大堂经理',
      '感谢您的耐心等候',
      '预约时段 09:30-10:00，请留意叫号',
      ...Object.values(config.services).flatMap((s) => [
        s.name.zh,
        s.name.en,
        ...(s.hint ? [`提示：${s.hint.zh}`, `Tip: ${printable(s.hint.en)}`] : []),
      ]),
      ...Object.values(config.counters).map((c) => c.name.zh),
    ];
    for (const columns of [48, 32, 24]) for (const t of texts) checkWrap(t, columns);
  });

  it('keeps 身份证, 申请书, 大堂经理 and a number with its unit whole where the old rule split them', () => {
    expect(wrapText('提示：等候时请先填写《个人业务申请书》并备好身份证', 48)).toEqual([
      '提示：等候时请先填写《个人业务申请书》并备好',
      '身份证',
    ]);
    expect(wrapText('提示：等候时请先填写《个人业务申请书》并备好身份证', 32)).toEqual([
      '提示：等候时请先填写',
      '《个人业务申请书》并备好身份证',
    ]);
    expect(wrapText('目前没有窗口办理此业务，请咨询大堂经理', 32)).toEqual([
      '目前没有窗口办理此业务，请咨询',
      '大堂经理',
    ]);
    expect(wrapText('提示：请携带营业执照、公章及经办人身份证', 32)).toEqual([
      '提示：请携带营业执照、公章及',
      '经办人身份证',
    ]);
    expect(wrapText('转账 5万元以下', 9)).toEqual(['转账', '5万元以下']);
    expect(wrapText('请到3号窗口办理', 8)).toEqual(['请到3号', '窗口办理']);
    expect(wrapText('请到3号窗口办理', 5)).toEqual(['请到', '3号', '窗口', '办理']);
    expect(wrapText('Tip: transfers up to ￥50,000 are faster', 30)).toEqual([
      'Tip: transfers up to ￥50,000',
      'are faster',
    ]);
  });

  it('wraps any mix of words, Latin runs, punctuation and spaces without losing a character or breaking a word', () => {
    // Latin runs stand between spaces here, as in the ticket's texts; glued chains stay short.
    const piece = fc.oneof(
      fc.constantFrom(...TICKET_WORDS),
      fc.constantFrom(...'请在此办理的并及或您好'),
      fc.constantFrom(...'，。、：；！？'),
      fc.constantFrom('（', '《').chain((o) => fc.constantFrom(`${o}身份证${o === '（' ? '）' : '》'}`)),
      fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9,.\-:]{0,7}$/).map((w) => ` ${w} `),
      fc.constant(' '),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom(24, 32, 48), (pieces, columns) => {
        const text = pieces.join('').replace(/ +/g, ' ').trim();
        checkWrap(text, columns);
      }),
      { numRuns: 300 },
    );
  });

  it('never loses a character nor overfills a line, whatever the text', () => {
    const ch = fc.constantFrom(...'请在此办理身份证，。（）《》AZaz09,.:-￥ ');
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 120 }), fc.integer({ min: 2, max: 48 }), (chars, columns) => {
        const text = chars.join('').replace(/ +/g, ' ').trim();
        const lines = wrapText(text, columns);
        expect(breaks(text, lines).same).toBe(true);
        for (const l of lines) expect(textColumns(l)).toBeLessThanOrEqual(columns);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the two characters printers’ Chinese fonts often lack as ones they have', () => {
    expect(printable('up to ¥50,000, 09:30–10:00')).toBe('up to ￥50,000, 09:30-10:00');
    expect(encodeGb18030(printable('¥')).length).toBe(2);
  });

  it('keeps explicit newlines', () => {
    expect(wrapText('a\nb', 10)).toEqual(['a', 'b']);
  });

  it('encodes GB18030: two bytes for common Chinese, four for rare characters', () => {
    expect([...encodeGb18030('个A')]).toEqual([0xb8, 0xf6, 0x41]);
    expect(encodeGb18030('\u{20000}').length).toBe(4);
  });
});
