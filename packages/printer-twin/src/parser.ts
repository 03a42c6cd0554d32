import iconv from 'iconv-lite';

/**
 * An incremental ESC/POS parser: bytes in (in chunks of any size, a command may be split anywhere),
 * operations out. It never throws on input: what it cannot make sense of is reported as an `issue`
 * op with the byte offset and a reason, and parsing goes on from the next byte. A length-prefixed
 * command waits for its data; `end()` abandons a command that will never be completed (the sender
 * closed or went quiet) and reports it as truncated.
 *
 * Commands follow the Epson ESC/POS reference; see hardware/escpos.md for the set.
 */
export type EscPosOp = { offset: number; length: number } & (
  | { op: 'text'; text: string; chinese: boolean }
  | { op: 'lf' }
  | { op: 'cr' }
  | { op: 'ht' }
  | { op: 'ff' }
  | { op: 'init' }
  | { op: 'align'; align: 'left' | 'center' | 'right' }
  | { op: 'size'; width: number; height: number }
  | { op: 'printMode'; n: number }
  | { op: 'bold'; on: boolean }
  | { op: 'underline'; dots: number }
  | { op: 'font'; font: 'A' | 'B' }
  | { op: 'chinese'; on: boolean }
  | { op: 'kanjiMode'; n: number }
  | { op: 'lineSpacing'; dots: number | null }
  | { op: 'feedLines'; n: number }
  | { op: 'feedDots'; n: number }
  | { op: 'qrModel'; model: number }
  | { op: 'qrSize'; dots: number }
  | { op: 'qrEcc'; level: 'L' | 'M' | 'Q' | 'H' }
  | { op: 'qrStore'; data: Uint8Array }
  | { op: 'qrPrint' }
  | { op: 'raster'; widthBytes: number; height: number; scale: number; data: Uint8Array }
  | { op: 'bitImage'; mode: number; columns: number; data: Uint8Array }
  | { op: 'barcode'; data: string }
  | { op: 'cut'; partial: boolean; feedDots: number }
  | { op: 'realtimeStatus'; n: number }
  | { op: 'transmitStatus'; n: number }
  | { op: 'ignored'; name: string }
  | { op: 'issue'; reason: string }
);

export interface ParserOptions {
  /** Chinese mode after power-on and after ESC @ (a printer's memory switch). Default false. */
  chineseDefault?: boolean;
  /** Longest command accepted (declared data length), bytes. Default 1 MiB. */
  maxCommandBytes?: number;
}

/** How many more bytes a command needs; returned by `step` when the buffer ends inside it. */
interface Need {
  need: number;
  name: string;
}

/** An op before the parser gives it its place in the stream. */
type OpBody = DistributiveOmit<EscPosOp, 'offset' | 'length'>;

/**
 * Commands of fixed length that the virtual printer takes and does not model, by prefix and second
 * byte: their whole length in bytes. They come out as `ignored` ops named `ESC R`, `GS h`….
 */
