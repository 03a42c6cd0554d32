/**
 * @nextup/printer-twin — the virtual ESC/POS printer, the hardware twin of the ticket printer
 * (hardware/escpos.md §7): it listens on TCP like a printer's port 9100 and on one end of a socat
 * pty, decodes what it receives into tickets (text, QR payloads, images, a PNG of the paper), answers
 * DLE EOT and GS r from sensors a test or the demo sets, and serves a web page and a JSON API. A
 * peer of a real printer for the driver in `@nextup/printer`, never part of production code.
 */
export {
  type DecodedTicket,
  type ParseIssue,
  type PrintedItem,
  renderTicket,
  ticketPng,
  type VirtualStatus,
} from './device.ts';
export { type EscPosOp, EscPosParser, type ParserOptions } from './parser.ts';
export { VirtualPrinter, type VirtualPrinterOptions, type VirtualTicket } from './printer.ts';
