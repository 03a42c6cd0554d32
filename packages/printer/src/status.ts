/**
 * The printer's real-time status, decoded from its replies to DLE EOT n (10 04 n). Every reply is
 * one byte whose fixed bits are 0xx1 xx10 (bit 1 and bit 4 on, bits 0 and 7 off); that pattern is
 * how a reply is told apart from the reply to GS r 1 (bit 4 off) and from XON/XOFF (11/13).
 * See hardware/escpos.md § Status.
 */
import type { PrinterErrorCode } from './errors.ts';

/** What the printer told us, decoded. */
export interface PrinterStatus {
  /** DLE EOT 1 bit 3 off. */
  online: boolean;
  /** DLE EOT 2 bit 5 (printing stopped at paper end) or DLE EOT 4 bits 5–6 (roll end sensor). */
  paperOut: boolean;
  /** DLE EOT 4 bits 2–3 (roll near-end sensor). Printing goes on; the roll needs changing soon. */
  paperNearEnd: boolean;
  /** DLE EOT 2 bit 2. */
  coverOpen: boolean;
  /** DLE EOT 2 bit 6, detailed by DLE EOT 3; null when there is none. */
  error: PrinterErrorKind | null;
  /** DLE EOT 1 bit 6 / DLE EOT 2 bit 3: someone is holding the FEED button. */
  feedButton: boolean;
  /**
   * The raw reply bytes, for logs and the admin console. `offline` (DLE EOT 2) and `error` (3) are
   * null when they were not asked (the printer was online) or not answered.
   */
  raw: { printer: number; offline: number | null; error: number | null; paper: number };
}

export type PrinterErrorKind =
  /** DLE EOT 3 bit 3: the cutter jammed; recoverable once the jam is cleared. */
  | 'autocutter'
  /** DLE EOT 3 bit 5: a circuit or mechanism failure; needs a service call. */
  | 'unrecoverable'
  /** DLE EOT 3 bit 6: the head is too hot, or the cover was opened while printing; clears by itself. */
  | 'autoRecoverable'
  /** DLE EOT 3 bit 2: mechanical error (head position) on Epson models. */
  | 'mechanical'
  /** DLE EOT 2 bit 6 with no cause in DLE EOT 3 (or DLE EOT 3 not supported). */
  | 'unknown';

/** A DLE EOT reply byte has bits 1 and 4 set and bits 0 and 7 clear. */
export function isRealtimeStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** A GS r 1 reply byte has bits 4 and 7 clear (bits 0–3 are the paper sensors). */
export function isPaperSensorByte(b: number): boolean {
  return (b & 0x90) === 0x00;
}

/**
 * Decodes the replies to DLE EOT 1, 2, 4 and 3 (2 and 3 null when not asked or not answered).
 *
 * Sample replies to 1, 2, 4 (hex): ready 12 12 12; paper out 1A 32 7E; cover open 1A 16 12;
 * near end 12 12 1E; cutter jam 1A 52 12 and 1A to n = 3.
 */
export function decodeStatus(
  printer: number,
  offlineCause: number | null,
  paper: number,
  error: number | null,
): PrinterStatus {
  const offline = offlineCause ?? 0x12;
  const errorOccurred = (offline & 0x40) !== 0; // DLE EOT 2 bit 6
  let kind: PrinterErrorKind | null = null;
  if (errorOccurred) {
    if (error === null) kind = 'unknown';
    else if (error & 0x08)
      kind = 'autocutter'; // DLE EOT 3 bit 3
    else if (error & 0x20)
      kind = 'unrecoverable'; // DLE EOT 3 bit 5
    else if (error & 0x40)
      kind = 'autoRecoverable'; // DLE EOT 3 bit 6
    else if (error & 0x04)
      kind = 'mechanical'; // DLE EOT 3 bit 2
    else kind = 'unknown';
  }
  return {
    online: (printer & 0x08) === 0, // DLE EOT 1 bit 3: offline
    // DLE EOT 2 bit 5: printing stopped at paper end; DLE EOT 4 bits 5-6: roll end sensor
    paperOut: (offline & 0x20) !== 0 || (paper & 0x60) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0, // DLE EOT 4 bits 2-3: near-end sensor
    coverOpen: (offline & 0x04) !== 0, // DLE EOT 2 bit 2
    error: kind,
    feedButton: (printer & 0x40) !== 0 || (offline & 0x08) !== 0,
    raw: { printer, offline: offlineCause, error, paper },
  };
}

/** Whether a ticket may be sent: online, paper in, cover shut, no error. Near-end still prints. */
export function isReady(s: PrinterStatus): boolean {
  return s.online && !s.paperOut && !s.coverOpen && s.error === null;
}

/** The printer error codes a status read alone can give. */
export type StatusProblem = Extract<
  PrinterErrorCode,
  'COVER_OPEN' | 'PAPER_OUT' | 'PRINTER_ERROR' | 'OFFLINE'
>;

/** The one problem that matters most, in the order a person should fix them; null when ready. */
export function statusProblem(s: PrinterStatus): StatusProblem | null {
  if (s.coverOpen) return 'COVER_OPEN';
  if (s.paperOut) return 'PAPER_OUT';
  if (s.error !== null) return 'PRINTER_ERROR';
  if (!s.online) return 'OFFLINE';
  return null;
}

const ERROR_WORDS: Record<PrinterErrorKind, { zh: string; en: string }> = {
  autocutter: { zh: '切刀卡纸', en: 'cutter jam' },
  unrecoverable: { zh: '不可恢复的故障，需要维修', en: 'an unrecoverable fault: needs service' },
  autoRecoverable: { zh: '打印头过热，稍后自动恢复', en: 'print head too hot; recovers by itself' },
  mechanical: { zh: '机械故障', en: 'a mechanical fault' },
  unknown: { zh: '未知故障', en: 'an unknown fault' },
};

/** The status in a few words for a person. */
export function describeStatus(s: PrinterStatus, lang: 'zh' | 'en' = 'zh'): string {
  const parts: string[] = [];
  const zh = lang === 'zh';
  if (s.coverOpen) parts.push(zh ? '打印机盖未关好' : 'cover open');
  if (s.paperOut) parts.push(zh ? '缺纸' : 'out of paper');
  else if (s.paperNearEnd) parts.push(zh ? '纸卷快用完了' : 'paper roll nearly empty');
  if (s.error !== null)
    parts.push(zh ? `故障：${ERROR_WORDS[s.error].zh}` : `error: ${ERROR_WORDS[s.error].en}`);
  if (!s.online && parts.length === 0) parts.push(zh ? '离线' : 'offline');
  if (s.feedButton) parts.push(zh ? '正在按走纸键' : 'FEED button held');
  if (parts.length === 0) return zh ? '正常，可以打印' : 'ready';
  return parts.join(zh ? '；' : '; ');
}