const SKIPPED = {
  ESC: new Map<number, number>([
    [0x52, 3], // ESC R n: international character set
    [0x7b, 3], // ESC { n: upside down
    [0x56, 3], // ESC V n: 90° rotation
    [0x20, 3], // ESC SP n: right-side spacing
    [0x3d, 3], // ESC = n: select peripheral
    [0x72, 3], // ESC r n: colour
    [0x55, 3], // ESC U n: unidirectional
    [0x25, 3], // ESC % n: user-defined characters
    [0x3f, 3], // ESC ? n: cancel user-defined character
    [0x54, 3], // ESC T n: page-mode direction
    [0x65, 3], // ESC e n: reverse feed
    [0x63, 4], // ESC c x n: sensors / panel buttons
    [0x42, 4], // ESC B n t: buzzer (some models)
    [0x24, 4], // ESC $ nL nH: absolute position
    [0x5c, 4], // ESC \ nL nH: relative position
    [0x70, 5], // ESC p m t1 t2: drawer kick
    [0x57, 10], // ESC W: page-mode area (8 parameters)
    [0x53, 2], // ESC S: standard mode
  ]),
  FS: new Map<number, number>([
    [0x43, 3], // FS C n: Kanji code system
    [0x53, 4], // FS S n1 n2: Kanji spacing
    [0x3f, 4], // FS ? c1 c2: cancel user Kanji
    [0x32, 76], // FS 2 c1 c2 d1 … d72: define user Kanji
  ]),
  GS: new Map<number, number>([
    [0x42, 3], // GS B n: reverse (white on black)
    [0x48, 3], // GS H n: HRI position
    [0x66, 3], // GS f n: HRI font
    [0x68, 3], // GS h n: barcode height
    [0x77, 3], // GS w n: barcode width
    [0x49, 3], // GS I n: printer ID
    [0x61, 3], // GS a n: automatic status back
    [0x62, 3], // GS b n: smoothing
    [0x2f, 3], // GS / m: print downloaded image
    [0x7c, 3], // GS | n: print density
    [0x54, 3], // GS T n: line start
    [0x6a, 3], // GS j n: ASB for ink
    [0x45, 3], // GS E n: print speed / head control
    [0x4c, 4], // GS L nL nH: left margin
    [0x57, 4], // GS W nL nH: print area width
    [0x50, 4], // GS P x y: motion units
    [0x24, 4], // GS $ nL nH
    [0x5c, 4], // GS \ nL nH
    [0x5e, 5], // GS ^ r t m: execute macro
    [0x3a, 2], // GS :: macro definition start/end
  ]),
};

/** The command that starts at buf[i], as the decoders read it. */
class Command {
  constructor(
    readonly buf: Uint8Array,
    readonly i: number,
  ) {}

  /** Bytes from the command's first to the end of the buffer. */
  get avail(): number {
    return this.buf.length - this.i;
  }

  /** The command's k-th byte (0 is the prefix); only for k < avail. */
  at(k: number): number {
    return this.buf[this.i + k]!;
  }

  /** The little-endian 16-bit number in bytes k and k + 1 (nL nH). */
  u16(k: number): number {
    return this.at(k) + this.at(k + 1) * 256;
  }

  /** Null when the buffer holds the command's first n bytes; else what it still needs. */
  need(n: number, name: string): Need | null {
    return this.avail < n ? { need: n, name } : null;
  }

  /** A copy of the command's bytes from..to, to keep in an op. */
  slice(from: number, to: number): Uint8Array {
    return this.buf.slice(this.i + from, this.i + to);
  }

  /** The command's bytes from..to, to read at once. */
  view(from: number, to: number): Uint8Array {
    return this.buf.subarray(this.i + from, this.i + to);
  }
}

const GB = new TextDecoder('gb18030', { fatal: true });

export class EscPosParser {
  private readonly emit: (op: EscPosOp) => void;
  private readonly chineseDefault: boolean;
  private readonly maxCommand: number;
  private chinese: boolean;
  private codePage = 0;
  /** Bytes received but not yet parsed (a command in progress). */
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  /** Total bytes the command in progress needs, when known; 0 when unknown. */
  private waitingFor = 0;
  private waitingName = '';
  /** Absolute offset of the first pending byte. */
  private base = 0;

  constructor(emit: (op: EscPosOp) => void, options: ParserOptions = {}) {
    this.emit = emit;
    this.chineseDefault = options.chineseDefault ?? false;
    this.chinese = this.chineseDefault;
    this.maxCommand = options.maxCommandBytes ?? 1 << 20;
  }

  /** Bytes taken in so far (parsed or pending). */
  get received(): number {
    return this.base + this.pendingLength;
  }

  /** Bytes held for a command not yet complete. */
  get pendingBytes(): number {
    return this.pendingLength;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    // A long command (raster data) arriving in small pieces: wait until all of it is here rather
    // than re-scan the growing buffer at every piece.
    if (this.waitingFor > 0 && this.pendingLength < this.waitingFor) return;
    const buf = this.pending.length === 1 ? this.pending[0]! : concat(this.pending, this.pendingLength);
    let i = 0;
    this.waitingFor = 0;
    while (i < buf.length) {
      const r = this.safeStep(buf, i);
      if (typeof r === 'number') {
        i += r;
        continue;
      }
      this.waitingFor = r.need;
      this.waitingName = r.name;
      break;
    }
    const rest = buf.subarray(i);
    this.base += i;
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingLength = rest.length;
  }

