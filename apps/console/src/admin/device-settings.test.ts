import { sampleBranchConfig } from '@nextup/core';
import { type DisplaySettings, defaultDeviceSettings, deviceSettings } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { fieldOfError } from '../field-errors.ts';
import { translate } from '../i18n.tsx';
import {
  type DisplayDraft,
  draftOf,
  type KioskDraft,
  parseAddresses,
  printerUrlProblem,
  SETTINGS_RULES,
  settingsOf,
  settingsSummary,
} from './device-settings.ts';

const config = sampleBranchConfig();

describe('printerUrlProblem', () => {
  it('accepts the three URL forms the kiosk printer takes', () => {
    for (const url of [
      'tcp://10.0.0.9:9100',
      'tcp://10.0.0.9',
      'tcp://printer-1.branch.local:9100',
      'serial:/dev/ttyUSB0?baud=19200',
      'serial:/dev/ttyUSB0?baud=19200&flow=rtscts',
      'serial:/dev/ttyS0',
      'file:/dev/usb/lp0',
      ' file:/dev/usb/lp0 ',
    ])
      expect(printerUrlProblem(url), url).toBeNull();
  });

  it('says what is wrong with the usual mistakes', () => {
    expect(printerUrlProblem('')).toBe('admin.err.required');
    expect(printerUrlProblem('10.0.0.9:9100')).toBe('admin.devices.err.urlScheme');
    expect(printerUrlProblem('192.168.1.50')).toBe('admin.devices.err.urlScheme');
    expect(printerUrlProblem('http://10.0.0.9:9100')).toBe('admin.devices.err.urlScheme');
    expect(printerUrlProblem('tcp:10.0.0.9')).toBe('admin.devices.err.urlHost');
    expect(printerUrlProblem('tcp://')).toBe('admin.devices.err.urlHost');
    expect(printerUrlProblem('tcp://10.0.0.9:99999')).toBe('admin.devices.err.urlPort');
    expect(printerUrlProblem('tcp://10.0.0.9:abc')).toBe('admin.devices.err.urlPort');
    expect(printerUrlProblem('tcp://10.0.0.9:0')).toBe('admin.devices.err.urlPort');
    expect(printerUrlProblem('serial:')).toBe('admin.devices.err.urlPath');
    expect(printerUrlProblem('serial:COM3')).toBe('admin.devices.err.urlPath');
    expect(printerUrlProblem('file:lp0')).toBe('admin.devices.err.urlPath');
    expect(printerUrlProblem('serial:/dev/ttyUSB0?baud=fast')).toBe('admin.devices.err.urlBaud');
    expect(printerUrlProblem('serial:/dev/ttyUSB0?flow=hw')).toBe('admin.devices.err.urlFlow');
    expect(printerUrlProblem(`tcp://${'a'.repeat(200)}`)).toBe('admin.devices.err.urlTooLong');
  });
});

describe('parseAddresses', () => {
  it('reads commas, Chinese commas and spaces', () => {
    expect(parseAddresses('200, 201，202、203 204')).toEqual({ ok: true, value: [200, 201, 202, 203, 204] });
    expect(parseAddresses('  ')).toEqual({ ok: true, value: [] });
  });

  it('refuses what is not an address and an address written twice', () => {
    expect(parseAddresses('2.5')).toMatchObject({ ok: false, key: 'admin.devices.err.address' });
    expect(parseAddresses('200, x')).toMatchObject({ ok: false, params: { value: 'x' } });
    expect(parseAddresses('200 200')).toMatchObject({ ok: false, key: 'admin.devices.err.addressTwice' });
  });
});

