import { crc16modbus } from './crc16.ts';

/**
 * Nextup LED bus v1 framing (hardware/led-bus.md, "Framing"). On the wire:
 *
 *   STX | ADDR SEQ CMD LEN PAYLOAD… CRC_LO CRC_HI | ETX      (the part between STX and ETX is escaped)
 *
 * The three framing bytes never appear inside a frame: any of STX, ETX or DLE in the body is sent as
 * DLE followed by the byte XOR 0x20. So a receiver that sees STX knows, whatever came before, that a
 * frame starts here: it resynchronises after garbage in one byte, without backtracking.
 */
export const STX = 0x02;
export const ETX = 0x03;
export const DLE = 0x10;
const ESCAPE_XOR = 0x20;

/** ADDR SEQ CMD LEN + CRC_LO CRC_HI: the body bytes around the payload. */
export const BODY_OVERHEAD = 6;
export const MAX_PAYLOAD = 255;
/** The longest a body can be once unescaped. */
export const MAX_BODY = BODY_OVERHEAD + MAX_PAYLOAD;

export interface Frame {
  /** 0 = broadcast; 1–247 a device. */
  address: number;
  /** 0–255; a retry repeats it so the device can tell a repeat from a new request. */
  seq: number;
  command: number;
  payload: Uint8Array;
}

const needsEscape = (b: number) => b === STX || b === ETX || b === DLE;

/** The frame as bytes on the wire. Throws a TypeError naming the bad field. */
export function encodeFrame(frame: Frame): Uint8Array {
  const { address, seq, command, payload } = frame;
  for (const [name, v] of [
    ['address', address],
    ['seq', seq],
    ['command', command],
  ] as const)
    if (!Number.isInteger(v) || v < 0 || v > 255)
      throw new TypeError(`frame ${name} must be 0–255, got ${v}`);
  if (payload.length > MAX_PAYLOAD)
    throw new TypeError(`frame payload is ${payload.length} bytes; the limit is ${MAX_PAYLOAD}`);
  const body = new Uint8Array(BODY_OVERHEAD + payload.length);
  body[0] = address;
  body[1] = seq;
  body[2] = command;
  body[3] = payload.length;
  body.set(payload, 4);
  const crc = crc16modbus(body, 0, 4 + payload.length);
  body[4 + payload.length] = crc & 0xff; // CRC little-endian, as Modbus RTU sends it
  body[5 + payload.length] = crc >>> 8;
  const out: number[] = [STX];
  for (const b of body) {
    if (needsEscape(b)) out.push(DLE, b ^ ESCAPE_XOR);
    else out.push(b);
  }
  out.push(ETX);
  return Uint8Array.from(out);
}

/** Why bytes were thrown away. */
export type RejectReason =
  /** Bytes outside any frame (line noise, a reply from a board we did not ask, a half frame). */
  | 'NOISE'
  /** A new STX came before the ETX: the frame was cut off. */
  | 'TRUNCATED'
  /** DLE followed by anything but 0x22, 0x23 or 0x30. */
  | 'BAD_ESCAPE'
  /** More bytes than the longest possible frame without an ETX. */
  | 'TOO_LONG'
  /** LEN disagrees with the number of bytes between STX and ETX (or too short to hold a frame). */
  | 'BAD_LENGTH'
  /** The CRC does not match. */
  | 'BAD_CRC';

export type DecodeEvent =
  | { ok: true; frame: Frame }
  | {
      ok: false;
      reason: RejectReason;
      /** Wire bytes thrown away. */
      bytes: number;
      /** For BAD_CRC: the address and sequence the frame claims (untrusted), so a device can NAK it. */
      claimed?: { address: number; seq: number; command: number };
    };

/**
 * The v1 receiver as a pure state machine: push bytes in any chunks, get frames and rejections out.
 * Never throws on input, holds at most one frame's bytes, and a valid frame after any garbage is
 * always decoded (the STX rule above).
 */
export class FrameDecoder {
  private body = new Uint8Array(MAX_BODY);
  private len = 0;
  /** Wire bytes of the frame being read (escapes counted twice). */
  private wire = 0;
  private inFrame = false;
  private escaped = false;
  private noise = 0;

  push(chunk: Uint8Array): DecodeEvent[] {
    const out: DecodeEvent[] = [];
    for (const b of chunk) {
      if (b === STX) {
        this.flushNoise(out);
        if (this.inFrame) out.push({ ok: false, reason: 'TRUNCATED', bytes: this.wire });
        this.start();
        continue;
      }
      if (!this.inFrame) {
        this.noise += 1;
        continue;
      }
      this.wire += 1;
      if (b === ETX) {
        out.push(this.finish());
        this.inFrame = false;
        continue;
      }
      let v = b;
      if (this.escaped) {
        this.escaped = false;
        v = b ^ ESCAPE_XOR;
        if (!needsEscape(v)) {
          out.push({ ok: false, reason: 'BAD_ESCAPE', bytes: this.wire });
          this.inFrame = false;
          continue;
        }
      } else if (b === DLE) {
        this.escaped = true;
        continue;
      }
      if (this.len >= MAX_BODY) {
        out.push({ ok: false, reason: 'TOO_LONG', bytes: this.wire });
        this.inFrame = false;
        continue;
      }
      this.body[this.len++] = v;
    }
    this.flushNoise(out);
    return out;
  }

  /** Bytes held for an unfinished frame (for diagnostics). */
  get pending(): number {
    return this.inFrame ? this.wire : 0;
  }

  private start() {
    this.inFrame = true;
    this.escaped = false;
    this.len = 0;
    this.wire = 1;
  }

  private flushNoise(out: DecodeEvent[]) {
    if (this.noise > 0) out.push({ ok: false, reason: 'NOISE', bytes: this.noise });
    this.noise = 0;
  }

  private finish(): DecodeEvent {
    const n = this.len;
    const b = this.body;
    if (this.escaped || n < BODY_OVERHEAD || b[3]! !== n - BODY_OVERHEAD)
      return { ok: false, reason: 'BAD_LENGTH', bytes: this.wire };
    const crc = b[n - 2]! | (b[n - 1]! << 8);
    if (crc !== crc16modbus(b, 0, n - 2))
      return {
        ok: false,
        reason: 'BAD_CRC',
        bytes: this.wire,
        claimed: { address: b[0]!, seq: b[1]!, command: b[2]! },
      };
    return {
      ok: true,
      frame: { address: b[0]!, seq: b[1]!, command: b[2]!, payload: b.slice(4, n - 2) },
    };
  }
}

/** Hex dump as the docs and fixtures write it: upper-case pairs separated by spaces. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

/** Parses "02 03 A0 …" (any whitespace, `#` comments to end of line). Throws on anything else. */
export function fromHex(text: string): Uint8Array {
  const clean = text
    .split('\n')
    .map((l) => l.replace(/#.*/, ''))
    .join(' ')
    .trim();
  if (clean === '') return new Uint8Array(0);
  return Uint8Array.from(
    clean.split(/\s+/).map((h) => {
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new TypeError(`not a hex byte: ${h}`);
      return Number.parseInt(h, 16);
    }),
  );
}
