import { describe, expect, it } from 'vitest';
import { lineDialect } from './line.ts';

async function lines(chunks: Buffer[]): Promise<string[]> {
  const p = lineDialect.createParser();
  const out: string[] = [];
  p.on('data', (l: string) => out.push(l));
  for (const c of chunks) p.write(c);
  await new Promise((r) => setImmediate(r));
  return out;
}

describe('the line dialect', () => {
  it('keeps GB18030 text intact when CR LF and a Chinese character are split across reads', async () => {
    const wire = Buffer.from(
      lineDialect.encodeRequest(
        { kind: 'show', address: 12, area: 0, effect: { kind: 'static' }, text: '请到3号窗口' },
        0,
      ),
    );
    for (let cut = 1; cut < wire.length; cut++) {
      const got = await lines([wire.subarray(0, cut), wire.subarray(cut)]);
      expect(got, `cut at ${cut}`).toHaveLength(1);
      expect(lineDialect.device.decodeRequest(got[0])).toMatchObject({
        type: 'request',
        request: { kind: 'show', address: 12, text: '请到3号窗口' },
      });
    }
  });

  it('keeps memory bounded under endless noise without CR LF, and reads the next line after it', async () => {
    const p = lineDialect.createParser() as unknown as {
      buffer: Buffer;
      write(b: Buffer): void;
      on(e: 'data', l: (x: string) => void): void;
    };
    const out: string[] = [];
    p.on('data', (l) => out.push(l));
    for (let i = 0; i < 100; i++) p.write(Buffer.alloc(1000, 0x41));
    expect(p.buffer.length).toBeLessThanOrEqual(512);
    p.write(Buffer.from('\r\nOK\r\n', 'latin1'));
    await new Promise((r) => setImmediate(r));
    expect(out.at(-1)).toBe('OK');
  });

  it('reads an ERR line as a NAK with its reason, and ignores lines that are no reply', () => {
    const ping = { kind: 'ping', address: 3 } as const;
    expect(lineDialect.matchReply('ERR BUSY', ping, 0)).toMatchObject({
      match: 'reply',
      reply: { kind: 'nak', reason: 'BUSY' },
    });
    expect(lineDialect.matchReply('@3?', ping, 0)).toEqual({ match: 'none' });
    expect(lineDialect.matchReply('OK ???', ping, 0)).toMatchObject({ match: 'malformed' });
  });

  it('cannot poll a keypad, and says so', () => {
    expect(lineDialect.supports.has('poll')).toBe(false);
    expect(() => lineDialect.encodeRequest({ kind: 'poll', address: 101, session: 0, ack: 0 }, 0)).toThrow(
      TypeError,
    );
  });

  it('puts a multi-line text on one line, since a CR LF inside would end the request early', () => {
    const wire = Buffer.from(
      lineDialect.encodeRequest(
        { kind: 'show', address: 1, area: 0, effect: { kind: 'static' }, text: 'A\r\nB' },
        0,
      ),
    );
    expect(wire.toString('latin1')).toBe('@1:A B\r\n');
  });

  it('tells a device which lines are garbage and which are addressed but malformed', () => {
    expect(lineDialect.device.decodeRequest('hello')).toMatchObject({ type: 'reject', reason: 'NOISE' });
    expect(lineDialect.device.decodeRequest('@3#400')).toMatchObject({
      type: 'invalid',
      address: 3,
      reason: 'BAD_PAYLOAD',
    });
    expect(lineDialect.device.decodeRequest('@0#400')).toMatchObject({ type: 'reject' });
  });
});
