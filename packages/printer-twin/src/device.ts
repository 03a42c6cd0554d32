import {
  type Bitmap,
  blit,
  CELL_HEIGHT,
  charColumns,
  createBitmap,
  drawRuns,
  fromRasterBytes,
  HALF_WIDTH,
  lineAdvance,
  type QrEcc,
  qrBitmap,
  scaleBitmap,
  type TextRun,
  toPng,
} from '@nextup/printer';
import { type EscPosOp, EscPosParser, type ParserOptions } from './parser.ts';

/** What the virtual printer's sensors say; a test or the demo sets it. */
export interface VirtualStatus {
  /** The roll is empty: printing stops, DLE EOT reports paper end. */
  paperOut: boolean;
  /** The roll is nearly empty: printing goes on, DLE EOT 4 reports near end. */
  paperNearEnd: boolean;
  /** The cover is open: printing stops, DLE EOT 2 reports it. */
  coverOpen: boolean;
  /** An error (a cutter jam): printing stops, DLE EOT 2 bit 6 and DLE EOT 3 bit 3. */
  error: boolean;
  /** Dead: the printer accepts bytes and never answers or prints (hung firmware, no power to the head). */
  offline: boolean;
}

export const READY: VirtualStatus = {
  paperOut: false,
  paperNearEnd: false,
  coverOpen: false,
  error: false,
  offline: false,
};

/** Something the parser could not make sense of, or a printer would not do. */
export interface ParseIssue {
  /** Byte offset in the connection's stream. */
  offset: number;
  reason: string;
}

/** One printed line or picture on a ticket, top to bottom. */
export interface PrintedItem {
  kind: 'text' | 'image' | 'qr' | 'barcode' | 'blank';
  /** Top of the item on the paper, in dots from the top of the ticket. */
  y: number;
  /** Paper the item advanced, in dots. */
  height: number;
  /** Left edge and width of what was printed, in dots. */
  x: number;
  width: number;
  align: 'left' | 'center' | 'right';
  /** Text lines: the text; QR: the payload; barcode: the data; image: '[image WxH]'; blank: ''. */
  text: string;
  /** Text lines: the runs with their sizes and styles. */
  runs?: TextRun[];
  /** Text lines: whether the printer was in Chinese mode. */
  chinese?: boolean;
  /** Images and QR codes: the dots. */
  bitmap?: Bitmap;
  /** QR codes: module size and error correction level as stored. */
  qr?: { moduleDots: number; ecc: QrEcc; model: number };
}

/** A ticket as the virtual printer received it: between two cuts. */
export interface DecodedTicket {
  items: PrintedItem[];
  /** The ticket as text, one line per printed line: QR codes as `[QR …]`, images as `[image WxH]`. */
  text: string;
  /** QR payloads in print order. */
  qr: string[];
  issues: ParseIssue[];
  /** Whether it ended with a cut (false: the connection ended first). */
  cut: boolean;
  /** Set when printing stopped during this ticket (paper out, cover open, error): not all of it printed. */
  interrupted: { reason: 'paperOut' | 'coverOpen' | 'error' | 'offline'; droppedBytes: number } | null;
  /** Bytes of the stream that made this ticket. */
  bytes: number;
  /** Paper used, in dots (8 dots = 1 mm at 203 dpi). */
  heightDots: number;
  paperDots: number;
}

export interface DeviceOptions extends ParserOptions {
  /** Printable width in dots: 576 (80 mm) or 384 (58 mm). Default 576. */
  paperDots?: number;
}

/**
 * One connection's printer: parser, modes, and the ticket being printed. Its sensors and its replies
 * go through the functions it is given, so that several connections share one status.
 */
export class VirtualDevice {
  private readonly parser: EscPosParser;
  private readonly paperDots: number;
  private readonly status: () => VirtualStatus;
  private readonly reply: (bytes: Uint8Array) => void;
  private readonly onTicket: (t: DecodedTicket) => void;
  private readonly onIssue: (i: ParseIssue) => void;

