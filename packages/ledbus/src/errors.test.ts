import { DeviceError, describeDeviceError, isDeviceError } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { LedBusError, type LedBusErrorCode } from './errors.ts';

describe('LedBusError, the LED bus member of the DeviceError family', () => {
  it('passes the family guard as a bus error and never as a printer error', () => {
    const e: unknown = new LedBusError('TIMEOUT', 'address 3: no reply', { address: 3 });
    expect(e).toBeInstanceOf(DeviceError);
    expect(isDeviceError(e)).toBe(true);
    expect(isDeviceError<LedBusError>(e, 'ledbus')).toBe(true);
    expect(isDeviceError(e, 'printer')).toBe(false);
    expect((e as LedBusError).device).toBe('ledbus');
    expect((e as LedBusError).name).toBe('DeviceError');
  });

  it('keeps the cause as Error.cause', () => {
    const errno = new Error('Error: Permission denied, cannot open /dev/ttyUSB0');
    const e = new LedBusError('PERMISSION_DENIED', '/dev/ttyUSB0: denied', { cause: errno });
    expect(e.cause).toBe(errno);
    expect('cause' in new LedBusError('OFFLINE', 'closed')).toBe(false);
  });

  it('describes errors in Chinese and English with the address and the refusal', () => {
    const nak = new LedBusError('NAK', 'address 7 refused show', { address: 7, nak: 'BAD_AREA' });
    expect(describeDeviceError(nak, 'zh')).toBe('设备拒绝了请求（地址 7） [BAD_AREA]');
    expect(describeDeviceError(nak, 'en')).toBe('the device refused the request (address 7) [BAD_AREA]');
    expect(describeDeviceError(new LedBusError('PORT_BUSY', '/dev/ttyUSB0: busy'))).toBe(
      '串口被其他程序占用',
    );
    expect(describeDeviceError(new LedBusError('TIMEOUT', 'x', { address: 12 }), 'en')).toBe(
      'no answer: check the address, baud rate, RS-485 A/B wiring and the device power (address 12)',
    );
  });

  it('has words in both languages for every code', () => {
    const codes: LedBusErrorCode[] = [
      'TIMEOUT',
      'NAK',
      'UNSUPPORTED',
      'PORT_MISSING',
      'PERMISSION_DENIED',
      'PORT_BUSY',
      'OFFLINE',
    ];
    const seen = new Set<string>();
    for (const code of codes) {
      const e = new LedBusError(code, 'x');
      expect(describeDeviceError(e, 'zh'), code).toMatch(/[\u4e00-\u9fff]/);
      expect(describeDeviceError(e, 'en'), code).toMatch(/^[ -~]+$/);
      seen.add(describeDeviceError(e, 'en'));
    }
    expect(seen.size).toBe(codes.length);
  });
});
