/**
 * @nextup/printer — queue tickets on ESC/POS thermal printers: the ticket layout (built with
 * node-thermal-printer), transports (TCP 9100, serial, USB device file), real-time status (DLE EOT)
 * before and after every ticket, device health for the hub, and the virtual printer that decodes
 * what it receives. The protocol notes are in hardware/escpos.md.
 */
export {
  DeviceError,
  type DeviceErrorCode,
  describeDeviceError,
  isDeviceError,
  type PrintStage,
} from './errors.ts';
export { fromHex, toHex } from './escpos.ts';
export { printerHealth } from './health.ts';
export { type Logger, silentLogger } from './logger.ts';
export {
  type PrintResult,
  type PrintWarning,
  TicketPrinter,
  type TicketPrinterOptions,
} from './printer.ts';
export { type Bitmap, sameBitmap, toPng } from './render/bitmap.ts';
export { renderLine, type TextRun } from './render/glyphs.ts';
export {
  decodeStatus,
  describeStatus,
  isReady,
  type PrinterErrorKind,
  type PrinterStatus,
  statusProblem,
} from './status.ts';
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
export {
  type DecodedTicket,
  type ParseIssue,
  type PrintedItem,
  renderTicket,
  ticketPng,
  type VirtualStatus,
} from './virtual/device.ts';
export { type EscPosOp, EscPosParser, type ParserOptions } from './virtual/parser.ts';
export { VirtualPrinter, type VirtualPrinterOptions, type VirtualTicket } from './virtual/printer.ts';
