import { DeviceError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { FileTransport } from './file.ts';
import { type SerialFlowControl, SerialTransport } from './serial.ts';
import { TcpTransport } from './tcp.ts';
import type { Transport } from './transport.ts';

/** Where a printer is, parsed from its URL. */
export type PrinterAddress =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string; baudRate: number; flowControl: SerialFlowControl }
  | { kind: 'file'; path: string };

/**
 * Parses a printer URL:
 * - `tcp://HOST[:PORT]` (port 9100 when left out)
 * - `serial:/dev/ttyUSB0[?baud=19200][&flow=rtscts|xonxoff|none]` (defaults 19200, rtscts)
 * - `file:/dev/usb/lp0`
 * Throws a DeviceError BAD_URL that says what is wrong.
 */
export function parsePrinterUrl(url: string): PrinterAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DeviceError('BAD_URL', `not a printer URL: ${JSON.stringify(url)}`);
  }
  switch (u.protocol) {
    case 'tcp:': {
      const host = u.hostname.replace(/^\[|\]$/g, '');
      if (!host) throw new DeviceError('BAD_URL', `no host in ${JSON.stringify(url)}`);
      const port = u.port ? Number(u.port) : 9100;
      return { kind: 'tcp', host, port };
    }
    case 'serial:': {
      const path = decodeURIComponent(u.pathname);
      if (!path.startsWith('/'))
        throw new DeviceError('BAD_URL', `serial URL needs a device path: ${JSON.stringify(url)}`);
      const baudText = u.searchParams.get('baud') ?? '19200';
      const baudRate = Number(baudText);
      if (!Number.isInteger(baudRate) || baudRate <= 0)
        throw new DeviceError('BAD_URL', `baud must be a number: ${JSON.stringify(baudText)}`);
      const flow = (u.searchParams.get('flow') ?? 'rtscts') as SerialFlowControl;
      if (!['rtscts', 'xonxoff', 'none'].includes(flow))
        throw new DeviceError('BAD_URL', `flow must be rtscts, xonxoff or none: ${JSON.stringify(flow)}`);
      return { kind: 'serial', path, baudRate, flowControl: flow };
    }
    case 'file:': {
      // `file:lp0` would parse as the path /lp0: insist on an absolute path in the text itself.
      if (!/^file:(\/\/\/|\/(?!\/))/.test(url))
        throw new DeviceError(
          'BAD_URL',
          `file URL needs an absolute path, e.g. file:/dev/usb/lp0: ${JSON.stringify(url)}`,
        );
      const path = decodeURIComponent(u.pathname);
      if (!path.startsWith('/'))
        throw new DeviceError('BAD_URL', `file URL needs a path: ${JSON.stringify(url)}`);
      return { kind: 'file', path };
    }
    default:
      throw new DeviceError(
        'BAD_URL',
        `unknown printer URL scheme ${JSON.stringify(u.protocol)}: use tcp://, serial: or file:`,
      );
  }
}

export interface TransportOptions {
  logger?: Logger;
  /** TCP connect timeout, ms. Default 3000. */
  connectTimeoutMs?: number;
  /** Extra time a write may take, ms. Default 10000. */
  writeTimeoutMs?: number;
}

/** The transport for a printer URL (see `parsePrinterUrl`). */
export function createTransport(url: string | PrinterAddress, options: TransportOptions = {}): Transport {
  const a = typeof url === 'string' ? parsePrinterUrl(url) : url;
  const common = {
    ...(options.writeTimeoutMs === undefined ? {} : { writeTimeoutMs: options.writeTimeoutMs }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  try {
    switch (a.kind) {
      case 'tcp':
        return new TcpTransport({
          host: a.host,
          port: a.port,
          ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
          ...(options.writeTimeoutMs === undefined ? {} : { writeTimeoutMs: options.writeTimeoutMs }),
        });
      case 'serial':
        return new SerialTransport({
          path: a.path,
          baudRate: a.baudRate,
          flowControl: a.flowControl,
          ...common,
        });
      case 'file':
        return new FileTransport({ path: a.path, ...common });
    }
  } catch (e) {
    if (e instanceof TypeError) throw new DeviceError('BAD_URL', e.message, { cause: e });
    throw e;
  }
}