describe('settingsOf', () => {
  it('gives back what draftOf was given, for each kind', () => {
    const samples = [
      defaultDeviceSettings('kiosk'),
      defaultDeviceSettings('display'),
      defaultDeviceSettings('counterTablet'),
      {
        kind: 'kiosk' as const,
        printer: {
          url: 'serial:/dev/ttyUSB0?baud=19200',
          paperWidth: 58 as const,
          chinese: 'raster' as const,
          qr: 'native' as const,
        },
        idleSeconds: 45,
        services: ['cash', 'wealth'],
      },
      {
        kind: 'display' as const,
        bus: { port: '/dev/ttyUSB1', baud: 14400, dialect: 'acme-2' },
        mainBoards: [200, 201],
        voice: { languages: ['en' as const, 'zh' as const], repeat: 2 },
        counters: ['c1', 'c3'],
      },
      {
        kind: 'display' as const,
        bus: { port: '/dev/ttyUSB0', baud: 9600, dialect: 'v1', brightness: 40 },
        mainBoards: [200],
        voice: { languages: ['zh' as const], repeat: 1 },
        counters: [],
      },
      { kind: 'counterTablet' as const, counterId: 'c3' },
    ];
    for (const s of samples) {
      const r = settingsOf(draftOf(s), config);
      expect(r).toEqual({ ok: true, settings: s });
      expect(deviceSettings.safeParse(r.ok && r.settings).success).toBe(true);
    }
  });

  it('keeps the branch order of ticked services and counters', () => {
    const kiosk = {
      ...(draftOf(defaultDeviceSettings('kiosk')) as KioskDraft),
      services: ['wealth', 'cash'],
    };
    expect(settingsOf(kiosk, config)).toMatchObject({ ok: true, settings: { services: ['cash', 'wealth'] } });
    const display = {
      ...(draftOf(defaultDeviceSettings('display')) as DisplayDraft),
      counters: ['c3', 'c1'],
    };
    expect(settingsOf(display, config)).toMatchObject({ ok: true, settings: { counters: ['c1', 'c3'] } });
  });

  it('takes the LED brightness as 0–100 %, and says what is wrong with anything else', () => {
    const base = {
      ...(draftOf(defaultDeviceSettings('display')) as DisplayDraft),
      busOn: true,
      busPort: '/dev/ttyUSB0',
    };
    expect(base.busBrightness).toBe('100');
    expect(settingsOf({ ...base, busBrightness: '0' }, config)).toMatchObject({
      ok: true,
      settings: { bus: { brightness: 0 } },
    });
    expect(settingsOf({ ...base, busBrightness: '101' }, config)).toEqual({
      ok: false,
      errors: { busBrightness: { key: 'admin.devices.err.range', params: { min: 0, max: 100 } } },
    });
    expect(settingsOf({ ...base, busBrightness: '50%' }, config)).toEqual({
      ok: false,
      errors: { busBrightness: { key: 'admin.err.wholeNumber' } },
    });
    // With the bus off nothing about it is checked.
    expect(settingsOf({ ...base, busOn: false, busBrightness: 'x' }, config).ok).toBe(true);
  });

  it('checks only the printer fields when the printer is on', () => {
    const base = draftOf(defaultDeviceSettings('kiosk')) as KioskDraft;
    expect(settingsOf({ ...base, printerOn: false, printerUrl: 'junk' }, config).ok).toBe(true);
    expect(settingsOf({ ...base, printerOn: true, printerUrl: 'junk', idleSeconds: '3' }, config)).toEqual({
      ok: false,
      errors: {
        printerUrl: { key: 'admin.devices.err.urlScheme' },
        idleSeconds: { key: 'admin.devices.err.range', params: { min: 5, max: 600 } },
      },
    });
    expect(settingsOf({ ...base, idleSeconds: '2 0' }, config)).toMatchObject({
      ok: false,
      errors: { idleSeconds: { key: 'admin.err.wholeNumber' } },
    });
  });

  it('refuses a main board on a shown counter’s own LED board or keypad address', () => {
    const base = draftOf(defaultDeviceSettings('display')) as DisplayDraft;
    // The sample counters have LED boards 1–5 and keypads 101–105.
    expect(settingsOf({ ...base, mainBoards: '200, 3' }, config)).toEqual({
      ok: false,
      errors: { mainBoards: { key: 'admin.devices.err.addressTaken', params: { value: 3, counter: 3 } } },
    });
    expect(settingsOf({ ...base, mainBoards: '104' }, config)).toMatchObject({ ok: false });
    // A counter this display does not drive does not hold the address here.
    expect(settingsOf({ ...base, mainBoards: '3', counters: ['c1'] }, config).ok).toBe(true);
  });

  it('refuses main boards outside 1–247 and more than 8, by the hub’s schema, naming the address', () => {
    const base = draftOf(defaultDeviceSettings('display')) as DisplayDraft;
    expect(settingsOf({ ...base, mainBoards: '200, 248' }, config)).toEqual({
      ok: false,
      errors: { mainBoards: { key: 'admin.devices.err.address', params: { value: '248' } } },
    });
    expect(settingsOf({ ...base, mainBoards: '0' }, config)).toEqual({
      ok: false,
      errors: { mainBoards: { key: 'admin.devices.err.address', params: { value: '0' } } },
    });
    expect(settingsOf({ ...base, mainBoards: '200 201 202 203 204 205 206 207 208' }, config)).toEqual({
      ok: false,
      errors: { mainBoards: { key: 'admin.devices.err.tooManyBoards' } },
    });
  });

  it('refuses a baud rate the hub’s schema does not take, with its bounds', () => {
    const base = {
      ...(draftOf(defaultDeviceSettings('display')) as DisplayDraft),
      busOn: true,
      busPort: '/dev/ttyUSB0',
    };
    expect(settingsOf({ ...base, busBaud: 300 }, config)).toEqual({
      ok: false,
      errors: { busBaud: { key: 'admin.devices.err.range', params: { min: 1200, max: 921_600 } } },
    });
  });

  it('needs a port and a dialect id when the bus is on', () => {
    const base = draftOf(defaultDeviceSettings('display')) as DisplayDraft;
    expect(
      settingsOf(
        { ...base, busOn: true, busPort: ' ', busDialect: '*other', busDialectOther: 'a b' },
        config,
      ),
    ).toEqual({
      ok: false,
      errors: { busPort: { key: 'admin.err.required' }, busDialect: { key: 'admin.devices.err.dialect' } },
    });
  });
});