  /**
   * The sender finished or went quiet: a command still waiting for bytes never will get them.
   * Reports it and drops it, so that whatever comes next is parsed afresh.
   */
  end(): void {
    if (this.pendingLength === 0) return;
    const have = this.pendingLength;
    const what = this.waitingName || 'command';
    const need = this.waitingFor > 0 ? ` of ${this.waitingFor}` : '';
    this.emit({
      op: 'issue',
      offset: this.base,
      length: have,
      reason: `truncated ${what}: the stream stopped after ${have}${need} bytes`,
    });
    this.base += have;
    this.pending = [];
    this.pendingLength = 0;
    this.waitingFor = 0;
    this.waitingName = '';
  }

  private safeStep(buf: Uint8Array, i: number): number | Need {
    try {
      return this.step(buf, i);
    } catch (e) {
      // A bug here must not take the printer down: report and move on by one byte.
      this.issue(i, 1, `parser fault: ${(e as Error).message}`);
      return 1;
    }
  }

  private op(i: number, length: number, op: OpBody): number {
    this.emit({ ...op, offset: this.base + i, length } as EscPosOp);
    return length;
  }

  private issue(i: number, length: number, reason: string): number {
    return this.op(i, length, { op: 'issue', reason });
  }

  private ignored(i: number, length: number, name: string): number {
    return this.op(i, length, { op: 'ignored', name });
  }

  /** Parses one command or text run at buf[i]; returns bytes consumed, or what it still needs. */
  private step(buf: Uint8Array, i: number): number | Need {
    const b = buf[i]!;
    if (b >= 0x20 && b !== 0x7f) return this.text(buf, i);
    switch (b) {
      case 0x0a: // LF: print and line feed
        return this.op(i, 1, { op: 'lf' });
      case 0x0d: // CR
        return this.op(i, 1, { op: 'cr' });
      case 0x09: // HT
        return this.op(i, 1, { op: 'ht' });
      case 0x0c: // FF (standard mode: print and eject)
        return this.op(i, 1, { op: 'ff' });
      case 0x18: // CAN (page mode only)
        return this.ignored(i, 1, 'CAN');
      case 0x10:
        return this.prefixed(new Command(buf, i), 'DLE', this.dle);
      case 0x1b:
        return this.prefixed(new Command(buf, i), 'ESC', this.esc);
      case 0x1c:
        return this.prefixed(new Command(buf, i), 'FS', this.fs);
      case 0x1d:
        return this.prefixed(new Command(buf, i), 'GS', this.gs);
      default:
        return this.issue(i, 1, `stray control byte 0x${hex(b)}`);
    }
  }

  private text(buf: Uint8Array, i: number): number | Need {
    let j = i;
    let out = '';
    let odd: number[] = [];
    const flushOdd = () => {
      if (odd.length > 0) {
        out += iconv.decode(Buffer.from(odd), 'cp437');
        odd = [];
      }
    };
    while (j < buf.length) {
      const b = buf[j]!;
      if (b < 0x20 || b === 0x7f) break;
      if (b < 0x80) {
        flushOdd();
        out += String.fromCharCode(b);
        j++;
        continue;
      }
      if (!this.chinese) {
        // Without FS & a printer prints bytes ≥ 0x80 from its code page: garbage for GB18030.
        odd.push(b);
        j++;
        continue;
      }
      const len = gbLength(buf, j);
      if (len === 'short') break;
      if (len === 0) {
        // Not a GB18030 lead/trail: print the replacement and resynchronise on the next byte.
        if (j === i) {
          this.issue(i, 0, `invalid GB18030 byte 0x${hex(b)} in Chinese mode`);
          return this.op(i, 1, { op: 'text', text: '\ufffd', chinese: true });
        }
        break;
      }
      try {
        out += GB.decode(buf.subarray(j, j + len));
      } catch {
        out += '\ufffd';
      }
      j += len;
    }
    flushOdd();
    if (j === i) {
      // A multibyte character split at the end of the buffer: any further byte may complete it.
      return { need: buf.length - i + 1, name: 'GB18030 character' };
    }
    if (!this.chinese && /[^\x20-\x7e]/.test(out))
      this.issue(i, 0, 'bytes >= 0x80 outside Chinese mode print as code page 437 (was FS & sent?)');
    return this.op(i, j - i, { op: 'text', text: out, chinese: this.chinese });
  }

