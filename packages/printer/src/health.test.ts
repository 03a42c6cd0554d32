import { healthComponent } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { PrinterError } from './errors.ts';
import { printerHealth } from './health.ts';
import { decodeStatus } from './status.ts';

describe('printer health for the hub', () => {
  it('maps a ready printer to OK', () => {
    const h = printerHealth(decodeStatus(0x12, 0x12, 0x12, null), 1000);
    expect(h).toEqual({
      component: 'printer',
      address: null,
      level: 'ok',
      code: 'OK',
      detail: null,
      since: 1000,
    });
    expect(healthComponent.safeParse(h).success).toBe(true);
  });

  it('maps each status to its code and level', () => {
    const cases: [number, number, number, number | null, string, string][] = [
      [0x12, 0x12, 0x1e, null, 'PAPER_NEAR_END', 'warning'],
      [0x1a, 0x32, 0x7e, null, 'PAPER_OUT', 'error'],
      [0x1a, 0x16, 0x12, null, 'COVER_OPEN', 'error'],
      [0x1a, 0x12, 0x12, null, 'OFFLINE', 'error'],
      [0x1a, 0x52, 0x12, 0x1a, 'ERROR', 'error'],
    ];
    for (const [a, b, c, d, code, level] of cases) {
      const h = printerHealth(decodeStatus(a, b, c, d), 5);
      expect([h.code, h.level]).toEqual([code, level]);
      expect(healthComponent.safeParse(h).success).toBe(true);
    }
  });

  it('maps device errors, keeping the detail within the protocol limit', () => {
    const long = new PrinterError(
      'TIMEOUT',
      `tcp://10.0.0.9:9100 did not answer DLE EOT 1/2/4 within 1500 ms ${'x'.repeat(80)}`,
    );
    const h = printerHealth(long, 7);
    expect(h.code).toBe('TIMEOUT');
    expect(h.detail!.length).toBeLessThanOrEqual(64);
    expect(healthComponent.safeParse(h).success).toBe(true);
    expect(printerHealth(new PrinterError('CONNECT_FAILED', 'refused'), 7).code).toBe('OFFLINE');
    expect(printerHealth(new PrinterError('NO_STATUS', 'write-only'), 7)).toMatchObject({
      code: 'OK',
      level: 'warning',
    });
  });

  it('keeps `since` while the code stays the same and resets it when it changes', () => {
    const out = decodeStatus(0x1a, 0x32, 0x7e, null);
    const first = printerHealth(out, 100);
    expect(printerHealth(out, 200, first).since).toBe(100);
    expect(printerHealth(decodeStatus(0x12, 0x12, 0x12, null), 300, first).since).toBe(300);
  });
});
