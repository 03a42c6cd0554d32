import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16modbus } from './crc16.ts';
import { type DecodeEvent, encodeFrame, type Frame, FrameDecoder, fromHex, STX, toHex } from './frame.ts';

const framesOf = (events: DecodeEvent[]) => events.flatMap((e) => (e.ok ? [e.frame] : []));
const decodeAll = (bytes: Uint8Array, chunk = bytes.length) => {
  const d = new FrameDecoder();
  const out: DecodeEvent[] = [];
  for (let i = 0; i < bytes.length; i += Math.max(1, chunk))
    out.push(...d.push(bytes.subarray(i, i + chunk)));
  return out;
};
const sample: Frame = {
  address: 3,
  seq: 2,
  command: 0x10,
  payload: Uint8Array.from([0, 1, 3, 0x41, 0x02, 0x10]),
};
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

const arbFrame = fc.record({
  address: fc.integer({ min: 0, max: 255 }),
  seq: fc.integer({ min: 0, max: 255 }),
  command: fc.integer({ min: 0, max: 255 }),
  payload: fc.uint8Array({ maxLength: 255 }),
});

describe('CRC-16/MODBUS', () => {
  it('gives the standard check value 0x4B37 for "123456789"', () => {
    expect(crc16modbus(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });
});

describe('v1 framing', () => {
  it('escapes STX, ETX and DLE inside the frame so only the first byte is STX', () => {
    // ADDR 03 = ETX → 10 23; SEQ 02 = STX → 10 22; CMD 10 = DLE → 10 30; in the payload likewise.
    const wire = encodeFrame(sample);
    expect(toHex(wire)).toBe('02 10 23 10 22 10 30 06 00 01 10 23 41 10 22 10 30 93 58 03');
    expect(wire.indexOf(STX, 1)).toBe(-1);
  });

  it('refuses fields that do not fit a byte, naming them', () => {
    expect(() => encodeFrame({ ...sample, address: 256 })).toThrow(/address must be 0–255/);
    expect(() => encodeFrame({ ...sample, payload: new Uint8Array(256) })).toThrow(/payload is 256 bytes/);
  });

  it('decodes a frame split across chunks at every possible point', () => {
    const wire = encodeFrame(sample);
    for (let cut = 1; cut < wire.length; cut++) {
      const d = new FrameDecoder();
      const events = [...d.push(wire.subarray(0, cut)), ...d.push(wire.subarray(cut))];
      expect(framesOf(events), `cut at ${cut}`).toEqual([sample]);
    }
    expect(framesOf(decodeAll(wire, 1))).toEqual([sample]);
  });

  it('splits back-to-back frames arriving in one chunk', () => {
    const a = { ...sample, seq: 1 };
    const b = { ...sample, seq: 2, payload: new Uint8Array(0) };
    expect(framesOf(decodeAll(concat(encodeFrame(a), encodeFrame(b))))).toEqual([a, b]);
  });

  it('resynchronises on the next STX after garbage and a cut-off frame, and says why it dropped bytes', () => {
    const wire = encodeFrame(sample);
    const events = decodeAll(concat(fromHex('FF 00 41'), wire.subarray(0, 7), wire));
    expect(framesOf(events)).toEqual([sample]);
    expect(events.filter((e) => !e.ok).map((e) => !e.ok && e.reason)).toEqual(['NOISE', 'TRUNCATED']);
  });

  it('rejects a bad CRC, reporting the address it claims so that device can NAK it', () => {
    const wire = encodeFrame({ ...sample, address: 7 });
    wire[wire.length - 2] = wire[wire.length - 2]! ^ 0xff;
    const events = decodeAll(wire);
    expect(events).toEqual([
      { ok: false, reason: 'BAD_CRC', bytes: wire.length, claimed: { address: 7, seq: 2, command: 0x10 } },
    ]);
  });

  it('rejects a LEN that disagrees with the bytes received, and a bad escape', () => {
    expect(decodeAll(fromHex('02 01 01 01 05 00 00 03'))).toMatchObject([
      { ok: false, reason: 'BAD_LENGTH' },
    ]);
    expect(decodeAll(fromHex('02 10 41 03'))).toMatchObject([
      { ok: false, reason: 'BAD_ESCAPE' },
      { reason: 'NOISE' },
    ]);
  });

  it('drops a frame longer than any valid one instead of buffering without end', () => {
    const events = decodeAll(concat(Uint8Array.of(STX), new Uint8Array(400).fill(0x41)));
    expect(events[0]).toMatchObject({ ok: false, reason: 'TOO_LONG' });
  });
});

describe('v1 decoder under fuzzing', () => {
  it('never throws on random bytes, and every frame it accepts really was on the wire', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 64 }), (bytes, chunk) => {
        const hex = toHex(bytes);
        for (const f of framesOf(decodeAll(bytes, chunk))) expect(hex).toContain(toHex(encodeFrame(f)));
      }),
      { numRuns: 500 },
    );
  });

  it('decodes the next valid frame after any garbage, cut off at any point', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        arbFrame,
        fc.integer({ min: 1, max: 40 }),
        (garbage, f, chunk) => {
          const got = framesOf(decodeAll(concat(garbage, encodeFrame(f)), chunk));
          expect(got.at(-1)).toEqual(f);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never accepts a truncated frame; the frame after it still arrives', () => {
    fc.assert(
      fc.property(arbFrame, arbFrame, fc.nat(), (a, b, at) => {
        const wa = encodeFrame(a);
        const cut = 1 + (at % (wa.length - 1)); // at least STX, never the whole frame
        const got = framesOf(decodeAll(concat(wa.subarray(0, cut), encodeFrame(b))));
        expect(got).toEqual([b]);
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts a frame with one byte changed (bad CRC, bad escape or bad length)', () => {
    fc.assert(
      fc.property(arbFrame, fc.nat(), fc.integer({ min: 1, max: 255 }), (f, at, flip) => {
        const wire = encodeFrame(f);
        const i = 1 + (at % (wire.length - 2)); // inside the frame, not its STX/ETX
        wire[i] = wire[i]! ^ flip;
        const got = framesOf(decodeAll(wire));
        // A changed byte may turn into STX and start a shorter "frame"; none may pass its CRC as
        // a frame that was not sent. CRC-16 catches every error burst of 16 bits or fewer.
        expect(got).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
