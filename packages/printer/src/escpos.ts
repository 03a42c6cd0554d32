/**
 * The ESC/POS bytes Nextup sends or understands, in one place, each with its hex. The ticket is
 * built with node-thermal-printer's own commands where it has them (alignment, bold, line spacing,
 * text, native QR, cut); the commands it lacks or gets wrong (ESC @ it does not declare, FS &, GS !,
 * GB18030 text, GS v 0 raster, ESC J) are these bytes, handed to its buffer with its `add()`
 * (ticket.ts); the real-time status commands (DLE EOT, GS r) go straight to the transport
 * (printer.ts). The virtual printer decodes the same set. Written down for people in
 * hardware/escpos.md §6.
 */

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

/** ESC @ (1B 40): initialise — clears the print buffer and resets every mode (Chinese mode too). */
export const INIT = Uint8Array.of(ESC, 0x40);
/** FS & (1C 26): select Chinese (Kanji) character mode; bytes 0x81–0xFE then start GB18030 characters. */
export const CHINESE_ON = Uint8Array.of(FS, 0x26);

/** ESC J n (1B 4A n): feed n dots (1/8 mm each at 203 dpi) without printing: a gap between blocks. */
export function feedDots(n: number): Uint8Array {
  return Uint8Array.of(ESC, 0x4a, n);
}

/** DLE EOT n (10 04 n): real-time status, answered at once with one byte even while printing stops. */
export function realtimeStatus(n: 1 | 2 | 3 | 4): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

/**
 * GS r 1 (1D 72 01): transmit paper sensor status. Unlike DLE EOT this waits its turn in the print
 * buffer, so its reply means "everything sent before me has been processed": the driver's
 * end-of-ticket confirmation.
 */
export const TRANSMIT_PAPER_STATUS = Uint8Array.of(GS, 0x72, 0x01);

/**
 * GS ! n (1D 21 n): character size, width and height each 1–8. Bits 4–6 are the width, bits 0–2 the
 * height. (node-thermal-printer's `setTextSize(height, width)` puts its first argument in the high
 * nibble, i.e. the width; we write the byte ourselves so the names mean what they say.)
 */
export function charSize(width: number, height: number): Uint8Array {
  const w = Math.min(8, Math.max(1, Math.round(width))) - 1;
  const h = Math.min(8, Math.max(1, Math.round(height))) - 1;
  return Uint8Array.of(GS, 0x21, (w << 4) | h);
}

/**
 * GS v 0 m xL xH yL yH d1…dk (1D 76 30 00 …): print a raster bit image, `widthBytes` × 8 dots wide,
 * `height` dots tall, one bit per dot, MSB leftmost, 1 = black.
 */
export function rasterImage(widthBytes: number, height: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length);
  out.set([
    GS,
    0x76,
    0x30,
    0x00,
    widthBytes & 0xff,
    (widthBytes >> 8) & 0xff,
    height & 0xff,
    (height >> 8) & 0xff,
  ]);
  out.set(data, 8);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Hex text, two digits a byte, `perLine` bytes a line (the golden fixtures' format). */
export function toHex(bytes: Uint8Array, perLine = 32): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    lines.push(Array.from(bytes.subarray(i, i + perLine), (b) => b.toString(16).padStart(2, '0')).join(' '));
  }
  return lines.join('\n');
}

/** Parses hex text back to bytes; `#` starts a comment that runs to the end of the line. */
export function fromHex(text: string): Uint8Array {
  const clean = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join(' ')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new TypeError('fromHex: not an even run of hex digits');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
