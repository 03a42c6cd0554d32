import { PrinterError } from '@nextup/printer';
import { describe, expect, it } from 'vitest';
import { notPrinted, printerReason } from './health-reason.ts';

describe("the printer's reason for the hub", () => {
  it('is a code with values, never words: each console says it in its own language', () => {
    const url = 'tcp://10.0.0.9:9100';
    expect(printerReason(new PrinterError('CONNECT_FAILED', 'connect ECONNREFUSED'), url)).toEqual({
      code: 'connectFailed',
      params: { url },
    });
    expect(printerReason(new PrinterError('TIMEOUT', 'no answer in 1500 ms'), url)?.code).toBe('noAnswer');
    expect(printerReason(new PrinterError('BAD_URL', 'nope'), 'tcp://'), 'bad url').toEqual({
      code: 'badUrl',
      params: { url: 'tcp://' },
    });
    // Paper out says it all with its code.
    expect(printerReason(new PrinterError('PAPER_OUT', 'paper roll empty'), url)).toBeNull();
    expect(notPrinted(['A023', 'A024'])).toEqual({ code: 'notPrinted', params: { numbers: 'A023 A024' } });
  });
});