  // Modes (reset by ESC @)
  private align: PrintedItem['align'] = 'left';
  private sizeW = 1;
  private sizeH = 1;
  private bold = false;
  private underline = 0;
  private fontB = false;
  private kanji = 0;
  private chinese = false;
  private lineSpacing = 30;
  private qr = { model: 2, moduleDots: 3, ecc: 'L' as QrEcc, data: null as Uint8Array | null };

  // The line being composed and the ticket being printed
  private runs: TextRun[] = [];
  private lineWidth = 0;
  private lineAlign: PrintedItem['align'] = 'left';
  private lineChinese = false;
  private items: PrintedItem[] = [];
  private y = 0;
  private issues: ParseIssue[] = [];
  private ticketStart: number | null = null;
  /** Stream offset just past the latest operation. */
  private lastOpEnd = 0;
  private interrupted: DecodedTicket['interrupted'] = null;

  constructor(opts: {
    options?: DeviceOptions;
    status: () => VirtualStatus;
    reply: (bytes: Uint8Array) => void;
    onTicket: (t: DecodedTicket) => void;
    onIssue?: (i: ParseIssue) => void;
  }) {
    this.paperDots = opts.options?.paperDots ?? 576;
    this.status = opts.status;
    this.reply = opts.reply;
    this.onTicket = opts.onTicket;
    this.onIssue = opts.onIssue ?? (() => {});
    this.chinese = opts.options?.chineseDefault ?? false;
    this.parser = new EscPosParser((op) => this.apply(op), opts.options);
  }

  /** Bytes received on this connection. */
  get received(): number {
    return this.parser.received;
  }

  push(chunk: Uint8Array): void {
    this.parser.push(chunk);
  }

  /**
   * The sender went quiet or closed: a command left half-sent is reported and dropped, so that the
   * next ticket parses afresh.
   */
  idle(): void {
    this.parser.end();
  }

  /** The connection ended: drop any half command and hand over an uncut ticket if one was printed. */
  finish(): void {
    this.parser.end();
    this.flushLine();
    if (this.items.length > 0 || this.interrupted) this.emitTicket(false);
  }