  /**
   * A command that starts with a prefix byte (DLE, ESC, FS, GS): waits for its second byte, then
   * hands it to the prefix's decoder with the command's name (`ESC a`, `GS 0x00`).
   */
  private prefixed(
    cmd: Command,
    prefix: string,
    decode: (this: EscPosParser, cmd: Command, c: number, name: string) => number | Need,
  ): number | Need {
    if (cmd.avail < 2) return { need: 2, name: `${prefix} command` };
    const c = cmd.at(1);
    return decode.call(this, cmd, c, `${prefix} ${printable(c)}`);
  }

  /** A three-byte command `prefix c n`: once n is here, the op it stands for. */
  private withParameter(cmd: Command, name: string, op: (n: number) => OpBody): number | Need {
    return cmd.need(3, name) ?? this.op(cmd.i, 3, op(cmd.at(2)));
  }

  /**
   * A command of fixed length that the virtual printer takes and does not model (`SKIPPED`), as an
   * `ignored` op once all of it is here; any other is unknown: reported, and only `prefix c` dropped.
   */
  private skipped(cmd: Command, prefix: keyof typeof SKIPPED, c: number, name: string): number | Need {
    const length = SKIPPED[prefix].get(c);
    if (length === undefined) return this.issue(cmd.i, 2, `unknown command ${prefix} 0x${hex(c)}`);
    return cmd.need(length, name) ?? this.ignored(cmd.i, length, name);
  }

  private dle(cmd: Command, c: number): number | Need {
    const i = cmd.i;
    if (c === 0x04) {
      // DLE EOT n: real-time status
      const w = cmd.need(3, 'DLE EOT');
      if (w) return w;
      const n = cmd.at(2);
      if (n >= 1 && n <= 4) return this.op(i, 3, { op: 'realtimeStatus', n });
      return this.issue(i, 3, `DLE EOT ${n}: n must be 1-4`);
    }
    if (c === 0x05) return cmd.need(3, 'DLE ENQ') ?? this.ignored(i, 3, 'DLE ENQ');
    if (c === 0x14) {
      // DLE DC4 fn …: fn 8 (clear buffers) has 7 parameters, fn 7 has 1, the others 2.
      const w = cmd.need(3, 'DLE DC4');
      if (w) return w;
      const fn = cmd.at(2);
      const len = fn === 8 ? 10 : fn === 7 ? 4 : 5;
      return cmd.need(len, 'DLE DC4') ?? this.ignored(i, len, `DLE DC4 ${fn}`);
    }
    return this.issue(i, 1, `unknown DLE sequence 10 ${hex(c)}`);
  }

