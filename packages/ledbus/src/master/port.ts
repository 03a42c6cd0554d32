import { type OpenOptions, SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { LedBusError } from '../errors.ts';

/** A serialport binding (`BindingInterface`): how the port reaches the operating system. */
export type Binding = OpenOptions['binding'];

export interface OpenBusPortOptions {
  /** Device path, e.g. /dev/ttyUSB0 (or one end of a pty pair). */
  path: string;
  /** Default 9600 (the bus default, hardware/led-bus.md). 8 data bits, no parity, 1 stop bit. */
  baudRate?: number;
  /**
   * The serialport binding. Default: the platform's (`@serialport/bindings-cpp`), as `SerialPort`
   * uses. Pass `MockBinding` or a vendor's binding to run the same code over something else.
   */
  binding?: Binding;
}

/**
 * Opens a serial port for the bus, 8N1, and turns the usual failures into LedBusError codes:
 * PORT_MISSING, PERMISSION_DENIED, PORT_BUSY.
 */
export async function openBusPort(options: OpenBusPortOptions): Promise<SerialPortStream> {
  const baudRate = options.baudRate ?? 9600;
  if (!Number.isInteger(baudRate) || baudRate < 50 || baudRate > 4_000_000)
    throw new TypeError(`baudRate must be a whole number of bits per second, got ${baudRate}`);
  if (typeof options.path !== 'string' || options.path === '')
    throw new TypeError('path must name a serial port, e.g. /dev/ttyUSB0');
  const port = new SerialPortStream({
    binding: options.binding ?? SerialPort.binding,
    path: options.path,
    baudRate,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(translateOpenError(err, options.path)) : resolve())),
  );
  return port;
}

function translateOpenError(err: Error, path: string): LedBusError {
  const m = err.message;
  if (/ENOENT|No such file|cannot open/i.test(m) && !/EACCES|Permission/i.test(m))
    return new LedBusError('PORT_MISSING', `${path}: ${m}`);
  if (/EACCES|Permission denied/i.test(m)) return new LedBusError('PERMISSION_DENIED', `${path}: ${m}`);
  if (/lock|EBUSY|Resource temporarily unavailable/i.test(m))
    return new LedBusError('PORT_BUSY', `${path}: ${m}`);
  return new LedBusError('OFFLINE', `${path}: ${m}`);
}

/** Closes a port opened with openBusPort; never throws. */
export function closeBusPort(port: SerialPortStream): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    port.close(() => resolve());
  });
}
