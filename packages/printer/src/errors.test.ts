import { DeviceError, describeDeviceError, isDeviceError } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { PrinterError, type PrinterErrorCode } from './errors.ts';

describe('PrinterError, the printer member of the DeviceError family', () => {
  it('passes the family guard as a printer error and never as a bus error', () => {
    const e: unknown = new PrinterError('PAPER_OUT', 'paper roll empty');
    expect(e).toBeInstanceOf(DeviceError);
    expect(e).toBeInstanceOf(Error);
    expect(isDeviceError(e)).toBe(true);
    expect(isDeviceError<PrinterError>(e, 'printer')).toBe(true);
    expect(isDeviceError(e, 'ledbus')).toBe(false);
    expect((e as PrinterError).device).toBe('printer');
    expect((e as PrinterError).name).toBe('DeviceError');
  });

  it('narrows to the printer codes, so a switch over them can be exhaustive', () => {
    const e: unknown = new PrinterError('COVER_OPEN', 'cover open');
    if (!isDeviceError<PrinterError>(e, 'printer')) throw new Error('not a printer error');
    const code: PrinterErrorCode = e.code;
    expect([code, e.stage]).toEqual(['COVER_OPEN', null]);
    // @ts-expect-error the device name must be the one of the subclass named
    expect(isDeviceError<PrinterError>(e, 'ledbus')).toBe(false);
  });

  it('does not take a plain error or an error-shaped object for a device error', () => {
    expect(isDeviceError(new Error('PAPER_OUT'))).toBe(false);
    expect(isDeviceError({ device: 'printer', code: 'PAPER_OUT', message: 'x' }, 'printer')).toBe(false);
    expect(isDeviceError(null)).toBe(false);
  });

  it('keeps the cause as Error.cause, and at() keeps code, message and cause', () => {
    const errno = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const e = new PrinterError('CONNECT_FAILED', 'connect to tcp://10.0.0.9:9100', { cause: errno });
    expect(e.cause).toBe(errno);
    expect(e.stage).toBeNull();
    const placed = e.at('connect');
    expect(placed).toBeInstanceOf(PrinterError);
    expect([placed.code, placed.message, placed.cause, placed.stage]).toEqual([
      'CONNECT_FAILED',
      'connect to tcp://10.0.0.9:9100',
      errno,
      'connect',
    ]);
    expect('cause' in new PrinterError('TIMEOUT', 'no answer')).toBe(false);
  });

  it('describes errors in Chinese and English with when they happened', () => {
    const e = new PrinterError('PAPER_OUT', 'x', { stage: 'during' });
    expect(describeDeviceError(e, 'zh')).toBe('打印中途，本张票未打完：打印机缺纸，请更换纸卷');
    expect(describeDeviceError(e, 'en')).toBe(
      'the printer is out of paper: load a new roll (while printing; this ticket was not completed)',
    );
    expect(describeDeviceError(new PrinterError('OFFLINE', 'x', { stage: 'connect' }), 'en')).toBe(
      'the printer is offline (while connecting)',
    );
    expect(describeDeviceError(new PrinterError('COVER_OPEN', 'x', { stage: 'before' }))).toBe(
      '打印前：打印机盖未关好',
    );
  });

  it('has words in both languages for every code, without the stage outside a print', () => {
    const codes: PrinterErrorCode[] = [
      'PAPER_OUT',
      'COVER_OPEN',
      'OFFLINE',
      'PRINTER_ERROR',
      'TIMEOUT',
      'CONNECT_FAILED',
      'PERMISSION_DENIED',
      'BUSY',
      'DISCONNECTED',
      'NO_STATUS',
      'BAD_URL',
    ];
    for (const code of codes) {
      const e = new PrinterError(code, 'x');
      expect(describeDeviceError(e, 'zh'), code).toMatch(/打印机/);
      expect(describeDeviceError(e, 'en'), code).toMatch(/printer/);
      expect(describeDeviceError(e, 'zh')).toBe(e.codeWords('zh'));
    }
    expect(describeDeviceError(new PrinterError('BUSY', 'x'), 'en')).toBe(
      'another program is using the printer',
    );
  });
});