  private apply(op: EscPosOp): void {
    const s = this.status();
    if (op.op === 'issue') {
      const issue = { offset: op.offset, reason: op.reason };
      if (this.issues.length < 500) this.issues.push(issue);
      this.onIssue(issue);
      return;
    }
    if (op.op === 'realtimeStatus') {
      // DLE EOT is answered at once, even while printing is stopped; a dead printer says nothing.
      if (!s.offline) this.reply(Uint8Array.of(realtimeByte(op.n as 1 | 2 | 3 | 4, s)));
      return;
    }
    this.lastOpEnd = op.offset + op.length;
    const stopped = s.offline || s.paperOut || s.coverOpen || s.error;
    if (stopped) {
      // Like a real printer: nothing after the stop is printed (nor are its in-turn commands such as
      // GS r answered). A cut still closes the ticket here, marked as interrupted, so that the next
      // ticket is told apart. Commands that print nothing (a status request) start no ticket.
      if (this.ticketStart === null && !PRINTS.has(op.op)) return;
      const reason = s.offline ? 'offline' : s.coverOpen ? 'coverOpen' : s.paperOut ? 'paperOut' : 'error';
      this.ticketStart ??= op.offset;
      this.interrupted = {
        reason: this.interrupted?.reason ?? reason,
        droppedBytes: (this.interrupted?.droppedBytes ?? 0) + op.length,
      };
      if (op.op === 'cut') this.emitTicket(false);
      return;
    }
    if (op.op !== 'ignored' && op.op !== 'transmitStatus') this.ticketStart ??= op.offset;
    switch (op.op) {
      case 'text':
        this.text(op.text);
        return;
      case 'lf':
      case 'ff':
        this.printLine(null);
        return;
      case 'cr':
      case 'ignored':
        return;
      case 'ht': {
        // Default tab stops every 8 characters.
        const step = 8 * HALF_WIDTH * this.sizeW;
        const next = (Math.floor(this.lineWidth / step) + 1) * step;
        this.text(' '.repeat(Math.max(1, Math.round((next - this.lineWidth) / (HALF_WIDTH * this.sizeW)))));
        return;
      }
      case 'init':
        // ESC @ clears the print buffer (the unprinted line) and resets every mode.
        this.runs = [];
        this.lineWidth = 0;
        this.resetModes();
        return;
      case 'align':
        this.align = op.align;
        return;
      case 'size':
        this.sizeW = op.width;
        this.sizeH = op.height;
        return;
      case 'printMode':
        // ESC ! n: bit 0 font B, bit 3 emphasised, bit 4 double height, bit 5 double width, bit 7 underline
        this.fontB = (op.n & 0x01) !== 0;
        this.bold = (op.n & 0x08) !== 0;
        this.sizeH = op.n & 0x10 ? 2 : 1;
        this.sizeW = op.n & 0x20 ? 2 : 1;
        this.underline = op.n & 0x80 ? 1 : 0;
        return;
      case 'bold':
        this.bold = op.on;
        return;
      case 'underline':
        this.underline = op.dots;
        return;
      case 'font':
        this.fontB = op.font === 'B';
        return;
      case 'chinese':
        this.chinese = op.on;
        return;
      case 'kanjiMode':
        this.kanji = op.n;
        return;
      case 'lineSpacing':
        this.lineSpacing = op.dots ?? 30;
        return;
      case 'feedLines':
        if (this.runs.length > 0) {
          this.printLine(null);
          this.feed(Math.max(0, op.n - 1) * this.lineSpacing);
        } else this.feed(op.n * this.lineSpacing);
        return;
      case 'feedDots':
        if (this.runs.length > 0) this.printLine(op.n);
        else this.feed(op.n);
        return;
      case 'qrModel':
        this.qr.model = op.model;
        return;
      case 'qrSize':
        this.qr.moduleDots = Math.min(16, Math.max(1, op.dots));
        return;
      case 'qrEcc':
        this.qr.ecc = op.level;
        return;
      case 'qrStore':
        this.qr.data = op.data;
        return;
      case 'qrPrint':
        this.printQr(op.offset);
        return;
      case 'raster':
        this.printRaster(op.offset, op.widthBytes, op.height, op.scale, op.data);
        return;
      case 'bitImage':
        this.printBitImage(op.mode, op.columns, op.data);
        return;
      case 'barcode':
        this.flushLine();
        this.place({ kind: 'barcode', text: `[barcode ${op.data}]`, width: 0, height: 80 });
        return;
      case 'cut':
        this.flushLine();
        this.feed(op.feedDots);
        this.emitTicket(true);
        return;
      case 'transmitStatus':
        // GS r n is answered in turn, after everything before it was printed. n 1: paper sensors
        // (bits 0-1 near end, bits 2-3 paper end), n 2: drawer (0).
        this.reply(Uint8Array.of(op.n === 2 ? 0x00 : paperSensorByte(s)));
        return;
      default: {
        const _exhaustive: never = op;
        void _exhaustive;
      }
    }
  }

  private resetModes(): void {
    this.align = 'left';
    this.sizeW = 1;
    this.sizeH = 1;
    this.bold = false;
    this.underline = 0;
    this.fontB = false;
    this.kanji = 0;
    this.lineSpacing = 30;
    this.qr = { model: 2, moduleDots: 3, ecc: 'L', data: null };
  }

