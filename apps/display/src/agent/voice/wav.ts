/**
 * The one audio format of the clip set: WAV, PCM, 22 050 Hz, mono, 16-bit little-endian. espeak-ng
 * speaks at 22 050 Hz natively and speech needs no more; one format means an announcement is the
 * plain concatenation of its clips' samples, with no resampling in the agent.
 */
export const VOICE_FORMAT = { sampleRate: 22_050, channels: 1, bitsPerSample: 16 } as const;

export type ClipErrorCode = 'NOT_WAV' | 'UNSUPPORTED_FORMAT' | 'NO_DATA';

export class ClipFormatError extends Error {
  readonly code: ClipErrorCode;
  constructor(code: ClipErrorCode, message: string) {
    super(message);
    this.name = 'ClipFormatError';
    this.code = code;
  }
}

export interface WavInfo {
  /** 1 = integer PCM. */
  audioFormat: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
}

export interface Wav extends WavInfo {
  /** The samples when the format is 16-bit PCM (interleaved if more than one channel). */
  samples: Int16Array;
}

/** WAV is little-endian; on a little-endian host (x86, ARM) samples are copied as bytes, not one by one. */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const ascii = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

/**
 * Reads a RIFF/WAVE file: the `fmt ` and `data` chunks, skipping any other (LIST, fact…). A data
 * chunk whose size is 0 or runs past the end (a writer that streamed to a pipe, as `espeak-ng
 * --stdout` does, cannot go back to fill it in) is taken to the end of the bytes.
 */
export function parseWav(bytes: Uint8Array): Wav {
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE')
    throw new ClipFormatError('NOT_WAV', 'not a RIFF/WAVE file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let info: WavInfo | null = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    let size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new ClipFormatError('NOT_WAV', 'short fmt chunk');
      info = {
        audioFormat: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!info) throw new ClipFormatError('NOT_WAV', 'data chunk before fmt chunk');
      if (size === 0 || body + size > bytes.length) size = bytes.length - body;
      if (info.audioFormat !== 1 || info.bitsPerSample !== 16) return { ...info, samples: new Int16Array(0) };
      const n = Math.floor(size / 2);
      const samples = new Int16Array(n);
      if (LITTLE_ENDIAN_HOST) new Uint8Array(samples.buffer).set(bytes.subarray(body, body + 2 * n));
      else for (let i = 0; i < n; i++) samples[i] = view.getInt16(body + 2 * i, true);
      return { ...info, samples };
    }
    // Chunks are padded to an even length.
    at = body + size + (size % 2);
  }
  throw new ClipFormatError('NO_DATA', 'no data chunk');
}

/** Throws unless the WAV is exactly the clip format (22 050 Hz mono 16-bit PCM). */
export function checkVoiceFormat(w: WavInfo, what = 'clip'): void {
  const f = VOICE_FORMAT;
  if (
    w.audioFormat !== 1 ||
    w.sampleRate !== f.sampleRate ||
    w.channels !== f.channels ||
    w.bitsPerSample !== f.bitsPerSample
  )
    throw new ClipFormatError(
      'UNSUPPORTED_FORMAT',
      `${what} is ${w.audioFormat === 1 ? 'PCM' : `format ${w.audioFormat}`} ${w.sampleRate} Hz, ` +
        `${w.channels} channel(s), ${w.bitsPerSample}-bit; clips must be PCM ${f.sampleRate} Hz mono ` +
        `${f.bitsPerSample}-bit (sox in.wav -r ${f.sampleRate} -c 1 -b 16 -e signed-integer out.wav)`,
    );
}

/** Parses and checks a clip; returns its samples. */
export function readClip(bytes: Uint8Array, what = 'clip'): Int16Array {
  const w = parseWav(bytes);
  checkVoiceFormat(w, what);
  return w.samples;
}

export function silence(ms: number, sampleRate: number = VOICE_FORMAT.sampleRate): Int16Array {
  return new Int16Array(Math.round((ms * sampleRate) / 1000));
}

export function concatSamples(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function durationMs(
  samples: Int16Array | number,
  sampleRate: number = VOICE_FORMAT.sampleRate,
): number {
  const n = typeof samples === 'number' ? samples : samples.length;
  return (n * 1000) / sampleRate;
}

/** A canonical 44-byte-header WAV of mono 16-bit samples. */
export function encodeWav(samples: Int16Array, sampleRate: number = VOICE_FORMAT.sampleRate): Uint8Array {
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  put(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true); // byte rate
  v.setUint16(32, 2, true); // block align
  v.setUint16(34, 16, true);
  put(36, 'data');
  v.setUint32(40, dataBytes, true);
  if (LITTLE_ENDIAN_HOST) out.set(new Uint8Array(samples.buffer, samples.byteOffset, dataBytes), 44);
  else for (let i = 0; i < samples.length; i++) v.setInt16(44 + 2 * i, samples[i]!, true);
  return out;
}
