import { type PrinterAddress, parsePrinterUrl } from '@nextup/protocol';
import { PrinterError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { FileTransport } from './file.ts';
import { SerialTransport } from './serial.ts';
import { TcpTransport } from './tcp.ts';
import type { Transport } from './transport.ts';

/**
 * Where a printer is, by the one printer-URL grammar (`parsePrinterUrl` in `@nextup/protocol`).
 * Throws a PrinterError BAD_URL that says what is wrong.
 */
export function printerAddress(url: string): PrinterAddress {
  const parsed = parsePrinterUrl(url);
  if (!parsed.ok) throw new PrinterError('BAD_URL', parsed.message);
  return parsed.address;
}

export interface TransportOptions {
  logger?: Logger;
  /** TCP connect timeout, ms. Default 3000. */
  connectTimeoutMs?: number;
  /** Extra time a write may take, ms. Default 10000. */
  writeTimeoutMs?: number;
}

/** The transport for a printer URL (see `printerAddress`). */
export function createTransport(url: string | PrinterAddress, options: TransportOptions = {}): Transport {
  const a = typeof url === 'string' ? printerAddress(url) : url;
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
    if (e instanceof TypeError) throw new PrinterError('BAD_URL', e.message, { cause: e });
    throw e;
  }
}
