import { createCanvas } from '@napi-rs/canvas';
import { charColumns } from '../text.ts';
import { type Bitmap, blit, createBitmap, fillRect, scaleBitmap } from './bitmap.ts';

/**
 * The printer's font as dots: font A is a 12 × 24 cell for ASCII and 24 × 24 for a Chinese
 * character. We draw each character into its cell with a CJK font (Noto Sans Mono CJK, installed
 * by scripts/setup-system.sh) and keep the dots that are more than half black, which is what a
 * bitmap printer font looks like. Both the raster-Chinese driver path and the virtual printer's
 * picture use these glyphs, so a raster line can be checked dot for dot.
 */
export const CELL_HEIGHT = 24;
export const HALF_WIDTH = 12;

const FONT_FAMILY = '"Noto Sans Mono CJK SC", "Noto Sans CJK SC", "Noto Sans Mono", monospace';
const cache = new Map<string, Bitmap>();

/** The glyph of one character at size 1, bold or not: 12 or 24 dots wide, 24 tall. */
export function glyph(ch: string, bold = false): Bitmap {
  const key = `${bold ? 'b' : 'r'}${ch}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const w = charColumns(ch) * HALF_WIDTH;
  const h = CELL_HEIGHT;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.font = `${bold ? 'bold ' : ''}${h}px ${FONT_FAMILY}`;
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = '#000';
  const m = ctx.measureText(ch);
  // Centre the glyph in its cell; the baseline sits where a 24-dot printer font has it.
  ctx.fillText(ch, Math.round((w - m.width) / 2), 21);
  const img = ctx.getImageData(0, 0, w, h).data;
  const bm = createBitmap(w, h);
  for (let i = 0; i < w * h; i++) bm.dots[i] = (img[i * 4 + 3] ?? 0) >= 128 ? 1 : 0;
  if (cache.size > 20_000) cache.clear();
  cache.set(key, bm);
  return bm;
}

/** A stretch of text with one set of character attributes. */
export interface TextRun {
  text: string;
  /** GS ! width magnification, 1–8. */
  width: number;
  /** GS ! height magnification, 1–8. */
  height: number;
  bold: boolean;
  /** ESC - underline thickness in dots: 0, 1 or 2. */
  underline: number;
}

/** Dots wide of a run of text. */
export function runWidth(run: TextRun): number {
  let w = 0;
  for (const ch of run.text) w += charColumns(ch) * HALF_WIDTH * run.width;
  return w;
}

/** Dots a printed line advances the paper: the line spacing, or the tallest character if taller. */
export function lineAdvance(runs: readonly TextRun[], lineSpacing: number): number {
  let tallest = 0;
  for (const r of runs) if (r.text.length > 0) tallest = Math.max(tallest, CELL_HEIGHT * r.height);
  return Math.max(lineSpacing, tallest);
}

/**
 * Draws runs side by side from (x, y), characters standing on a common bottom line the way a
 * printer lines up a double-height character with normal ones.
 */
export function drawRuns(dst: Bitmap, runs: readonly TextRun[], x: number, y: number): void {
  let tallest = 0;
  for (const r of runs) if (r.text.length > 0) tallest = Math.max(tallest, CELL_HEIGHT * r.height);
  let cx = x;
  for (const run of runs) {
    const top = y + tallest - CELL_HEIGHT * run.height;
    for (const ch of run.text) {
      const g = scaleBitmap(glyph(ch, run.bold), run.width, run.height);
      blit(dst, g, cx, top);
      if (run.underline > 0) fillRect(dst, cx, top + g.height - run.underline, g.width, run.underline);
      cx += g.width;
    }
  }
}

/**
 * One line of text as a raster image, as the raster-Chinese mode sends it: as wide as the text
 * (rounded up to whole bytes) and as tall as the line advance, so that raster lines and text lines
 * take the same paper.
 */
export function renderLine(runs: readonly TextRun[], lineSpacing: number): Bitmap {
  let w = 0;
  for (const r of runs) w += runWidth(r);
  const bm = createBitmap(Math.max(8, Math.ceil(w / 8) * 8), lineAdvance(runs, lineSpacing));
  drawRuns(bm, runs, 0, 0);
  return bm;
}
