import { type BranchConfig, own } from '@nextup/core';
import {
  type DeviceHealth,
  type DeviceSettings,
  deviceSettingsRequest,
  LED_DIALECTS,
  mainBoardClash,
  type PrinterUrlProblem,
  parsePrinterUrl,
} from '@nextup/protocol';
import type { FieldRule } from '../field-errors.ts';
import type { StringKey } from '../i18n.tsx';
import { type FieldIssue, fieldByRules, fieldErrorsOf, rangeWords, type Words } from './schema-fields.ts';

/**
 * The device settings form without React: the draft the form edits (text as typed), the checks made
 * before anything is sent (the hub's request schema, `deviceSettingsRequest`, in the form's words),
 * and the one-line summary in the device list. The hub checks the settings again and has the last
 * word; these checks are here to say what is wrong next to the field, before a round trip.
 */

/** Baud rates LED boards and USB–RS-485 adapters commonly run at (boards default to 9600, see hardware/led-bus.md). */
export const COMMON_BAUDS = [2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
/** Every order the voice can speak in (`voice.languages`), as the form's choice value. */
export const VOICE_CHOICES = ['zh,en', 'en,zh', 'zh', 'en', ''] as const;
export type VoiceChoice = (typeof VOICE_CHOICES)[number];
/** The value of the dialect choice that reveals the free-text field. */
export const OTHER_DIALECT = '*other';

export interface KioskDraft {
  kind: 'kiosk';
  printerOn: boolean;
  printerUrl: string;
  paperWidth: 58 | 80;
  chinese: 'native' | 'raster';
  qr: 'native' | 'raster';
  idleSeconds: string;
  services: string[];
}

export interface DisplayDraft {
  kind: 'display';
  busOn: boolean;
  busPort: string;
  busBaud: number;
  /** One of LED_DIALECTS, or OTHER_DIALECT with the id in `busDialectOther`. */
  busDialect: string;
  busDialectOther: string;
  /** The LED boards' brightness as typed, 0–100 (%). */
  busBrightness: string;
  mainBoards: string;
  voice: VoiceChoice;
  repeat: number;
  counters: string[];
}

export interface TabletDraft {
  kind: 'counterTablet';
  counterId: string;
}

export type SettingsDraft = KioskDraft | DisplayDraft | TabletDraft;

/** Field → the message key of what is wrong with it (with its parameters). */
export type DraftErrors = Record<string, Words>;

/** Which form field a hub refusal is about (paths as in `PUT …/settings {settings}`). */
export const SETTINGS_RULES: FieldRule[] = [
  { field: 'printerUrl', path: /settings\.printer\.url$/ },
  { field: 'idleSeconds', path: /settings\.idleSeconds$/ },
  { field: 'services', path: /settings\.services/ },
  { field: 'busPort', path: /settings\.bus\.port$/ },
  { field: 'busBaud', path: /settings\.bus\.baud$/ },
  { field: 'busDialect', path: /settings\.bus\.dialect$/ },
  { field: 'busBrightness', path: /settings\.bus\.brightness$/ },
  { field: 'mainBoards', path: /settings\.mainBoards/ },
  { field: 'voice', path: /settings\.voice/ },
  { field: 'counters', path: /settings\.counters/ },
  { field: 'counterId', code: 'UNKNOWN_COUNTER', path: /settings\.counterId$/ },
];

export function draftOf(s: DeviceSettings): SettingsDraft {
  switch (s.kind) {
    case 'kiosk':
      return {
        kind: 'kiosk',
        printerOn: s.printer !== null,
        printerUrl: s.printer?.url ?? '',
        paperWidth: s.printer?.paperWidth ?? 80,
        chinese: s.printer?.chinese ?? 'native',
        qr: s.printer?.qr ?? 'native',
        idleSeconds: String(s.idleSeconds),
        services: [...s.services],
      };
    case 'display': {
      const dialect = s.bus?.dialect ?? 'v1';
      const known = (LED_DIALECTS as readonly string[]).includes(dialect);
      return {
        kind: 'display',
        busOn: s.bus !== null,
        busPort: s.bus?.port ?? '',
        busBaud: s.bus?.baud ?? 9600,
        busDialect: known ? dialect : OTHER_DIALECT,
        busDialectOther: known ? '' : dialect,
        busBrightness: String(s.bus?.brightness ?? 100),
        mainBoards: s.mainBoards.join(', '),
        voice: voiceChoice(s.voice.languages),
        repeat: s.voice.repeat,
        counters: [...s.counters],
      };
    }
    case 'counterTablet':
      return { kind: 'counterTablet', counterId: s.counterId ?? '' };
  }
}

function voiceChoice(languages: readonly ('zh' | 'en')[]): VoiceChoice {
  const v = languages.join(',');
  return (VOICE_CHOICES as readonly string[]).includes(v) ? (v as VoiceChoice) : 'zh,en';
}

const PRINTER_URL_PROBLEM_KEYS: Record<PrinterUrlProblem, StringKey> = {
  empty: 'admin.err.required',
  tooLong: 'admin.devices.err.urlTooLong',
  scheme: 'admin.devices.err.urlScheme',
  host: 'admin.devices.err.urlHost',
  port: 'admin.devices.err.urlPort',
  path: 'admin.devices.err.urlPath',
  baud: 'admin.devices.err.urlBaud',
  flow: 'admin.devices.err.urlFlow',
};

/**
 * What is wrong with a printer URL as typed, by the one grammar the hub and the kiosk's printer use
 * (`parsePrinterUrl` in `@nextup/protocol`, hardware/escpos.md §transports). Null = fine.
 */
export function printerUrlProblem(raw: string): StringKey | null {
  const parsed = parsePrinterUrl(raw.trim());
  return parsed.ok ? null : PRINTER_URL_PROBLEM_KEYS[parsed.problem];
}

/**
 * Bus addresses as typed: "200, 201" (also Chinese commas, 、 and spaces). Only what the text says is
 * checked here (digits, each once); how many boards and which addresses are allowed is the hub's
 * schema's to say (`settingsOf`).
 */
export function parseAddresses(
  text: string,
): { ok: true; value: number[] } | { ok: false; key: StringKey; params?: Record<string, string | number> } {
  const parts = text
    .split(/[,，、;；\s]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const value: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return { ok: false, key: 'admin.devices.err.address', params: { value: p } };
    const n = Number(p);
    if (value.includes(n)) return { ok: false, key: 'admin.devices.err.addressTwice', params: { value: n } };
    value.push(n);
  }
  return { ok: true, value };
}

/** The schema's problems with the settings in the form's words (null: the hub's answer says it). */
function settingsWords(d: SettingsDraft, boards: readonly number[]) {
  return (issue: FieldIssue): Words | null => {
    switch (issue.field) {
      case 'printerUrl': {
        const problem = d.kind === 'kiosk' ? printerUrlProblem(d.printerUrl) : null;
        return problem ? { key: problem } : null;
      }
      case 'busPort':
        return issue.code === 'too_small' ? { key: 'admin.err.required' } : null;
      case 'busDialect':
        return { key: issue.code === 'too_small' ? 'admin.err.required' : 'admin.devices.err.dialect' };
      case 'mainBoards': {
        if (issue.code === 'too_big' && issue.path.length === 2)
          return { key: 'admin.devices.err.tooManyBoards' };
        const at = issue.path[2];
        return typeof at === 'number'
          ? { key: 'admin.devices.err.address', params: { value: String(boards[at]) } }
          : null;
      }
      default:
        if (issue.code === 'invalid_type') return { key: 'admin.err.wholeNumber' };
        return rangeWords(issue);
    }
  };
}

/**
 * The settings the draft stands for, or what is wrong with it (field → message). The settings are
 * checked with the hub's own request schema (`deviceSettingsRequest`); beyond it the form checks what
 * the text says (a whole number, an address list) and that a main
 * board does not take a driven counter's address (protocol's `mainBoardClash`, the hub's rule too), so each
 * is said next to its field before a round trip. `config` gives the order of services and counters
 * (the kiosk and display keep the branch's order) and the counters' own bus addresses.
 */
export function settingsOf(
  d: SettingsDraft,
  config: BranchConfig,
): { ok: true; settings: DeviceSettings } | { ok: false; errors: DraftErrors } {
  const candidate = candidateOf(d, config);
  const boards = d.kind === 'display' ? parseAddresses(d.mainBoards) : null;
  const errors: DraftErrors = fieldErrorsOf(
    deviceSettingsRequest,
    { settings: candidate },
    settingsWords(d, boards?.ok ? boards.value : []),
    fieldByRules(SETTINGS_RULES),
  );
  if (d.kind === 'display') {
    if (boards && !boards.ok)
      errors.mainBoards = { key: boards.key, ...(boards.params ? { params: boards.params } : {}) };
    else if (boards?.ok && !errors.mainBoards) {
      const clash = mainBoardClash({ mainBoards: boards.value, counters: d.counters }, config);
      if (clash)
        errors.mainBoards = {
          key: 'admin.devices.err.addressTaken',
          params: { value: clash.address, counter: clash.counter.number },
        };
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, settings: candidate };
}

/** The settings as the draft has them, numbers that are not whole numbers as NaN (the schema says so). */
function candidateOf(d: SettingsDraft, config: BranchConfig): DeviceSettings {
  switch (d.kind) {
    case 'kiosk':
      return {
        kind: 'kiosk',
        printer: d.printerOn
          ? { url: d.printerUrl.trim(), paperWidth: d.paperWidth, chinese: d.chinese, qr: d.qr }
          : null,
        idleSeconds: wholeNumber(d.idleSeconds),
        services: config.serviceOrder.filter((id) => d.services.includes(id)),
      };
    case 'display': {
      const dialect = d.busDialect === OTHER_DIALECT ? d.busDialectOther.trim() : d.busDialect;
      const brightness = wholeNumber(d.busBrightness);
      const boards = parseAddresses(d.mainBoards);
      return {
        kind: 'display',
        bus: d.busOn
          ? {
              port: d.busPort.trim(),
              baud: d.busBaud,
              dialect,
              // 100 is what a board does anyway (hardware/led-bus.md §5): left out, as the hub has it.
              ...(brightness !== 100 ? { brightness } : {}),
            }
          : null,
        mainBoards: boards.ok ? boards.value : [],
        voice: {
          languages: d.voice === '' ? [] : (d.voice.split(',') as ('zh' | 'en')[]),
          repeat: d.repeat,
        },
        counters: config.counterOrder.filter((id) => d.counters.includes(id)),
      };
    }
    case 'counterTablet':
      return { kind: 'counterTablet', counterId: d.counterId || null };
  }
}

/** A whole number as typed (digits only), or NaN. */
function wholeNumber(s: string): number {
  const t = s.trim();
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/**
 * A device's settings in a few words for the device list, e.g. "打印机 tcp://10.0.0.9:9100 · 80 mm ·
 * 空闲 20 秒回首页 · 业务：全部". `t` and `b` are the page's translators.
 */
export function settingsSummary(
  s: DeviceSettings,
  config: BranchConfig | null,
  t: (key: StringKey, params?: Record<string, string | number>) => string,
  list: (items: string[]) => string,
  health: DeviceHealth | null = null,
): string[] {
  const parts: string[] = [];
  switch (s.kind) {
    case 'kiosk':
      if (s.printer) {
        parts.push(t('admin.devices.sum.printer', { url: s.printer.url }), `${s.printer.paperWidth} mm`);
        if (s.printer.chinese === 'raster') parts.push(t('admin.devices.sum.chineseRaster'));
      } else parts.push(t('admin.devices.sum.noPrinter'));
      parts.push(t('admin.devices.sum.idle', { seconds: s.idleSeconds }));
      parts.push(
        t('admin.devices.sum.services', {
          list:
            s.services.length === 0
              ? t('admin.devices.sum.all')
              : list(s.services.map((id) => (config ? own(config.services, id)?.prefix : undefined) ?? id)),
        }),
      );
      break;
    case 'display': {
      // No bus in the settings may still mean boards: a box started with its own --bus (the demo's
      // virtual line, a bench setup) reports them in its health. Say where the line is set, and list
      // main boards only where a line drives them.
      const boardsReported = (health?.components ?? []).some(
        (c) => c.component === 'ledBoard' || c.component === 'keypad',
      );
      if (s.bus) {
        parts.push(t('admin.devices.sum.bus', { port: s.bus.port }), `${s.bus.baud}`, s.bus.dialect);
        if (s.bus.brightness !== undefined && s.bus.brightness !== 100)
          parts.push(t('admin.devices.sum.brightness', { n: s.bus.brightness }));
      } else parts.push(t(boardsReported ? 'admin.devices.sum.busOnBox' : 'admin.devices.sum.noBus'));
      if (s.mainBoards.length > 0 && (s.bus || boardsReported))
        parts.push(t('admin.devices.sum.mainBoards', { list: list(s.mainBoards.map(String)) }));
      parts.push(
        s.voice.languages.length === 0
          ? t('admin.devices.sum.silent')
          : t('admin.devices.sum.voice', {
              list: s.voice.languages.map((l) => t(`admin.devices.lang.${l}`)).join('+'),
              repeat: s.voice.repeat,
            }),
      );
      parts.push(
        t('admin.devices.sum.counters', {
          list:
            s.counters.length === 0
              ? t('admin.devices.sum.all')
              : list(
                  s.counters.map((id) =>
                    String((config ? own(config.counters, id)?.number : undefined) ?? id),
                  ),
                ),
        }),
      );
      break;
    }
    case 'counterTablet': {
      const c = s.counterId && config ? own(config.counters, s.counterId) : null;
      parts.push(
        s.counterId === null
          ? t('admin.devices.sum.noCounter')
          : t('admin.devices.sum.counter', { number: c?.number ?? s.counterId }),
      );
      break;
    }
  }
  return parts;
}
