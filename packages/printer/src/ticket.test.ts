import { describe, expect, it } from 'vitest';
import { sampleJob } from './testing.ts';
import { textColumns } from './text.ts';
import { buildTicket } from './ticket.ts';

const indexOfSeq = (hay: Uint8Array, needle: number[], from = 0) =>
  Buffer.from(hay).indexOf(Buffer.from(needle), from);
function allIndexes(hay: Uint8Array, needle: number[]): number[] {
  const out: number[] = [];
  for (let i = indexOfSeq(hay, needle); i >= 0; i = indexOfSeq(hay, needle, i + 1)) out.push(i);
  return out;
}

describe('ticket layout', () => {
  it('prints branch, service, the number large, people ahead, estimate, time, QR, hint and footer', () => {
    const { lines } = buildTicket(sampleJob());
    expect(lines).toContain('中国示例银行北京中关村支行');
    expect(lines).toContain('个人业务');
    expect(lines).toContain('Personal Banking');
    expect(lines).toContain('A023');
    expect(lines).toContain('您前面还有 5 人 · 5 people ahead of you');
    expect(lines).toContain('预计等候 10-15 分钟 · Estimated wait 10-15 min');
    expect(lines).toContain('取号时间 · Issued 2026-11-23 09:41');
    expect(lines).toContain('[QR http://192.168.10.2:8080/f/t-20261123-a023]');
    expect(lines).toContain('提示：转账 5 万元以下可在智能柜台办理，更快捷。');
    expect(lines[lines.length - 1]).toBe('感谢您的耐心等候 · Thank you for waiting');
  });

  it('puts the customer language first (and bold), and prints the hint in it alone', () => {
    const en = buildTicket(sampleJob({ language: 'en' })).lines;
    expect(en.indexOf('Example Bank, Zhongguancun Branch')).toBeLessThan(
      en.indexOf('中国示例银行北京中关村支行'),
    );
    expect(en).toContain('5 people ahead of you · 您前面还有 5 人');
    expect(en.join('\n')).toContain('Tip: Transfers up to 50,000 are faster at the');
    expect(en.some((l) => l.startsWith('提示'))).toBe(false);
    const zh = buildTicket(sampleJob()).lines;
    expect(zh.indexOf('中国示例银行北京中关村支行')).toBeLessThan(
      zh.indexOf('Example Bank, Zhongguancun Branch'),
    );
    expect(zh.some((l) => l.startsWith('Tip'))).toBe(false);
    // A hint written in the other language only is still printed.
    const enOnly = buildTicket(sampleJob({ hint: { zh: '', en: 'Bring your ID card' } })).lines;
    expect(enOnly).toContain('Tip: Bring your ID card');
  });

  it('leaves out a missing wait and hint', () => {
    const bare = buildTicket(sampleJob({ wait: null, hint: null })).lines;
    expect(bare.some((l) => l.includes('预计') || l.includes('您前面'))).toBe(false);
    expect(bare.some((l) => l.startsWith('提示'))).toBe(false);
    expect(bare.some((l) => l.startsWith('[image'))).toBe(false); // no rule without a hint
  });

  it('prints the words every screen says when it is given them (one figure everywhere)', () => {
    const words = {
      ahead: { zh: '您前面还有 2 人', en: '2 people ahead of you' },
      wait: {
        zh: '暂无窗口开放，3号窗口预计约 13:00 恢复；预计等候 40–60 分钟',
        en: 'No counter open; Counter 3 expected back about 13:00; estimated wait 40–60 min',
      },
      note: {
        zh: '其中 1 位优先客户（老幼病残孕）按规定优先办理',
        en: 'including 1 priority customer, served first',
      },
    };
    const text = buildTicket(sampleJob({ wait: words })).lines.join('\n');
    expect(text).toContain('您前面还有 2 人');
    expect(text).toContain('3号窗口预计约 13:00 恢复');
    expect(text).toContain('优先办理');
    // Not the old generic line: the ticket says what the kiosk's screen said.
    expect(text).not.toContain('目前没有窗口办理此业务');
  });

  it('fits every line of the 58 mm layout in 32 columns', () => {
    const long = sampleJob({
      branch: {
        zh: '中国示例银行股份有限公司北京市海淀区中关村大街支行营业部',
        en: 'Example Bank Co., Ltd. Zhongguancun Street Sub-branch',
      },
    });
    const { lines } = buildTicket(long, { paperWidth: 58 });
    for (const l of lines.filter((x) => !x.startsWith('['))) expect(textColumns(l)).toBeLessThanOrEqual(32);
    expect(lines).toContain('[image 384x2]'); // the rule before the hint, across the paper
    const wide = buildTicket(long).lines;
    for (const l of wide.filter((x) => !x.startsWith('['))) expect(textColumns(l)).toBeLessThanOrEqual(48);
  });

  it('selects Chinese mode (FS &) after ESC @ and sends GB18030 in native mode', () => {
    const { bytes } = buildTicket(sampleJob());
    expect([...bytes.subarray(0, 4)]).toEqual([0x1b, 0x40, 0x1c, 0x26]);
    // Every ESC @ but the library's last one (after the cut, where no text follows) is followed by FS &.
    const inits = allIndexes(bytes, [0x1b, 0x40]);
    for (const i of inits.slice(0, -1)) expect([bytes[i + 2], bytes[i + 3]]).toEqual([0x1c, 0x26]);
    expect(inits[inits.length - 1]).toBe(bytes.length - 2);
    // 个人业务 in GB18030
    expect(indexOfSeq(bytes, [0xb8, 0xf6, 0xc8, 0xcb, 0xd2, 0xb5, 0xce, 0xf1])).toBeGreaterThan(0);
    // the cut: ESC d 4, GS V 0
    expect(indexOfSeq(bytes, [0x1b, 0x64, 0x04, 0x1d, 0x56, 0x00, 0x1b, 0x40])).toBe(bytes.length - 8);
  });

  it('sends no Chinese text bytes in raster mode: Chinese lines go as GS v 0 images', () => {
    const t = buildTicket(sampleJob(), { chinese: 'raster' });
    expect(indexOfSeq(t.bytes, [0x1c, 0x26])).toBe(-1);
    expect(t.rasterLines).toBeGreaterThan(5);
    // Every Chinese line, and the rule before the hint.
    expect(allIndexes(t.bytes, [0x1d, 0x76, 0x30, 0x00]).length).toBe(t.rasterLines + 1);
    // That no GB18030 sneaks through as text, decoded by the virtual printer: the printer twin's
    // driver-decode.test.ts.
  });

  it('refuses a follow URL that is not http(s) or too long for a QR code', () => {
    expect(() => buildTicket(sampleJob({ followUrl: 'not a url' }))).toThrow(TypeError);
    expect(() => buildTicket(sampleJob({ followUrl: 'ftp://x/y' }))).toThrow(/http or https/);
    expect(() =>
      buildTicket(sampleJob({ followUrl: `http://x/${'a'.repeat(3000)}` }), { qr: 'raster' }),
    ).toThrow(/too long/);
  });

  it('encodes the QR payload as ASCII (punycode, percent-encoding)', () => {
    const { lines } = buildTicket(sampleJob({ followUrl: 'http://银行.example/跟踪?n=A023' }));
    expect(lines).toContain('[QR http://xn--jn2a72x.example/%E8%B7%9F%E8%B8%AA?n=A023]');
  });
});