  private esc(cmd: Command, c: number, name: string): number | Need {
    const { i, avail } = cmd;
    switch (c) {
      case 0x40: // ESC @
        this.chinese = this.chineseDefault;
        this.codePage = 0;
        return this.op(i, 2, { op: 'init' });
      case 0x21: // ESC ! n: print mode
        return this.withParameter(cmd, name, (n) => ({ op: 'printMode', n }));
      case 0x45: // ESC E n: emphasised
      case 0x47: // ESC G n: double-strike (prints like bold)
        return this.withParameter(cmd, name, (n) => ({ op: 'bold', on: (n & 1) === 1 }));
      case 0x2d: // ESC - n: underline 0/1/2 (or '0'/'1'/'2')
        return this.withParameter(cmd, name, (n) => ({ op: 'underline', dots: underlineDots(n) }));
      case 0x4d: // ESC M n: font A/B
        return this.withParameter(cmd, name, (n) => ({ op: 'font', font: n % 48 === 1 ? 'B' : 'A' }));
      case 0x61: // ESC a n: justification
        return this.withParameter(cmd, name, (n) => ({
          op: 'align',
          align: n % 48 === 1 ? 'center' : n % 48 === 2 ? 'right' : 'left',
        }));
      case 0x64: // ESC d n: print and feed n lines
        return this.withParameter(cmd, name, (n) => ({ op: 'feedLines', n }));
      case 0x4a: // ESC J n: print and feed n dots
        return this.withParameter(cmd, name, (n) => ({ op: 'feedDots', n }));
      case 0x33: // ESC 3 n: line spacing n dots
        return this.withParameter(cmd, name, (n) => ({ op: 'lineSpacing', dots: n }));
      case 0x32: // ESC 2: default line spacing
        return this.op(i, 2, { op: 'lineSpacing', dots: null });
      case 0x74: // ESC t n: code page
        if (avail < 3) return { need: 3, name };
        this.codePage = cmd.at(2);
        return this.ignored(i, 3, `ESC t ${this.codePage} (code page)`);
      case 0x69: // ESC i: partial cut (legacy)
      case 0x6d: // ESC m: partial cut (legacy)
        return this.op(i, 2, { op: 'cut', partial: true, feedDots: 0 });
      case 0x4c: // ESC L: page mode (not modelled)
        return this.issue(i, 2, 'ESC L: page mode is not supported by the virtual printer');
      case 0x44: {
        // ESC D n1 … nk NUL: tab positions (at most 32)
        for (let k = 2; k < Math.min(avail, 35); k++)
          if (cmd.at(k) === 0) return this.ignored(i, k + 1, name);
        if (avail >= 35) return this.issue(i, 2, 'ESC D: tab list without NUL terminator');
        return { need: avail + 1, name };
      }
      case 0x2a: {
        // ESC * m nL nH d1 … dk: bit image, column format
        const w = cmd.need(5, name);
        if (w) return w;
        const m = cmd.at(2);
        const cols = cmd.u16(3);
        const bytesPerCol = m === 32 || m === 33 ? 3 : m === 0 || m === 1 ? 1 : 0;
        if (bytesPerCol === 0) return this.issue(i, 5, `ESC * ${m}: mode must be 0, 1, 32 or 33`);
        const total = 5 + cols * bytesPerCol;
        return (
          cmd.need(total, name) ??
          this.op(i, total, { op: 'bitImage', mode: m, columns: cols, data: cmd.slice(5, total) })
        );
      }
      case 0x26: {
        // ESC & y c1 c2 [x d1 … d(y×x)]…: define user characters
        const w = cmd.need(5, name);
        if (w) return w;
        const y = cmd.at(2);
        const count = cmd.at(4) - cmd.at(3) + 1;
        if (count < 1 || count > 95) return this.issue(i, 5, 'ESC &: bad character range');
        let k = 5;
        for (let ch = 0; ch < count; ch++) {
          if (avail <= k) return { need: k + 1, name };
          k += 1 + y * cmd.at(k);
        }
        return cmd.need(k, name) ?? this.ignored(i, k, name);
      }
      default:
        return this.skipped(cmd, 'ESC', c, name);
    }
  }

  private fs(cmd: Command, c: number, name: string): number | Need {
    const { i, avail } = cmd;
    switch (c) {
      case 0x26: // FS &: Chinese (Kanji) mode on
        this.chinese = true;
        return this.op(i, 2, { op: 'chinese', on: true });
      case 0x2e: // FS .: Chinese mode off
        this.chinese = false;
        return this.op(i, 2, { op: 'chinese', on: false });
      case 0x21: // FS ! n: Kanji print mode
        return this.withParameter(cmd, name, (n) => ({ op: 'kanjiMode', n }));
      case 0x2d: // FS - n: Kanji underline
        return this.withParameter(cmd, name, (n) => ({ op: 'underline', dots: underlineDots(n) }));
      case 0x57: // FS W n: Kanji quadruple size
        return this.withParameter(cmd, name, (n) => ({ op: 'kanjiMode', n: n & 1 ? 0x0c : 0 }));
      case 0x70: // FS p n m: print NV bit image (we have none stored)
        return cmd.need(4, name) ?? this.ignored(i, 4, 'FS p (NV bit image, not stored here)');
      case 0x28: {
        // FS ( fn pL pH …
        const w = cmd.need(5, name);
        if (w) return w;
        const total = 5 + cmd.u16(3);
        return cmd.need(total, name) ?? this.ignored(i, total, `FS ( ${printable(cmd.at(2))}`);
      }
      case 0x71: {
        // FS q n [xL xH yL yH d…]…: define NV bit images
        const w = cmd.need(3, name);
        if (w) return w;
        let k = 3;
        for (let img = 0; img < cmd.at(2); img++) {
          if (avail < k + 4) return { need: k + 4, name };
          const size = cmd.u16(k) * cmd.u16(k + 2) * 8;
          k += 4 + size;
          if (k > this.maxCommand) return this.issue(i, 3, `FS q: ${k} bytes is more than the limit`);
        }
        return cmd.need(k, name) ?? this.ignored(i, k, name);
      }
      default:
        return this.skipped(cmd, 'FS', c, name);
    }
  }

