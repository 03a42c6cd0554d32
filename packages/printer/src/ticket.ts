import ntp from 'node-thermal-printer';
import { CHINESE_ON, charSize, feedDots, INIT, rasterImage } from './escpos.ts';
import { createBitmap, fillRect, toRasterBytes } from './render/bitmap.ts';
import { renderLine, type TextRun } from './render/glyphs.ts';
import { qrBitmap } from './render/qr.ts';
import { encodeGb18030, isAscii, printable, textColumns, wrapText } from './text.ts';

export interface Bilingual {
  zh: string;
  en: string;
}

/** Everything printed on a queue ticket. The kiosk fills it from the hub's answer to IssueTicket. */
export interface TicketPrintJob {
  branch: Bilingual;
  service: Bilingual;
  /** The ticket number, printed large, e.g. "A023". */
  number: string;
  /**
   * The customer's words about the wait, as core's `waitWords` says them on every screen ("您前面还有
   * 3 人", "预计等候 10–15 分钟", "暂无窗口开放，3号窗口预计约 13:00 恢复；…", and why some go first):
   * the paper says what the kiosk's screen and the phone say, from one computation. null prints none.
   */
  wait: { ahead: Bilingual; wait: Bilingual; note: Bilingual | null } | null;
  /** When the ticket was issued, as local time text, e.g. "2026-11-23 09:41". */
  issuedAt: string;
  /** The follow page of this ticket (http or https), printed as a QR code. */
  followUrl: string;
  /** The service's hint ("please fill in form X while you wait"), or null. */
  hint: Bilingual | null;
  footer: Bilingual;
  /** The customer's language: its lines come first and bold. */
  language: 'zh' | 'en';
}

export type PaperWidth = 80 | 58;

export interface PaperSpec {
  widthMm: PaperWidth;
  /** Font A half-width columns a line holds. */
  columns: number;
  /** Printable dots across (203 dpi, 8 dots/mm). */
  dots: number;
}

export function paperSpec(width: PaperWidth): PaperSpec {
  return width === 58 ? { widthMm: 58, columns: 32, dots: 384 } : { widthMm: 80, columns: 48, dots: 576 };
}

/** How a printer is set up for tickets (a per-printer setting in the branch configuration). */
export interface TicketLayoutOptions {
  /** Paper roll width in mm: 80 (48 columns, 576 dots) or 58 (32 columns, 384 dots). Default 80. */
  paperWidth?: PaperWidth;
  /**
   * How Chinese is printed. 'native': the printer's Chinese mode (FS &) and GB18030 bytes — small and
   * fast, needs a printer with a Chinese font (Chinese-market models). 'raster': every line that has
   * Chinese is drawn here and sent as an image (GS v 0) — works on any printer, about 1 KB a line,
   * so slow on a 9600-baud serial line. Default 'native'.
   */
  chinese?: 'native' | 'raster';
  /** The QR code: 'native' (GS ( k, the printer encodes it) or 'raster' (drawn here). Default 'native'. */
  qr?: 'native' | 'raster';
  /**
   * QR module size in dots. Default 5 (0.625 mm at 203 dpi: a follow URL of ~45 characters makes a
   * 21 mm symbol that a phone reads from arm's length).
   */
  qrModuleDots?: number;
}

/** Line spacing the ticket sets (ESC 3 30): 30 dots = 3.75 mm a line. */
export const LINE_SPACING = 30;

/** Between the ticket's groups, a feed of a few dots (ESC J n) rather than a blank line of 30. */
const GAP = 8;
/** Around the QR code: with the text lines' own leading, about 4 modules of quiet zone. */
const QR_GAP = 14;

/** One line of the ticket, before it becomes bytes. */
type Block =
  | { kind: 'text'; runs: TextRun[]; align: 'left' | 'center' }
  /** ESC J n: feed n dots. */
  | { kind: 'gap'; dots: number }
  /** A thin dotted rule across the paper (a 2-dot raster image). */
  | { kind: 'rule' }
  | { kind: 'qr'; url: string };

/** The ticket's bytes and what a printer should print from them. */
export interface TicketBytes {
  bytes: Uint8Array;
  /**
   * The ticket as the virtual printer decodes it, line by line: text lines as text, a QR code as
   * `[QR <payload>]`, a raster line as `[image <w>x<h>]`.
   */
  lines: string[];
  /** How many lines went as raster images (raster Chinese mode). */
  rasterLines: number;
}