  private text(text: string): void {
    for (const ch of text) {
      const wide = charColumns(ch) === 2;
      // FS ! bit 2 doubles Kanji width, bit 3 doubles height, on top of GS !.
      const w = this.sizeW * (wide && this.kanji & 0x04 ? 2 : 1);
      const h = this.sizeH * (wide && this.kanji & 0x08 ? 2 : 1);
      const cw = (wide ? 2 * HALF_WIDTH : this.fontB ? 9 : HALF_WIDTH) * w;
      if (this.lineWidth + cw > this.paperDots && this.runs.length > 0) this.printLine(null); // wraps
      if (this.runs.length === 0) {
        this.lineAlign = this.align; // ESC a takes effect at the start of a line
        this.lineChinese = this.chinese;
      }
      const last = this.runs[this.runs.length - 1];
      if (
        last &&
        last.width === w &&
        last.height === h &&
        last.bold === this.bold &&
        last.underline === this.underline
      )
        last.text += ch;
      else this.runs.push({ text: ch, width: w, height: h, bold: this.bold, underline: this.underline });
      this.lineWidth += cw;
    }
  }

  /** Prints the line in the buffer (or feeds one empty line) and advances the paper. */
  private printLine(advanceDots: number | null): void {
    const runs = this.runs;
    const text = runs.map((r) => r.text).join('');
    const tallest = runs.reduce((m, r) => Math.max(m, CELL_HEIGHT * r.height), 0);
    const height =
      advanceDots === null ? lineAdvance(runs, this.lineSpacing) : Math.max(advanceDots, tallest);
    if (runs.length === 0) {
      this.place({ kind: 'blank', text: '', width: 0, height });
    } else {
      this.place({
        kind: 'text',
        text: text.trimEnd(),
        width: this.lineWidth,
        height,
        align: this.lineAlign,
        runs,
        chinese: this.lineChinese,
      });
    }
    this.runs = [];
    this.lineWidth = 0;
  }

  /** Prints the buffered line if there is one (before a cut, a QR or an image). */
  private flushLine(): void {
    if (this.runs.length > 0) this.printLine(null);
  }

  private feed(dots: number): void {
    this.y += dots;
  }

  private place(item: Omit<PrintedItem, 'x' | 'y' | 'align'> & { align?: PrintedItem['align'] }): void {
    const align = item.align ?? this.align;
    const x =
      align === 'center'
        ? Math.max(0, Math.floor((this.paperDots - item.width) / 2))
        : align === 'right'
          ? Math.max(0, this.paperDots - item.width)
          : 0;
    this.items.push({ ...item, align, x, y: this.y });
    this.y += item.height;
  }

  private printQr(offset: number): void {
    this.flushLine();
    const data = this.qr.data;
    if (!data) {
      this.issueAt(offset, 'GS ( k print: no QR data stored');
      return;
    }
    const bm = qrBitmap(data, this.qr.moduleDots, this.qr.ecc);
    if (!bm) {
      this.issueAt(offset, `GS ( k print: ${data.length} bytes do not fit a QR symbol`);
      return;
    }
    this.place({
      kind: 'qr',
      text: String.fromCharCode(...data),
      width: bm.width,
      height: bm.height,
      bitmap: bm,
      qr: { moduleDots: this.qr.moduleDots, ecc: this.qr.ecc, model: this.qr.model },
    });
  }

  private printRaster(
    offset: number,
    widthBytes: number,
    height: number,
    scale: number,
    data: Uint8Array,
  ): void {
    if (this.runs.length > 0) {
      // Epson: GS v 0 is carried out only at the beginning of a line.
      this.issueAt(offset, 'GS v 0 ignored: there is unprinted text in the line (send LF first)');
      return;
    }
    let bm = fromRasterBytes(widthBytes, height, data);
    // m: 1 double width, 2 double height, 3 both
    if (scale === 1 || scale === 3 || scale === 2) bm = scaleBitmap(bm, scale & 1 ? 2 : 1, scale & 2 ? 2 : 1);
    this.place({
      kind: 'image',
      text: `[image ${bm.width}x${bm.height}]`,
      width: bm.width,
      height: bm.height,
      bitmap: bm,
    });
  }