  private gs(cmd: Command, c: number, name: string): number | Need {
    const { i, avail } = cmd;
    switch (c) {
      case 0x21: // GS ! n: character size, width bits 4-6, height bits 0-2
        return this.withParameter(cmd, name, (n) => ({
          op: 'size',
          width: ((n >> 4) & 7) + 1,
          height: (n & 7) + 1,
        }));
      case 0x56: {
        // GS V m [n]: cut
        const w = cmd.need(3, name);
        if (w) return w;
        const m = cmd.at(2);
        if (m === 0 || m === 1 || m === 48 || m === 49)
          return this.op(i, 3, { op: 'cut', partial: m % 48 === 1, feedDots: 0 });
        if (m === 65 || m === 66 || m === 97 || m === 98 || m === 103 || m === 104) {
          const w2 = cmd.need(4, name);
          if (w2) return w2;
          return this.op(i, 4, { op: 'cut', partial: m % 2 === 0, feedDots: cmd.at(3) });
        }
        return this.issue(i, 3, `GS V ${m}: unknown cut mode`);
      }
      case 0x76: {
        // GS v 0 m xL xH yL yH d1 … dk: raster bit image
        const w = cmd.need(8, 'GS v 0');
        if (w) return w;
        if (cmd.at(2) !== 0x30) return this.issue(i, 3, `GS v ${hex(cmd.at(2))}: expected 30`);
        const m = cmd.at(3) % 48;
        const widthBytes = cmd.u16(4);
        const height = cmd.u16(6);
        const total = 8 + widthBytes * height;
        if (widthBytes === 0 || height === 0) return this.issue(i, 8, 'GS v 0: empty image');
        if (total > this.maxCommand)
          return this.issue(i, 8, `GS v 0: ${widthBytes}×${height} bytes is more than the limit`);
        if (avail < total) return { need: total, name: `GS v 0 ${widthBytes * 8}x${height} image` };
        return this.op(i, total, { op: 'raster', widthBytes, height, scale: m, data: cmd.slice(8, total) });
      }
      case 0x28: {
        // GS ( fn pL pH …: a family of commands with a 2-byte length
        const w = cmd.need(5, name);
        if (w) return w;
        const fn = cmd.at(2);
        const len = cmd.u16(3);
        const total = 5 + len;
        if (total > this.maxCommand)
          return this.issue(i, 5, `GS ( ${printable(fn)}: length ${len} too large`);
        if (avail < total) return { need: total, name: `GS ( ${printable(fn)}` };
        if (fn === 0x6b) return this.symbol(cmd.buf, i, len, total);
        return this.ignored(i, total, `GS ( ${printable(fn)}`);
      }
      case 0x38: {
        // GS 8 L p1 p2 p3 p4 …: graphics with a 4-byte length
        const w = cmd.need(7, name);
        if (w) return w;
        const len = cmd.u16(3) + cmd.u16(5) * 65536;
        const total = 7 + len;
        if (total > this.maxCommand) return this.issue(i, 7, `GS 8 L: length ${len} too large`);
        return cmd.need(total, name) ?? this.ignored(i, total, 'GS 8 L (graphics, not rendered)');
      }
      case 0x72: // GS r n: transmit status (in turn, after the data before it)
        return this.withParameter(cmd, name, (n) => ({ op: 'transmitStatus', n: n % 48 }));
      case 0x6b: {
        // GS k m …: barcode; m 0-6 NUL-terminated, m 65-79 with a length byte
        const w = cmd.need(3, name);
        if (w) return w;
        const m = cmd.at(2);
        if (m <= 6) {
          for (let k = 3; k < avail; k++)
            if (cmd.at(k) === 0) return this.op(i, k + 1, { op: 'barcode', data: latin1(cmd.view(3, k)) });
          if (avail > 300) return this.issue(i, 3, 'GS k: barcode data without NUL terminator');
          return { need: avail + 1, name };
        }
        if (m >= 65 && m <= 79) {
          const w2 = cmd.need(4, name);
          if (w2) return w2;
          const total = 4 + cmd.at(3);
          return (
            cmd.need(total, name) ?? this.op(i, total, { op: 'barcode', data: latin1(cmd.view(4, total)) })
          );
        }
        return this.issue(i, 3, `GS k ${m}: unknown barcode system`);
      }
      case 0x2a: {
        // GS * x y d1 … d(x×y×8): define downloaded bit image
        const w = cmd.need(4, name);
        if (w) return w;
        const total = 4 + cmd.at(2) * cmd.at(3) * 8;
        return cmd.need(total, name) ?? this.ignored(i, total, name);
      }
      default:
        return this.skipped(cmd, 'GS', c, name);
    }
  }

