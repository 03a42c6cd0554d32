import { describe, expect, it } from 'vitest';
import {
  ClipFormatError,
  checkVoiceFormat,
  concatSamples,
  encodeWav,
  parseWav,
  readClip,
  silence,
} from './wav.ts';

function header(opts: {
  rate?: number;
  channels?: number;
  bits?: number;
  format?: number;
  dataSize?: number;
  extra?: Uint8Array;
}) {
  const rate = opts.rate ?? 22050;
  const channels = opts.channels ?? 1;
  const bits = opts.bits ?? 16;
  const extra = opts.extra ?? new Uint8Array(0);
  const out = new Uint8Array(12 + 24 + extra.length + 8);
  const v = new DataView(out.buffer);
  out.set(
    [...'RIFF'].map((c) => c.charCodeAt(0)),
    0,
  );
  v.setUint32(4, 0xffffffff, true);
  out.set(
    [...'WAVE'].map((c) => c.charCodeAt(0)),
    8,
  );
  out.set(
    [...'fmt '].map((c) => c.charCodeAt(0)),
    12,
  );
  v.setUint32(16, 16, true);
  v.setUint16(20, opts.format ?? 1, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, (rate * channels * bits) / 8, true);
  v.setUint16(32, (channels * bits) / 8, true);
  v.setUint16(34, bits, true);
  out.set(extra, 36);
  out.set(
    [...'data'].map((c) => c.charCodeAt(0)),
    36 + extra.length,
  );
  v.setUint32(40 + extra.length, opts.dataSize ?? 0xffffffff, true);
  return out;
}

describe('clip WAV files', () => {
  it('round-trips samples through encodeWav and parseWav', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
    const w = parseWav(encodeWav(samples));
    expect(w).toMatchObject({ audioFormat: 1, sampleRate: 22050, channels: 1, bitsPerSample: 16 });
    expect([...w.samples]).toEqual([...samples]);
  });

  it('reads a streamed WAV whose data size was never filled in (espeak-ng --stdout), skipping other chunks', () => {
    const list = new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
    const h = header({ extra: list });
    const bytes = new Uint8Array(h.length + 4);
    bytes.set(h);
    new DataView(bytes.buffer).setInt16(h.length, -2, true);
    new DataView(bytes.buffer).setInt16(h.length + 2, 300, true);
    expect([...readClip(bytes)]).toEqual([-2, 300]);
  });

  it('refuses a clip in another format, saying how to convert it', () => {
    const stereo = header({ rate: 44100, channels: 2, dataSize: 0 });
    expect(() => readClip(stereo)).toThrow(ClipFormatError);
    try {
      checkVoiceFormat(parseWav(stereo));
    } catch (e) {
      expect((e as ClipFormatError).code).toBe('UNSUPPORTED_FORMAT');
      expect((e as Error).message).toContain('sox in.wav -r 22050 -c 1 -b 16');
    }
    expect(() => readClip(header({ bits: 8, dataSize: 0 }))).toThrow(/8-bit/);
    expect(() => readClip(new TextEncoder().encode('not a wav at all'))).toThrow(/RIFF/);
    expect(() => parseWav(header({}).slice(0, 36))).toThrow(ClipFormatError);
  });

  it('makes pauses and joins clips sample for sample', () => {
    expect(silence(100).length).toBe(2205);
    expect([...concatSamples([Int16Array.from([1, 2]), new Int16Array(2), Int16Array.from([3])])]).toEqual([
      1, 2, 0, 0, 3,
    ]);
  });
});