describe('settingsSummary', () => {
  const display = defaultDeviceSettings('display') as DisplaySettings;
  const t =
    (lang: 'zh' | 'en') => (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) =>
      translate(lang, k, p);
  it('says a device’s settings in a few words', () => {
    const kiosk = {
      kind: 'kiosk' as const,
      printer: {
        url: 'tcp://10.0.0.9:9100',
        paperWidth: 80 as const,
        chinese: 'native' as const,
        qr: 'native' as const,
      },
      idleSeconds: 20,
      services: ['cash', 'personal'],
    };
    expect(settingsSummary(kiosk, config, t('zh'), (x) => x.join('、')).join(' · ')).toBe(
      '打印机 tcp://10.0.0.9:9100 · 80 mm · 空闲 20 秒回首页 · 业务：A、B',
    );
    expect(
      settingsSummary(defaultDeviceSettings('display'), config, t('en'), (x) => x.join(', ')).join(' · '),
    ).toBe('No LED bus · voice Chinese+English ×1 · counters: all');
    expect(
      settingsSummary(
        { ...display, bus: { port: '/dev/ttyUSB0', baud: 9600, dialect: 'v1' } },
        config,
        t('zh'),
        (x) => x.join('、'),
      ).join(' · '),
    ).toBe('LED 总线 /dev/ttyUSB0 · 9600 · v1 · 主屏 200 · 语音 中文+英文 ×1 · 窗口：全部');
  });

  it('never says "no LED boards" above a list of LED boards the device reports', () => {
    const boards = {
      components: [
        {
          component: 'ledBoard' as const,
          address: 1,
          level: 'ok' as const,
          code: 'OK' as const,
          detail: null,
          since: 0,
        },
      ],
      version: 'nextup-display 0.1.0',
    };
    expect(settingsSummary(display, config, t('zh'), (x) => x.join('、'), boards).join(' · ')).toBe(
      'LED 屏总线由本机启动参数设置 · 主屏 200 · 语音 中文+英文 ×1 · 窗口：全部',
    );
    expect(
      settingsSummary({ kind: 'counterTablet', counterId: 'c3' }, config, t('zh'), String).join(''),
    ).toBe('3 号窗口');
  });
});

describe('the hub’s own refusals', () => {
  it('land on the field they are about', () => {
    const schema = (path: string) => ({
      kind: 'input' as const,
      code: 'INVALID_MESSAGE',
      message: { zh: '消息内容无效', en: 'Too big' },
      detail: `✖ Too big: expected number to be <=247\n  → at ${path}`,
    });
    expect(fieldOfError(schema('settings.mainBoards[1]'), SETTINGS_RULES)).toBe('mainBoards');
    expect(fieldOfError(schema('settings.printer.url'), SETTINGS_RULES)).toBe('printerUrl');
    expect(fieldOfError(schema('settings.idleSeconds'), SETTINGS_RULES)).toBe('idleSeconds');
    expect(fieldOfError(schema('settings.bus.dialect'), SETTINGS_RULES)).toBe('busDialect');
    const unknown = {
      kind: 'input' as const,
      code: 'UNKNOWN_COUNTER',
      message: { zh: '没有此窗口', en: 'No such counter: c9' },
    };
    expect(fieldOfError(unknown, SETTINGS_RULES)).toBe('counterId');
    const wrongKind = { ...unknown, code: 'WRONG_DEVICE_KIND' };
    expect(fieldOfError(wrongKind, SETTINGS_RULES)).toBeNull();
  });
});
