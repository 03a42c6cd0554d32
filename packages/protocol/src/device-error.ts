/**
 * The one family of device failures. Each driver (`@nextup/printer`, `@nextup/ledbus`) subclasses
 * `DeviceError` with its own code union, its own word table and its own extra fields (a print's
 * stage, a bus address); the edges (kiosk, display, CLI, consoles) test errors with
 * `isDeviceError` and put them into words with `describeDeviceError`. Browser-safe: no Node imports.
 */

/** Which driver a failure comes from. A new driver adds its name here and subclasses `DeviceError`. */
export type DeviceDriver = 'printer' | 'ledbus';

/** Words for a person, in Chinese and English. */
export interface DeviceWords {
  readonly zh: string;
  readonly en: string;
}

/** A driver's words for each of its codes: each code is put into words once, here. */
export type DeviceErrorWords<C extends string> = { readonly [K in C]: DeviceWords };

/** What a driver's subclass tells the family about itself. */
export interface DeviceFamily<C extends string, D extends DeviceDriver> {
  readonly device: D;
  readonly words: DeviceErrorWords<C>;
}

export abstract class DeviceError<
  C extends string = string,
  D extends DeviceDriver = DeviceDriver,
> extends Error {
  /** The driver that failed; tells a printer error from a bus error without `instanceof`. */
  readonly device: D;
  /** What went wrong, from the driver's own set of codes. */
  readonly code: C;
  /** The driver's words for every code it has. */
  readonly #words: DeviceErrorWords<C>;

  /**
   * @param opts.cause the error underneath (an errno from the OS, a socket error), kept as the
   *   standard `Error.cause`; absent when the driver itself noticed the failure.
   */
  protected constructor(
    family: DeviceFamily<C, D>,
    code: C,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DeviceError';
    this.device = family.device;
    this.code = code;
    this.#words = family.words;
  }

  /** The code's words from the driver's table, without what the subclass adds around them. */
  codeWords(lang: 'zh' | 'en'): string {
    return this.#words[this.code][lang];
  }

  /**
   * Puts the code's words in the failure's context (when in a print, which bus address), for
   * `describeDeviceError`. The default adds nothing; a driver overrides it for the fields it has.
   */
  placeWords(words: string, _lang: 'zh' | 'en'): string {
    return words;
  }
}

/**
 * Whether `e` is a device failure, and with `device`, one from that driver. Name the driver's
 * subclass as the type argument to get its codes and fields, e.g.
 * `isDeviceError<PrinterError>(e, 'printer')`; the device name must then match the subclass.
 */
export function isDeviceError(e: unknown): e is DeviceError;
export function isDeviceError<E extends DeviceError>(e: unknown, device: E['device']): e is E;
export function isDeviceError(e: unknown, device?: DeviceDriver): boolean {
  return e instanceof DeviceError && (device === undefined || e.device === device);
}

/** The error in words for a person, in Chinese (default) or English, from the driver's word table. */
export function describeDeviceError(e: DeviceError, lang: 'zh' | 'en' = 'zh'): string {
  return e.placeWords(e.codeWords(lang), lang);
}
