/**
 * Device failures carry a code; the edges (CLI, display agent, admin console) turn it into words
 * with `describeDeviceError`.
 */
export type DeviceErrorCode =
  /** No valid reply after every retry. */
  | 'TIMEOUT'
  /** The device refused the request (NAK); `nak` says why. */
  | 'NAK'
  /** The dialect cannot express this request (e.g. keypad poll on a line-protocol board). */
  | 'UNSUPPORTED'
  /** The serial port does not exist. */
  | 'PORT_MISSING'
  /** No permission to open the serial port (not in the dialout group). */
  | 'PERMISSION_DENIED'
  /** Another program holds the port. */
  | 'PORT_BUSY'
  /** The port closed or failed while in use. */
  | 'OFFLINE';

export class DeviceError extends Error {
  readonly code: DeviceErrorCode;
  readonly address: number | null;
  readonly nak: string | undefined;
  constructor(code: DeviceErrorCode, message: string, opts: { address?: number | null; nak?: string } = {}) {
    super(message);
    this.name = 'DeviceError';
    this.code = code;
    this.address = opts.address ?? null;
    this.nak = opts.nak;
  }
}

export function isDeviceError(e: unknown): e is DeviceError {
  return e instanceof DeviceError;
}

const WORDS: Record<DeviceErrorCode, { zh: string; en: string }> = {
  TIMEOUT: {
    zh: '设备无应答：请检查地址、波特率、RS-485 A/B 接线和设备电源',
    en: 'no answer: check the address, baud rate, RS-485 A/B wiring and the device power',
  },
  NAK: { zh: '设备拒绝了请求', en: 'the device refused the request' },
  UNSUPPORTED: { zh: '该协议方言不支持此操作', en: 'this dialect cannot do that' },
  PORT_MISSING: {
    zh: '串口不存在：请检查 USB 转 RS-485 适配器是否插好（ls /dev/ttyUSB*）',
    en: 'no such serial port: is the USB RS-485 adapter plugged in? (ls /dev/ttyUSB*)',
  },
  PERMISSION_DENIED: {
    zh: '没有串口权限：请执行 sudo usermod -aG dialout $USER 后重新登录',
    en: 'permission denied on the serial port: run sudo usermod -aG dialout $USER and log in again',
  },
  PORT_BUSY: { zh: '串口被其他程序占用', en: 'another program is using the serial port' },
  OFFLINE: { zh: '串口已断开', en: 'the serial port closed' },
};

/** The error in words for a person, in Chinese (default) or English. */
export function describeDeviceError(e: DeviceError, lang: 'zh' | 'en' = 'zh'): string {
  const base = WORDS[e.code][lang];
  const where = e.address === null ? '' : lang === 'zh' ? `（地址 ${e.address}）` : ` (address ${e.address})`;
  const nak = e.nak ? ` [${e.nak}]` : '';
  return `${base}${where}${nak}`;
}
