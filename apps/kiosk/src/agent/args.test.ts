import { describe, expect, it } from 'vitest';
import { parseKioskArgs, pickKioskArgs } from './args.ts';
import { DEFAULT_DATA_DIR } from './paths.ts';

describe('the kiosk command line', () => {
  it('pairs from the command line for automation', () => {
    expect(
      parseKioskArgs([
        '--hub',
        'http://10.0.0.2:8300',
        '--pairing-code',
        '123456',
        '--port',
        '0',
        '--name',
        '大厅',
      ]),
    ).toEqual({
      hubUrl: 'http://10.0.0.2:8300',
      pairingCode: '123456',
      dataDir: DEFAULT_DATA_DIR,
      port: 0,
      host: '127.0.0.1',
      name: '大厅',
      logLevel: 'info',
    });
  });

  it('defaults to port 8310 and the pairing screen', () => {
    const o = parseKioskArgs(['--data-dir', '/var/lib/kiosk']);
    expect(o).toMatchObject({ hubUrl: null, pairingCode: null, dataDir: '/var/lib/kiosk', port: 8310 });
  });

  it('names a bad value', () => {
    expect(() => parseKioskArgs(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseKioskArgs(['--hub', 'http://h', '--pairing-code', '12'])).toThrow(/6 digits/);
    expect(() => parseKioskArgs(['--hub', 'http://h'])).toThrow(/together/);
    expect(() => parseKioskArgs(['--log-level', 'loud'])).toThrow(/--log-level/);
    expect(() => parseKioskArgs(['--nope'])).toThrow();
  });

  it('picks its own flags out of the Electron shell command line', () => {
    expect(
      pickKioskArgs([
        'main.js',
        '--no-sandbox',
        '--hub',
        'http://h:1',
        '--pairing-code=123456',
        '--enable-logging',
        '--name',
        'k',
      ]),
    ).toEqual(['--hub', 'http://h:1', '--pairing-code=123456', '--name', 'k']);
  });
});
