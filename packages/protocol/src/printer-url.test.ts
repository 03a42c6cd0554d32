import { describe, expect, it } from 'vitest';
import { kioskSettings } from './devices.ts';
import { type PrinterUrlProblem, parsePrinterUrl } from './printer-url.ts';

const problem = (url: string): PrinterUrlProblem | null => {
  const r = parsePrinterUrl(url);
  return r.ok ? null : r.problem;
};

describe('the printer-URL grammar', () => {
  it('reads tcp, serial and file URLs with their defaults', () => {
    expect(parsePrinterUrl('tcp://192.168.1.50')).toEqual({
      ok: true,
      address: { kind: 'tcp', host: '192.168.1.50', port: 9100 },
    });
    expect(parsePrinterUrl('tcp://[::1]:9101')).toEqual({
      ok: true,
      address: { kind: 'tcp', host: '::1', port: 9101 },
    });
    expect(parsePrinterUrl('serial:/dev/ttyUSB0')).toEqual({
      ok: true,
      address: { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 19200, flowControl: 'rtscts' },
    });
    expect(parsePrinterUrl('serial:/dev/ttyS0?baud=9600&flow=xonxoff')).toEqual({
      ok: true,
      address: { kind: 'serial', path: '/dev/ttyS0', baudRate: 9600, flowControl: 'xonxoff' },
    });
    expect(parsePrinterUrl('file:///dev/usb/lp0')).toEqual({
      ok: true,
      address: { kind: 'file', path: '/dev/usb/lp0' },
    });
  });

  it('names what is wrong with the usual mistakes', () => {
    expect(problem('')).toBe('empty');
    expect(problem(`tcp://${'a'.repeat(200)}`)).toBe('tooLong');
    expect(problem('10.0.0.9:9100')).toBe('scheme');
    expect(problem('192.168.1.50')).toBe('scheme');
    expect(problem('http://10.0.0.9:9100')).toBe('scheme');
    expect(problem('tcp:10.0.0.9')).toBe('host');
    expect(problem('tcp://')).toBe('host');
    expect(problem('tcp://10.0.0.9:99999')).toBe('port');
    expect(problem('tcp://10.0.0.9:abc')).toBe('port');
    expect(problem('tcp://10.0.0.9:0')).toBe('port');
    expect(problem('serial:')).toBe('path');
    expect(problem('serial:COM3')).toBe('path');
    expect(problem('serial://dev/ttyS0')).toBe('path');
    expect(problem('file:lp0')).toBe('path');
    expect(problem('file://printer/lp0')).toBe('path');
    expect(problem('serial:/dev/ttyUSB0?baud=fast')).toBe('baud');
    expect(problem('serial:/dev/ttyUSB0?baud=19200.5')).toBe('baud');
    expect(problem('serial:/dev/ttyUSB0?flow=hw')).toBe('flow');
  });

  it('is the rule the kiosk settings schema holds a printer URL to', () => {
    const settings = (url: string) =>
      kioskSettings.safeParse({
        kind: 'kiosk',
        printer: { url, paperWidth: 80, chinese: 'native', qr: 'native' },
        idleSeconds: 20,
        services: [],
      }).success;
    for (const url of [
      'tcp://10.0.0.9:9100',
      'tcp://[::1]:9100',
      'serial:/dev/ttyUSB0?baud=9600',
      'file:/dev/usb/lp0',
    ])
      expect(settings(url), url).toBe(true);
    for (const url of ['tcp://10.0.0.9:0', 'tcp://10.0.0.9:99999', 'serial:/dev/ttyUSB0?flow=hw', 'file:lp0'])
      expect(settings(url), url).toBe(false);
  });
});
