import { describe, expect, it } from 'vitest';
import { parseDisplayArgs, pickDisplayArgs } from './args.ts';

describe('the command line', () => {
  it('pairs a blank box from --hub and --pairing-code and overrides the bus port', () => {
    const a = parseDisplayArgs([
      '--hub',
      'http://10.0.0.2:8300',
      '--pairing-code',
      '123456',
      '--bus-port=/dev/pts/7',
    ]);
    expect(a).toMatchObject({
      logLevel: 'info',
      options: {
        hubUrl: 'http://10.0.0.2:8300',
        pairingCode: '123456',
        port: 8400,
        bus: { port: '/dev/pts/7' },
        audio: 'screen',
      },
    });
  });

  it('names the bad value', () => {
    expect(() => parseDisplayArgs(['--port', 'x'])).toThrow(/--port must be 0–65535, got x/);
    expect(() => parseDisplayArgs(['--pairing-code', '12345'])).toThrow(/6 digits/);
    expect(() => parseDisplayArgs(['--audio', 'hdmi'])).toThrow(/screen or aplay/);
  });

  it('keeps only its own switches out of what Electron passes', () => {
    expect(
      pickDisplayArgs(['/usr/lib/electron', '.', '--no-sandbox', '--hub', 'http://h', '--port=9000']),
    ).toEqual(['--hub', 'http://h', '--port=9000']);
  });
});
