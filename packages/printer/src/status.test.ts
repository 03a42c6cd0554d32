import { describe, expect, it } from 'vitest';
import {
  decodeStatus,
  describeStatus,
  isPaperSensorByte,
  isReady,
  isRealtimeStatusByte,
  statusProblem,
} from './status.ts';

describe('DLE EOT status', () => {
  it('reads a ready printer from 12 12 12', () => {
    const s = decodeStatus(0x12, 0x12, 0x12, null);
    expect(isReady(s)).toBe(true);
    expect(s.paperNearEnd).toBe(false);
    expect(describeStatus(s, 'zh')).toBe('正常，可以打印');
    expect(describeStatus(s, 'en')).toBe('ready');
  });

  it('reads paper out from 1A 32 7E', () => {
    const s = decodeStatus(0x1a, 0x32, 0x7e, null);
    expect(s.online).toBe(false);
    expect(s.paperOut).toBe(true);
    expect(statusProblem(s)).toBe('PAPER_OUT');
    expect(describeStatus(s, 'en')).toBe('out of paper');
  });

  it('reads an open cover from DLE EOT 2 bit 2', () => {
    const s = decodeStatus(0x1a, 0x16, 0x12, null);
    expect(s.coverOpen).toBe(true);
    expect(statusProblem(s)).toBe('COVER_OPEN');
    expect(describeStatus(s, 'zh')).toContain('打印机盖');
  });

  it('reads near end from DLE EOT 4 bits 2-3 and still prints', () => {
    const s = decodeStatus(0x12, 0x12, 0x1e, null);
    expect(s.paperNearEnd).toBe(true);
    expect(isReady(s)).toBe(true);
  });

  it('names the error from DLE EOT 3 when DLE EOT 2 bit 6 is set', () => {
    expect(decodeStatus(0x1a, 0x52, 0x12, 0x1a).error).toBe('autocutter');
    expect(decodeStatus(0x1a, 0x52, 0x12, 0x32).error).toBe('unrecoverable');
    expect(decodeStatus(0x1a, 0x52, 0x12, 0x52).error).toBe('autoRecoverable');
    expect(decodeStatus(0x1a, 0x52, 0x12, null).error).toBe('unknown');
    expect(statusProblem(decodeStatus(0x1a, 0x52, 0x12, 0x1a))).toBe('PRINTER_ERROR');
  });

  it('reports offline with no named cause', () => {
    expect(statusProblem(decodeStatus(0x1a, 0x12, 0x12, null))).toBe('OFFLINE');
  });

  it('tells DLE EOT replies from GS r replies and from XON/XOFF', () => {
    for (const b of [0x12, 0x1a, 0x16, 0x32, 0x7e]) expect(isRealtimeStatusByte(b)).toBe(true);
    for (const b of [0x00, 0x03, 0x0c, 0x0f]) {
      expect(isPaperSensorByte(b)).toBe(true);
      expect(isRealtimeStatusByte(b)).toBe(false);
    }
    for (const b of [0x11, 0x13]) {
      expect(isRealtimeStatusByte(b)).toBe(false);
      expect(isPaperSensorByte(b)).toBe(false);
    }
  });
});
