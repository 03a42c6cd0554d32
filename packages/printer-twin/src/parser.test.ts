import { buildTicket } from '@nextup/printer';
import { sampleJob } from '@nextup/printer/testing';
import { describe, expect, it } from 'vitest';
import { type EscPosOp, EscPosParser } from './parser.ts';

/** Ops without offsets, for comparing two parses. */
function parse(chunks: Uint8Array[], opts: { end?: boolean; chineseDefault?: boolean } = {}) {
  const ops: EscPosOp[] = [];
  const p = new EscPosParser((op) => ops.push(op), { chineseDefault: opts.chineseDefault ?? false });
  for (const c of chunks) p.push(c);
  if (opts.end) p.end();
  return ops;
}
const strip = (ops: EscPosOp[]) => ops.map(({ offset: _o, length: _l, ...rest }) => rest);
const b = (...xs: (number | string)[]) =>
  Uint8Array.from(xs.flatMap((x) => (typeof x === 'string' ? [...Buffer.from(x, 'latin1')] : [x])));

describe('ESC/POS parser', () => {
  it('decodes init, alignment, size, bold and text', () => {
    const ops = parse([b(0x1b, 0x40, 0x1b, 0x61, 1, 0x1d, 0x21, 0x33, 0x1b, 0x45, 1, 'A023', 0x0a)]);
    expect(strip(ops)).toEqual([
      { op: 'init' },
      { op: 'align', align: 'center' },
      { op: 'size', width: 4, height: 4 },
      { op: 'bold', on: true },
      { op: 'text', text: 'A023', chinese: false },
      { op: 'lf' },
    ]);
  });

  it('decodes GB18030 only in Chinese mode (FS & … FS .)', () => {
    // 个 = B8 F6, 𠀀 (U+20000) = 95 32 82 36
    const ops = parse([b(0x1c, 0x26, 0xb8, 0xf6, 0x95, 0x32, 0x82, 0x36, 0x1c, 0x2e, 'x', 0x0a)]);
    expect(strip(ops).slice(0, 3)).toEqual([
      { op: 'chinese', on: true },
      { op: 'text', text: '个\u{20000}', chinese: true },
      { op: 'chinese', on: false },
    ]);
  });

  it('reports GB18030 bytes sent without FS & (what the CHINA code page of node-thermal-printer does)', () => {
    const ops = parse([b(0xb8, 0xf6, 0x0a)]);
    expect(ops.some((o) => o.op === 'issue' && /outside Chinese mode/.test(o.reason))).toBe(true);
  });

  it('gives the same result however the stream is split', () => {
    const { bytes } = buildTicket(sampleJob(), { chinese: 'raster', qr: 'native' });
    const whole = strip(parse([bytes], { end: true }));
    for (const at of [1, 2, 3, 5, 8, 13, 100, 333, bytes.length - 1]) {
      expect(strip(parse([bytes.subarray(0, at), bytes.subarray(at)], { end: true }))).toEqual(whole);
    }
    const bytewise = strip(
      parse(
        Array.from(bytes, (x) => Uint8Array.of(x)),
        { end: true },
      ),
    );
    // Byte by byte, a text run arrives as several text ops; joined, they are the same.
    const join = (ops: ReturnType<typeof strip>) =>
      ops.reduce<ReturnType<typeof strip>>((acc, op) => {
        const last = acc[acc.length - 1];
        if (op.op === 'text' && last?.op === 'text') last.text += op.text;
        else acc.push({ ...op });
        return acc;
      }, []);
    expect(join(bytewise)).toEqual(join(whole));
  });

  it('decodes a QR code stored and printed with GS ( k', () => {
    const url = 'http://x/f/1';
    const store = [0x1d, 0x28, 0x6b, url.length + 3, 0, 0x31, 0x50, 0x30];
    const ops = strip(
      parse([
        b(
          0x1d,
          0x28,
          0x6b,
          3,
          0,
          0x31,
          0x43,
          6,
          0x1d,
          0x28,
          0x6b,
          3,
          0,
          0x31,
          0x45,
          0x31,
          ...store,
          url,
          0x1d,
          0x28,
          0x6b,
          3,
          0,
          0x31,
          0x51,
          0x30,
        ),
      ]),
    );
    expect(ops).toEqual([
      { op: 'qrSize', dots: 6 },
      { op: 'qrEcc', level: 'M' },
      { op: 'qrStore', data: new Uint8Array(Buffer.from(url)) },
      { op: 'qrPrint' },
    ]);
  });

  it('decodes a raster image with GS v 0', () => {
    const ops = strip(parse([b(0x1d, 0x76, 0x30, 0, 2, 0, 3, 0, 1, 2, 3, 4, 5, 6)]));
    expect(ops).toEqual([
      { op: 'raster', widthBytes: 2, height: 3, scale: 0, data: Uint8Array.of(1, 2, 3, 4, 5, 6) },
    ]);
  });

  it('answers DLE EOT in the middle of a stream and reads cuts', () => {
    const ops = strip(
      parse([b('ab', 0x10, 0x04, 0x04, 'cd', 0x1d, 0x56, 0x00, 0x1d, 0x56, 0x41, 0x10, 0x1d, 0x72, 0x01)]),
    );
    expect(ops).toEqual([
      { op: 'text', text: 'ab', chinese: false },
      { op: 'realtimeStatus', n: 4 },
      { op: 'text', text: 'cd', chinese: false },
      { op: 'cut', partial: false, feedDots: 0 },
      { op: 'cut', partial: false, feedDots: 0x10 },
      { op: 'transmitStatus', n: 1 },
    ]);
  });

  it('reports unknown commands and stray bytes with their offset, then goes on', () => {
    const ops = parse([b('ok', 0x1b, 0xf0, 0x00, 'go', 0x0a)]);
    expect(ops.filter((o) => o.op === 'issue').map((o) => [o.offset, o.op === 'issue' && o.reason])).toEqual([
      [2, 'unknown command ESC 0xf0'],
      [4, 'stray control byte 0x00'],
    ]);
    expect(strip(ops).filter((o) => o.op === 'text')).toEqual([
      { op: 'text', text: 'ok', chinese: false },
      { op: 'text', text: 'go', chinese: false },
    ]);
  });

  it('takes the fixed-length commands it does not model whole, however they are split', () => {
    // ESC p 0 25 250 (drawer kick, 5 bytes), FS 2 c1 c2 + 72 bytes of glyph (76), GS ^ r t m (5),
    // GS : (2), ESC S (2): parameter bytes that look like text or commands must not leak out.
    const glyph = Array.from({ length: 72 }, (_, k) => (k % 2 ? 0x0a : 0x41));
    // biome-ignore format: one command a line
    const stream = b(
      0x1b, 0x70, 0x00, 0x19, 0xfa,
      0x1c, 0x32, 0xfe, 0xa1, ...glyph,
      0x1d, 0x5e, 0x41, 0x0a, 0x00,
      0x1d, 0x3a,
      0x1b, 0x53,
      'ok',
    );
    const whole = parse([stream]);
    expect(whole.map((o) => [o.offset, o.length, o.op === 'ignored' ? o.name : o.op])).toEqual([
      [0, 5, 'ESC p'],
      [5, 76, 'FS 2'],
      [81, 5, 'GS ^'],
      [86, 2, 'GS :'],
      [88, 2, 'ESC S'],
      [90, 2, 'text'],
    ]);
    const byteByByte = parse([...stream].map((x) => Uint8Array.of(x)));
    expect(byteByByte.filter((o) => o.op !== 'text')).toEqual(whole.filter((o) => o.op !== 'text'));
  });

  it('reports a truncated command when the stream ends inside it', () => {
    const ops = parse([b(0x1d, 0x76, 0x30, 0, 10, 0, 10, 0, 1, 2, 3)], { end: true });
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ op: 'issue', offset: 0 });
    expect(ops[0]!.op === 'issue' && ops[0]!.reason).toMatch(
      /truncated GS v 0 80x10 image: the stream stopped after 11 of 108 bytes/,
    );
  });

  it('refuses a declared length beyond the limit instead of waiting for it', () => {
    const ops = parse([b(0x1d, 0x76, 0x30, 0, 0xff, 0xff, 0xff, 0xff, 'after', 0x0a)]);
    expect(ops[0]).toMatchObject({ op: 'issue' });
    expect(strip(ops).some((o) => o.op === 'text' && o.text === 'after')).toBe(true);
  });

  it('resets Chinese mode on ESC @ to the power-on default', () => {
    const off = strip(parse([b(0x1c, 0x26, 0x1b, 0x40, 0xb8, 0xf6)], { end: true }));
    expect(off.find((o) => o.op === 'text')).toMatchObject({ chinese: false });
    const on = strip(parse([b(0x1b, 0x40, 0xb8, 0xf6)], { chineseDefault: true, end: true }));
    expect(on.find((o) => o.op === 'text')).toEqual({ op: 'text', text: '个', chinese: true });
  });
});
