import { DeviceError, type DeviceErrorWords, type DeviceFamily, type DeviceWords } from '@nextup/protocol';

/**
 * Printer failures: the printer's member of the `DeviceError` family (`@nextup/protocol`). They carry
 * a code; the edges (kiosk, CLI, admin console) turn it into words with `describeDeviceError`.
 */
export type PrinterErrorCode =
  /** The paper roll is empty (DLE EOT 2 bit 5 / DLE EOT 4 bits 5–6). */
  | 'PAPER_OUT'
  /** The printer cover is open (DLE EOT 2 bit 2). */
  | 'COVER_OPEN'
  /** The printer says it is offline (DLE EOT 1 bit 3) for no reason it names, or the link dropped. */
  | 'OFFLINE'
  /** The printer reports an error: cutter jam, head too hot, mechanism (DLE EOT 2 bit 6, DLE EOT 3). */
  | 'PRINTER_ERROR'
  /** No answer in the time allowed: to DLE EOT, to the end-of-ticket GS r, or to a write. */
  | 'TIMEOUT'
  /** The connection could not be made: refused, unreachable, no such device. */
  | 'CONNECT_FAILED'
  /** No permission to open the device (not in the `lp` or `dialout` group). */
  | 'PERMISSION_DENIED'
  /** Another program holds the serial port or USB printer. */
  | 'BUSY'
  /** The connection broke while in use. */
  | 'DISCONNECTED'
  /** The status cannot be read over this link (a write-only USB printer device file). */
  | 'NO_STATUS'
  /** The printer URL is not one we can use. */
  | 'BAD_URL';

/** When, in a print, the failure happened. */
export type PrintStage = 'connect' | 'before' | 'during';

const WORDS: DeviceErrorWords<PrinterErrorCode> = {
  PAPER_OUT: { zh: '打印机缺纸，请更换纸卷', en: 'the printer is out of paper: load a new roll' },
  COVER_OPEN: { zh: '打印机盖未关好', en: 'the printer cover is open' },
  OFFLINE: { zh: '打印机离线', en: 'the printer is offline' },
  PRINTER_ERROR: {
    zh: '打印机故障（切刀卡纸或打印头过热），请检查后重新开机',
    en: 'the printer reports an error (cutter jam or print head too hot): check it and power it off and on',
  },
  TIMEOUT: {
    zh: '打印机无应答：请检查电源、网线或串口线',
    en: 'the printer does not answer: check its power and its network or serial cable',
  },
  CONNECT_FAILED: {
    zh: '连接不上打印机：请检查地址、端口和电源',
    en: 'cannot connect to the printer: check the address, the port and its power',
  },
  PERMISSION_DENIED: {
    zh: '没有打印机设备的权限：请把用户加入 lp（USB）或 dialout（串口）组后重新登录',
    en: 'no permission on the printer device: add the user to the lp (USB) or dialout (serial) group and log in again',
  },
  BUSY: { zh: '打印机被其他程序占用', en: 'another program is using the printer' },
  DISCONNECTED: { zh: '与打印机的连接断开了', en: 'the connection to the printer broke' },
  NO_STATUS: {
    zh: '此连接方式读不到打印机状态（单向 USB 设备）',
    en: 'the printer status cannot be read over this link (a one-way USB device)',
  },
  BAD_URL: {
    zh: '打印机地址格式不对，例如 tcp://192.168.1.50:9100、serial:/dev/ttyUSB0?baud=19200、file:/dev/usb/lp0',
    en: 'bad printer address; e.g. tcp://192.168.1.50:9100, serial:/dev/ttyUSB0?baud=19200, file:/dev/usb/lp0',
  },
};

const STAGE_WORDS: { readonly [S in PrintStage]: DeviceWords } = {
  connect: { zh: '连接时', en: 'while connecting' },
  before: { zh: '打印前', en: 'before printing' },
  during: { zh: '打印中途，本张票未打完', en: 'while printing; this ticket was not completed' },
};

const PRINTER: DeviceFamily<PrinterErrorCode, 'printer'> = { device: 'printer', words: WORDS };

export class PrinterError extends DeviceError<PrinterErrorCode, 'printer'> {
  /** When in a print the failure happened; null outside a print (a plain status read). */
  readonly stage: PrintStage | null;
  constructor(
    code: PrinterErrorCode,
    message: string,
    opts: { stage?: PrintStage | null; cause?: unknown } = {},
  ) {
    super(PRINTER, code, message, { cause: opts.cause });
    this.stage = opts.stage ?? null;
  }

  /** The same error, placed at a stage of a print. */
  at(stage: PrintStage): PrinterError {
    return new PrinterError(this.code, this.message, { stage, cause: this.cause });
  }

  /** Says when in the print it happened, if it was in one. */
  override placeWords(words: string, lang: 'zh' | 'en'): string {
    if (this.stage === null) return words;
    const stage = STAGE_WORDS[this.stage][lang];
    return lang === 'zh' ? `${stage}：${words}` : `${words} (${stage})`;
  }
}
