/**
 * @nextup/printer — queue tickets on ESC/POS thermal printers: the ticket layout (built with
 * node-thermal-printer), transports (TCP 9100, serial, USB device file), real-time status (DLE EOT)
 * before and after every ticket, and device health for the hub. The protocol notes are in
 * hardware/escpos.md. The virtual printer (the hardware twin) is `@nextup/printer-twin`; it draws the
 * paper with the same bitmaps, glyphs and QR encoder as the driver, exported here for it.
 */
export { PrinterError, type PrinterErrorCode, type PrintStage } from './errors.ts';
export { fromHex, toHex } from './escpos.ts';
export { printerHealth } from './health.ts';
export { type Logger, silentLogger } from './logger.ts';
export {
  type PrintResult,
  type PrintWarning,
  TicketPrinter,
  type TicketPrinterOptions,
} from './printer.ts';
export {
  type Bitmap,
  blit,
  createBitmap,
  fromRasterBytes,
  sameBitmap,
  scaleBitmap,
  toPng,
  toRasterBytes,
} from './render/bitmap.ts';
export { CELL_HEIGHT, drawRuns, HALF_WIDTH, lineAdvance, renderLine, type TextRun } from './render/glyphs.ts';
export { type QrEcc, qrBitmap } from './render/qr.ts';
export {
  decodeStatus,
  describeStatus,
  isReady,
  type PrinterErrorKind,
  type PrinterStatus,
  statusProblem,
} from './status.ts';
export { charColumns } from './text.ts';
export {
  type Bilingual,
  buildTicket,
  LINE_SPACING,
  type PaperSpec,
  type PaperWidth,
  paperSpec,
  type TicketBytes,
  type TicketLayoutOptions,
  type TicketPrintJob,
} from './ticket.ts';
export { FileTransport, type FileTransportOptions } from './transport/file.ts';
export { SerialTransport, type SerialTransportOptions } from './transport/serial.ts';
export { TcpTransport, type TcpTransportOptions } from './transport/tcp.ts';
export type { Transport, TransportKind } from './transport/transport.ts';
export { createTransport, printerAddress, type TransportOptions } from './transport/url.ts';