/**
 * Builds the ESC/POS bytes of a ticket with node-thermal-printer, adding raw bytes where it has no
 * command (FS &, GB18030 text, GS !, raster). Text-first: only the QR code (and, in raster mode, the
 * Chinese lines) are images.
 */
export function buildTicket(job: TicketPrintJob, options: TicketLayoutOptions = {}): TicketBytes {
  const paper = paperSpec(options.paperWidth ?? 80);
  const chinese = options.chinese ?? 'native';
  const qrMode = options.qr ?? 'native';
  const moduleDots = options.qrModuleDots ?? 5;
  if (!Number.isInteger(moduleDots) || moduleDots < 1 || moduleDots > 8)
    throw new TypeError(`qrModuleDots must be a whole number from 1 to 8; got ${options.qrModuleDots}`);
  const url = normaliseUrl(job.followUrl);
  const blocks = layout(job, paper, url);

  const printer = new ntp.ThermalPrinter({
    type: ntp.PrinterTypes.EPSON,
    // Builder only: we take getBuffer() and send it through our own transport, which reads status
    // before and after; the library's interfaces have no serial port and no status read. An empty
    // interface string is the library's own builder mode: its constructor creates an interface only
    // for a non-empty one (lib/core.js), so execute() could only throw "No interface!".
    interface: '',
    width: paper.columns,
    breakLine: ntp.BreakLine.NONE,
    removeSpecialCharacters: false,
  });
  // ESC @ (the library has initHardware() but does not declare it), then FS &: Chinese mode is
  // reset by every ESC @, so it is selected again after each one.
  printer.add(Buffer.from(INIT));
  if (chinese === 'native') printer.add(Buffer.from(CHINESE_ON));
  printer.setLineSpacing(LINE_SPACING); // ESC 3 30

  const lines: string[] = [];
  let rasterLines = 0;
  let align: 'left' | 'center' | null = null;
  const setAlign = (a: 'left' | 'center') => {
    if (a === align) return;
    if (a === 'center') printer.alignCenter();
    else printer.alignLeft();
    align = a;
  };

  for (const block of blocks) {
    if (block.kind === 'gap') {
      printer.add(Buffer.from(feedDots(block.dots))); // ESC J n
      continue;
    }
    if (block.kind === 'rule') {
      setAlign('center');
      const bm = createBitmap(paper.dots, 2);
      for (let x = 0; x < paper.dots; x += 8) fillRect(bm, x, 0, 4, 2);
      const { widthBytes, data } = toRasterBytes(bm);
      printer.add(Buffer.from(rasterImage(widthBytes, bm.height, data)));
      lines.push(`[image ${bm.width}x${bm.height}]`);
      continue;
    }
    if (block.kind === 'qr') {
      setAlign('center');
      if (qrMode === 'native') {
        printer.printQR(block.url, { model: 2, cellSize: moduleDots, correction: 'M' });
        lines.push(`[QR ${block.url}]`);
      } else {
        const bm = qrBitmap(new TextEncoder().encode(block.url), moduleDots, 'M');
        if (!bm) throw new TypeError(`followUrl is too long for a QR code (${block.url.length} characters)`);
        const { widthBytes, data } = toRasterBytes(bm);
        printer.add(Buffer.from(rasterImage(widthBytes, bm.height, data)));
        lines.push(`[image ${widthBytes * 8}x${bm.height}]`);
      }
      continue;
    }
    setAlign(block.align);
    const text = block.runs.map((r) => r.text).join('');
    if (chinese === 'raster' && !isAscii(text)) {
      const bm = renderLine(block.runs, LINE_SPACING);
      const { widthBytes, data } = toRasterBytes(bm);
      printer.add(Buffer.from(rasterImage(widthBytes, bm.height, data)));
      lines.push(`[image ${bm.width}x${bm.height}]`);
      rasterLines++;
      continue;
    }
    for (const run of block.runs) {
      const styled = run.width !== 1 || run.height !== 1;
      if (styled) printer.add(Buffer.from(charSize(run.width, run.height))); // GS ! n
      if (run.bold) printer.bold(true); // ESC E 1
      if (isAscii(run.text)) printer.print(run.text);
      else printer.add(Buffer.from(encodeGb18030(run.text)));
      if (run.bold) printer.bold(false); // ESC E 0
      if (styled) printer.add(Buffer.from(charSize(1, 1)));
    }
    printer.newLine();
    lines.push(text.trimEnd());
  }
  // ESC d 4 (feed 4 lines, ~15 mm: the last line clears the cutter), GS V 0 (full cut), then the
  // library's ESC @, which drops Chinese mode; nothing follows it in this ticket. The library's
  // default of two ESC d 4 wastes 30 mm of paper a ticket.
  printer.cut({ verticalTabAmount: 1 });
  return { bytes: new Uint8Array(printer.getBuffer()), lines, rasterLines };
}

function normaliseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TypeError(`followUrl is not an absolute URL: ${JSON.stringify(raw)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new TypeError(`followUrl must be http or https; got ${JSON.stringify(raw)}`);
  // href is ASCII (punycode host, percent-encoded path), which node-thermal-printer's printQR needs:
  // it counts the store length in UTF-16 units.
  return u.href;
}

const run = (text: string, o: Partial<Omit<TextRun, 'text'>> = {}): TextRun => ({
  text,
  width: o.width ?? 1,
  height: o.height ?? 1,
  bold: o.bold ?? false,
  underline: o.underline ?? 0,
});

/**
 * The ticket's lines in order, wrapped to the paper (hardware/escpos.md §2.2). About 95 mm on 80 mm
 * paper: the customer's language bold and first, the other language after it on the same line
 * where both fit ("您前面还有 5 人 · 5 people ahead of you"), a few dots between groups instead of
 * blank lines, the hint in the customer's language only (it is the longest text, and the kiosk
 * showed it to them in that language).
 */
function layout(job: TicketPrintJob, paper: PaperSpec, url: string): Block[] {
  const P = job.language;
  const S = P === 'zh' ? 'en' : 'zh';
  const cols = paper.columns;
  const out: Block[] = [];
  const para = (text: string, align: 'left' | 'center', o: Partial<Omit<TextRun, 'text'>> = {}) => {
    const w = o.width ?? 1;
    for (const line of wrapText(printable(text), Math.floor(cols / w)))
      out.push({ kind: 'text', runs: [run(line, o)], align });
  };
  /** Both languages: on one line when they fit, else the customer's first, each wrapped. */
  const both = (t: Bilingual, align: 'left' | 'center') => {
    const first = printable(t[P].trim());
    const second = printable(t[S].trim());
    if (first && second && textColumns(`${first} · ${second}`) <= cols) {
      out.push({ kind: 'text', runs: [run(first, { bold: true }), run(` · ${second}`)], align });
      return;
    }
    if (first) para(first, align, { bold: true });
    if (second) para(second, align);
  };
  const gap = (dots = GAP) => out.push({ kind: 'gap', dots });

  both(job.branch, 'center');
  gap();
  // The service in the customer's language at double size (double height only, when a long name
  // would otherwise take two lines of it), the other language below.
  const service = printable(job.service[P].trim());
  if (service) {
    const width = textColumns(service) <= Math.floor(cols / 2) ? 2 : 1;
    para(service, 'center', { width, height: 2, bold: true });
  }
  if (job.service[S].trim()) para(job.service[S], 'center');
  gap();
  // The number as large as the paper allows (4 × 4 = 48 × 96 dots a character).
  const numberCols = textColumns(job.number);
  const mag = Math.max(1, Math.min(4, Math.floor(cols / Math.max(1, numberCols))));
  para(job.number, 'center', { width: mag, height: mag, bold: true });
  gap();
  if (job.wait) {
    both(job.wait.ahead, 'center');
    both(job.wait.wait, 'center');
    if (job.wait.note) both(job.wait.note, 'center');
  }
  // The time once, after both labels, where that fits: "取号时间 · Issued 2026-11-23 09:41".
  const issuedLabel = { zh: '取号时间', en: 'Issued' };
  const issued = `${issuedLabel[P]} · ${issuedLabel[S]} ${job.issuedAt}`;
  if (textColumns(issued) <= cols)
    out.push({
      kind: 'text',
      runs: [run(issuedLabel[P], { bold: true }), run(` · ${issuedLabel[S]} ${job.issuedAt}`)],
      align: 'center',
    });
  else both({ zh: `取号时间 ${job.issuedAt}`, en: `Issued ${job.issuedAt}` }, 'center');
  gap(QR_GAP);
  out.push({ kind: 'qr', url });
  gap(QR_GAP);
  both({ zh: '扫码查看排队进度', en: 'Scan to follow the queue' }, 'center');
  const hint = job.hint?.[P].trim() || job.hint?.[S].trim();
  if (hint) {
    gap();
    out.push({ kind: 'rule' });
    gap();
    para(`${(job.hint?.[P].trim() ? P : S) === 'zh' ? '提示：' : 'Tip: '}${hint}`, 'left');
  }
  gap();
  both(job.footer, 'center');
  return out;
}
