import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { qrPngDataUrl } from './qr-png.ts';

function decode(dataUrl: string): { text: string | null; width: number } {
  expect(dataUrl.startsWith('data:image/png;base64,')).toBe(true);
  const png = PNG.sync.read(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  return { text: found?.data ?? null, width: png.width };
}

describe("the check-in code's QR image", () => {
  it('is a PNG that a QR reader decodes back to the code', () => {
    expect(decode(qrPngDataUrl('48151623')).text).toBe('48151623');
  });

  it('scans for a longer text too, 6 px a module with a 2-module border', () => {
    const text = 'https://bank.example/checkin/48151623?branch=zgc';
    const { text: read, width } = decode(qrPngDataUrl(text));
    expect(read).toBe(text);
    expect(width % 6).toBe(0);
    // Version n has 17 + 4n modules; 4 more for the border.
    expect((width / 6 - 4 - 17) % 4).toBe(0);
  });
});
