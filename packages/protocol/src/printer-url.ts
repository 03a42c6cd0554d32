/**
 * The printer-URL grammar, the one place it is written: the hub's settings schema, the admin form and
 * the kiosk's printer driver all read a URL with `parsePrinterUrl` (hardware/escpos.md §transports).
 * - `tcp://HOST[:PORT]` — a network printer; port 1–65535, 9100 when left out; `[::1]` for IPv6
 * - `serial:/dev/ttyUSB0[?baud=19200][&flow=rtscts|xonxoff|none]` — defaults 19200 baud, RTS/CTS
 * - `file:/dev/usb/lp0` (or `file:///dev/usb/lp0`) — a USB printer device file
 * At most 200 characters. Browser-safe (the WHATWG `URL` only).
 */

export const SERIAL_FLOW_CONTROLS = ['rtscts', 'xonxoff', 'none'] as const;
export type SerialFlowControl = (typeof SERIAL_FLOW_CONTROLS)[number];

export const PRINTER_URL_MAX_LENGTH = 200;
const DEFAULT_TCP_PORT = 9100;
const DEFAULT_BAUD = 19_200;

/** Where a printer is, parsed from its URL. */
export type PrinterAddress =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string; baudRate: number; flowControl: SerialFlowControl }
  | { kind: 'file'; path: string };

/** What is wrong with a printer URL: the admin form says it in words, the driver as a `BAD_URL`. */
export type PrinterUrlProblem = 'empty' | 'tooLong' | 'scheme' | 'host' | 'port' | 'path' | 'baud' | 'flow';

export type PrinterUrlParse =
  | { ok: true; address: PrinterAddress }
  /** `message` is English for logs and the CLI; users see the problem in their language. */
  | { ok: false; problem: PrinterUrlProblem; message: string };

const bad = (problem: PrinterUrlProblem, message: string): PrinterUrlParse => ({
  ok: false,
  problem,
  message,
});

/** Parses a printer URL as written (the caller trims what a person typed). Never throws. */
export function parsePrinterUrl(url: string): PrinterUrlParse {
  const quoted = JSON.stringify(url);
  if (url === '') return bad('empty', 'no printer URL');
  if (url.length > PRINTER_URL_MAX_LENGTH)
    return bad('tooLong', `a printer URL has at most ${PRINTER_URL_MAX_LENGTH} characters`);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return bad('scheme', `not a printer URL: ${quoted}`);
  if (scheme !== 'tcp' && scheme !== 'serial' && scheme !== 'file')
    return bad(
      'scheme',
      `unknown printer URL scheme ${JSON.stringify(`${scheme}:`)}: use tcp://, serial: or file:`,
    );
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Only a bad authority makes a URL with a known scheme unparseable: a port out of range, a space.
    return scheme === 'tcp'
      ? bad('port', `not a printer URL: ${quoted}`)
      : bad('path', `not a printer URL: ${quoted}`);
  }
  if (scheme === 'tcp') {
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!/^tcp:\/\//i.test(url) || host === '') return bad('host', `no host in ${quoted}`);
    const port = u.port === '' ? DEFAULT_TCP_PORT : Number(u.port);
    if (port < 1 || port > 65_535) return bad('port', `port must be 1–65535: ${quoted}`);
    return { ok: true, address: { kind: 'tcp', host, port } };
  }
  // The text itself must name an absolute path: `file:` is a special scheme to URL, which would make
  // "file:lp0" "/lp0", and "serial://dev/ttyS0" would be host "dev", path "/ttyS0".
  const path = decodeURIComponent(u.pathname);
  if (!/^(\/\/\/|\/(?!\/))/.test(url.slice(scheme.length + 1)) || !path.startsWith('/') || path === '/')
    return bad('path', `${scheme} URL needs an absolute device path, e.g. ${scheme}:/dev/…: ${quoted}`);
  if (scheme === 'file') return { ok: true, address: { kind: 'file', path } };
  const baudText = u.searchParams.get('baud') ?? String(DEFAULT_BAUD);
  if (!/^[1-9]\d*$/.test(baudText)) return bad('baud', `baud must be a number: ${JSON.stringify(baudText)}`);
  const flow = u.searchParams.get('flow') ?? 'rtscts';
  if (!(SERIAL_FLOW_CONTROLS as readonly string[]).includes(flow))
    return bad('flow', `flow must be rtscts, xonxoff or none: ${JSON.stringify(flow)}`);
  return {
    ok: true,
    address: { kind: 'serial', path, baudRate: Number(baudText), flowControl: flow as SerialFlowControl },
  };
}