  /** GS ( k pL pH cn fn …: 2-D symbols; cn 49 (0x31) is QR code. */
  private symbol(buf: Uint8Array, i: number, len: number, total: number): number {
    if (len < 2) return this.issue(i, total, 'GS ( k: too short');
    const cn = buf[i + 5]!;
    const fn = buf[i + 6]!;
    if (cn !== 0x31) return this.ignored(i, total, `GS ( k symbol ${cn} (not QR)`);
    const p = (k: number) => buf[i + 7 + k] ?? 0;
    switch (fn) {
      case 0x41: // fn 165: model
        return this.op(i, total, { op: 'qrModel', model: p(0) - 0x30 });
      case 0x43: // fn 167: module size
        return this.op(i, total, { op: 'qrSize', dots: p(0) });
      case 0x45: // fn 169: error correction 48-51
        return this.op(i, total, { op: 'qrEcc', level: (['L', 'M', 'Q', 'H'] as const)[p(0) - 0x30] ?? 'M' });
      case 0x50: // fn 180: store data (after the m byte 0x30)
        return this.op(i, total, { op: 'qrStore', data: buf.slice(i + 8, i + total) });
      case 0x51: // fn 181: print
        return this.op(i, total, { op: 'qrPrint' });
      default:
        return this.ignored(i, total, `GS ( k QR function ${fn}`);
    }
  }
}

/**
 * Bytes in the GB18030 character starting at buf[j]: 2 or 4; 0 when it is not a valid start;
 * 'short' when the buffer ends before the character does.
 */
function gbLength(buf: Uint8Array, j: number): number | 'short' {
  const b1 = buf[j]!;
  if (b1 < 0x81 || b1 > 0xfe) return 0;
  if (j + 1 >= buf.length) return 'short';
  const b2 = buf[j + 1]!;
  if ((b2 >= 0x40 && b2 <= 0x7e) || (b2 >= 0x80 && b2 <= 0xfe)) return 2;
  if (b2 >= 0x30 && b2 <= 0x39) {
    if (j + 3 >= buf.length) return 'short';
    const b3 = buf[j + 2]!;
    const b4 = buf[j + 3]!;
    if (b3 >= 0x81 && b3 <= 0xfe && b4 >= 0x30 && b4 <= 0x39) return 4;
  }
  return 0;
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** ESC - n and FS - n: 0, 1 or 2 dots (n or ASCII '0'-'2'); any other n turns underline off. */
function underlineDots(n: number): number {
  return n % 48 > 2 ? 0 : n % 48;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

function printable(c: number): string {
  return c > 0x20 && c < 0x7f ? String.fromCharCode(c) : `0x${hex(c)}`;
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
