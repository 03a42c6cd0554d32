import qrcode from 'qrcode-generator';
import { type Bitmap, createBitmap, fillRect } from './bitmap.ts';

export type QrEcc = 'L' | 'M' | 'Q' | 'H';

/** Byte-mode capacity of the largest symbol (version 40) at each level. */
const MAX_BYTES: Record<QrEcc, number> = { L: 2953, M: 2331, Q: 1663, H: 1273 };

/**
 * A QR symbol as dots, `moduleDots` dots a module, without a quiet zone (a printer prints the bare
 * symbol; the white paper around it is the quiet zone). The smallest version that holds the data
 * is chosen, as a printer's own QR encoder does. Returns null when the data cannot fit a symbol.
 */
export function qrBitmap(payload: Uint8Array, moduleDots: number, ecc: QrEcc): Bitmap | null {
  if (payload.length === 0 || payload.length > MAX_BYTES[ecc]) return null;
  const qr = qrcode(0, ecc);
  // Byte mode: qrcode-generator turns each char code into one byte, so a latin1 string is the bytes.
  qr.addData(String.fromCharCode(...payload), 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const bm = createBitmap(n * moduleDots, n * moduleDots);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.isDark(r, c)) fillRect(bm, c * moduleDots, r * moduleDots, moduleDots, moduleDots);
  return bm;
}