  private printBitImage(mode: number, columns: number, data: Uint8Array): void {
    this.flushLine();
    const rows = mode >= 32 ? 24 : 8;
    const perCol = rows / 8;
    let bm = createBitmap(columns, rows);
    for (let c = 0; c < columns; c++)
      for (let k = 0; k < perCol; k++) {
        const byte = data[c * perCol + k] ?? 0;
        for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) bm.dots[(k * 8 + bit) * columns + c] = 1;
      }
    // Single density (m 0, 32) prints each column twice as wide.
    if (mode === 0 || mode === 32) bm = scaleBitmap(bm, 2, 1);
    this.place({
      kind: 'image',
      text: `[image ${bm.width}x${bm.height}]`,
      width: bm.width,
      height: bm.height,
      bitmap: bm,
    });
  }

  private issueAt(offset: number, reason: string): void {
    const issue = { offset, reason };
    if (this.issues.length < 500) this.issues.push(issue);
    this.onIssue(issue);
  }

  private emitTicket(cut: boolean): void {
    const end = this.lastOpEnd;
    const ticket: DecodedTicket = {
      items: this.items,
      text: this.items.map(itemText).join('\n'),
      qr: this.items.filter((i) => i.kind === 'qr').map((i) => i.text),
      issues: this.issues,
      cut,
      interrupted: this.interrupted,
      bytes: Math.max(0, end - (this.ticketStart ?? end)),
      heightDots: this.y,
      paperDots: this.paperDots,
    };
    this.items = [];
    this.issues = [];
    this.y = 0;
    this.ticketStart = null;
    this.interrupted = null;
    this.onTicket(ticket);
  }
}

/** Operations that put something on paper. */
const PRINTS = new Set<EscPosOp['op']>([
  'text',
  'lf',
  'ff',
  'ht',
  'feedLines',
  'feedDots',
  'qrPrint',
  'raster',
  'bitImage',
  'barcode',
  'cut',
]);

function itemText(i: PrintedItem): string {
  if (i.kind === 'qr') return `[QR ${i.text}]`;
  return i.text;
}

/** The reply to DLE EOT n for a status (fixed bits 0x12 and the sensor bits; see status.ts). */
export function realtimeByte(n: 1 | 2 | 3 | 4, s: VirtualStatus): number {
  const stopped = s.paperOut || s.coverOpen || s.error;
  switch (n) {
    case 1:
      return 0x12 | (stopped ? 0x08 : 0); // bit 3: offline
    case 2:
      // bit 2 cover open, bit 5 stopped at paper end, bit 6 error
      return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.error ? 0x40 : 0);
    case 3:
      return 0x12 | (s.error ? 0x08 : 0); // bit 3: autocutter error
    case 4:
      // bits 2-3 near-end sensor, bits 5-6 end sensor
      return 0x12 | (s.paperNearEnd || s.paperOut ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
  }
}

/** The reply to GS r 1: bits 0-1 near end, bits 2-3 paper end. */
export function paperSensorByte(s: VirtualStatus): number {
  return (s.paperNearEnd || s.paperOut ? 0x03 : 0) | (s.paperOut ? 0x0c : 0);
}

/** The ticket as the paper would look: white paper, black dots, `paperDots` wide. */
export function renderTicket(t: DecodedTicket): Bitmap {
  const bm = createBitmap(t.paperDots, Math.max(1, t.heightDots));
  for (const item of t.items) {
    if (item.kind === 'text' && item.runs) drawRuns(bm, item.runs, item.x, item.y);
    else if (item.bitmap) blit(bm, item.bitmap, item.x, item.y);
  }
  return bm;
}

/** The ticket as a PNG, with a little white margin around the paper. */
export function ticketPng(t: DecodedTicket): Buffer {
  return toPng(renderTicket(t), 8);
}
