import { describe, expect, it } from 'vitest';
import { printerAddress } from './url.ts';

describe('printer URLs', () => {
  it('parses tcp, serial and file URLs with their defaults', () => {
    expect(printerAddress('tcp://192.168.1.50')).toEqual({ kind: 'tcp', host: '192.168.1.50', port: 9100 });
    expect(printerAddress('tcp://printer.local:9101')).toEqual({
      kind: 'tcp',
      host: 'printer.local',
      port: 9101,
    });
    expect(printerAddress('tcp://[::1]:9100')).toEqual({ kind: 'tcp', host: '::1', port: 9100 });
    expect(printerAddress('serial:/dev/ttyUSB0')).toEqual({
      kind: 'serial',
      path: '/dev/ttyUSB0',
      baudRate: 19200,
      flowControl: 'rtscts',
    });
    expect(printerAddress('serial:/dev/ttyS0?baud=9600&flow=xonxoff')).toMatchObject({
      baudRate: 9600,
      flowControl: 'xonxoff',
    });
    expect(printerAddress('file:/dev/usb/lp0')).toEqual({ kind: 'file', path: '/dev/usb/lp0' });
    expect(printerAddress('file:///dev/usb/lp0')).toEqual({ kind: 'file', path: '/dev/usb/lp0' });
  });

  it('says what is wrong with a bad URL', () => {
    expect(() => printerAddress('192.168.1.50')).toThrow(expect.objectContaining({ code: 'BAD_URL' }));
    expect(() => printerAddress('http://x')).toThrow(/unknown printer URL scheme/);
    expect(() => printerAddress('serial:/dev/ttyUSB0?baud=fast')).toThrow(/baud must be a number/);
    expect(() => printerAddress('serial:/dev/ttyUSB0?flow=cts')).toThrow(/flow must be/);
  });
});
