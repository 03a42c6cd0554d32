import { PNG } from 'pngjs';

/** A black-and-white dot image, one byte a dot (1 = black), row by row: what a thermal head prints. */
export interface Bitmap {
  width: number;
  height: number;
  dots: Uint8Array;
}

export function createBitmap(width: number, height: number): Bitmap {
  return { width, height, dots: new Uint8Array(Math.max(0, width * height)) };
}

/** ORs `src` onto `dst` with its top-left corner at (x, y); what falls outside is dropped. */
export function blit(dst: Bitmap, src: Bitmap, x: number, y: number): void {
  for (let sy = 0; sy < src.height; sy++) {
    const dy = y + sy;
    if (dy < 0 || dy >= dst.height) continue;
    for (let sx = 0; sx < src.width; sx++) {
      const dx = x + sx;
      if (dx < 0 || dx >= dst.width) continue;
      if (src.dots[sy * src.width + sx]) dst.dots[dy * dst.width + dx] = 1;
    }
  }
}

/** Nearest-neighbour enlargement by whole factors, as a printer enlarges its font (GS !). */
export function scaleBitmap(src: Bitmap, fx: number, fy: number): Bitmap {
  if (fx === 1 && fy === 1) return src;
  const out = createBitmap(src.width * fx, src.height * fy);
  for (let y = 0; y < out.height; y++) {
    const sy = Math.floor(y / fy);
    for (let x = 0; x < out.width; x++)
      out.dots[y * out.width + x] = src.dots[sy * src.width + Math.floor(x / fx)]!;
  }
  return out;
}

/** Fills a rectangle with black (underlines, QR modules). */
export function fillRect(dst: Bitmap, x: number, y: number, w: number, h: number): void {
  for (let yy = Math.max(0, y); yy < Math.min(dst.height, y + h); yy++)
    for (let xx = Math.max(0, x); xx < Math.min(dst.width, x + w); xx++) dst.dots[yy * dst.width + xx] = 1;
}

/**
 * The GS v 0 data of a bitmap: rows of ⌈width/8⌉ bytes, most significant bit leftmost, 1 = black.
 */
export function toRasterBytes(bm: Bitmap): { widthBytes: number; data: Uint8Array } {
  const widthBytes = Math.ceil(bm.width / 8);
  const data = new Uint8Array(widthBytes * bm.height);
  for (let y = 0; y < bm.height; y++)
    for (let x = 0; x < bm.width; x++)
      if (bm.dots[y * bm.width + x]) data[y * widthBytes + (x >> 3)]! |= 0x80 >> (x & 7);
  return { widthBytes, data };
}

/** The inverse of `toRasterBytes`: GS v 0 data back to dots. */
export function fromRasterBytes(widthBytes: number, height: number, data: Uint8Array): Bitmap {
  const bm = createBitmap(widthBytes * 8, height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < bm.width; x++)
      if ((data[y * widthBytes + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) bm.dots[y * bm.width + x] = 1;
  return bm;
}

/** Whether two bitmaps have the same size and dots. */
export function sameBitmap(a: Bitmap, b: Bitmap): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  for (let i = 0; i < a.dots.length; i++) if (a.dots[i] !== b.dots[i]) return false;
  return true;
}

/**
 * A grayscale PNG of the bitmap, dots black on white paper, with `margin` white dots around it
 * (a QR reader needs its quiet zone).
 */
export function toPng(bm: Bitmap, margin = 0): Buffer {
  const width = bm.width + 2 * margin;
  const height = bm.height + 2 * margin;
  const png = new PNG({
    width: Math.max(1, width),
    height: Math.max(1, height),
    colorType: 0,
    inputColorType: 0,
    inputHasAlpha: false,
  });
  const gray = Buffer.alloc(Math.max(1, width) * Math.max(1, height), 0xff);
  for (let y = 0; y < bm.height; y++)
    for (let x = 0; x < bm.width; x++)
      if (bm.dots[y * bm.width + x]) gray[(y + margin) * width + x + margin] = 0;
  png.data = gray;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}
