import { crc32, deflateSync } from 'node:zlib';
import qrcode from 'qrcode-generator';

/** Pixels per QR module, and the white border in modules, of the check-in code's image. */
const SCALE = 6;
const MARGIN = 2;

/**
 * The check-in code as a PNG data URL, for the customer's phone or a printed confirmation: error
 * correction M (as the printed ticket), the smallest version that holds the text, black modules on
 * white. Encoded with qrcode-generator, the QR library the printer and the kiosk already use; the
 * PNG is written here (8-bit greyscale, one IDAT) because that library only makes GIFs.
 */
export function qrPngDataUrl(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const modules = qr.getModuleCount();
  const side = (modules + 2 * MARGIN) * SCALE;
  // Each row: filter type 0 (None), then one byte a pixel, 0x00 black, 0xFF white.
  const raw = Buffer.alloc(side * (side + 1), 0xff);
  for (let y = 0; y < side; y++) {
    const row = y * (side + 1);
    raw[row] = 0;
    const r = Math.floor(y / SCALE) - MARGIN;
    if (r < 0 || r >= modules) continue;
    for (let x = 0; x < side; x++) {
      const c = Math.floor(x / SCALE) - MARGIN;
      if (c >= 0 && c < modules && qr.isDark(r, c)) raw[row + 1 + x] = 0;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type 0: greyscale
  // compression 0, filter 0, interlace 0 (bytes 10-12 stay zero)
  const png = Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** PNG file signature (PNG spec §5.2). */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One PNG chunk: length, type, data, CRC-32 of type + data (PNG spec §5.3). */
function chunk(type: string, data: Buffer): Buffer {
  const typeBytes = Buffer.from(type, 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([typeBytes, data])) >>> 0, 0);
  return Buffer.concat([length, typeBytes, data, crc]);
}
